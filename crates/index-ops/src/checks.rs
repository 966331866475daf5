//! The lab checks of M33 Part A, in guide order.
//!
//! Every check mixes fixed cases with seeded random ones, and computes what
//! it expects with its own oracle (a hand-written Luhn sum, the SSN rules
//! restated, the spans where the test planted each value, a model of the
//! alias table), never with the reference solution.
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions and methods; the check binary
//! (`src/bin/checks-m33-index`) only installs the learner's steps and runs
//! them (see `labkit::steps`).
//!
//! This file holds the table and the helpers several checks share; the
//! check bodies live in one file per learner file (`validity`, `redact`, `sync`,
//! `sweep`, `verify`, `flip`: `starters/m33/index/<name>.rs`), and `story` holds
//! the trace check, which replays every step. A check function is named for
//! what must hold; its id gives its place.

mod flip;
mod redact;
mod story;
mod sweep;
mod sync;
mod validity;
mod verify;

use crate::edits;
use chrono::{DateTime, Utc};
use labkit::{Check, CheckKind, Plan, SimClock};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m33.a.1",
        part: "A",
        guide_step: "validity",
        kind: CheckKind::Step,
        title: "luhn_valid accepts real card numbers and rejects every single-digit typo",
        points: 2,
        plan: Plan::core(6),
        hint: "The Luhn sum walks the digits from the right; the rightmost digit is not doubled. A doubled digit above 9 counts as its digit sum.",
        edit: Some(edits::LUHN_VALID),
        run: validity::luhn_rejects_every_typo,
    },
    Check {
        id: "m33.a.2",
        part: "A",
        guide_step: "validity",
        kind: CheckKind::Step,
        title: "ssn_valid applies the shape, area, group, serial and same-digit rules",
        points: 2,
        plan: Plan::core(4),
        hint: "The shape (11 bytes, one separator used twice, digits) is given. You write three rules: the area is not 000, 666 or any 9xx (ITINs have their own detector), the group is not 00 and the serial not 0000, and the nine digits are not all the same.",
        edit: Some(edits::SSN_VALID),
        run: validity::ssn_rules_are_applied,
    },
    Check {
        id: "m33.a.3",
        part: "A",
        guide_step: "redact",
        kind: CheckKind::Step,
        title: "redact replaces each kind with its placeholder and leaves look-alikes alone",
        points: 3,
        plan: Plan::core(2),
        hint: "Copy the text between findings unchanged; a finding's span is a byte range of the original text, not of the output.",
        edit: Some(edits::REDACT),
        run: redact::redact_leaves_look_alikes_alone,
    },
    Check {
        id: "m33.a.4",
        part: "A",
        guide_step: "redact",
        kind: CheckKind::Step,
        title: "redact finds every planted value in seeded random documents, with exact spans",
        points: 3,
        plan: Plan::core(2),
        hint: "detect_at returns the value's end (the byte just after it): the clean text to copy is what lies between the last copied byte and the value's start, and the scan continues from the next candidate at or after that end.",
        edit: Some(edits::REDACT),
        run: redact::redact_finds_every_planted_value,
    },
    Check {
        id: "m33.a.5",
        part: "A",
        guide_step: "sync",
        kind: CheckKind::Step,
        title: "sync re-embeds exactly the added, changed and re-redacted documents, and respects its scope",
        points: 3,
        plan: Plan::core(3),
        hint: "A plan lists only the work that is needed: compare each incoming fingerprint with the stored document of the same id, and the version of the redactor that wrote the stored copy with the current one; plan nothing when both match. Deletion is limited to documents inside the scope.",
        edit: Some(edits::PLAN_SYNC),
        run: sync::sync_re_embeds_exactly_what_changed,
    },
    Check {
        id: "m33.a.6",
        part: "A",
        guide_step: "sync",
        kind: CheckKind::Step,
        title: "no raw personal value reaches the stored text, a backup or a search result",
        points: 2,
        plan: Plan::core(3),
        hint: "Redact on write: the sync stores every planned document through Index::write, which calls your redact before it embeds or stores. A raw value that survives is one your redact step did not find.",
        edit: Some(edits::PLAN_SYNC),
        run: sync::no_raw_value_is_stored,
    },
    Check {
        id: "m33.a.7",
        part: "A",
        guide_step: "sweep",
        kind: CheckKind::Step,
        title: "sweep_expired removes exactly the expired documents, including an expiry at exactly now",
        points: 2,
        plan: Plan::after_class(5),
        hint: "A document is expired when its expiry (Index::expiry_of) is at or before now, not only strictly before; a document with no expiry (None) never expires.",
        edit: Some(edits::SWEEP_EXPIRED),
        run: sweep::sweep_removes_exactly_the_expired,
    },
    Check {
        id: "m33.a.8",
        part: "A",
        guide_step: "backup",
        kind: CheckKind::Step,
        title: "verify_backup refuses every truncation point and bit flip with the right error; the live index is untouched",
        points: 3,
        plan: Plan::after_class(6),
        hint: "Check the header fields in the order the module docs give: magic, header length, version, payload length, checksum. Never read past the end of the input.",
        edit: Some(edits::VERIFY_BACKUP),
        run: verify::verify_backup_refuses_damage,
    },
    Check {
        id: "m33.a.9",
        part: "A",
        guide_step: "alias",
        kind: CheckKind::Step,
        title: "flip and rollback move the live alias in one step and keep a rollback target",
        points: 3,
        plan: Plan::after_class(6),
        hint: "An alias keeps two names: the live index and the previous one. A refused flip, and a flip to the index already live, must not lose the previous one.",
        edit: Some(edits::FLIP),
        run: flip::alias_moves_in_one_step,
    },
    Check {
        id: "m33.a.10",
        part: "A",
        guide_step: "trace",
        kind: CheckKind::Story,
        title: "your Part A trace shows no raw value and matches the reference trace",
        points: 2,
        plan: Plan::after_class(2),
        hint: "Run `cargo run -p index-ops --bin checks-m33-index -- run m33.a.10` and read the diff: the first differing line points at the step to revisit.",
        edit: None,
        run: story::trace_matches_snapshot,
    },
];

fn now() -> DateTime<Utc> {
    SimClock::new().now()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

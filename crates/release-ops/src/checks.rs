//! The lab checks of M33 Part B (`release-ops`), in guide order.
//!
//! Each check mixes fixed cases (the boundaries the guide talks about) with
//! seeded random inputs, and computes what it expects with its own oracle
//! (the arithmetic of the rule, a recount, a known construction), never with
//! the reference solution.
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions and methods; the check binary
//! (`src/bin/checks-m33-release`) only installs the learner's steps and runs
//! them (see `labkit::steps`).
//!
//! This file holds the table and the helpers several checks share; the
//! check bodies live in one file per learner file (`gate`, `canary`, `rollback`,
//! `bluegreen`, `rotation`, `ramp`: `starters/m33/release/<name>.rs`), and `story`
//! holds the trace checks, which replay every step. A check function is named
//! for what must hold; its id gives its place.

mod bluegreen;
mod canary;
mod gate;
mod ramp;
mod rollback;
mod rotation;
mod story;

use crate::edits;
use crate::eval::{EvalReport, Score};
use labkit::{Check, CheckKind, Plan};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m33.b.1",
        part: "B",
        guide_step: "within_tolerance",
        kind: CheckKind::Step,
        title: "the gate's tolerance: a drop of exactly 2% relative to live passes, more blocks, a score of nothing never passes",
        points: 2,
        plan: Plan::core(6),
        hint: "The drop is relative to the live score, and the boundary is inclusive. Scores are fractions (passed out of total): compare fractions exactly, in whole numbers; floats wobble at the boundary. A fraction over zero cases, or with more passed than run, is no evidence: fail closed.",
        edit: Some(edits::WITHIN_TOLERANCE),
        run: gate::tolerance_is_two_percent_relative,
    },
    Check {
        id: "m33.b.2",
        part: "B",
        guide_step: "judge",
        kind: CheckKind::Step,
        title: "the gate fails closed on missing or mismatched evidence, then lists the score drop and each failed regression case",
        points: 2,
        plan: Plan::core(7),
        hint: "Before comparing two scores, ask whether they are scores of the same thing: each side scored on at least one case, a believable count, the same case ids. Only then does a score drop mean anything. A regression case blocks on its own. Keep the order the doc comment gives.",
        edit: Some(edits::JUDGE),
        run: gate::gate_fails_closed,
    },
    Check {
        id: "m33.b.3",
        part: "B",
        guide_step: "canary",
        kind: CheckKind::Step,
        title: "a canary scores live and candidate on the same eval set, decides, and approves only a good build",
        points: 3,
        plan: Plan::after_class(8),
        hint: "Compare against the live baseline measured now, on the current eval set, not the build-time score. A rollback decision must withdraw any approval; live never changes in a canary.",
        edit: Some(edits::CANARY),
        run: canary::canary_approves_only_a_good_build,
    },
    Check {
        id: "m33.b.4",
        part: "B",
        guide_step: "rollback",
        kind: CheckKind::Step,
        title: "one call returns to the last-good release by the rollback checklist, in order",
        points: 3,
        plan: Plan::core(7),
        hint: "The rollback checklist after the captured state: freeze, flip one pointer, rotate the cache namespace, throttle on, watch the exit targets (from the release rolled back to the one coming back), and only when the watch turned green, throttle off and unfreeze.",
        edit: Some(edits::ROLLBACK),
        run: rollback::rollback_follows_the_checklist,
    },
    Check {
        id: "m33.b.5",
        part: "B",
        guide_step: "cut_over",
        kind: CheckKind::Step,
        title: "blue/green: a healthy idle slot takes all traffic in one flip and starts its bake",
        points: 2,
        plan: Plan::after_class(8),
        hint: "Refuse before changing anything: a bake still running, an empty idle slot, a failed health check. The flip itself is one assignment of the live pointer.",
        edit: Some(edits::CUT_OVER),
        run: bluegreen::cut_over_flips_to_a_healthy_slot,
    },
    Check {
        id: "m33.b.6",
        part: "B",
        guide_step: "observe",
        kind: CheckKind::Step,
        title: "blue/green: an alert during the bake flips back; a quiet bake becomes final at its end",
        points: 2,
        plan: Plan::after_class(6),
        hint: "An alert wins, even at the last instant. The bake is over when now has reached its end (inclusive).",
        edit: Some(edits::OBSERVE),
        run: bluegreen::bake_flips_back_on_alert,
    },
    Check {
        id: "m33.b.7",
        part: "B",
        guide_step: "accepts",
        kind: CheckKind::Step,
        title: "secret rotation: the grace window keeps every client working through a rotation, down to the millisecond boundary",
        points: 3,
        plan: Plan::after_class(4),
        hint: "Three stages can be accepted: current always, pending once installed, previous only strictly before its grace window ends (the end is exclusive, at any time resolution).",
        edit: Some(edits::ACCEPTS),
        run: rotation::grace_window_keeps_clients_working,
    },
    Check {
        id: "m33.b.8",
        part: "B",
        guide_step: "trace",
        kind: CheckKind::Story,
        title: "your Part B trace matches the reference trace",
        points: 2,
        plan: Plan::after_class(2),
        hint: "Run the story (`release_ops::story::part_b`) and compare line by line; the first differing line names the step to revisit.",
        edit: None,
        run: story::trace_matches_snapshot,
    },
    Check {
        id: "m33.x.1",
        part: "X",
        guide_step: "walk_ramp",
        kind: CheckKind::Step,
        title: "the progressive canary stops at the first breach and reports its blast radius",
        points: 3,
        plan: Plan::after_class(10),
        hint: "Judge each stage on its own errors against the budget (a rate exactly at the budget is not a breach), stop at the first breach, and sum only the stages that ran.",
        edit: Some(edits::WALK_RAMP),
        run: ramp::ramp_stops_at_the_first_breach,
    },
    Check {
        id: "m33.x.2",
        part: "X",
        guide_step: "ramp trace",
        kind: CheckKind::Story,
        title: "your ramp trace matches the reference trace",
        points: 1,
        plan: Plan::after_class(2),
        hint: "Run `release_ops::story::ramp` and compare the stages and the blast radius line by line.",
        edit: None,
        run: story::ramp_trace_matches_snapshot,
    },
];

// ---------------------------------------------------------------- oracles

/// `candidate` is within `d`% of `live`: 100·(c/ct − l/lt) ≥ −d·l/lt, times lt·ct.
fn oracle_within(live: Score, cand: Score, d: u32) -> bool {
    if live.total == 0 || cand.total == 0 || live.passed > live.total || cand.passed > cand.total {
        return false;
    }
    let (lp, lt, cp, ct) = (
        live.passed as i128,
        live.total as i128,
        cand.passed as i128,
        cand.total as i128,
    );
    100 * (cp * lt - lp * ct) + i128::from(d.min(100)) * lp * ct >= 0
}

fn ids(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|i| format!("ev-{i:04}")).collect()
}

fn report(version: &str, score: Score, failed: &[&str]) -> EvalReport {
    report_on(version, score, failed, ids(0..score.total))
}

fn report_on(version: &str, score: Score, failed: &[&str], cases: Vec<String>) -> EvalReport {
    EvalReport {
        version: version.to_string(),
        score,
        by_topic: Default::default(),
        failed_regressions: failed.iter().map(|f| f.to_string()).collect(),
        cases,
    }
}

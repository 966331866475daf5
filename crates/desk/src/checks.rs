//! The lab checks of M32. Each check tries fixed cases first and then seeded
//! random ones, with the expected answer worked out here by an independent
//! oracle (never by the reference solution).
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions; the check binary
//! (`src/bin/checks-m32`) only installs the learner's steps and runs them
//! (see `labkit::steps`).
//!
//! This file holds the table and the helpers several checks share; the
//! check bodies live in one file per learner file (`correlation`, `triage`:
//! `starters/m32/<name>.rs`), and `story` holds the trace check, which replays
//! every step. A check function is named for what must hold; its id gives its place.

mod correlation;
mod story;
mod triage;

use crate::edits;
use crate::{Category, OpenIncident};
use chrono::{DateTime, TimeDelta, Utc};
use labkit::{Check, CheckKind, Plan, SimClock};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m32.a.1",
        part: "A",
        guide_step: "fingerprint",
        kind: CheckKind::Step,
        title: "the fingerprint is Prometheus's FNV-1a hash of the sorted labels",
        points: 2,
        plan: Plan::core(4),
        hint: "FNV-1a: XOR the byte in, then multiply (wrapping). Every name and every value is followed by the separator byte, in sorted label order.",
        edit: Some(edits::FINGERPRINT),
        run: correlation::fingerprint_matches_prometheus,
    },
    Check {
        id: "m32.a.2",
        part: "A",
        guide_step: "dedup",
        kind: CheckKind::Step,
        title: "records with the same labels fold into one alert, as Alertmanager stores them",
        points: 2,
        plan: Plan::core(6),
        hint: "A repeat merges only when its span overlaps the stored one strictly (touching is not overlapping): the earlier start, and the end with_winning_end gives. Otherwise it replaces the stored alert, start and all. The first known deploy stays either way.",
        edit: Some(edits::DEDUP),
        run: correlation::dedup_folds_repeats,
    },
    Check {
        id: "m32.a.3",
        part: "A",
        guide_step: "group_key",
        kind: CheckKind::Step,
        title: "group keys: the group_by labels an alert has; `...` means all",
        points: 2,
        plan: Plan::core(4),
        hint: "Alertmanager leaves a label the alert lacks out of the key, and reads `...` as every label; a key is a set of labels, so order and repeats in group_by do not matter.",
        edit: Some(edits::GROUP_KEY),
        run: correlation::group_key_takes_the_group_by_labels,
    },
    Check {
        id: "m32.a.4",
        part: "A",
        guide_step: "inhibits",
        kind: CheckKind::Step,
        title: "inhibition: source, target, equal labels and the edge cases",
        points: 3,
        plan: Plan::core(6),
        hint: "Four conditions and two exceptions: a resolved source mutes nothing, and two alerts that each match both sides never mute each other.",
        edit: Some(edits::INHIBITS),
        run: correlation::inhibition_needs_source_target_and_equal_labels,
    },
    Check {
        id: "m32.a.5",
        part: "A",
        guide_step: "probable_cause",
        kind: CheckKind::Step,
        title: "the probable cause is upstream of the most alerting services",
        points: 3,
        plan: Plan::after_class(10),
        hint: "A service explains itself and every alerting service that depends on it. Most explained wins; on a tie, the clock decides (who alerted first).",
        edit: Some(edits::PROBABLE_CAUSE),
        run: correlation::probable_cause_is_upstream,
    },
    Check {
        id: "m32.a.6",
        part: "A",
        guide_step: "storm",
        kind: CheckKind::Story,
        title: "the 43-record storm correlates into 3 incidents, the deploy blamed",
        points: 2,
        plan: Plan::after_class(2),
        hint: "This runs all of Part A together through desk::correlate; fix the earlier checks first.",
        edit: None,
        run: correlation::storm_becomes_three_incidents,
    },
    Check {
        id: "m32.b.1",
        part: "B",
        guide_step: "classify",
        kind: CheckKind::Step,
        title: "tickets are classified by the keywords they contain",
        points: 2,
        plan: Plan::core(5),
        hint: "Collect the category's phrases that occur in the lowercased text; replace the best only with strictly more, so the earlier in KEYWORDS keeps a tie (not the order Category declares); nothing found means Other.",
        edit: Some(edits::CLASSIFY),
        run: triage::tickets_are_classified_by_keywords,
    },
    Check {
        id: "m32.b.2",
        part: "B",
        guide_step: "assess",
        kind: CheckKind::Step,
        title: "impact from people affected, urgency from blocked work",
        points: 2,
        plan: Plan::core(4),
        hint: "Impact is how widely it hurts (MANY_USERS, SOME_USERS); urgency is how soon (blocked? any workaround?). Mind the boundaries.",
        edit: Some(edits::ASSESS),
        run: triage::impact_and_urgency_follow_the_ticket,
    },
    Check {
        id: "m32.b.3",
        part: "B",
        guide_step: "priority",
        kind: CheckKind::Step,
        title: "priority follows the ITIL impact x urgency matrix",
        points: 1,
        plan: Plan::core(3),
        hint: "Impact and urgency each run from 1 (high) to 3 (low); the matrix adds them up and starts at 1.",
        edit: Some(edits::PRIORITY),
        run: triage::priority_follows_the_matrix,
    },
    Check {
        id: "m32.b.4",
        part: "B",
        guide_step: "route",
        kind: CheckKind::Step,
        title: "urgent service problems page on-call, the rest go to their owner",
        points: 2,
        plan: Plan::core(2),
        hint: "Page versus ticket: only a service problem at P1 or P2 wakes someone up. Category::is_service_problem and Queue::owner do the rest.",
        edit: Some(edits::ROUTE),
        run: triage::urgent_problems_page_on_call,
    },
    Check {
        id: "m32.b.5",
        part: "B",
        guide_step: "find_incident",
        kind: CheckKind::Step,
        title: "tickets link to the incident they describe: open, or resolved within 30 minutes",
        points: 3,
        plan: Plan::core(6),
        hint: "Three tests, all needed: time (with the grace on both sides), service (a ticket naming none fits any), symptom. The most recently opened fit wins.",
        edit: Some(edits::FIND_INCIDENT),
        run: triage::tickets_link_to_their_incident,
    },
    Check {
        id: "m32.b.6",
        part: "B",
        guide_step: "trace",
        kind: CheckKind::Story,
        title: "your M32 trace matches the reference trace",
        points: 2,
        plan: Plan::after_class(2),
        hint: "Every line comes from your functions; the first differing line points at the step to revisit.",
        edit: None,
        run: story::trace_matches_snapshot,
    },
];

// ---------- helpers ----------

fn t0() -> DateTime<Utc> {
    SimClock::course_epoch()
}

fn mins(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

fn incident(
    id: &str,
    services: &[&str],
    symptoms: &[Category],
    opened: i64,
    resolved: Option<i64>,
) -> OpenIncident {
    OpenIncident {
        id: id.to_string(),
        services: services.iter().map(|s| s.to_string()).collect(),
        symptoms: symptoms.iter().copied().collect(),
        cause: None,
        opened_at: t0() + mins(opened),
        resolved_at: resolved.map(|r| t0() + mins(r)),
        tickets: Vec::new(),
        opened_by_ticket: false,
    }
}

/// What `find_incident` answered, with the incident's id beside its index:
/// `Some(2) = INC-3`.
fn which(incidents: &[OpenIncident], found: Option<usize>) -> String {
    match found {
        None => "None (no incident fits)".to_string(),
        Some(i) => match incidents.get(i) {
            Some(inc) => format!("Some({i}) = {}", inc.id),
            None => format!("Some({i}), past the end of {} incidents", incidents.len()),
        },
    }
}

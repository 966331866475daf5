//! The lab checks of M34, in guide order. Part A: run the shift (the play,
//! the regression case, the trace). Part B: the gate (its assertions, its
//! exit code, the break-on-purpose scenarios). X: the stale-index outage.
//!
//! They live in the library, compiled once; the check binary
//! (`src/bin/checks-m34`) installs the learner's steps and runs them (see
//! `labkit::steps`).
//!
//! This file holds the table and the helpers several checks share; the
//! check bodies live in one file per learner file (`mitigate`, `learn`, `gate`,
//! `stale`: `starters/m34/<name>.rs`), and `story` holds the trace check, which
//! replays the whole shift. A check function is named for what must hold; its
//! id gives its place.

mod gate;
mod learn;
mod mitigate;
mod stale;
mod story;

use crate::edits;
use labkit::{Check, CheckKind, Plan, SimClock, SimRng};
use release_ops::Topic;

pub const CHECKS: &[Check] = &[
    Check {
        id: "m34.a.1",
        part: "A",
        guide_step: "execute_play",
        kind: CheckKind::Step,
        title: "a rollback play runs the release manager's rollback; plays for people are refused",
        points: 3,
        plan: Plan::core(6),
        hint: "A play is data (M31); release-ops (M33) knows how to roll back. Match on the play and let the module that owns the system act.",
        edit: Some(edits::EXECUTE_PLAY),
        run: mitigate::rollback_play_runs_the_manager,
    },
    Check {
        id: "m34.a.2",
        part: "A",
        guide_step: "execute_play",
        kind: CheckKind::Step,
        title: "a rollback that never goes green is not a mitigation",
        points: 2,
        plan: Plan::core(2),
        hint: "Checklist step 6: watch for green against the exit targets. A rollback report says whether it recovered.",
        edit: Some(edits::EXECUTE_PLAY),
        run: mitigate::rollback_never_green_is_no_mitigation,
    },
    Check {
        id: "m34.a.3",
        part: "A",
        guide_step: "to_release_case",
        kind: CheckKind::Step,
        title: "the postmortem's case becomes a release-gate regression case of the same question",
        points: 3,
        plan: Plan::core(7),
        hint: "The eval case must be the *same question* to every release: same text, same key (a hash of the text), the right topic, marked as a regression.",
        edit: Some(edits::TO_RELEASE_CASE),
        run: learn::postmortem_case_gates_the_release,
    },
    Check {
        id: "m34.a.4",
        part: "A",
        guide_step: "trace",
        kind: CheckKind::Story,
        title: "your shift's trace matches the reference trace",
        points: 2,
        plan: Plan::core(5),
        hint: "Run `cargo xtask story m34` (add --reference-parts as for the lab) and compare stage by stage with the reference; the first differing line names the module that acted differently.",
        edit: None,
        run: story::trace_matches_snapshot,
    },
    Check {
        id: "m34.b.1",
        part: "B",
        guide_step: "assert_intake_and_detect",
        kind: CheckKind::Step,
        title: "storm reduced, page at SEV-1, ticket routed and linked: pass and fail for the right reasons",
        points: 3,
        plan: Plan::core(9),
        hint: "Read the report's numbers, not the trace: records per incident, the page's notification and severity, the ticket's queue, priority and linked incident.",
        edit: Some(edits::ASSERT_INTAKE_AND_DETECT),
        run: gate::intake_and_detect_fail_for_the_right_reasons,
    },
    Check {
        id: "m34.b.2",
        part: "B",
        guide_step: "assert_recovery",
        kind: CheckKind::Step,
        title: "resolved, SLI recovered, regression case catches the bad release, fix promoted",
        points: 3,
        plan: Plan::core(11),
        hint: "A regression case proves something only if the bad release fails it and last-good passes it; a fix is promoted only if it is live and verified.",
        edit: Some(edits::ASSERT_RECOVERY),
        run: gate::recovery_fails_for_the_right_reasons,
    },
    Check {
        id: "m34.b.3",
        part: "B",
        guide_step: "gate_exit_code",
        kind: CheckKind::Step,
        title: "the gate exits non-zero when any assertion fails",
        points: 2,
        plan: Plan::core(2),
        hint: "CI trusts exit codes: zero means every assertion held, and a gate that judged nothing proved nothing.",
        edit: Some(edits::GATE_EXIT_CODE),
        run: gate::gate_exits_non_zero_on_failure,
    },
    Check {
        id: "m34.b.4",
        part: "B",
        guide_step: "break it on purpose",
        kind: CheckKind::Story,
        title: "each break-on-purpose scenario turns exactly its assertions red, and live stays safe",
        points: 4,
        plan: Plan::after_class(9),
        hint: "Your gate (B1, B2) is held to each scenario's table in the guide. Predict, then run `cargo xtask evals --mine --reference-parts --scenario <name>` (drop --reference-parts on your own M31-M33) and read which stage refused and why.",
        edit: None,
        run: gate::each_scenario_breaks_its_assertions,
    },
    Check {
        id: "m34.x.1",
        part: "X",
        guide_step: "stale_index_fixed",
        kind: CheckKind::Step,
        title: "the stale-index eval check passes only a re-index of exactly the changed documents",
        points: 2,
        plan: Plan::after_class(13),
        hint: "Write the check first: what would prove a stale index was fixed, and not rebuilt, rolled back or half done?",
        edit: Some(edits::STALE_INDEX_FIXED),
        run: stale::stale_check_passes_an_exact_reindex,
    },
    Check {
        id: "m34.x.2",
        part: "X",
        guide_step: "reindex_stale",
        kind: CheckKind::Step,
        title: "the re-index play embeds only what changed and moves the release manager to the new index",
        points: 2,
        plan: Plan::after_class(9),
        hint: "M33's sync re-embeds only changed documents; the cache keys include the index hash, so the manager must learn the new hash and rotate.",
        edit: Some(edits::REINDEX_STALE),
        run: stale::reindex_embeds_only_what_changed,
    },
    Check {
        id: "m34.x.3",
        part: "X",
        guide_step: "reindex_stale",
        kind: CheckKind::Step,
        title: "the stale-index outage resolves by re-indexing and the gate stays green with eight assertions",
        points: 2,
        plan: Plan::after_class(2),
        hint: "The runbook for stale_index starts with a re-index; `execute_play` must dispatch it.",
        edit: Some(edits::REINDEX_STALE),
        run: stale::stale_outage_resolves_green,
    },
];

fn t0() -> chrono::DateTime<chrono::Utc> {
    SimClock::course_epoch()
}

fn question(rng: &mut SimRng, topic: Topic) -> (String, String) {
    let a = rng.between(2, 40);
    let b = rng.between(2, 40);
    match topic {
        Topic::Refunds => (
            format!("An order of ${} is returned on day {b}; returns close after 30 days and cost 10%. Refund?", a * 10),
            format!("${}", if b <= 30 { a * 10 - a } else { 0 }),
        ),
        Topic::Billing => (format!("A plan costs ${a} a month. What do {b} months cost?"), format!("${}", a * b)),
        Topic::Shipping => (format!("A {a} kg parcel ships at ${b}/kg, free above 20 kg. Cost?"), "$0".into()),
        Topic::Account => (format!("A password set {a} days ago expires after 90 days. Days left?"), format!("{}", 90 - a)),
        Topic::Security => (format!("An API key is {a} days old and rotates every {b} days. Days to the next rotation?"), "1".into()),
    }
}

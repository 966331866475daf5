//! The lab checks of M31, in guide order. Each check mixes fixed cases (the
//! worked numbers of the notes) with seeded random ones, and computes the
//! expected answers itself, so that no constant can pass.
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions and methods; the check binary
//! (`src/bin/checks-m31`) only installs the learner's steps and runs them
//! (see `labkit::steps`).
//!
//! This file holds the table; the check bodies live in one file per
//! learner file (`budget`, `paging`, `respond`, `learn`: `starters/m31/<name>.rs`),
//! and `story` holds the trace check, which replays every step. A check
//! function is named for what must hold; its id gives its place.

mod budget;
mod learn;
mod paging;
mod respond;
mod story;

use crate::burn::{BurnPolicy, BurnTier, Notification};
use crate::edits;
use crate::exact::Rate;
use crate::window::{days, hours, minutes};
use crate::Slo;
use chrono::TimeDelta;
use labkit::{Check, CheckKind, Plan, SimRng};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m31.a.1",
        part: "A",
        guide_step: "sli",
        kind: CheckKind::Step,
        title: "the SLI is good over valid events, and no traffic is no data",
        points: 2,
        plan: Plan::core(3),
        hint: "Valid events are the good ones plus the bad ones. A window with no valid events has no ratio at all: return None rather than dividing by zero.",
        edit: Some(edits::SLI),
        run: budget::sli_counts_only_valid_events,
    },
    Check {
        id: "m31.a.2",
        part: "A",
        guide_step: "burn_rate",
        kind: CheckKind::Step,
        title: "burn rate is the error ratio over the error budget",
        points: 2,
        plan: Plan::core(2),
        hint: "The budget is the share of events the SLO allows to fail (1 − target). Burn compares what failed with that share; a burn of 1 spends exactly the budget over the period.",
        edit: Some(edits::BURN_RATE),
        run: budget::burn_rate_matches_definition,
    },
    Check {
        id: "m31.a.3",
        part: "A",
        guide_step: "budget_spent",
        kind: CheckKind::Step,
        title: "a burn held for a while spends burn × duration / period of the budget",
        points: 2,
        plan: Plan::core(3),
        hint: "A burn of 1 held for the whole SLO period spends the whole budget. Scale by how much of the period the duration covers (compare both in the same unit).",
        edit: Some(edits::BUDGET_SPENT),
        run: budget::budget_spent_is_a_share_of_the_period,
    },
    Check {
        id: "m31.a.4",
        part: "A",
        guide_step: "tier_fires",
        kind: CheckKind::Step,
        title: "a tier fires only when both windows burn strictly above its threshold",
        points: 3,
        plan: Plan::core(3),
        hint: "Both windows must exceed the threshold: the long one says the damage is real, the short one that it is still happening. Exactly at the threshold is not above it, and a window without data cannot exceed anything.",
        edit: Some(edits::TIER_FIRES),
        run: paging::tier_fires_at_the_boundaries,
    },
    Check {
        id: "m31.a.5",
        part: "A",
        guide_step: "evaluate",
        kind: CheckKind::Step,
        title: "evaluating a policy sends one notification, prefers a page, and tells quiet from no data",
        points: 4,
        plan: Plan::core(7),
        hint: "Judge every tier in policy order. When several fire it is one problem: send one notification, a page before a ticket, the earliest tier first. Quiet means at least one tier could be judged; no data means none could.",
        edit: Some(edits::EVALUATE),
        run: paging::evaluate_sends_one_notification,
    },
    Check {
        id: "m31.b.1",
        part: "B",
        guide_step: "severity_for",
        kind: CheckKind::Step,
        title: "the fastest page is SEV-1, slower pages SEV-2, tickets SEV-3 and SEV-4",
        points: 2,
        plan: Plan::core(4),
        hint: "Look at two things of the alert: whether it pages or tickets, and its rank among the tiers of that kind (0 is the most urgent).",
        edit: Some(edits::SEVERITY_FOR),
        run: respond::severity_follows_the_alert,
    },
    Check {
        id: "m31.b.2",
        part: "B",
        guide_step: "transition",
        kind: CheckKind::Step,
        title: "the lifecycle moves one step at a time, forward in time, and records each step",
        points: 4,
        plan: Plan::core(6),
        hint: "Status::next() is the only legal move. Check everything before changing anything, so a refused move leaves the incident exactly as it was; an accepted one records its timeline entry first (the one call that can still be refused), then stamps its time, then sets the status.",
        edit: Some(edits::TRANSITION),
        run: respond::lifecycle_is_enforced,
    },
    Check {
        id: "m31.b.3",
        part: "B",
        guide_step: "first_play",
        kind: CheckKind::Step,
        title: "the first play is the fastest safe mitigation",
        points: 2,
        plan: Plan::core(4),
        hint: "Skip steps that diagnose or repair and steps that are not safe; among the rest take the quickest, and on a tie the one written first.",
        edit: Some(edits::FIRST_PLAY),
        run: respond::first_play_is_fastest_safe_mitigation,
    },
    Check {
        id: "m31.b.4",
        part: "B",
        guide_step: "lint_blame",
        kind: CheckKind::Step,
        title: "the blamelessness lint flags blaming phrases and a person before a blaming verb",
        points: 3,
        plan: Plan::after_class(7),
        hint: "Work line by line over words(line). Phrases may match at any word; a blaming verb only counts when the word just before it is a person. Number lines from 1.",
        edit: Some(edits::LINT_BLAME),
        run: learn::lint_flags_blame,
    },
    Check {
        id: "m31.b.5",
        part: "B",
        guide_step: "to_eval_case",
        kind: CheckKind::Step,
        title: "a postmortem becomes a regression case that fails the bad answer",
        points: 3,
        plan: Plan::core(5),
        hint: "The case replays the exact question users asked: it expects the right answer and forbids the bad one, and it remembers which incident it came from.",
        edit: Some(edits::TO_EVAL_CASE),
        run: learn::postmortem_becomes_eval_case,
    },
    Check {
        id: "m31.b.6",
        part: "B",
        guide_step: "trace",
        kind: CheckKind::Story,
        title: "your bad-hour trace matches the reference trace",
        points: 3,
        plan: Plan::after_class(3),
        hint: "Read the diff from the top: the first line that differs comes from the step whose output differs. Print your whole trace with `cargo run -q -p incident --example story-incident`.",
        edit: None,
        run: story::trace_matches_snapshot,
    },
];

fn slo(target: f64, period: TimeDelta) -> Result<Slo, String> {
    Slo::new("check", target, period).map_err(|e| e.to_string())
}

fn rate(x: f64) -> Option<Rate> {
    Rate::from_f64(x)
}

fn random_policy(rng: &mut SimRng) -> Result<BurnPolicy, String> {
    let n = rng.between(1, 5);
    let mut tiers = Vec::new();
    for i in 0..n {
        let long = hours(rng.between(1, 72) as i64);
        let short = minutes(rng.between(1, 59) as i64);
        let notification = if rng.chance(0.5) {
            Notification::Page
        } else {
            Notification::Ticket
        };
        tiers.push(BurnTier::new(
            &format!("t{i}"),
            long,
            short,
            0.5 + rng.unit() * 15.0,
            notification,
        ));
    }
    BurnPolicy::new(days(30), tiers).map_err(|e| e.to_string())
}

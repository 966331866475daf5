//! The lab checks of M34, in guide order. Part A: run the shift (the play,
//! the regression case, the trace). Part B: the gate (its assertions, its
//! exit code, the break-on-purpose scenarios). X: the stale-index outage.
//!
//! They live in the library, compiled once; the check binary
//! (`src/bin/checks-m34`) installs the learner's steps and runs them (see
//! `labkit::steps`).

use crate::assertion::{Assertion, AssertionId};
use crate::cases::question_key;
use crate::edits;
use crate::extension::{self, StaleReport};
use crate::ops::{index_hash, knowledge_base, Mitigation, Operations, Reindex};
use crate::shift_report::{
    CanaryOutcome, IncidentOutcome, PageOutcome, ShiftReport, TicketOutcome,
};
use crate::{shift, Scenario, ShiftError};
use chrono::TimeDelta;
use desk::{Category, Queue};
use incident::{IncidentKind, Notification, Play, RegressionCase, Severity, Status};
use index_ops::{Index, SyncReport};
use labkit::{ensure, ensure_eq, Check, CheckResult, Plan, SimClock, SimRng};
use release_ops::registry::{ReleaseSpec, BUILD_EVAL_SEED, BUILD_EVAL_SIZE};
use release_ops::{
    ChecklistStep, Decision, EvalCase, EvalSet, Registry, ReleaseError, ReleaseManager, Score,
    SimModel, Topic,
};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m34.a.1",
        part: "A",
        guide_step: "execute_play",
        title: "a rollback play runs the release manager's rollback; plays for people are refused",
        points: 3,
        plan: Plan::core(4),
        hint: "A play is data (M31); release-ops (M33) knows how to roll back. Match on the play and let the module that owns the system act.",
        edit: Some(edits::EXECUTE_PLAY),
        run: rollback_play,
    },
    Check {
        id: "m34.a.2",
        part: "A",
        guide_step: "execute_play",
        title: "a rollback that never goes green is not a mitigation",
        points: 2,
        plan: Plan::core(2),
        hint: "Checklist step 7: watch for green against the exit targets. A rollback report says whether it recovered.",
        edit: Some(edits::EXECUTE_PLAY),
        run: rollback_not_green,
    },
    Check {
        id: "m34.a.3",
        part: "A",
        guide_step: "to_release_case",
        title: "the postmortem's case becomes a release-gate regression case of the same question",
        points: 3,
        plan: Plan::core(5),
        hint: "The eval case must be the *same question* to every release: same text, same key (a hash of the text), the right topic, marked as a regression.",
        edit: Some(edits::TO_RELEASE_CASE),
        run: release_case,
    },
    Check {
        id: "m34.a.4",
        part: "A",
        guide_step: "trace",
        title: "your shift's trace matches the reference trace",
        points: 2,
        plan: Plan::core(5),
        hint: "Run `cargo run -p capstone --bin drill` and compare stage by stage with the reference; the first differing line names the module that acted differently.",
        edit: None,
        run: shift_trace,
    },
    Check {
        id: "m34.b.1",
        part: "B",
        guide_step: "assert_intake_and_detect",
        title: "storm reduced, page at SEV-1, ticket routed and linked: pass and fail for the right reasons",
        points: 3,
        plan: Plan::core(7),
        hint: "Read the report's numbers, not the trace: records per incident, the page's notification and severity, the ticket's queue, priority and linked incident.",
        edit: Some(edits::ASSERT_INTAKE_AND_DETECT),
        run: intake_and_detect,
    },
    Check {
        id: "m34.b.2",
        part: "B",
        guide_step: "assert_recovery",
        title: "resolved, SLI recovered, regression case catches the bad release, fix promoted",
        points: 3,
        plan: Plan::core(8),
        hint: "A regression case proves something only if the bad release fails it and last-good passes it; a fix is promoted only if it is live and verified.",
        edit: Some(edits::ASSERT_RECOVERY),
        run: recovery,
    },
    Check {
        id: "m34.b.3",
        part: "B",
        guide_step: "gate_exit_code",
        title: "the gate exits non-zero when any assertion fails",
        points: 2,
        plan: Plan::core(2),
        hint: "CI trusts exit codes: zero means every assertion held, and a gate that judged nothing proved nothing.",
        edit: Some(edits::GATE_EXIT_CODE),
        run: exit_code,
    },
    Check {
        id: "m34.b.4",
        part: "B",
        guide_step: "break it on purpose",
        title: "each break-on-purpose scenario turns exactly its assertions red, and live stays safe",
        points: 4,
        plan: Plan::core(6),
        hint: "Run `cargo run -p capstone --bin evals -- --scenario <name>` for each scenario and read which stage refused and why.",
        edit: Some(edits::ASSERT_RECOVERY),
        run: scenarios,
    },
    Check {
        id: "m34.x.1",
        part: "X",
        guide_step: "stale_index_fixed",
        title: "the stale-index eval check passes only a re-index of exactly the changed documents",
        points: 2,
        plan: Plan::after_class(10),
        hint: "Write the check first: what would prove a stale index was fixed, and not rebuilt, rolled back or half done?",
        edit: Some(edits::STALE_INDEX_FIXED),
        run: stale_check,
    },
    Check {
        id: "m34.x.2",
        part: "X",
        guide_step: "reindex_stale",
        title: "the re-index play embeds only what changed and moves the release manager to the new index",
        points: 2,
        plan: Plan::after_class(6),
        hint: "M33's sync re-embeds only changed documents; the cache keys include the index hash, so the manager must learn the new hash and rotate.",
        edit: Some(edits::REINDEX_STALE),
        run: reindex,
    },
    Check {
        id: "m34.x.3",
        part: "X",
        guide_step: "reindex_stale",
        title: "the stale-index outage resolves by re-indexing and the gate stays green with eight assertions",
        points: 2,
        plan: Plan::after_class(2),
        hint: "The runbook for stale_index starts with a re-index; `execute_play` must dispatch it.",
        edit: Some(edits::REINDEX_STALE),
        run: extension_green,
    },
];

fn t0() -> chrono::DateTime<chrono::Utc> {
    SimClock::course_epoch()
}

fn ops_with(releases: ReleaseManager) -> Operations {
    Operations {
        releases,
        index: Index::new("docs_vA"),
        sources: Vec::new(),
    }
}

fn rollback_play() -> CheckResult {
    // People's plays first: they must never touch a system.
    let mut rng = SimRng::seed(341);
    let course = || ReleaseManager::course(EvalSet::generate(1, 40), "idx-test");
    let mut ops = ops_with(course().map_err(|e| e.to_string())?);
    for play in [
        Play::PatchLiveConfig,
        Play::DiffAgainstLastGood,
        Play::CaptureState,
        Play::InspectSyncJob,
    ] {
        let got = crate::execute_play(play, &mut ops, t0());
        ensure!(
            matches!(got, Err(ShiftError::PlayNotAutomated(p)) if p == play),
            "play {play} is for a person: expected ShiftError::PlayNotAutomated, got {}",
            outcome(&got)
        );
        ensure_eq!(
            ops.releases.live(),
            Some("v1"),
            "a refused play changed live"
        );
    }
    for _ in 0..6 {
        let bad = *rng.pick(&["v2", "v3"]).unwrap_or(&"v2");
        let mut m = course().map_err(|e| e.to_string())?;
        m.deploy(bad).map_err(|e| e.to_string())?;
        let mut ops = ops_with(m);
        let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0())
            .map_err(|e| format!("rollback of {bad} refused: {e}"))?;
        let r = match got {
            Mitigation::Rollback(r) => r,
            other => {
                return Err(format!(
                    "expected Mitigation::Rollback, got {}",
                    outcome(&Ok(other))
                ))
            }
        };
        ensure_eq!(
            (r.from.as_str(), r.to.as_str()),
            (bad, "v1"),
            "the rollback (from, to)"
        );
        ensure!(
            r.recovered(),
            "the rollback report does not say it recovered"
        );
        ensure_eq!(ops.releases.live(), Some("v1"), "live after the rollback");
        ensure!(!ops.releases.writers_frozen(), "writers were left frozen");
    }
    // Nothing to roll back to: refused, and nothing changed.
    let mut m = ReleaseManager::new(Registry::course(), EvalSet::generate(2, 40), "idx-test");
    m.install_first("v2").map_err(|e| e.to_string())?;
    let mut ops = ops_with(m);
    let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0());
    ensure!(
        matches!(
            got,
            Err(ShiftError::Release(ReleaseError::NoRollbackTarget))
        ),
        "with no last-good release: expected the release manager's NoRollbackTarget, got {}",
        outcome(&got)
    );
    ensure_eq!(
        ops.releases.live(),
        Some("v2"),
        "a refused rollback changed live"
    );
    Ok(())
}

/// What `execute_play` returned, in the fields a check judges (a rollback's
/// whole report is a page of `Debug`): for a rollback, from and to, whether
/// it recovered, whether writers are still frozen at its end, and its steps.
fn outcome(got: &Result<Mitigation, ShiftError>) -> String {
    match got {
        Ok(Mitigation::Rollback(r)) => format!(
            "Ok(Mitigation::Rollback {{ from: {:?}, to: {:?}, recovered: {}, steps: [{}] }})",
            r.from,
            r.to,
            r.recovered(),
            r.kinds().join(", ")
        ),
        Ok(m @ Mitigation::Reindex(_)) => format!("Ok(Mitigation::Reindex: {})", m.summary()),
        Err(e) => format!("Err({e:?}): {e}"),
    }
}

fn rollback_not_green() -> CheckResult {
    // A last-good release whose own bad rate is above the exit target: the
    // watch never goes green.
    let mut registry = Registry::course();
    let mut m = SimModel::v1();
    m.version = "v0".into();
    m.serving.bad_ppm = 9_000;
    let build = EvalSet::generate(BUILD_EVAL_SEED, BUILD_EVAL_SIZE);
    registry
        .publish(ReleaseSpec::for_model(m, 100, "p6"), &build)
        .map_err(|e| e.to_string())?;
    let mut mgr = ReleaseManager::new(registry, EvalSet::generate(3, 40), "idx-test");
    mgr.install_first("v0").map_err(|e| e.to_string())?;
    mgr.deploy("v2").map_err(|e| e.to_string())?;
    let mut ops = ops_with(mgr);
    let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0());
    ensure!(
        matches!(&got, Err(ShiftError::NotGreen { to }) if to == "v0"),
        "a rollback to v0 that never met the exit targets must be ShiftError::NotGreen {{ to: \"v0\" }}, got {}",
        outcome(&got)
    );
    ensure!(
        ops.releases.writers_frozen(),
        "writers must stay frozen until green"
    );
    Ok(())
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

fn release_case() -> CheckResult {
    let mut rng = SimRng::seed(343);
    let v2 = SimModel::v2();
    for i in 0..30 {
        let topic = Topic::ALL[i % Topic::ALL.len()];
        let (q, expected) = question(&mut rng, topic);
        let rc = RegressionCase {
            id: format!("regression-inc-{i}"),
            input: q.clone(),
            expected: expected.clone(),
            forbidden: format!("{expected} (approx.)"),
            origin_incident: format!("INC-{i}"),
        };
        let got = crate::to_release_case(&rc).map_err(|e| format!("case {i}: {e}"))?;
        ensure_eq!(got.id, rc.id, "id");
        ensure_eq!(got.question, q, "question");
        ensure_eq!(got.expected, expected, "expected answer");
        ensure_eq!(got.topic, topic, "topic of \"{q}\"");
        ensure!(
            got.regression,
            "the case must be marked as a regression case"
        );
        ensure_eq!(got.key, question_key(&q), "key of \"{q}\"");
        // The same question asked in production: every release answers it the same way.
        let mut prod = EvalCase::refund("prod", 10, 1, question_key(&q));
        prod.topic = topic;
        ensure_eq!(
            v2.misses(&got),
            v2.misses(&prod),
            "v2 must answer the case as it answered users"
        );
    }
    let empty = RegressionCase {
        id: "regression-inc-x".into(),
        input: " ".into(),
        expected: "$1".into(),
        forbidden: "$2".into(),
        origin_incident: "INC-x".into(),
    };
    let got = crate::to_release_case(&empty);
    ensure!(
        matches!(&got, Err(ShiftError::EmptyCase(id)) if id == "regression-inc-x"),
        "an empty question: expected ShiftError::EmptyCase, got {got:?}"
    );
    let odd = RegressionCase {
        input: "What is the weather in Lisbon?".into(),
        ..empty
    };
    let got = crate::to_release_case(&odd);
    ensure!(
        matches!(got, Err(ShiftError::UnknownTopic(_))),
        "a question of no topic: expected ShiftError::UnknownTopic, got {got:?}"
    );
    Ok(())
}

fn shift_trace() -> CheckResult {
    let s = shift::run(shift::SEED, Scenario::Clean);
    labkit::check::compare_with_snapshot(
        &s.trace.to_text(),
        include_str!("../tests/snapshots/trace__shift.snap"),
    )?;
    // The same shift, diagnosed on shipping questions: its regression case
    // must be about what its question is about.
    let s = shift::run_with_example_about(shift::SEED, Scenario::Clean, Topic::Shipping);
    let case = s.report.regression_case.as_ref().ok_or_else(|| {
        "the shift whose failing example is a shipping question left no regression case".to_string()
    })?;
    ensure_eq!(
        case.topic,
        Topic::Shipping,
        "the topic of the regression case made from the shipping question \"{}\"",
        case.question
    );
    let g = shift::gate(&s.report);
    ensure_eq!(
        g.failed(),
        Vec::<AssertionId>::new(),
        "the red assertions of the shift whose failing example is a shipping question"
    );
    Ok(())
}

/// A report of a shift that went right, built by hand.
fn good_report() -> ShiftReport {
    let mut r = ShiftReport::new(1, Scenario::Clean);
    r.bad_release = "v2".into();
    r.fix_release = "v3".into();
    r.alerts_in = 43;
    r.alerts_distinct = 13;
    r.incidents_out = 3;
    r.reduction_ratio = 43.0 / 3.0;
    r.deploy_id = "rel-abcde".into();
    r.deploy_incident = Some("INC-2".into());
    r.ticket = Some(TicketOutcome {
        id: "T-1001".into(),
        category: Category::Quality,
        priority: 2,
        priority_label: "P2 High".into(),
        queue: Queue::SreOncall,
        incident: "INC-2".into(),
        linked: true,
        resolved: true,
    });
    r.sli_before = Some(0.8);
    r.burn = Some(20.0);
    r.page = Some(PageOutcome {
        tier: "page-1h".into(),
        notification: Notification::Page,
        severity: Severity::Sev1,
        at: t0(),
        long_burn: 14.7,
        short_burn: 20.0,
    });
    r.incident = Some(IncidentOutcome {
        id: "INC-2".into(),
        kind: IncidentKind::BadRelease,
        severity: Severity::Sev1,
        status: Status::Resolved,
        opened_at: t0(),
        mitigated_at: Some(t0() + TimeDelta::minutes(6)),
        tta: Some(TimeDelta::minutes(4)),
        ttm: Some(TimeDelta::minutes(10)),
        ttr: Some(TimeDelta::minutes(42)),
        tickets: vec!["T-1001".into()],
        alerts: 12,
        timeline: 8,
    });
    r.sli_after = Some(0.9992);
    let mut case = EvalCase::refund("regression-inc-2", 240, 12, 7);
    case.regression = true;
    r.regression_case = Some(case);
    r.bad_release_canary = Some(CanaryOutcome {
        candidate: "v2".into(),
        live: "v1".into(),
        decision: Decision::Rollback,
        live_score: Score::new(389, 401),
        candidate_score: Score::new(350, 401),
        reasons: vec!["regression case regression-inc-2 failed".into()],
        failed_regressions: vec!["regression-inc-2".into()],
    });
    r.last_good_passes_case = Some(true);
    r.fix_canary = Some(CanaryOutcome {
        candidate: "v3".into(),
        live: "v1".into(),
        decision: Decision::Promote,
        live_score: Score::new(389, 401),
        candidate_score: Score::new(397, 401),
        reasons: Vec::new(),
        failed_regressions: Vec::new(),
    });
    r.live_at_end = Some("v3".into());
    r.live_verified_at_end = true;
    r
}

type Mutation = (&'static str, AssertionId, fn(&mut ShiftReport, &mut SimRng));

const MUTATIONS: &[Mutation] = &[
    (
        "too few records per incident",
        AssertionId::StormReduced,
        |r, g| {
            r.incidents_out = 9 + g.below(20) as usize;
            r.reduction_ratio = r.alerts_in as f64 / r.incidents_out as f64;
        },
    ),
    (
        "no incident names the deploy",
        AssertionId::StormReduced,
        |r, _| r.deploy_incident = None,
    ),
    ("no page", AssertionId::PageSev1, |r, _| r.page = None),
    ("paged at SEV-2", AssertionId::PageSev1, |r, _| {
        if let Some(p) = r.page.as_mut() {
            p.severity = Severity::Sev2;
        }
    }),
    ("a ticket, not a page", AssertionId::PageSev1, |r, _| {
        if let Some(p) = r.page.as_mut() {
            p.notification = Notification::Ticket;
        }
    }),
    (
        "routed to the wrong queue",
        AssertionId::TicketRouted,
        |r, g| {
            if let Some(t) = r.ticket.as_mut() {
                t.queue = *g
                    .pick(&[Queue::AiQuality, Queue::Platform, Queue::ServiceDesk])
                    .unwrap_or(&Queue::Platform);
            }
        },
    ),
    (
        "priority too low for on-call",
        AssertionId::TicketRouted,
        |r, g| {
            if let Some(t) = r.ticket.as_mut() {
                t.priority = 3 + g.below(3) as u8;
            }
        },
    ),
    (
        "linked to another incident",
        AssertionId::TicketRouted,
        |r, g| {
            if let Some(t) = r.ticket.as_mut() {
                t.incident = format!("INC-{}", 3 + g.below(9));
            }
        },
    ),
    (
        "incident not resolved",
        AssertionId::IncidentResolved,
        |r, g| {
            if let Some(i) = r.incident.as_mut() {
                i.status = *g
                    .pick(&[Status::Open, Status::Acknowledged, Status::Mitigated])
                    .unwrap_or(&Status::Mitigated);
            }
        },
    ),
    ("SLI below the SLO", AssertionId::SliRecovered, |r, g| {
        r.sli_after = Some(0.9 + g.unit() * 0.0899)
    }),
    ("no SLI after", AssertionId::SliRecovered, |r, _| {
        r.sli_after = None
    }),
    (
        "the bad release passes the case",
        AssertionId::RegressionCatchesBadRelease,
        |r, _| {
            if let Some(c) = r.bad_release_canary.as_mut() {
                c.failed_regressions.clear();
            }
        },
    ),
    (
        "last-good fails the case",
        AssertionId::RegressionCatchesBadRelease,
        |r, _| r.last_good_passes_case = Some(false),
    ),
    (
        "no regression case",
        AssertionId::RegressionCatchesBadRelease,
        |r, _| r.regression_case = None,
    ),
    ("the fix was blocked", AssertionId::FixPromoted, |r, _| {
        if let Some(c) = r.fix_canary.as_mut() {
            c.decision = Decision::Rollback;
        }
    }),
    ("live is not the fix", AssertionId::FixPromoted, |r, _| {
        r.live_at_end = Some("v1".into())
    }),
    ("live unverified", AssertionId::FixPromoted, |r, _| {
        r.live_verified_at_end = false
    }),
    ("no fix canary", AssertionId::FixPromoted, |r, _| {
        r.fix_canary = None
    }),
];

fn judge(which: &[AssertionId], f: fn(&ShiftReport) -> Vec<Assertion>) -> CheckResult {
    let good = good_report();
    let got = f(&good);
    let ids: Vec<AssertionId> = got.iter().map(|a| a.check).collect();
    ensure_eq!(ids, which.to_vec(), "the assertions, in gate order");
    for a in &got {
        ensure!(
            a.passed,
            "on a shift that went right, {} failed: {}",
            a.check,
            a.why
        );
        ensure!(!a.why.trim().is_empty(), "{} gives no reason", a.check);
    }
    // Boundaries: exactly the minimum passes.
    let mut edge = good_report();
    edge.reduction_ratio = shift::MIN_REDUCTION;
    edge.sli_after = Some(0.99);
    ensure!(
        f(&edge).iter().all(|a| a.passed),
        "exactly {} records per incident and an SLI of exactly 99% must pass",
        shift::MIN_REDUCTION
    );
    let mut rng = SimRng::seed(344);
    let relevant: Vec<&Mutation> = MUTATIONS.iter().filter(|m| which.contains(&m.1)).collect();
    for m in &relevant {
        let mut r = good_report();
        (m.2)(&mut r, &mut rng);
        let got = f(&r);
        for a in &got {
            let should_pass = a.check != m.1;
            ensure!(
                a.passed == should_pass,
                "with {}: {} should {} (it said: {})",
                m.0,
                a.check,
                if should_pass { "pass" } else { "fail" },
                a.why
            );
            ensure!(!a.why.trim().is_empty(), "{} gives no reason", a.check);
        }
    }
    for _ in 0..40 {
        let mut r = good_report();
        let mut broken = Vec::new();
        let mut names = Vec::new();
        for m in &relevant {
            if rng.chance(0.3) {
                (m.2)(&mut r, &mut rng);
                broken.push(m.1);
                names.push(m.0);
            }
        }
        for a in f(&r) {
            ensure_eq!(
                a.passed,
                !broken.contains(&a.check),
                "with [{}]: {}",
                names.join(", "),
                a.check
            );
        }
    }
    Ok(())
}

fn intake_and_detect() -> CheckResult {
    judge(
        &[
            AssertionId::StormReduced,
            AssertionId::PageSev1,
            AssertionId::TicketRouted,
        ],
        crate::assert_intake_and_detect,
    )
}

fn recovery() -> CheckResult {
    judge(
        &[
            AssertionId::IncidentResolved,
            AssertionId::SliRecovered,
            AssertionId::RegressionCatchesBadRelease,
            AssertionId::FixPromoted,
        ],
        crate::assert_recovery,
    )
}

fn exit_code() -> CheckResult {
    let a = |ok: bool| Assertion::holds(AssertionId::PageSev1, ok, "x");
    ensure_eq!(crate::gate_exit_code(&[a(true), a(true)]), 0, "all pass");
    ensure_eq!(crate::gate_exit_code(&[a(true), a(false)]), 1, "one fails");
    ensure_eq!(crate::gate_exit_code(&[]), 1, "nothing judged");
    let mut rng = SimRng::seed(345);
    for _ in 0..200 {
        let n = 1 + rng.below(9) as usize;
        let v: Vec<Assertion> = (0..n).map(|_| a(!rng.chance(0.15))).collect();
        let expected = if v.iter().any(|x| !x.passed) { 1 } else { 0 };
        ensure_eq!(crate::gate_exit_code(&v), expected, "{n} assertions");
    }
    Ok(())
}

fn scenarios() -> CheckResult {
    use AssertionId::*;
    let cases: [(Scenario, &[AssertionId]); 6] = [
        (Scenario::Clean, &[]),
        (Scenario::FixReintroducesBug, &[FixPromoted]),
        (
            Scenario::NoRollbackTarget,
            &[
                IncidentResolved,
                SliRecovered,
                RegressionCatchesBadRelease,
                FixPromoted,
            ],
        ),
        (
            Scenario::StormDoesNotCorrelate,
            &[StormReduced, TicketRouted],
        ),
        (
            Scenario::WrongRegressionCase,
            &[RegressionCatchesBadRelease],
        ),
        (
            Scenario::PostmortemWithoutExample,
            &[RegressionCatchesBadRelease],
        ),
    ];
    for (i, (scenario, expected)) in cases.into_iter().enumerate() {
        let s = shift::run(shift::SEED, scenario);
        let g = shift::gate(&s.report);
        ensure_eq!(
            g.failed(),
            expected.to_vec(),
            "scenario {scenario}: the red assertions"
        );
        // The gate judges the numbers, not the scenario's name: the same
        // report under another scenario's label turns the same assertions red.
        let mut relabelled = s.report.clone();
        relabelled.scenario = cases[(i + 1) % cases.len()].0;
        ensure_eq!(
            shift::gate(&relabelled).failed(),
            expected.to_vec(),
            "the report of scenario {scenario} labelled as scenario {}: the red assertions (the gate reads the report's numbers, not its scenario)",
            relabelled.scenario
        );
        ensure_eq!(
            g.exit_code,
            u8::from(!expected.is_empty()),
            "scenario {scenario}: exit code"
        );
        ensure!(
            s.report.live_at_end.as_deref() != Some("v4"),
            "scenario {scenario}: a blocked build went live"
        );
    }
    Ok(())
}

fn reindex_report(changed: &[String], embedded: u64, updated: Vec<String>) -> Reindex {
    Reindex {
        sync: SyncReport {
            added: Vec::new(),
            updated,
            reredacted: Vec::new(),
            unchanged: 40 - changed.len(),
            deleted: Vec::new(),
        },
        embedded,
        index_hash_before: "idx-aaaaaaaa".into(),
        index_hash: "idx-bbbbbbbb".into(),
        cache: ChecklistStep::RotateCache {
            from: "cache/v1/p7/idx-aaaa/g1".into(),
            to: "cache/v1/p7/idx-bbbb/g2".into(),
        },
    }
}

fn stale_report(changed: Vec<String>) -> StaleReport {
    StaleReport {
        seed: 1,
        pages: 40,
        stale_before: changed.len(),
        mitigation: Some(Mitigation::Reindex(reindex_report(
            &changed,
            changed.len() as u64,
            changed.clone(),
        ))),
        changed_docs: changed,
        stale_after: 0,
        slo_target: 0.99,
        sli_before: Some(0.8),
        burn: Some(20.0),
        page: None,
        incident: None,
        play: Some(Play::ReindexChangedDocuments),
        sli_after: Some(0.999),
        live_before: Some("v1".into()),
        live_after: Some("v1".into()),
        halted: Vec::new(),
    }
}

fn stale_check() -> CheckResult {
    let mut rng = SimRng::seed(346);
    for round in 0..30 {
        let n = 1 + rng.below(10) as usize;
        let mut changed: Vec<String> = (0..n)
            .map(|i| format!("handbook/p-{:02}", i * 3 + round % 3))
            .collect();
        changed.sort();
        let good = stale_report(changed.clone());
        let a = crate::stale_index_fixed(&good);
        ensure_eq!(a.check, AssertionId::StaleIndexReindexed, "the check id");
        ensure!(
            a.passed,
            "a re-index of exactly the changed pages must pass: {}",
            a.why
        );
        let which = rng.below(6);
        let mut bad = good.clone();
        let what = match which {
            0 => {
                bad.mitigation = Some(Mitigation::Rollback(release_ops::RollbackReport {
                    from: "v2".into(),
                    to: "v1".into(),
                    steps: Vec::new(),
                }));
                "a rollback instead of a re-index"
            }
            1 => {
                let mut fewer = changed.clone();
                fewer.pop();
                bad.mitigation = Some(Mitigation::Reindex(reindex_report(
                    &changed,
                    fewer.len() as u64,
                    fewer,
                )));
                "a re-index that missed a changed page"
            }
            2 => {
                bad.mitigation = Some(Mitigation::Reindex(reindex_report(
                    &changed,
                    40,
                    changed.clone(),
                )));
                "a full rebuild (40 embeddings)"
            }
            3 => {
                bad.stale_after = 1 + rng.below(3) as usize;
                "pages still stale"
            }
            4 => {
                bad.sli_after = Some(0.95);
                "the SLI still below the SLO"
            }
            _ => {
                bad.live_after = Some("v3".into());
                "the release changed too"
            }
        };
        let a = crate::stale_index_fixed(&bad);
        ensure!(!a.passed, "with {what}, the check must fail");
        ensure!(!a.why.trim().is_empty(), "the failure gives no reason");
    }
    Ok(())
}

fn reindex() -> CheckResult {
    let mut rng = SimRng::seed(347);
    for _ in 0..5 {
        let pages = 10 + rng.below(20) as usize;
        let every = 2 + rng.below(5) as usize;
        let old = knowledge_base(pages, 0, 0);
        let index = Index::rebuild("docs_vA", &old, t0()).map_err(|e| e.to_string())?;
        let before_hash = index_hash(&index);
        let sources = knowledge_base(pages, 1 + rng.below(5) as u32, every);
        let mut changed: Vec<String> = sources
            .iter()
            .zip(&old)
            .filter(|(a, b)| a.text != b.text)
            .map(|(a, _)| a.id.clone())
            .collect();
        changed.sort();
        let releases = ReleaseManager::course(EvalSet::generate(4, 20), &before_hash)
            .map_err(|e| e.to_string())?;
        let mut ops = Operations {
            releases,
            index,
            sources,
        };
        let x = crate::reindex_stale(&mut ops, t0() + TimeDelta::hours(1))
            .map_err(|e| e.to_string())?;
        ensure_eq!(x.sync.updated, changed, "updated ids");
        ensure_eq!(x.sync.unchanged, pages - changed.len(), "unchanged count");
        ensure_eq!(
            x.embedded,
            changed.len() as u64,
            "embedding calls (one per changed page)"
        );
        ensure_eq!(x.index_hash_before, before_hash, "index hash before");
        let after = index_hash(&ops.index);
        ensure_eq!(x.index_hash, after.clone(), "index hash after");
        ensure!(
            after != before_hash,
            "re-indexing changed pages must change the index hash"
        );
        ensure_eq!(
            ops.releases.index_hash(),
            after.as_str(),
            "the release manager's index hash"
        );
        ensure!(
            ops.releases.cache_namespace().contains(&after[..8]),
            "the cache namespace {} does not include the new index hash",
            ops.releases.cache_namespace()
        );
        ensure_eq!(
            ops.releases.live(),
            Some("v1"),
            "a re-index must not touch the release"
        );
        let again = crate::reindex_stale(&mut ops, t0() + TimeDelta::hours(2))
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            again.embedded,
            0,
            "a second re-index has nothing left to embed"
        );
    }
    Ok(())
}

fn extension_green() -> CheckResult {
    let stale = extension::run(extension::SEED);
    ensure!(
        stale.report.halted.is_empty(),
        "the outage stopped: {:?}",
        stale.report.halted
    );
    ensure_eq!(
        stale.report.play,
        Some(Play::ReindexChangedDocuments),
        "the first play"
    );
    let s = shift::run(shift::SEED, Scenario::Clean);
    let g = extension::gate_with_extension(&s.report, &stale.report);
    ensure_eq!(g.assertions.len(), 8, "assertions with the extension");
    ensure!(
        g.green(),
        "the gate with the extension is red:\n{}",
        g.to_text()
    );
    labkit::check::compare_with_snapshot(
        &stale.trace.to_text(),
        include_str!("../tests/snapshots/trace__stale_index.snap"),
    )
}

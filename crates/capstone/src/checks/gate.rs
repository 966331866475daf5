//! Checks of `starters/m34/gate.rs`: the shift's assertions, the exit code,
//! and the break-on-purpose scenarios.

use super::t0;
use crate::assertion::{Assertion, AssertionId};
use crate::shift_report::{
    CanaryOutcome, IncidentOutcome, PageOutcome, ShiftReport, TicketOutcome,
};
use crate::{shift, Scenario};
use chrono::TimeDelta;
use desk::{Category, Queue};
use incident::{IncidentKind, Notification, Severity, Status};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};
use release_ops::{Decision, EvalCase, Score};

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
                "shift changed: {}. Then {} should {} (it said: {})",
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

pub(super) fn intake_and_detect_fail_for_the_right_reasons() -> CheckResult {
    judge(
        &[
            AssertionId::StormReduced,
            AssertionId::PageSev1,
            AssertionId::TicketRouted,
        ],
        crate::assert_intake_and_detect,
    )
}

pub(super) fn recovery_fails_for_the_right_reasons() -> CheckResult {
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

pub(super) fn gate_exits_non_zero_on_failure() -> CheckResult {
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

pub(super) fn each_scenario_breaks_its_assertions() -> CheckResult {
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

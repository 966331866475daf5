//! Issue 15: the gate fails closed, Flagger-form plans, and the rotation
//! boundary at millisecond resolution.
#![cfg(feature = "solution")]

use chrono::TimeDelta;
use labkit::{SimClock, SimRng};
use release_ops::eval::{EvalCase, EvalReport, EvalSet, Score};
use release_ops::secrets::{boundary_schedule, replay, ClientSchedule};
use release_ops::traffic::{validate_plan, CandidateBehaviour, RampPlan, RampStage, Traffic};
use release_ops::{
    judge, within_tolerance, Decision, GatePolicy, GateReason, ReleaseError, ReleaseManager, Side,
};

fn report(score: Score, cases: Vec<String>) -> EvalReport {
    EvalReport {
        version: "v".into(),
        score,
        by_topic: Default::default(),
        failed_regressions: vec![],
        cases,
    }
}

fn ids(n: u64) -> Vec<String> {
    (0..n).map(|i| format!("ev-{i:04}")).collect()
}

#[test]
fn the_gate_blocks_a_run_on_nothing() {
    // The example: 0/0 against 90/100 used to pass.
    assert!(!within_tolerance(Score::new(90, 100), Score::new(0, 0), 2));
    assert!(!within_tolerance(Score::new(0, 0), Score::new(90, 100), 2));
    assert!(!within_tolerance(Score::new(0, 0), Score::new(0, 0), 100));
    assert!(!within_tolerance(
        Score::new(90, 100),
        Score::new(101, 100),
        2
    ));
    let p = GatePolicy::default();
    let v = judge(
        &p,
        &report(Score::new(90, 100), ids(100)),
        &report(Score::new(0, 0), vec![]),
    );
    assert_eq!(
        v.reasons,
        vec![GateReason::NoEvidence {
            side: Side::Candidate
        }]
    );
    assert!(!v.passed());
    assert!(
        v.to_string().contains("candidate was scored on no case"),
        "{v}"
    );
}

#[test]
fn the_gate_blocks_scores_over_different_cases_or_impossible_scores() {
    let p = GatePolicy::default();
    let mut other = ids(101);
    other.remove(0);
    let v = judge(
        &p,
        &report(Score::new(90, 100), ids(100)),
        &report(Score::new(99, 100), other),
    );
    assert_eq!(
        v.reasons,
        vec![GateReason::DifferentEvalSets {
            only_live: vec!["ev-0000".into()],
            only_candidate: vec!["ev-0100".into()]
        }]
    );
    assert!(v.to_string().contains("different eval sets"), "{v}");
    // Same ids in another order compare fine.
    let mut rev = ids(100);
    rev.reverse();
    assert!(judge(
        &p,
        &report(Score::new(90, 100), ids(100)),
        &report(Score::new(90, 100), rev)
    )
    .passed());
    // A total that does not match the listed cases.
    let v = judge(
        &p,
        &report(Score::new(90, 100), ids(99)),
        &report(Score::new(90, 100), ids(100)),
    );
    assert_eq!(
        v.reasons,
        vec![GateReason::InvalidScore {
            side: Side::Live,
            score: Score::new(90, 100),
            cases_listed: 99
        }]
    );
}

#[test]
fn a_canary_on_an_empty_eval_set_rolls_back_and_says_why() {
    let mut m = ReleaseManager::course(EvalSet::new(), "idx").unwrap();
    let r = m.canary("v3").unwrap();
    assert_eq!(r.decision, Decision::Rollback);
    assert!(r.verdict.to_string().contains("scored on no case"));
    assert_eq!(m.live(), Some("v1"));
    assert_eq!(m.approved(), None);
}

#[test]
fn a_regression_case_added_after_live_was_scored_is_caught_by_the_canary_not_by_a_stale_report() {
    // Reports of the same release on two eval sets do not compare.
    let mut a = EvalSet::generate(3, 50);
    let m = ReleaseManager::course(a.clone(), "idx").unwrap();
    let before = m.evaluate("v1").unwrap();
    a.add(EvalCase::refund("extra", 100, 3, 7)).unwrap();
    let m2 = ReleaseManager::course(a, "idx").unwrap();
    let after = m2.evaluate("v3").unwrap();
    let v = judge(&GatePolicy::default(), &before, &after);
    assert!(
        matches!(v.reasons.as_slice(), [GateReason::DifferentEvalSets { only_candidate, .. }] if only_candidate == &vec!["extra".to_string()])
    );
}

fn plan(stages: &[(u32, u64)]) -> RampPlan {
    RampPlan {
        stages: stages
            .iter()
            .map(|&(percent, requests)| RampStage { percent, requests })
            .collect(),
        budget_ppm: 5000,
    }
}

#[test]
fn flagger_step_weights_below_100_promote_when_the_last_step_passes() {
    let never = Traffic {
        seed: 3,
        candidate: CandidateBehaviour::steady(0),
    };
    let mut m = ReleaseManager::course(EvalSet::generate(1, 20), "idx").unwrap();
    let r = m
        .ramp(
            "v3",
            &RampPlan::step_weights(&[1, 10, 50], 10_000, 5000),
            &never,
        )
        .unwrap();
    assert!(r.completed());
    assert_eq!(r.stages.len(), 3);
    assert_eq!(m.live(), Some("v3"));
    assert!(m.live_verified());
    assert_eq!(m.last_good(), Some("v1"));
    // A breach at the last Flagger step promotes nothing.
    let bad = Traffic {
        seed: 3,
        candidate: CandidateBehaviour::steady(1_000_000),
    };
    let mut m = ReleaseManager::course(EvalSet::generate(1, 20), "idx").unwrap();
    let r = m
        .ramp("v3", &RampPlan::step_weights(&[5, 25], 10_000, 5000), &bad)
        .unwrap();
    assert!(!r.completed());
    assert_eq!(m.live(), Some("v1"));
}

#[test]
fn every_bad_plan_is_a_typed_error_and_live_is_unchanged() {
    let never = Traffic {
        seed: 3,
        candidate: CandidateBehaviour::steady(0),
    };
    let cases: Vec<(RampPlan, ReleaseError)> = vec![
        (plan(&[]), ReleaseError::RampNoStages),
        (
            plan(&[(0, 100), (50, 100)]),
            ReleaseError::RampNotIncreasing {
                stage: 1,
                previous: 0,
                percent: 0,
            },
        ),
        (
            plan(&[(10, 100), (10, 100)]),
            ReleaseError::RampNotIncreasing {
                stage: 2,
                previous: 10,
                percent: 10,
            },
        ),
        (
            plan(&[(50, 100), (20, 100)]),
            ReleaseError::RampNotIncreasing {
                stage: 2,
                previous: 50,
                percent: 20,
            },
        ),
        (
            plan(&[(10, 100), (150, 100)]),
            ReleaseError::RampAbove100 {
                stage: 2,
                percent: 150,
            },
        ),
        (
            plan(&[(1, 99), (100, 100)]),
            ReleaseError::RampZeroTraffic { stage: 1 },
        ),
        (
            plan(&[(1, 100), (10, 0)]),
            ReleaseError::RampZeroTraffic { stage: 2 },
        ),
    ];
    for (p, err) in cases {
        assert_eq!(validate_plan(&p), Err(err.clone()));
        let mut m = ReleaseManager::course(EvalSet::generate(1, 20), "idx").unwrap();
        let (live, good, ns, events) = (
            m.live().map(str::to_string),
            m.last_good().map(str::to_string),
            m.cache_namespace().to_string(),
            m.events().len(),
        );
        assert_eq!(m.ramp("v3", &p, &never).map(|_| ()), Err(err));
        assert_eq!(
            (
                m.live().map(str::to_string),
                m.last_good().map(str::to_string),
                m.cache_namespace().to_string(),
                m.events().len()
            ),
            (live, good, ns, events)
        );
    }
}

#[test]
fn rotation_boundary_grace_equal_to_refresh_never_fails() {
    for secs in [60, 61, 900, 3600] {
        let r = TimeDelta::seconds(secs);
        let out = replay(&boundary_schedule(r, r));
        assert_eq!(
            (out.sent, out.failed.len()),
            (4, 0),
            "grace = refresh = {secs}s"
        );
        let out = replay(&boundary_schedule(r, r + TimeDelta::seconds(1)));
        assert!(out.failed.is_empty());
    }
}

#[test]
fn rotation_boundary_grace_one_second_shorter_fails_exactly_the_last_old_request() {
    let r = TimeDelta::minutes(15);
    let s = boundary_schedule(r, r - TimeDelta::seconds(1));
    let out = replay(&s);
    assert_eq!(
        out.failed,
        vec![s.first_read + r - TimeDelta::milliseconds(1)]
    );
}

#[test]
fn rotation_grace_at_least_the_refresh_never_fails_whatever_the_phases() {
    let mut rng = SimRng::seed(15);
    let finish = SimClock::course_epoch() + TimeDelta::hours(3);
    for _ in 0..2000 {
        let refresh = TimeDelta::milliseconds(rng.between(1, 3_600_000) as i64);
        let grace =
            refresh + TimeDelta::milliseconds(rng.below(2) as i64 * rng.below(60_000) as i64);
        let first_read = finish - TimeDelta::milliseconds(rng.between(0, 2 * 3_600_000) as i64);
        let mut requests: Vec<_> = (0..50)
            .map(|_| first_read + TimeDelta::milliseconds(rng.below(5 * 3_600_000) as i64))
            .collect();
        requests.sort();
        let out = replay(&ClientSchedule {
            finish,
            grace,
            refresh,
            first_read,
            requests,
        });
        assert!(
            out.failed.is_empty(),
            "refresh {refresh:?} grace {grace:?} first read {first_read}"
        );
    }
}

#[test]
fn rotation_grace_shorter_than_the_refresh_fails_for_some_phase() {
    // For every shortfall there is a read just before finish whose last
    // old-secret request lands after the window.
    let mut rng = SimRng::seed(16);
    for _ in 0..500 {
        let refresh = TimeDelta::milliseconds(rng.between(1000, 3_600_000) as i64);
        let grace = refresh - TimeDelta::milliseconds(rng.between(2, 1000) as i64);
        let s = boundary_schedule(refresh, grace);
        assert_eq!(
            replay(&s).failed.len(),
            1,
            "refresh {refresh:?} grace {grace:?}"
        );
    }
}

#[test]
fn the_whole_second_drill_cannot_see_the_boundary() {
    // On the drill's grid of whole seconds the tightest case fits even in a
    // window one second short: only the millisecond replay above shows it.
    use release_ops::secrets::{run_drill, RotationDrill};
    for seed in 0..10 {
        let r = run_drill(&RotationDrill::course(
            seed,
            TimeDelta::minutes(15) - TimeDelta::seconds(1),
        ));
        assert_eq!(r.failed, 0, "seed {seed}");
    }
}

//! Checks of `starters/m33/release/ramp.rs`: the progressive canary and its blast radius.

use crate::eval::EvalSet;
use crate::traffic::{CandidateBehaviour, RampOutcome, RampPlan, RampStage, Traffic};
use crate::{ReleaseError, ReleaseManager};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

pub(super) fn ramp_stops_at_the_first_breach() -> CheckResult {
    use crate::walk_ramp;
    let never = Traffic {
        seed: 1,
        candidate: CandidateBehaviour::steady(0),
    };
    let plan = RampPlan::standard(1000, 5000);
    let r = walk_ramp(&plan, &never);
    ensure_eq!(
        r.outcome,
        RampOutcome::Completed,
        "a candidate that never fails completes the ramp"
    );
    ensure_eq!(
        (r.stages.len(), r.candidate_served, r.candidate_errors),
        (4, 10 + 100 + 500 + 1000, 0),
        "a clean ramp (stages, served, errors)"
    );
    let always = Traffic {
        seed: 1,
        candidate: CandidateBehaviour::steady(1_000_000),
    };
    let r = walk_ramp(&plan, &always);
    ensure_eq!(
        r.outcome,
        RampOutcome::RolledBack { stage: 1 },
        "a candidate that always fails is stopped at stage 1"
    );
    ensure_eq!(
        (r.stages.len(), r.candidate_served, r.candidate_errors),
        (1, 10, 10),
        "only stage 1 ran (stages, served, errors)"
    );
    let r = walk_ramp(&RampPlan::standard(1000, 1_000_000), &always);
    ensure_eq!(
        r.outcome,
        RampOutcome::Completed,
        "an error rate exactly at the budget (100% vs a 100% budget) is not a breach"
    );
    let mut rng = SimRng::seed(0x71);
    let mut outcomes = [0usize; 2];
    for _ in 0..40 {
        let n = rng.between(1, 6) as usize;
        let mut pcts: Vec<u32> = Vec::new();
        while pcts.len() < n {
            let p = rng.between(1, 99) as u32;
            if !pcts.contains(&p) {
                pcts.push(p);
            }
        }
        pcts.sort_unstable();
        if rng.below(2) == 0 {
            // Half the plans end at 100%, half in Flagger's form below it.
            pcts.pop();
            pcts.push(100);
        }
        let stages: Vec<RampStage> = pcts
            .iter()
            .map(|&percent| RampStage {
                percent,
                requests: rng.between(2000, 6000),
            })
            .collect();
        let budget_ppm = rng.between(1000, 20_000) as u32;
        let over = rng.between(1, 100) as u32;
        let traffic = Traffic {
            seed: rng.next_u64(),
            candidate: CandidateBehaviour {
                base_ppm: rng.between(0, 8000) as u32,
                overload_above_percent: Some(over),
                overload_ppm: rng.between(0, 40_000) as u32,
            },
        };
        let plan = RampPlan {
            stages: stages.clone(),
            budget_ppm,
        };
        // Oracle: recount every stage.
        let (mut served_sum, mut errors_sum, mut expected_stages, mut outcome) =
            (0u64, 0u64, Vec::new(), RampOutcome::Completed);
        for (i, s) in stages.iter().enumerate() {
            let served = s.requests * u64::from(s.percent) / 100;
            let errors = (0..served)
                .filter(|&k| traffic.candidate_fails(i, s.percent, k))
                .count() as u64;
            let breached = errors * 1_000_000 > served * u64::from(budget_ppm);
            expected_stages.push((i + 1, s.percent, served, errors, breached));
            served_sum += served;
            errors_sum += errors;
            if breached {
                outcome = RampOutcome::RolledBack { stage: i + 1 };
                break;
            }
        }
        let r = walk_ramp(&plan, &traffic);
        let got: Vec<_> = r
            .stages
            .iter()
            .map(|s| (s.stage, s.percent, s.served, s.errors, s.breached))
            .collect();
        ensure_eq!(got, expected_stages, "stages (stage, percent, served, errors, breached) for shares {pcts:?}, budget {budget_ppm} ppm");
        ensure_eq!(r.outcome, outcome, "outcome for shares {pcts:?}");
        ensure_eq!(
            (r.candidate_served, r.candidate_errors),
            (served_sum, errors_sum),
            "blast radius (served, errors)"
        );
        outcomes[usize::from(outcome == RampOutcome::Completed)] += 1;
    }
    ensure!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "the random ramps include both outcomes"
    );
    // Through the manager: a breach leaves live; a bad plan is refused up front.
    let mut m =
        ReleaseManager::course(EvalSet::generate(1, 20), "idx").map_err(|e| e.to_string())?;
    let r = m
        .ramp("v2", &RampPlan::standard(10_000, 5000), &always)
        .map_err(|e| e.to_string())?;
    ensure!(
        !r.completed() && m.live() == Some("v1"),
        "a ramp stopped at a breach leaves live on v1"
    );
    let bad = RampPlan {
        stages: vec![
            RampStage {
                percent: 10,
                requests: 100,
            },
            RampStage {
                percent: 5,
                requests: 100,
            },
        ],
        budget_ppm: 5000,
    };
    ensure_eq!(
        m.ramp("v3", &bad, &never).map(|_| ()),
        Err(ReleaseError::RampNotIncreasing {
            stage: 2,
            previous: 10,
            percent: 5
        }),
        "a decreasing plan"
    );
    let flagger = RampPlan::step_weights(&[5, 25, 80], 10_000, 5000);
    let r = m.ramp("v3", &flagger, &never).map_err(|e| e.to_string())?;
    ensure!(
        r.completed() && r.stages.len() == 3 && m.live() == Some("v3") && m.last_good() == Some("v1"),
        "a plan in Flagger's form (5% -> 25% -> 80%) whose last stage passes promotes the candidate; the old live becomes last-good"
    );
    Ok(())
}

//! Optional challenge · The progressive canary. Guide: `labs/m33/README.md`, Part B.
//!
//! Types (in `crates/release-ops/src/traffic.rs`): `RampPlan`, `RampStage`
//! (`candidate_requests()`), `Traffic` (`candidate_fails(stage, percent, n)`),
//! `breaches_budget(errors, served, budget_ppm)`, `StageResult`,
//! `RampOutcome`, `RampReport`.

use crate::traffic::{breaches_budget, RampOutcome, RampPlan, RampReport, StageResult, Traffic};

/// Walks a validated `plan`: for each stage in order, the candidate serves
/// its share of the stage's requests (`n` = 0, 1, … within the stage, stage
/// index 0-based for `candidate_fails`); count its errors and judge them
/// against the budget. Stop at the first breach (rolled back at that stage,
/// 1-based); otherwise the ramp completes. The blast radius sums what the
/// candidate served and the errors users saw over the stages that ran.
pub fn walk_ramp(plan: &RampPlan, traffic: &Traffic) -> RampReport {
    // BEGIN SOLUTION walk_ramp: run the stages in order, stop at the first breach, sum the blast radius
    let mut report = RampReport {
        stages: Vec::new(),
        outcome: RampOutcome::Completed,
        candidate_served: 0,
        candidate_errors: 0,
    };
    for (i, stage) in plan.stages.iter().enumerate() {
        let served = stage.candidate_requests();
        let errors = (0..served)
            .filter(|&n| traffic.candidate_fails(i, stage.percent, n))
            .count() as u64;
        let breached = breaches_budget(errors, served, plan.budget_ppm);
        report.stages.push(StageResult {
            stage: i + 1,
            percent: stage.percent,
            served,
            errors,
            breached,
        });
        report.candidate_served += served;
        report.candidate_errors += errors;
        if breached {
            report.outcome = RampOutcome::RolledBack { stage: i + 1 };
            break;
        }
    }
    report
    // END SOLUTION
}

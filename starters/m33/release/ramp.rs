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
    todo!("walk_ramp: run the stages in order, stop at the first breach, sum the blast radius")
}

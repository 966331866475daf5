//! Progressive delivery: ramp plans, simulated traffic, ramp reports.
//!
//! A progressive canary moves a growing share of real traffic to the
//! candidate — 1% → 10% → 50% → 100% — and at each stage compares the
//! candidate's error rate with the error budget. The first stage that
//! breaches the budget ends the ramp: all traffic goes back to the stable
//! release. What matters afterwards is the **blast radius**: how many
//! requests the candidate served and how many of them failed in front of a
//! user. Starting small is what keeps that number small. (Flagger calls the
//! stages `stepWeights`, Argo Rollouts `setWeight` steps with an analysis.)
//!
//! Routing within a stage is exact, not random: a stage of `requests` at
//! `percent` sends `requests * percent / 100` (rounded down) of them to the
//! candidate. Whether the candidate fails its n-th request of a stage is a
//! fixed function of the seed ([`Traffic::candidate_fails`]), so a report is
//! reproducible and a check can recount it independently.
//!
//! The learner writes [`crate::ramp::walk_ramp`] (the optional challenge).

use crate::error::{ReleaseError, Result};
use crate::model::mix64;

/// One stage of a ramp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RampStage {
    /// The candidate's share of traffic, in percent (1..=100).
    pub percent: u32,
    /// All requests during the stage (candidate and stable together).
    pub requests: u64,
}

impl RampStage {
    /// Requests the candidate serves in this stage: `requests * percent / 100`, rounded down.
    pub fn candidate_requests(&self) -> u64 {
        (u128::from(self.requests) * u128::from(self.percent) / 100) as u64
    }
}

/// A ramp: stages of strictly increasing share, and the error budget each
/// stage is judged against.
///
/// The last stage need not be 100%. This is Flagger's `stepWeights` form
/// (`[1, 10, 50]`, or `[5, 25, 80]`): the last step is the largest share the
/// candidate is *judged* at, and when it passes the candidate is promoted to
/// all traffic. A plan that ends at 100% judges the full load too.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RampPlan {
    pub stages: Vec<RampStage>,
    /// The largest tolerated error rate, in parts per million (0.5% = 5000).
    /// A stage breaches when its error rate is *above* the budget.
    pub budget_ppm: u32,
}

impl RampPlan {
    /// The standard ramp, 1% → 10% → 50% → 100%, each stage `requests` long.
    pub fn standard(requests: u64, budget_ppm: u32) -> Self {
        let stages = [1, 10, 50, 100]
            .into_iter()
            .map(|percent| RampStage { percent, requests })
            .collect();
        Self { stages, budget_ppm }
    }

    /// A plan in Flagger's form: one stage per step weight, each `requests`
    /// long. The weights are not checked here; [`validate_plan`] does that.
    pub fn step_weights(weights: &[u32], requests: u64, budget_ppm: u32) -> Self {
        let stages = weights
            .iter()
            .map(|&percent| RampStage { percent, requests })
            .collect();
        Self { stages, budget_ppm }
    }
}

/// Checks a plan: at least one stage, shares strictly increasing (so none is
/// 0%), none above 100%, and every stage sending the candidate at least one
/// request. The last share may be below 100% (Flagger's `stepWeights`): a
/// ramp whose last stage passes promotes the candidate.
pub fn validate_plan(plan: &RampPlan) -> Result<()> {
    if plan.stages.is_empty() {
        return Err(ReleaseError::RampNoStages);
    }
    let mut previous = 0;
    for (i, s) in plan.stages.iter().enumerate() {
        let stage = i + 1;
        if s.percent > 100 {
            return Err(ReleaseError::RampAbove100 {
                stage,
                percent: s.percent,
            });
        }
        if s.percent <= previous {
            return Err(ReleaseError::RampNotIncreasing {
                stage,
                previous,
                percent: s.percent,
            });
        }
        if s.candidate_requests() == 0 {
            return Err(ReleaseError::RampZeroTraffic { stage });
        }
        previous = s.percent;
    }
    Ok(())
}

/// How the candidate fails under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CandidateBehaviour {
    /// Error rate in parts per million at low share.
    pub base_ppm: u32,
    /// Above this share (percent) the candidate is overloaded…
    pub overload_above_percent: Option<u32>,
    /// …and fails at this rate instead.
    pub overload_ppm: u32,
}

impl CandidateBehaviour {
    /// A candidate that fails at `ppm` whatever its share.
    pub fn steady(ppm: u32) -> Self {
        Self {
            base_ppm: ppm,
            overload_above_percent: None,
            overload_ppm: ppm,
        }
    }
}

/// Seeded traffic for a ramp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Traffic {
    pub seed: u64,
    pub candidate: CandidateBehaviour,
}

impl Traffic {
    /// The candidate's error rate (ppm) when it takes `percent` of traffic.
    pub fn error_ppm_at(&self, percent: u32) -> u32 {
        match self.candidate.overload_above_percent {
            Some(limit) if percent > limit => self.candidate.overload_ppm,
            _ => self.candidate.base_ppm,
        }
    }

    /// Does the candidate fail the `n`-th request it serves in stage `stage`
    /// (0-based), at share `percent`? A fixed function of the seed.
    pub fn candidate_fails(&self, stage: usize, percent: u32, n: u64) -> bool {
        let h = mix64(self.seed ^ mix64((stage as u64) << 40 ^ n));
        h % 1_000_000 < u64::from(self.error_ppm_at(percent))
    }
}

/// What one stage saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StageResult {
    /// 1-based stage number.
    pub stage: usize,
    pub percent: u32,
    /// Requests the candidate served.
    pub served: u64,
    /// Of those, requests that failed.
    pub errors: u64,
    /// Error rate above the budget.
    pub breached: bool,
}

/// How a ramp ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RampOutcome {
    /// Every stage stayed within budget: the candidate is promoted to 100%
    /// (also when the plan's last step was below 100%, as Flagger does).
    Completed,
    /// Stage `stage` (1-based) breached: all traffic is back on stable.
    RolledBack { stage: usize },
}

/// A ramp's stages and blast radius.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RampReport {
    /// The stages that ran, in order (none after a breach).
    pub stages: Vec<StageResult>,
    pub outcome: RampOutcome,
    /// Blast radius: requests the candidate served, over all stages run.
    pub candidate_served: u64,
    /// Blast radius: failed requests users saw from the candidate.
    pub candidate_errors: u64,
}

impl RampReport {
    /// `true` when the ramp reached 100% within budget.
    pub fn completed(&self) -> bool {
        self.outcome == RampOutcome::Completed
    }
}

/// The breach rule: `errors / served > budget_ppm / 1_000_000`, in whole numbers.
pub fn breaches_budget(errors: u64, served: u64, budget_ppm: u32) -> bool {
    u128::from(errors) * 1_000_000 > u128::from(served) * u128::from(budget_ppm)
}

/// Validates `plan` and walks it (the crate's entry point for a ramp).
pub fn run_ramp(plan: &RampPlan, traffic: &Traffic) -> Result<RampReport> {
    validate_plan(plan)?;
    Ok(crate::ramp::walk_ramp(plan, traffic))
}

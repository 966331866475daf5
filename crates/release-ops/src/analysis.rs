//! Flagger's canary analysis, tick by tick on the simulated clock, as the
//! scheduler of fluxcd/flagger v1.44.0 runs it (`advanceCanary`, `runCanary`,
//! `nextStepWeight` and `maxWeight` in `pkg/controller/scheduler.go`).
//!
//! Flagger wakes a canary once per `interval`. Once a new revision has been
//! detected (that tick only sets the phase to progressing, and is not counted
//! here: tick 1 is the first one after it), each tick of a progressing canary
//! does, in this order:
//!
//! 1. if the failed checks have reached `threshold`, roll back: all traffic
//!    to the primary, phase failed;
//! 2. run the checks, except on the very first step (canary weight 0):
//!    there Flagger runs only the pre-rollout hooks, so no metric is read
//!    before the canary has traffic. A failed check adds one to the failed
//!    checks and holds the weight (the count is never reset during an
//!    analysis);
//! 3. below the promotion weight (`maxWeight`, or the last of
//!    `stepWeights`), add the next step (`stepWeight`, or the distance to the
//!    next of `stepWeights`), at most up to 100; at or above it, promote.
//!
//! A promoted canary routes all traffic back to the primary on the next tick
//! (finalising; `stepWeightPromotion` not set) and is marked succeeded on
//! the one after.
//!
//! Flagger's documentation gives two formulas, `interval × (maxWeight /
//! stepWeight)` for the shortest analysis and `interval × threshold` for a
//! rollback; the tests below show where the scheduler's ticks land against
//! both (the rollback comes two ticks later than the formula: the first step
//! reads no metric, and the threshold is checked on the tick after the last
//! failure).
//!
//! Not modelled: webhooks and their gates, mirroring, A/B and blue/green,
//! `stepWeightPromotion`, `skipAnalysis`, a new revision during the
//! analysis, readiness and progress deadlines. The lab's ramp step
//! ([`crate::traffic`]) is the simple form: it rolls back on the first
//! breach.

use std::fmt;

/// The analysis settings (Flagger's `spec.analysis`), checked by
/// [`Analysis::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    interval_minutes: u32,
    threshold: u32,
    steps: Steps,
}

/// How the canary weight grows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Steps {
    /// `stepWeight` up to `maxWeight` (100 when `None`): the weight may pass
    /// `maxWeight` by part of a step, as Flagger's does (20, 40, 60 for a
    /// maximum of 50).
    Linear { step: u32, max: Option<u32> },
    /// `stepWeights`, in order; the last is the promotion weight.
    Listed(Vec<u32>),
}

/// Settings Flagger would not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    /// `interval` is zero.
    ZeroInterval,
    /// `threshold` is zero: every canary would roll back on its first tick.
    ZeroThreshold,
    /// `stepWeight` is zero or above 100.
    StepOutOfRange(u32),
    /// `maxWeight` is zero or above 100.
    MaxOutOfRange(u32),
    /// `stepWeights` is empty, not strictly increasing, or goes above 100.
    BadStepWeights(Vec<u32>),
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroInterval => write!(f, "analysis interval must be at least one minute"),
            Self::ZeroThreshold => write!(f, "analysis threshold must be at least 1"),
            Self::StepOutOfRange(w) => write!(f, "stepWeight {w} is not in 1..=100"),
            Self::MaxOutOfRange(w) => write!(f, "maxWeight {w} is not in 1..=100"),
            Self::BadStepWeights(w) => write!(
                f,
                "stepWeights {w:?} must be non-empty, strictly increasing and at most 100"
            ),
        }
    }
}

impl std::error::Error for AnalysisError {}

/// Where a canary stands after a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Shifting traffic and running checks.
    Progressing,
    /// The canary's spec was copied to the primary; traffic moves next tick.
    Promoting,
    /// All traffic is on the (new) primary; the canary is scaled down next.
    Finalising,
    /// Done: the new revision serves everything.
    Succeeded,
    /// Rolled back: the old primary serves everything.
    Failed,
}

/// What a tick did and left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    /// Minutes since the new revision was detected.
    pub minute: u32,
    /// The phase after the tick.
    pub phase: Phase,
    /// The canary's share of traffic after the tick, in percent.
    pub weight: u32,
    /// Failed checks so far.
    pub failed_checks: u32,
    /// Whether this tick read the checks (not on the first step, nor while
    /// promoting or finalising).
    pub checked: bool,
}

impl Analysis {
    /// Settings as Flagger reads them, or why it would not run them.
    pub fn new(interval_minutes: u32, threshold: u32, steps: Steps) -> Result<Self, AnalysisError> {
        if interval_minutes == 0 {
            return Err(AnalysisError::ZeroInterval);
        }
        if threshold == 0 {
            return Err(AnalysisError::ZeroThreshold);
        }
        match &steps {
            Steps::Linear { step, max } => {
                if !(1..=100).contains(step) {
                    return Err(AnalysisError::StepOutOfRange(*step));
                }
                if let Some(m) = max.filter(|m| !(1..=100).contains(m)) {
                    return Err(AnalysisError::MaxOutOfRange(m));
                }
            }
            Steps::Listed(w) => {
                let increasing = w.windows(2).all(|p| p[0] < p[1]);
                if w.is_empty() || !increasing || w.iter().any(|x| *x == 0 || *x > 100) {
                    return Err(AnalysisError::BadStepWeights(w.clone()));
                }
            }
        }
        Ok(Self {
            interval_minutes,
            threshold,
            steps,
        })
    }

    /// The weight at which the canary is promoted (Flagger's `maxWeight()`).
    pub fn promotion_weight(&self) -> u32 {
        match &self.steps {
            Steps::Linear { max, .. } => max.unwrap_or(100),
            Steps::Listed(w) => w.last().copied().unwrap_or(100).min(100),
        }
    }

    /// The step from `weight` (Flagger's `nextStepWeight`).
    pub fn next_step(&self, weight: u32) -> u32 {
        match &self.steps {
            Steps::Linear { step, .. } => *step,
            Steps::Listed(w) => {
                let room = 100 - weight.min(100);
                if room == 0 {
                    return 1;
                }
                if weight == 0 {
                    return room.min(w[0]);
                }
                w.windows(2)
                    .find(|p| p[0] == weight)
                    .map_or(room, |p| room.min(p[1] - weight))
            }
        }
    }

    /// Runs the analysis: `check(tick)` says whether the checks pass at
    /// that tick (1-based; asked only on ticks that read checks). Stops at
    /// success or failure, or after `max_ticks`.
    pub fn run(&self, mut check: impl FnMut(u32) -> bool, max_ticks: u32) -> Vec<Tick> {
        let (mut phase, mut weight, mut failed) = (Phase::Progressing, 0u32, 0u32);
        let mut out = Vec::new();
        for n in 1..=max_ticks {
            let mut checked = false;
            match phase {
                Phase::Promoting => {
                    weight = 0;
                    phase = Phase::Finalising;
                }
                Phase::Finalising => phase = Phase::Succeeded,
                Phase::Progressing if failed >= self.threshold => {
                    weight = 0;
                    phase = Phase::Failed;
                }
                Phase::Progressing => {
                    let first_step = weight == 0;
                    checked = !first_step;
                    if checked && !check(n) {
                        failed += 1;
                    } else if weight < self.promotion_weight() {
                        weight = (weight + self.next_step(weight)).min(100);
                    } else {
                        phase = Phase::Promoting;
                    }
                }
                Phase::Succeeded | Phase::Failed => break,
            }
            out.push(Tick {
                minute: n * self.interval_minutes,
                phase,
                weight,
                failed_checks: failed,
                checked,
            });
            if matches!(phase, Phase::Succeeded | Phase::Failed) {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(ticks: &[Tick]) -> Vec<u32> {
        ticks.iter().map(|t| t.weight).collect()
    }

    fn linear(interval: u32, threshold: u32, step: u32, max: Option<u32>) -> Analysis {
        Analysis::new(interval, threshold, Steps::Linear { step, max }).expect("valid settings")
    }

    fn first(ticks: &[Tick], phase: Phase) -> Option<u32> {
        ticks.iter().find(|t| t.phase == phase).map(|t| t.minute)
    }

    /// The documentation's rollout weights: `maxWeight: 50`, `stepWeight:
    /// 20` runs at 20, 40, 60, then promotes.
    #[test]
    fn linear_weights_go_past_max_weight_then_promote() {
        let t = linear(1, 5, 20, Some(50)).run(|_| true, 20);
        assert_eq!(weights(&t), [20, 40, 60, 60, 0, 0]);
        assert_eq!(t[3].phase, Phase::Promoting);
        assert_eq!(t.last().map(|t| t.phase), Some(Phase::Succeeded));
    }

    /// The documentation's `stepWeights: [1, 2, 10, 80]`: 1, 2, 10, 80,
    /// promotion.
    #[test]
    fn step_weights_are_walked_in_order() {
        let a = Analysis::new(1, 5, Steps::Listed(vec![1, 2, 10, 80])).expect("valid");
        let t = a.run(|_| true, 20);
        assert_eq!(weights(&t)[..4], [1, 2, 10, 80]);
        assert_eq!(t[4].phase, Phase::Promoting);
        assert_eq!(a.promotion_weight(), 80);
    }

    /// The documentation's spec (`interval: 1m`, `threshold: 10`,
    /// `maxWeight: 50`, `stepWeight: 2`) "will run for 25 minutes": the
    /// weight reaches 50 at minute 25 and the canary is promoted on the
    /// next tick, its first check at the maximum.
    #[test]
    fn the_documented_canary_runs_for_twenty_five_minutes() {
        let t = linear(1, 10, 2, Some(50)).run(|_| true, 100);
        let at_max = t.iter().find(|t| t.weight == 50).map(|t| t.minute);
        assert_eq!(at_max, Some(25), "interval × (maxWeight / stepWeight)");
        assert_eq!(first(&t, Phase::Promoting), Some(26));
        assert_eq!(first(&t, Phase::Succeeded), Some(28));
        // The first step reads no metric: 26 ticks, 25 checks.
        assert_eq!(t.iter().filter(|t| t.checked).count(), 25);
    }

    /// `interval × threshold` is the documentation's rollback time; the
    /// scheduler's ticks land two intervals later: no metric is read on the
    /// first step, and the threshold is compared on the tick after the
    /// last failure.
    #[test]
    fn failing_checks_roll_back_two_ticks_after_the_formula() {
        let t = linear(1, 10, 2, Some(50)).run(|_| false, 100);
        let last = t.last().copied();
        assert_eq!(
            last.map(|t| (t.minute, t.phase, t.weight, t.failed_checks)),
            Some((12, Phase::Failed, 0, 10))
        );
        // The canary got its first step of traffic and held it.
        assert!(t[..11].iter().all(|t| t.weight == 2));
        // With a 5-minute interval every figure scales.
        let t = linear(5, 10, 2, Some(50)).run(|_| false, 100);
        assert_eq!(first(&t, Phase::Failed), Some(60));
    }

    /// Failures are counted over the whole analysis, not in a row: three
    /// failures spread among passes roll back a canary with `threshold: 3`,
    /// and a single failure only holds the weight for one tick.
    #[test]
    fn failed_checks_accumulate_and_hold_the_weight() {
        let a = linear(1, 3, 10, Some(50));
        let t = a.run(|n| !matches!(n, 2 | 5 | 8), 50);
        assert_eq!(first(&t, Phase::Failed), Some(9));
        assert_eq!(weights(&t)[..8], [10, 10, 20, 30, 30, 40, 50, 50]);

        let t = a.run(|n| n != 2, 50);
        assert!(first(&t, Phase::Succeeded).is_some());
        assert_eq!(t.last().map(|t| t.failed_checks), Some(1));
    }

    /// A failure at the promotion weight holds the canary there; the next
    /// passing check promotes.
    #[test]
    fn a_failure_at_the_maximum_delays_promotion() {
        let t = linear(1, 5, 25, None).run(|n| n != 5, 20);
        assert_eq!(weights(&t)[..5], [25, 50, 75, 100, 100]);
        assert_eq!(first(&t, Phase::Promoting), Some(6));
    }

    /// Settings Flagger would not run are refused, each with its reason.
    #[test]
    fn impossible_settings_are_refused() {
        let linear = |step, max| Steps::Linear { step, max };
        assert_eq!(
            Analysis::new(0, 5, linear(10, None)),
            Err(AnalysisError::ZeroInterval)
        );
        assert_eq!(
            Analysis::new(1, 0, linear(10, None)),
            Err(AnalysisError::ZeroThreshold)
        );
        assert_eq!(
            Analysis::new(1, 5, linear(0, None)),
            Err(AnalysisError::StepOutOfRange(0))
        );
        assert_eq!(
            Analysis::new(1, 5, linear(10, Some(101))),
            Err(AnalysisError::MaxOutOfRange(101))
        );
        for bad in [vec![], vec![10, 5], vec![10, 10], vec![50, 120]] {
            let err = Analysis::new(1, 5, Steps::Listed(bad.clone()));
            assert_eq!(err, Err(AnalysisError::BadStepWeights(bad)));
        }
        let msg = AnalysisError::BadStepWeights(vec![10, 5]).to_string();
        assert!(msg.contains("strictly increasing"), "{msg}");
    }
}

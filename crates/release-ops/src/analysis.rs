//! Flagger's canary analysis (fluxcd/flagger v1.44.0,
//! `pkg/controller/scheduler.go`), on the simulated clock: one tick per
//! `interval`.
//!
//! Modelled, per tick of a canary in progress: when the failed checks have
//! reached `threshold`, roll back (all traffic to primary); otherwise run
//! the checks, and on a failure count it and hold the weight; on success,
//! advance the canary weight by `stepWeight` (or to the next of
//! `stepWeights`) while it is below `maxWeight` (the last step weight), and
//! once it has reached it, promote: the next tick routes all traffic to
//! primary (finalising), the one after marks the canary succeeded.
//! Not modelled: webhooks and their gates, mirroring, A/B and blue/green,
//! `stepWeightPromotion`, `skipAnalysis`, a revision change mid-analysis,
//! readiness and progress deadlines. The lab's ramp step
//! ([`crate::traffic`]) is the simple form: it rolls back on the first
//! breach.

/// The analysis settings (Flagger's `spec.analysis`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// Minutes between ticks (`interval`).
    pub interval_minutes: u32,
    /// Failed checks that trigger a rollback (`threshold`).
    pub threshold: u32,
    /// Linear step (`stepWeight`); 0 when `step_weights` is used.
    pub step_weight: u32,
    /// Largest weight (`maxWeight`; 100 when 0).
    pub max_weight: u32,
    /// Explicit steps (`stepWeights`).
    pub step_weights: Vec<u32>,
}

/// Where a canary stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Progressing,
    Promoting,
    Finalising,
    Succeeded,
    Failed,
}

/// One tick's result: minute, phase after it, canary weight, failed checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub minute: u32,
    pub phase: Phase,
    pub weight: u32,
    pub failed_checks: u32,
}

impl Analysis {
    /// The weight at which the canary is promoted.
    pub fn max(&self) -> u32 {
        match self.step_weights.last() {
            Some(&w) => w.min(100),
            None if self.max_weight > 0 => self.max_weight,
            None => 100,
        }
    }

    /// The next step from `weight` (Flagger's `nextStepWeight`).
    pub fn next_step(&self, weight: u32) -> u32 {
        if self.step_weight > 0 || self.step_weights.is_empty() {
            return self.step_weight;
        }
        let room = 100 - weight.min(100);
        if room == 0 {
            return 1;
        }
        if weight == 0 {
            return room.min(self.step_weights[0]);
        }
        for pair in self.step_weights.windows(2) {
            if pair[0] == weight {
                return room.min(pair[1].saturating_sub(weight));
            }
        }
        room
    }

    /// Runs the analysis: `check(tick)` says whether the checks pass at
    /// that tick (1-based). Stops at success or failure, or after
    /// `max_ticks`.
    pub fn run(&self, mut check: impl FnMut(u32) -> bool, max_ticks: u32) -> Vec<Tick> {
        let (mut phase, mut weight, mut failed) = (Phase::Progressing, 0u32, 0u32);
        let mut out = Vec::new();
        for n in 1..=max_ticks {
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
                    if !check(n) {
                        failed += 1;
                    } else if weight < self.max() {
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

    /// Flagger's docs, "Rollout Weights": maxWeight 50, stepWeight 20 runs
    /// at 20, 40, 60, then promotes.
    #[test]
    fn linear_weights_go_past_max_weight_then_promote() {
        let a = Analysis {
            interval_minutes: 1,
            threshold: 5,
            step_weight: 20,
            max_weight: 50,
            step_weights: vec![],
        };
        let t = a.run(|_| true, 20);
        assert_eq!(weights(&t), [20, 40, 60, 60, 0, 0]);
        assert_eq!(t[3].phase, Phase::Promoting);
        assert_eq!(t.last().map(|t| t.phase), Some(Phase::Succeeded));
    }

    /// Flagger's docs: stepWeights [1, 2, 10, 80].
    #[test]
    fn step_weights_are_walked_in_order() {
        let a = Analysis {
            interval_minutes: 1,
            threshold: 5,
            step_weight: 0,
            max_weight: 0,
            step_weights: vec![1, 2, 10, 80],
        };
        let t = a.run(|_| true, 20);
        assert_eq!(weights(&t)[..4], [1, 2, 10, 80]);
        assert_eq!(t[4].phase, Phase::Promoting);
    }

    /// interval * threshold: failing checks roll back after `threshold`
    /// failures, on the tick after the last one.
    #[test]
    fn failing_checks_roll_back_at_threshold() {
        let a = Analysis {
            interval_minutes: 1,
            threshold: 5,
            step_weight: 10,
            max_weight: 50,
            step_weights: vec![],
        };
        let t = a.run(|n| n == 1, 20);
        let last = t.last().copied();
        assert_eq!(
            last.map(|t| (t.phase, t.weight, t.failed_checks)),
            Some((Phase::Failed, 0, 5))
        );
        assert_eq!(last.map(|t| t.minute), Some(7));
        // A single failure does not roll back.
        let t = a.run(|n| n != 2, 20);
        assert_eq!(t.last().map(|t| t.phase), Some(Phase::Succeeded));
    }
}

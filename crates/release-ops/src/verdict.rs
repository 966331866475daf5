//! What the pre-deploy gate decides, and why.
//!
//! The gate compares a candidate's eval report with the live release's on
//! the same eval set. It passes the candidate only when
//!
//! 1. the candidate's score is at most [`GatePolicy::max_drop_percent`]
//!    (2%) *relative* to live below the live score — a drop of exactly 2%
//!    passes — and
//! 2. the candidate passes every regression case.
//!
//! Every reason to block is listed, so the person reading the decision
//! knows what to fix. Public tools do the same with model-validation
//! thresholds (MLflow's `MetricThreshold`, TFMA's change thresholds).

use std::fmt;

use crate::eval::{relative_change_text, Score};

/// The gate's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GatePolicy {
    /// The largest allowed drop of the score relative to live, in whole
    /// percent. The course uses 2.
    pub max_drop_percent: u32,
}

impl Default for GatePolicy {
    fn default() -> Self {
        Self {
            max_drop_percent: 2,
        }
    }
}

/// One reason the gate blocked a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum GateReason {
    /// The score fell by more than the tolerance relative to live.
    ScoreDrop {
        live: Score,
        candidate: Score,
        max_drop_percent: u32,
    },
    /// A regression case failed.
    RegressionFailed { case: String },
}

impl fmt::Display for GateReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateReason::ScoreDrop {
                live,
                candidate,
                max_drop_percent,
            } => write!(
                f,
                "score {candidate} vs live {live}: {} (limit -{max_drop_percent}%)",
                relative_change_text(*live, *candidate)
            ),
            GateReason::RegressionFailed { case } => write!(f, "regression case {case} failed"),
        }
    }
}

/// The gate's answer: the two scores compared and every reason to block
/// (none means pass).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GateVerdict {
    pub live: Score,
    pub candidate: Score,
    pub reasons: Vec<GateReason>,
}

impl GateVerdict {
    /// `true` when nothing blocks the candidate.
    pub fn passed(&self) -> bool {
        self.reasons.is_empty()
    }
}

impl fmt::Display for GateVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.passed() {
            write!(
                f,
                "pass: {} vs live {} ({})",
                self.candidate,
                self.live,
                relative_change_text(self.live, self.candidate)
            )
        } else {
            let reasons: Vec<String> = self.reasons.iter().map(|r| r.to_string()).collect();
            write!(f, "block: {}", reasons.join("; "))
        }
    }
}

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
//! and only when there is evidence to compare. The gate **fails closed**:
//! a side scored on no case at all (an empty eval set), a score that cannot
//! be right (more passed than run, or a total that is not the number of
//! cases listed), a report whose cases are not one set of unique ids (a
//! case listed twice counts twice: `3/3` on `[a, a, b]` against `1/2` on
//! `[a, b]` would otherwise pass, the two compared as sets), or two reports scored on different case ids block the
//! candidate with a reason of their own. Without that rule, `0/0` against
//! `90/100` passes every ratio test (`0·100 ≥ 0.98·90·0`), and a candidate
//! that was never tested ships. TFMA treats a missing metric the same way:
//! as a failed validation, never as a pass.
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

/// Which of the two reports a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Side {
    Live,
    Candidate,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Live => "live",
            Side::Candidate => "candidate",
        })
    }
}

/// One reason the gate blocked a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum GateReason {
    /// This side was scored on no case (`total` is 0): nothing to compare.
    NoEvidence { side: Side },
    /// This side's report lists a case id more than once, so its cases are
    /// not one set of unique ids and its score is not a score *of* that
    /// set: `3/3` on `[a, a, b]` is not a better result than `1/2` on
    /// `[a, b]`. `ids` holds each repeated id once, sorted.
    RepeatedCases { side: Side, ids: Vec<String> },
    /// This side's score cannot be right: more cases passed than were run,
    /// or the total differs from the number of case ids the report lists.
    InvalidScore {
        side: Side,
        score: Score,
        cases_listed: u64,
    },
    /// Live and candidate were scored on different case ids, so their
    /// scores are not comparable. Each list is sorted.
    DifferentEvalSets {
        only_live: Vec<String>,
        only_candidate: Vec<String>,
    },
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
            GateReason::NoEvidence { side } => write!(
                f,
                "{side} was scored on no case: nothing to compare (a run on an empty eval set proves nothing)"
            ),
            GateReason::RepeatedCases { side, ids } => write!(
                f,
                "{side} lists {} case id(s) more than once{}: a score over repeated cases is not a score of the eval set",
                ids.len(),
                first_ids(ids)
            ),
            GateReason::InvalidScore {
                side,
                score,
                cases_listed,
            } => write!(
                f,
                "{side} score {}/{} is not a real score ({cases_listed} cases listed)",
                score.passed, score.total
            ),
            GateReason::DifferentEvalSets {
                only_live,
                only_candidate,
            } => write!(
                f,
                "live and candidate were scored on different eval sets ({} cases only in live{}, {} only in candidate{})",
                only_live.len(),
                first_ids(only_live),
                only_candidate.len(),
                first_ids(only_candidate)
            ),
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

/// ` (a, b, c …)` for up to three ids, nothing for none.
fn first_ids(ids: &[String]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
    let more = if ids.len() > 3 { " …" } else { "" };
    format!(": {}{more}", shown.join(", "))
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

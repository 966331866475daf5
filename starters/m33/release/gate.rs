//! Steps B1 and B2 · The pre-deploy gate. Guide: `labs/m33/README.md`, Part B.
//!
//! Types: `crate::eval::{Score, EvalReport}`, `crate::verdict::{GatePolicy,
//! GateReason, GateVerdict}`.

use crate::eval::{EvalReport, Score};
use crate::verdict::{GatePolicy, GateReason, GateVerdict};

/// `true` when `candidate` is at most `max_drop_percent` percent below
/// `live`, *relative to live*: a drop of exactly the limit passes.
///
/// Scores are whole counts (`passed` out of `total`); decide with whole
/// numbers only, so the boundary is exact (0.882 vs 0.9 is exactly 2%, but
/// `0.882 >= 0.98 * 0.9` is false in floating point).
pub fn within_tolerance(live: Score, candidate: Score, max_drop_percent: u32) -> bool {
    todo!("within_tolerance: with whole numbers, is the drop relative to live at most the limit?")
}

/// The gate: compares `candidate` with `live` (both scored on the same eval
/// set) and lists every reason to block, in this order: the score drop (if
/// beyond the policy's tolerance), then each failed regression case of the
/// candidate, in the report's order. No reasons means pass.
pub fn judge(policy: &GatePolicy, live: &EvalReport, candidate: &EvalReport) -> GateVerdict {
    todo!("judge: list every reason to block, in the documented order")
}

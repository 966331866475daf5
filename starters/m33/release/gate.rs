//! Steps B1 and B2 · The pre-deploy gate. Guide: `labs/m33/README.md`, Part B.
//!
//! Types: `crate::eval::{Score, EvalReport, case_difference, repeated_cases}`,
//! `crate::verdict::{GatePolicy, GateReason, GateVerdict, Side}`.

use crate::eval::{case_difference, repeated_cases, EvalReport, Score};
use crate::verdict::{GatePolicy, GateReason, GateVerdict, Side};

/// `true` when `candidate` is at most `max_drop_percent` percent below
/// `live`, *relative to live*: a drop of exactly the limit passes.
///
/// Scores are whole counts (`passed` out of `total`); decide with whole
/// numbers only, so the boundary is exact (0.882 vs 0.9 is exactly 2%, but
/// `0.882 >= 0.98 * 0.9` is false in floating point).
///
/// No evidence is never within tolerance: a score with `total` 0, or with
/// more passed than total, on either side, gives `false`.
pub fn within_tolerance(live: Score, candidate: Score, max_drop_percent: u32) -> bool {
    todo!("within_tolerance: refuse a score of nothing, then, with whole numbers, is the drop relative to live at most the limit?")
}

/// The gate: compares `candidate` with `live` and lists every reason to
/// block, in this order:
///
/// 1. the evidence, live first, then the candidate, at most one reason per
///    side: `NoEvidence` for a side scored on no case (`total` 0);
///    otherwise `RepeatedCases` when its report lists a case id more than
///    once (`repeated_cases`: its cases must be one set of unique ids);
///    otherwise `InvalidScore` when its `passed` exceeds its `total` or its
///    `total` is not the number of `cases` it lists;
/// 2. `DifferentEvalSets` when both sides have evidence but were scored on
///    different case ids (`case_difference`);
/// 3. the score drop, if beyond the policy's tolerance, *only* when steps 1
///    and 2 found nothing (scores of different things do not compare);
/// 4. each failed regression case of the candidate, in the report's order.
///
/// No reasons means pass.
pub fn judge(policy: &GatePolicy, live: &EvalReport, candidate: &EvalReport) -> GateVerdict {
    todo!("judge: fail closed on missing or mismatched evidence, then list every reason to block, in the documented order")
}

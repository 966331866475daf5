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
/// `0.882 >= 0.98 * 0.9` is false in floating point). With live `a/b`,
/// candidate `c/d` and the limit `p`, `c/d ≥ (100 − p)/100 · a/b` is
/// `100·c·b ≥ (100 − p)·a·d`; compute the products in `u128`
/// (`u128::from(x)`), where none can overflow.
///
/// No evidence is never within tolerance: a score with `total` 0, or with
/// more passed than total, on either side, gives `false`.
///
/// A limit of 100 or more allows any drop. Mind the subtraction: in `u32`,
/// `100 - max_drop_percent` panics (overflow) for a limit above 100, where
/// `100u32.saturating_sub(max_drop_percent)` gives 0.
pub fn within_tolerance(live: Score, candidate: Score, max_drop_percent: u32) -> bool {
    // BEGIN SOLUTION within_tolerance: refuse a score of nothing, then, with whole numbers, is the drop relative to live at most the limit?
    let real = |s: Score| s.total > 0 && s.passed <= s.total;
    if !real(live) || !real(candidate) {
        return false;
    }
    let keep = u128::from(100u32.saturating_sub(max_drop_percent));
    let lhs = u128::from(candidate.passed) * u128::from(live.total) * 100;
    let rhs = keep * u128::from(live.passed) * u128::from(candidate.total);
    lhs >= rhs
    // END SOLUTION
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
/// 2. `DifferentEvalSets` when step 1 found nothing wrong with either side
///    but they were scored on different case ids (`case_difference`);
/// 3. the score drop, if beyond the policy's tolerance
///    ([`within_tolerance`] with `policy.max_drop_percent`), *only* when
///    steps 1 and 2 found nothing (scores of different things do not
///    compare): `GateReason::ScoreDrop { live, candidate, max_drop_percent }`,
///    the two scores and the limit;
/// 4. each failed regression case of the candidate, in the report's order
///    (`candidate.failed_regressions`), whatever steps 1 to 3 found:
///    `GateReason::RegressionFailed { case }`.
///
/// No reasons means pass. Steps 1 and 2 (checking the evidence) and the
/// verdict at the end are given below; you write steps 3 and 4.
pub fn judge(policy: &GatePolicy, live: &EvalReport, candidate: &EvalReport) -> GateVerdict {
    // Given: steps 1 and 2, the evidence (fail closed on none or bad).
    let mut reasons = Vec::new();
    for (side, report) in [(Side::Live, live), (Side::Candidate, candidate)] {
        let score = report.score;
        let cases_listed = report.cases.len() as u64;
        let repeated = repeated_cases(report);
        if score.total == 0 {
            reasons.push(GateReason::NoEvidence { side });
        } else if !repeated.is_empty() {
            reasons.push(GateReason::RepeatedCases {
                side,
                ids: repeated,
            });
        } else if score.passed > score.total || score.total != cases_listed {
            reasons.push(GateReason::InvalidScore {
                side,
                score,
                cases_listed,
            });
        }
    }
    if reasons.is_empty() {
        let diff = case_difference(live, candidate);
        if !diff.is_empty() {
            reasons.push(GateReason::DifferentEvalSets {
                only_live: diff.only_live,
                only_candidate: diff.only_candidate,
            });
        }
    }
    // BEGIN SOLUTION judge: steps 3 and 4: the score drop only when the evidence held, then each failed regression case
    if reasons.is_empty()
        && !within_tolerance(live.score, candidate.score, policy.max_drop_percent)
    {
        reasons.push(GateReason::ScoreDrop {
            live: live.score,
            candidate: candidate.score,
            max_drop_percent: policy.max_drop_percent,
        });
    }
    for case in &candidate.failed_regressions {
        reasons.push(GateReason::RegressionFailed { case: case.clone() });
    }
    // END SOLUTION
    GateVerdict {
        live: live.score,
        candidate: candidate.score,
        reasons,
    }
}

//! Step B3 · The canary decision. Guide: `labs/m33/README.md`, Part B.
//!
//! What a `ReleaseManager` offers (in `crates/release-ops/src/manager.rs`):
//! `live_version()`, `evaluate(version)`, `policy()`, and for the approval
//! `approve(candidate)` and `withdraw_approval()`; and the gate's `judge`
//! from step B2.

use crate::error::{ReleaseError, Result};
use crate::gate::judge;
use crate::manager::{CanaryReport, Decision, ReleaseManager};

/// Canaries `candidate` against the live baseline of `manager`: scores both
/// on the manager's eval set *now* (the build-time score may be from an
/// older eval set), asks the gate, and decides. A promote decision approves
/// the candidate for `ReleaseManager::promote`; a rollback decision
/// withdraws any earlier approval. Live never changes here.
///
/// Errors: nothing live, the candidate is live already, an unknown
/// version. An empty eval set is *not* an error: both sides score nothing,
/// the gate blocks with `NoEvidence`, and the decision is a rollback.
///
/// Given: the refusals before any work (the live version is copied into a
/// `String`, so `manager` is free to change later) and the report at the
/// end. You write the block that scores both (`manager.evaluate(v)?`: an
/// unknown version is an error, passed on with `?`), asks the gate
/// (`judge(&manager.policy(), …)`; `policy()` returns a copy), decides by
/// `verdict.passed()`, approves or withdraws, and ends with the four values
/// the report needs.
pub fn canary(manager: &mut ReleaseManager, candidate: &str) -> Result<CanaryReport> {
    let live = manager.live_version()?.to_string();
    if live == candidate {
        return Err(ReleaseError::AlreadyLive { version: live });
    }
    // Yours: the four values the report is made of.
    let (live_report, candidate_report, verdict, decision) = {
        // BEGIN SOLUTION canary: score live and candidate now, ask the gate, decide, approve or withdraw; end with the four values
        let live_report = manager.evaluate(&live)?;
        let candidate_report = manager.evaluate(candidate)?;
        let verdict = judge(&manager.policy(), &live_report, &candidate_report);
        let decision = if verdict.passed() {
            Decision::Promote
        } else {
            Decision::Rollback
        };
        match decision {
            Decision::Promote => manager.approve(candidate),
            Decision::Rollback => manager.withdraw_approval(),
        }
        (live_report, candidate_report, verdict, decision)
        // END SOLUTION
    };
    Ok(CanaryReport {
        candidate: candidate.to_string(),
        live,
        live_report,
        candidate_report,
        verdict,
        decision,
    })
}

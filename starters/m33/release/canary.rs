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
pub fn canary(manager: &mut ReleaseManager, candidate: &str) -> Result<CanaryReport> {
    todo!("canary: score live and candidate now, ask the gate, decide, keep the approval right")
}

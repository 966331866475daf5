//! Part A, step A1 · Run the runbook's play. Guide: `labs/m34/README.md`, Part A.
//!
//! A runbook play (M31's `incident::Play`) is data. `Operations` (in
//! `crates/capstone/src/ops.rs`) holds what a play acts on: the release
//! manager of M33 Part B (`ops.releases`) and the index of M33 Part A
//! (`ops.index`, `ops.sources`).

use chrono::{DateTime, Utc};
use incident::Play;

use crate::error::ShiftError;
use crate::ops::{Mitigation, Operations};

/// Executes `play` at `now` and reports what it did:
///
/// - `Play::RollbackToLastGood`: the release manager's one-call rollback
///   (it runs the whole checklist). A rollback whose report has not
///   `recovered()` (the exit targets never went green) is not a mitigation:
///   `ShiftError::NotGreen` with the release rolled back to.
/// - `Play::ReindexChangedDocuments`: `crate::reindex_stale(ops, now)` (the
///   optional challenge).
/// - any other play is for a person: `ShiftError::PlayNotAutomated`.
pub fn execute_play(
    play: Play,
    ops: &mut Operations,
    now: DateTime<Utc>,
) -> Result<Mitigation, ShiftError> {
    // BEGIN SOLUTION execute_play: dispatch the play to release-ops (rollback, green or it is no mitigation) or index-ops (re-index); refuse plays meant for people
    match play {
        Play::RollbackToLastGood => {
            let report = ops.releases.rollback()?;
            if !report.recovered() {
                return Err(ShiftError::NotGreen { to: report.to });
            }
            Ok(Mitigation::Rollback(report))
        }
        Play::ReindexChangedDocuments => Ok(Mitigation::Reindex(crate::reindex_stale(ops, now)?)),
        other => Err(ShiftError::PlayNotAutomated(other)),
    }
    // END SOLUTION
}

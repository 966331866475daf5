//! Step B4 · Rollback, by the checklist. Guide: `labs/m33/README.md`, Part B.
//!
//! The checklist's steps are methods of `ReleaseManager` (in
//! `crates/release-ops/src/manager.rs`): `rollback_target`, `capture_state`,
//! `serving_profile`, `freeze_writers`, `flip_pointer`,
//! `rotate_cache_namespace`, `throttle`, `watch_exit_targets`,
//! `unfreeze_writers`. Each returns the `ChecklistStep` it carried out.

use crate::error::Result;
use crate::manager::{ChecklistStep, ReleaseManager, RollbackReport};

/// Returns the live release of `manager` to the last-good release in one
/// call, following the rollback checklist, and reports every step in order:
///
/// capture state → freeze writers → flip the pointer → rotate the cache
/// namespace → throttle on → watch the exit targets → (only when green)
/// throttle off → unfreeze writers.
///
/// Anything that can fail is looked up *before* the first change, so a
/// refused rollback (nothing live, no last-good release) changes nothing.
pub fn rollback(manager: &mut ReleaseManager) -> Result<RollbackReport> {
    // BEGIN SOLUTION rollback: look up all that can fail, then run the rollback checklist in order
    let to = manager.rollback_target()?;
    let from = manager.live_version()?.to_string();
    let state = manager.capture_state()?;
    let bad = manager.serving_profile(&from)?;
    let good = manager.serving_profile(&to)?;
    let mut steps = vec![ChecklistStep::CaptureState(state)];
    steps.push(manager.freeze_writers());
    steps.push(manager.flip_pointer(&to));
    steps.push(manager.rotate_cache_namespace());
    steps.push(manager.throttle(true));
    let watch = manager.watch_exit_targets(bad, good);
    let green = matches!(&watch, ChecklistStep::Watch(w) if w.green_at.is_some());
    steps.push(watch);
    if green {
        steps.push(manager.throttle(false));
        steps.push(manager.unfreeze_writers());
    }
    Ok(RollbackReport { from, to, steps })
    // END SOLUTION
}

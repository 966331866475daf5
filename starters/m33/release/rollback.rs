//! Step B4 · Rollback, by the checklist. Guide: `labs/m33/README.md`, Part B.
//!
//! The checklist's steps are methods of `ReleaseManager` (in
//! `crates/release-ops/src/manager.rs`): `rollback_target`, `capture_state`,
//! `serving_profile`, `freeze_writers`, `flip_pointer`,
//! `rotate_cache_namespace`, `throttle`, `watch_exit_targets`,
//! `unfreeze_writers`. The first three look things up (given below); each of
//! the others carries out one step and returns its `ChecklistStep`.

use crate::error::Result;
use crate::manager::{ChecklistStep, ReleaseManager, RollbackReport};

/// Returns the live release of `manager` to the last-good release in one
/// call, following the rollback checklist, and reports every step in order:
///
/// 1. capture state
/// 2. freeze writers
/// 3. flip the pointer
/// 4. rotate the cache namespace
/// 5. throttle on
/// 6. watch the exit targets
/// 7. only when the watch turned green: throttle off
/// 8. only when the watch turned green: unfreeze writers
///
/// Given: everything that can fail, looked up *before* the first change, so
/// a refused rollback (nothing live, no last-good release) changes nothing;
/// and step 1, whose record opens `steps`. You write steps 2 to 8, pushing
/// what each call returns: `freeze_writers()`, `flip_pointer(&to)`,
/// `rotate_cache_namespace()`, `throttle(true)`, then
/// `watch_exit_targets(bad, good)`, which cools the service from the release
/// rolled back (`bad`) to the one coming back (`good`, whose p95 is the
/// latency baseline); then, only if the watch turned green, `throttle(false)`
/// and `unfreeze_writers()`. The watch is `ChecklistStep::Watch(w)`, green
/// when `w.green_at` is `Some(minute)`: ask [`ChecklistStep::turned_green`]
/// before you push it (the push moves it). Never green: stop after it, with
/// writers frozen, for a person to take over.
pub fn rollback(manager: &mut ReleaseManager) -> Result<RollbackReport> {
    let to = manager.rollback_target()?;
    let from = manager.live_version()?.to_string();
    let state = manager.capture_state()?;
    let bad = manager.serving_profile(&from)?;
    let good = manager.serving_profile(&to)?;
    let mut steps = vec![ChecklistStep::CaptureState(state)];
    todo!("rollback: steps 2 to 8 of the checklist, in order, and throttle off and unfreeze only when the watch turned green");
    Ok(RollbackReport { from, to, steps })
}

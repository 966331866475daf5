//! Steps B5 and B6 · Blue/green cut-over and bake. Guide: `labs/m33/README.md`, Part B.
//!
//! What a `BlueGreen` offers (in `crates/release-ops/src/slots.rs`): to read,
//! `live()`, `idle()`, `slot(color)`, `baking()`, `bake_period()`; to
//! change, `flip_to(color)` (the one assignment of the live pointer, counted
//! as a flip), `start_bake(bake)` and `end_bake()`. Types: `Bake`,
//! `BakeStatus`, `CutOver`.

use chrono::{DateTime, Utc};

use crate::error::{ReleaseError, Result};
use crate::slots::{Bake, BakeStatus, BlueGreen, CutOver};

/// Moves all traffic to the idle slot of `blue_green` at `now`, in one
/// assignment of the live pointer, and starts the bake (`now + bake_period`).
///
/// Refused, with nothing changed, when a bake is still running, when the
/// idle slot has no release, or when it failed its health check.
pub fn cut_over(blue_green: &mut BlueGreen, now: DateTime<Utc>) -> Result<CutOver> {
    todo!("cut_over: refuse what must be refused, then flip the pointer once, start the bake")
}

/// One look at the service at `now` during a bake. An alert flips the
/// pointer back to the previous slot at once and ends the bake; a quiet
/// look at or after the bake's end makes the cut-over final; otherwise it
/// is still baking. With no bake running, nothing happens (`Idle`): an
/// alert after a bake was made final is an incident, not a flip.
pub fn observe(blue_green: &mut BlueGreen, now: DateTime<Utc>, alerting: bool) -> BakeStatus {
    todo!("observe: an alert flips back; a quiet bake is final once over; else the time left")
}

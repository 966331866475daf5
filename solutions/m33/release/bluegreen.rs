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
    // BEGIN SOLUTION cut_over: refuse what must be refused, then flip the pointer once, start the bake
    if blue_green.baking().is_some() {
        return Err(ReleaseError::BakeInProgress);
    }
    let from = blue_green.live();
    let to = blue_green.idle();
    let slot = blue_green.slot(to);
    let release = slot.release.clone().ok_or(ReleaseError::IdleSlotEmpty {
        slot: to.to_string(),
    })?;
    if !slot.healthy {
        return Err(ReleaseError::IdleUnhealthy {
            slot: to.to_string(),
            release,
        });
    }
    blue_green.flip_to(to);
    let until = now + blue_green.bake_period();
    blue_green.start_bake(Bake {
        previous: from,
        started: now,
        until,
    });
    Ok(CutOver {
        from,
        to,
        release,
        bake_until: until,
    })
    // END SOLUTION
}

/// One look at the service at `now` during a bake. An alert flips the
/// pointer back to the previous slot at once and ends the bake; a quiet
/// look at or after the bake's end makes the cut-over final; otherwise it
/// is still baking. With no bake running, nothing happens (`Idle`): an
/// alert after a bake was made final is an incident, not a flip.
pub fn observe(blue_green: &mut BlueGreen, now: DateTime<Utc>, alerting: bool) -> BakeStatus {
    // BEGIN SOLUTION observe: an alert flips back; a quiet bake is final once over; else the time left
    let Some(bake) = blue_green.baking() else {
        return BakeStatus::Idle;
    };
    if alerting {
        blue_green.flip_to(bake.previous);
        blue_green.end_bake();
        BakeStatus::FlippedBack { to: bake.previous }
    } else if now >= bake.until {
        blue_green.end_bake();
        BakeStatus::Baked {
            live: blue_green.live(),
        }
    } else {
        BakeStatus::Baking {
            remaining: bake.until - now,
        }
    }
    // END SOLUTION
}

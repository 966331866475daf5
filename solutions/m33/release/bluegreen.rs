//! Steps B5 and B6 · Blue/green cut-over and bake. Guide: `labs/m33/README.md`, Part B.
//!
//! Types and fields (in `crates/release-ops/src/slots.rs`): `self.live`,
//! `self.idle()`, `self.slot(color)`, `self.baking`, `self.bake_period`,
//! `self.flips`; `Bake`, `BakeStatus`, `CutOver`.

use chrono::{DateTime, Utc};

use crate::error::{ReleaseError, Result};
use crate::slots::{Bake, BakeStatus, BlueGreen, CutOver};

impl BlueGreen {
    /// Moves all traffic to the idle slot at `now`, in one assignment of the
    /// live pointer, and starts the bake (`now + bake_period`).
    ///
    /// Refused, with nothing changed, when a bake is still running, when the
    /// idle slot has no release, or when it failed its health check.
    pub fn cut_over(&mut self, now: DateTime<Utc>) -> Result<CutOver> {
        // BEGIN SOLUTION cut_over: refuse what must be refused, then flip the pointer once, start the bake
        if self.baking.is_some() {
            return Err(ReleaseError::BakeInProgress);
        }
        let from = self.live;
        let to = self.idle();
        let slot = self.slot(to);
        let release = slot.release.clone().ok_or(ReleaseError::IdleSlotEmpty {
            slot: to.to_string(),
        })?;
        if !slot.healthy {
            return Err(ReleaseError::IdleUnhealthy {
                slot: to.to_string(),
                release,
            });
        }
        self.live = to;
        self.flips += 1;
        let until = now + self.bake_period;
        self.baking = Some(Bake {
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
    /// is still baking. With no bake running, nothing happens (`Idle`).
    pub fn observe(&mut self, now: DateTime<Utc>, alerting: bool) -> BakeStatus {
        // BEGIN SOLUTION observe: an alert flips back; a quiet bake is final once over; else the time left
        let Some(bake) = self.baking else {
            return BakeStatus::Idle;
        };
        if alerting {
            self.live = bake.previous;
            self.flips += 1;
            self.baking = None;
            BakeStatus::FlippedBack { to: bake.previous }
        } else if now >= bake.until {
            self.baking = None;
            BakeStatus::Baked { live: self.live }
        } else {
            BakeStatus::Baking {
                remaining: bake.until - now,
            }
        }
        // END SOLUTION
    }
}

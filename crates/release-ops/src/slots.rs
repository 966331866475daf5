//! Blue/green: two slots, one pointer.
//!
//! Two complete copies of the service run side by side. One slot is **live**
//! (takes all traffic), the other **idle**. A new release is staged on the
//! idle slot and health-checked there, with no user on it. The cut-over is
//! one assignment of the live pointer, so there is never a moment with half
//! the traffic on each. Then the new release **bakes**: for a bake period (10
//! minutes for a small service) the old slot is kept warm, and any alert
//! flips the pointer straight back. Only after a quiet bake is the cut-over
//! final.
//!
//! The learner writes the body of [`BlueGreen::cut_over`] and
//! [`BlueGreen::observe`] (steps B5 and B6: the functions `cut_over` and
//! `observe` in `bluegreen.rs`, which these methods call).

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::Result;

/// A slot's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Color {
    Blue,
    Green,
}

impl Color {
    /// The other slot.
    pub fn other(self) -> Color {
        match self {
            Color::Blue => Color::Green,
            Color::Green => Color::Blue,
        }
    }

    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Color::Blue => "blue",
            Color::Green => "green",
        }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One copy of the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Slot {
    /// The release running there, if any.
    pub release: Option<String>,
    /// The result of its last health check.
    pub healthy: bool,
}

/// A cut-over under observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bake {
    /// The slot that was live before the cut-over (where a flip-back goes).
    pub previous: Color,
    pub started: DateTime<Utc>,
    /// The bake ends at this instant (inclusive: at `until` it is over).
    pub until: DateTime<Utc>,
}

/// What a cut-over did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CutOver {
    pub from: Color,
    pub to: Color,
    pub release: String,
    pub bake_until: DateTime<Utc>,
}

/// Where a bake stands after an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BakeStatus {
    /// No cut-over is baking.
    Idle,
    /// Still baking; this much is left.
    Baking { remaining: TimeDelta },
    /// The bake period passed without alerts: the cut-over is final.
    Baked { live: Color },
    /// An alert during the bake: traffic is back on the previous slot.
    FlippedBack { to: Color },
}

/// Two slots and the live pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlueGreen {
    pub(crate) blue: Slot,
    pub(crate) green: Slot,
    pub(crate) live: Color,
    pub(crate) bake_period: TimeDelta,
    pub(crate) baking: Option<Bake>,
    /// Number of pointer flips so far (each cut-over or flip-back is one).
    pub(crate) flips: u32,
}

impl BlueGreen {
    /// `release` live on blue (assumed healthy), green empty, bake period
    /// `bake_period`.
    pub fn new(release: &str, bake_period: TimeDelta) -> Self {
        Self {
            blue: Slot {
                release: Some(release.to_string()),
                healthy: true,
            },
            green: Slot::default(),
            live: Color::Blue,
            bake_period,
            baking: None,
            flips: 0,
        }
    }

    /// The live slot's color.
    pub fn live(&self) -> Color {
        self.live
    }

    /// The idle slot's color.
    pub fn idle(&self) -> Color {
        self.live.other()
    }

    /// The slot named `color`.
    pub fn slot(&self, color: Color) -> &Slot {
        match color {
            Color::Blue => &self.blue,
            Color::Green => &self.green,
        }
    }

    pub(crate) fn slot_mut(&mut self, color: Color) -> &mut Slot {
        match color {
            Color::Blue => &mut self.blue,
            Color::Green => &mut self.green,
        }
    }

    /// The release users are on.
    pub fn live_release(&self) -> Option<&str> {
        self.slot(self.live).release.as_deref()
    }

    /// The bake in progress, if any.
    pub fn baking(&self) -> Option<Bake> {
        self.baking
    }

    /// The bake period.
    pub fn bake_period(&self) -> TimeDelta {
        self.bake_period
    }

    /// Pointer flips so far.
    pub fn flips(&self) -> u32 {
        self.flips
    }

    /// Stages `release` on the idle slot, where its health check reported
    /// `healthy`. Users do not see it yet.
    pub fn stage_idle(&mut self, release: &str, healthy: bool) {
        let idle = self.idle();
        *self.slot_mut(idle) = Slot {
            release: Some(release.to_string()),
            healthy,
        };
    }

    /// Moves all traffic to the idle slot at `now` and starts the bake; see
    /// the learner's `cut_over` (step B5) for the rules.
    pub fn cut_over(&mut self, now: DateTime<Utc>) -> Result<CutOver> {
        crate::bluegreen::cut_over(self, now)
    }

    /// One look at the service at `now` during a bake; see the learner's
    /// `observe` (step B6) for the rules.
    pub fn observe(&mut self, now: DateTime<Utc>, alerting: bool) -> BakeStatus {
        crate::bluegreen::observe(self, now, alerting)
    }

    // ---- the moves a cut-over and a flip-back are made of ----

    /// Points the live pointer at `to`: one assignment, so every request
    /// after it goes to `to` and none is split between the slots. Each call
    /// counts as one flip (see [`BlueGreen::flips`]). It checks nothing:
    /// whether `to` is staged and healthy is the caller's decision.
    pub fn flip_to(&mut self, to: Color) {
        self.live = to;
        self.flips += 1;
    }

    /// Starts observing a cut-over: from now on [`BlueGreen::baking`]
    /// returns `bake`, until [`BlueGreen::end_bake`]. Replaces any bake in
    /// progress, so a cut-over must refuse while one is running.
    pub fn start_bake(&mut self, bake: Bake) {
        self.baking = Some(bake);
    }

    /// Ends the bake in progress, if any (the cut-over is final, or it was
    /// flipped back). The live pointer is not touched.
    pub fn end_bake(&mut self) {
        self.baking = None;
    }
}

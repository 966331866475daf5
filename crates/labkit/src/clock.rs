//! Simulated time.
//!
//! Operations code is full of time: windows over which an SLI is measured,
//! bake periods, grace windows, expiry dates. Reading the wall clock would make
//! every one of those untestable and every trace different. A [`SimClock`]
//! starts at a fixed instant and only moves forward when told to.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

/// A clock that only moves when it is told to.
///
/// ```
/// use labkit::SimClock;
/// use chrono::TimeDelta;
/// let mut clock = SimClock::new();
/// let start = clock.now();
/// clock.advance(TimeDelta::minutes(10));
/// assert_eq!(clock.now() - start, TimeDelta::minutes(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimClock {
    now: DateTime<Utc>,
}

impl SimClock {
    /// The course's fixed starting instant: 2026-03-02 02:00:00 UTC, the small
    /// hours of a Monday, when bad deploys like to go live.
    pub fn new() -> Self {
        Self::at(Self::course_epoch())
    }

    /// A clock that starts at `start`.
    pub fn at(start: DateTime<Utc>) -> Self {
        Self { now: start }
    }

    /// The instant every course scenario starts from.
    pub fn course_epoch() -> DateTime<Utc> {
        match Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0) {
            chrono::LocalResult::Single(t) => t,
            _ => DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    /// The current simulated instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Moves time forward by `by`. Negative durations are ignored: simulated
    /// time, like real time, never runs backwards.
    pub fn advance(&mut self, by: TimeDelta) -> DateTime<Utc> {
        if by > TimeDelta::zero() {
            self.now += by;
        }
        self.now
    }

    /// Moves time forward to `t` if `t` is later than now; returns the new now.
    pub fn advance_to(&mut self, t: DateTime<Utc>) -> DateTime<Utc> {
        if t > self.now {
            self.now = t;
        }
        self.now
    }

    /// Time elapsed since the course epoch, as `HH:MM:SS` (hours may exceed 24).
    pub fn stamp(&self) -> String {
        stamp(self.now)
    }
}

impl Default for SimClock {
    fn default() -> Self {
        Self::new()
    }
}

/// Formats an instant as the offset from the course epoch, `+HH:MM:SS`, which
/// reads better in a trace than a full timestamp.
pub fn stamp(t: DateTime<Utc>) -> String {
    let secs = (t - SimClock::course_epoch()).num_seconds();
    let sign = if secs < 0 { "-" } else { "+" };
    let s = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_only_moves_forward() {
        let mut c = SimClock::new();
        let t0 = c.now();
        c.advance(TimeDelta::seconds(-5));
        assert_eq!(c.now(), t0);
        c.advance_to(t0 - TimeDelta::hours(1));
        assert_eq!(c.now(), t0);
        c.advance(TimeDelta::seconds(90));
        assert_eq!(c.stamp(), "+00:01:30");
    }

    #[test]
    fn stamps_count_from_the_epoch() {
        let e = SimClock::course_epoch();
        assert_eq!(stamp(e + TimeDelta::hours(26)), "+26:00:00");
        assert_eq!(stamp(e - TimeDelta::seconds(61)), "-00:01:01");
    }
}

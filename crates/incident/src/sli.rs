//! Measuring an SLI over sliding windows of a stream of events.
//!
//! The burn-rate policy asks the same question of several windows at once
//! (5 minutes, 1 hour, 6 hours, 3 days…): "of the valid events in the last
//! *w*, how many were bad?". Answering it by rescanning the events for every
//! window and every evaluation costs events × windows; with millions of
//! requests a day that does not keep up.
//!
//! [`WindowedSli`] instead cuts time into fixed **buckets** (one minute by
//! default) and keeps, for each window, a running total of the buckets inside
//! it. An event only increments the open bucket: O(1). When time moves into a
//! new bucket, the closed bucket is added to every window's total and the
//! buckets that fell out of a window are subtracted from it, each exactly
//! once. So the cost is linear in the events plus (buckets × windows), and
//! memory is one bucket per minute of the longest window.
//!
//! The price is resolution: a window of *n* buckets covers the current
//! (partial) bucket and the *n − 1* before it, so a "1h" window is accurate
//! to a minute. For alerting on burn rates that is plenty.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::IncidentError;
use crate::window::minutes;

/// Good and bad event counts over some window. Valid events are the sum:
/// events that should not count (a health check, a request the client
/// cancelled) are never recorded at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub(crate) good: u64,
    pub(crate) bad: u64,
}

impl Counts {
    /// `good` good events and `bad` bad events.
    pub fn new(good: u64, bad: u64) -> Self {
        Self { good, bad }
    }

    /// Events that met the objective.
    pub fn good(&self) -> u64 {
        self.good
    }

    /// Events that did not.
    pub fn bad(&self) -> u64 {
        self.bad
    }

    /// All valid events: good + bad.
    pub fn valid(&self) -> u64 {
        self.good.saturating_add(self.bad)
    }

    /// The SLI: good events over valid events, or `None` when there were no
    /// valid events (no traffic is "no data", not 0% and not 100%).
    /// Written by the learner (`sli` in `starters/m31/budget.rs`).
    pub fn sli(&self) -> Option<f64> {
        super::budget::sli(self)
    }

    /// The error ratio: bad events over valid events, or `None` with no
    /// valid events. Written by the learner (`error_ratio` in
    /// `starters/m31/budget.rs`).
    pub fn error_ratio(&self) -> Option<f64> {
        super::budget::error_ratio(self)
    }

    /// Adds another count to this one.
    pub fn add(&mut self, other: Counts) {
        self.good = self.good.saturating_add(other.good);
        self.bad = self.bad.saturating_add(other.bad);
    }

    fn sub(&mut self, other: Counts) {
        self.good = self.good.saturating_sub(other.good);
        self.bad = self.bad.saturating_sub(other.bad);
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    idx: i64,
    counts: Counts,
}

#[derive(Debug, Clone)]
struct WindowState {
    span: TimeDelta,
    buckets: i64,
    /// Absolute position (in closed buckets ever pushed) of the oldest
    /// closed bucket still inside this window.
    start: u64,
    /// Sum of the closed buckets from `start` to the newest closed bucket.
    sum: Counts,
}

/// Good/bad counts over several sliding windows at once, in time linear in
/// the events. See the [module docs](self).
///
/// ```
/// use incident::{WindowedSli, window::{minutes, hours}};
/// use labkit::SimClock;
/// let t0 = SimClock::course_epoch();
/// let mut sli = WindowedSli::new(t0, minutes(1), &[minutes(5), hours(1)]).unwrap();
/// sli.record(t0, 90, 10).unwrap();
/// sli.record(t0 + minutes(10), 100, 0).unwrap();
/// let now = sli.counts_at(t0 + minutes(10)).unwrap();
/// assert_eq!(now[&minutes(5)].bad(), 0);   // the bad minute left the 5m window
/// assert_eq!(now[&hours(1)].bad(), 10);    // but not the hour
/// ```
#[derive(Debug, Clone)]
pub struct WindowedSli {
    origin: DateTime<Utc>,
    bucket: TimeDelta,
    windows: Vec<WindowState>,
    longest: i64,
    closed: VecDeque<Bucket>,
    popped: u64,
    current: Bucket,
    latest: DateTime<Utc>,
}

impl WindowedSli {
    /// An SLI starting at `origin`, with buckets of `bucket` and the given
    /// windows (each a positive whole number of buckets; duplicates merge).
    pub fn new(
        origin: DateTime<Utc>,
        bucket: TimeDelta,
        windows: &[TimeDelta],
    ) -> Result<Self, IncidentError> {
        if bucket <= TimeDelta::zero() {
            return Err(IncidentError::InvalidSpan {
                what: "bucket",
                span: bucket,
            });
        }
        let b = bucket.num_milliseconds();
        let mut spans: Vec<TimeDelta> = windows.to_vec();
        spans.sort();
        spans.dedup();
        let mut states = Vec::with_capacity(spans.len());
        for w in spans {
            if w <= TimeDelta::zero() {
                return Err(IncidentError::InvalidSpan {
                    what: "window",
                    span: w,
                });
            }
            let ms = w.num_milliseconds();
            if b == 0 || ms % b != 0 {
                return Err(IncidentError::WindowNotMultipleOfBucket { window: w, bucket });
            }
            states.push(WindowState {
                span: w,
                buckets: ms / b,
                start: 0,
                sum: Counts::default(),
            });
        }
        let longest = states.iter().map(|w| w.buckets).max().unwrap_or(1);
        Ok(Self {
            origin,
            bucket,
            windows: states,
            longest,
            closed: VecDeque::new(),
            popped: 0,
            current: Bucket {
                idx: 0,
                counts: Counts::default(),
            },
            latest: origin,
        })
    }

    /// One-minute buckets, which is what burn-rate alerting needs.
    pub fn per_minute(origin: DateTime<Utc>, windows: &[TimeDelta]) -> Result<Self, IncidentError> {
        Self::new(origin, minutes(1), windows)
    }

    /// The windows this SLI measures, shortest first.
    pub fn windows(&self) -> Vec<TimeDelta> {
        self.windows.iter().map(|w| w.span).collect()
    }

    fn bucket_of(&self, at: DateTime<Utc>) -> Result<i64, IncidentError> {
        if at < self.origin {
            return Err(IncidentError::BeforeOrigin {
                at,
                origin: self.origin,
            });
        }
        let b = self.bucket.num_milliseconds().max(1);
        Ok((at - self.origin).num_milliseconds() / b)
    }

    /// Moves the open bucket forward to `idx`, closing the current one.
    fn roll(&mut self, idx: i64) {
        if idx <= self.current.idx {
            return;
        }
        let closing = self.current;
        self.closed.push_back(closing);
        for w in &mut self.windows {
            w.sum.add(closing.counts);
        }
        self.current = Bucket {
            idx,
            counts: Counts::default(),
        };
        // Expire, per window, the closed buckets that are now too old: a window
        // of n buckets keeps indices in (idx − n, idx].
        let end = self.popped + self.closed.len() as u64;
        for w in &mut self.windows {
            while w.start < end {
                let Some(b) = self.closed.get((w.start - self.popped) as usize) else {
                    break;
                };
                if b.idx > idx - w.buckets {
                    break;
                }
                w.sum.sub(b.counts);
                w.start += 1;
            }
        }
        // No window needs a bucket older than the longest window.
        while let Some(front) = self.closed.front() {
            if front.idx > idx - self.longest {
                break;
            }
            self.closed.pop_front();
            self.popped += 1;
        }
    }

    /// Records `good` and `bad` events at `at`. Events must come in time
    /// order to the bucket: one in an already-closed bucket is refused.
    pub fn record(&mut self, at: DateTime<Utc>, good: u64, bad: u64) -> Result<(), IncidentError> {
        let idx = self.bucket_of(at)?;
        if idx < self.current.idx {
            return Err(IncidentError::EventOutOfOrder {
                at,
                latest: self.latest,
            });
        }
        self.roll(idx);
        self.current.counts.add(Counts { good, bad });
        if at > self.latest {
            self.latest = at;
        }
        Ok(())
    }

    /// Records one event: good (`true`) or bad.
    pub fn observe(&mut self, at: DateTime<Utc>, good: bool) -> Result<(), IncidentError> {
        if good {
            self.record(at, 1, 0)
        } else {
            self.record(at, 0, 1)
        }
    }

    /// The counts of one window as of the latest bucket.
    fn window_counts(&self, w: &WindowState) -> Counts {
        let mut c = w.sum;
        c.add(self.current.counts);
        c
    }

    /// Counts in every window as of `now` (which moves the SLI forward to
    /// `now`; a time before the latest event is refused).
    pub fn counts_at(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<BTreeMap<TimeDelta, Counts>, IncidentError> {
        let idx = self.bucket_of(now)?;
        if idx < self.current.idx {
            return Err(IncidentError::EventOutOfOrder {
                at: now,
                latest: self.latest,
            });
        }
        self.roll(idx);
        if now > self.latest {
            self.latest = now;
        }
        Ok(self
            .windows
            .iter()
            .map(|w| (w.span, self.window_counts(w)))
            .collect())
    }
}

//! Secret rotation with a grace window.
//!
//! A credential shared by a service and its clients has to change now and
//! then, and clients do not all learn the new one at the same moment: each
//! re-reads the secret store on its own schedule. A rotation therefore moves
//! a secret through stages (the names AWS Secrets Manager uses in brackets):
//!
//! 1. **create** a new secret as *pending* (`AWSPENDING`);
//! 2. **set** it: install it on the service, which now accepts it too;
//! 3. **test** it: a request signed with it succeeds;
//! 4. **finish**: pending becomes *current* (`AWSCURRENT`), and the old
//!    current becomes *previous* (`AWSPREVIOUS`), still accepted until the
//!    **grace window** ends; then it is retired.
//!
//! A client that refreshed just before step 4 keeps sending the old secret
//! until its next refresh. If the grace window is at least the slowest
//! client's refresh interval, every such request lands inside the window:
//! zero failed requests. With no grace window, every client between refreshes
//! fails until it refreshes: an outage of up to one refresh interval.
//!
//! **The boundary, exactly.** Take a client with refresh interval `R` and a
//! rotation that finishes at `F` with grace window `G`. The worst case is a
//! read of the store served just *before* `F` (at `F − ε`): it returns the
//! old secret, and the client holds it until its next read at `F − ε + R`.
//! Its last request with the old secret goes out before that read, so
//! strictly before `F + R`; the old secret is accepted strictly before
//! `F + G`. Both ends are exclusive, so `G = R` is enough, and `G ≥` the
//! slowest `R` gives zero failed requests whatever the phases of the
//! clients (a read at exactly `F` already returns the new secret: the store
//! changes first). With `G = R − 1 s`, the read at `F − 1 ms` and a request
//! at `F + R − 2 ms` fail. A drill on a whole-second grid cannot show that
//! (on it the tightest case is `F − 1 s` and `F + R − 2 s`, inside even
//! `R − 1 s`), so [`boundary_schedule`] builds the millisecond schedule and
//! [`replay`] runs one client through it.
//!
//! **One previous secret, so one rotation per grace window.** The store
//! keeps a single previous secret. A second rotation finishing inside the
//! first one's grace window would make the first rotation's *current* the
//! new previous and drop the first *previous* before its window ends: a
//! client still holding it (legitimately, by the argument above) would fail.
//! So finishing is refused with [`ReleaseError::GraceWindowOpen`] until the
//! previous window is over (at `until` exactly it is), and the promise holds
//! for every finished rotation: a secret that became previous at `F` is
//! accepted until `F + G`, whatever happens after.
//!
//! A rotation that stops half-way (after create, set or test) has not changed
//! what clients use, so it can be **resumed** (the remaining steps run) or
//! **aborted** (the pending secret is dropped) without an outage.
//!
//! The learner writes the rule behind [`SecretStore::accepts`] (step B7:
//! the function `accepts` in `rotation.rs`, which the method calls).

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use labkit::{SimClock, SimRng};

use crate::error::{ReleaseError, Result};

/// A secret, known by its sequence number (its value never appears in a trace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Secret(pub u32);

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "secret#{}", self.0)
    }
}

/// The last rotation step that completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RotationStep {
    Created,
    Set,
    Tested,
}

impl RotationStep {
    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            RotationStep::Created => "create",
            RotationStep::Set => "set",
            RotationStep::Tested => "test",
        }
    }
}

/// The previous secret and the end of its grace window (exclusive: at
/// `until` it is no longer accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Previous {
    pub secret: Secret,
    pub until: DateTime<Utc>,
}

/// The service's view of its credential: current, pending, previous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretStore {
    pub(crate) current: Secret,
    pub(crate) pending: Option<Secret>,
    /// `true` once the pending secret is installed on the service (step *set*).
    pub(crate) pending_installed: bool,
    pub(crate) previous: Option<Previous>,
    pub(crate) grace: TimeDelta,
    pub(crate) step: Option<RotationStep>,
    pub(crate) next: u32,
    /// A drill: the next created secret fails its test.
    pub(crate) break_next: bool,
}

impl SecretStore {
    /// A store whose current secret is `secret#1`, with grace window `grace`.
    pub fn new(grace: TimeDelta) -> Self {
        Self {
            current: Secret(1),
            pending: None,
            pending_installed: false,
            previous: None,
            grace,
            step: None,
            next: 2,
            break_next: false,
        }
    }

    /// The current secret: what a client gets when it refreshes.
    pub fn current(&self) -> Secret {
        self.current
    }

    /// The pending secret, if a rotation is under way.
    pub fn pending(&self) -> Option<Secret> {
        self.pending
    }

    /// `true` once the pending secret is installed on the service.
    pub fn pending_installed(&self) -> bool {
        self.pending_installed
    }

    /// The previous secret and its grace deadline.
    pub fn previous(&self) -> Option<Previous> {
        self.previous
    }

    /// The grace window.
    pub fn grace(&self) -> TimeDelta {
        self.grace
    }

    /// The last step of an unfinished rotation.
    pub fn step(&self) -> Option<RotationStep> {
        self.step
    }

    /// Would the service accept a request signed with `presented` at `now`?
    /// The grace-window rule of the learner's `accepts` (step B7).
    pub fn accepts(&self, presented: Secret, now: DateTime<Utc>) -> bool {
        crate::rotation::accepts(self, presented, now)
    }

    /// A drill: the next secret created will fail its test.
    pub fn break_next_secret(&mut self) {
        self.break_next = true;
    }

    /// Step 1: create a pending secret.
    pub fn create(&mut self) -> Result<Secret> {
        if self.pending.is_some() {
            return Err(ReleaseError::RotationInProgress);
        }
        let s = Secret(self.next);
        self.next += 1;
        self.pending = Some(s);
        self.pending_installed = false;
        self.step = Some(RotationStep::Created);
        Ok(s)
    }

    /// Step 2: install the pending secret on the service.
    pub fn set(&mut self) -> Result<()> {
        if self.pending.is_none() {
            return Err(ReleaseError::NoRotationInProgress);
        }
        self.pending_installed = !self.break_next;
        self.step = Some(RotationStep::Set);
        Ok(())
    }

    /// Step 3: a request signed with the pending secret must be accepted.
    pub fn test(&mut self, now: DateTime<Utc>) -> Result<()> {
        let pending = self.pending.ok_or(ReleaseError::NoRotationInProgress)?;
        if !self.accepts(pending, now) {
            return Err(ReleaseError::PendingTestFailed);
        }
        self.step = Some(RotationStep::Tested);
        Ok(())
    }

    /// Refuses with [`ReleaseError::GraceWindowOpen`] while the previous
    /// secret's grace window still runs at `now`: the store keeps one
    /// previous secret, so finishing another rotation would replace it and
    /// revoke it before the end it was promised. At `until` (exclusive end)
    /// the window is over and a rotation may finish.
    pub fn ensure_grace_over(&self, now: DateTime<Utc>) -> Result<()> {
        match self.previous {
            Some(p) if now < p.until => Err(ReleaseError::GraceWindowOpen {
                previous: p.secret,
                until: p.until,
            }),
            _ => Ok(()),
        }
    }

    /// Step 4: pending becomes current; the old current becomes previous,
    /// accepted until `now + grace`. Refused, changing nothing, while the
    /// previous secret of an earlier rotation is still inside its grace
    /// window ([`SecretStore::ensure_grace_over`]).
    pub fn finish(&mut self, now: DateTime<Utc>) -> Result<Secret> {
        if self.pending.is_none() {
            return Err(ReleaseError::NoRotationInProgress);
        }
        self.ensure_grace_over(now)?;
        let pending = self
            .pending
            .take()
            .ok_or(ReleaseError::NoRotationInProgress)?;
        self.previous = Some(Previous {
            secret: self.current,
            until: now + self.grace,
        });
        self.current = pending;
        self.pending_installed = false;
        self.step = None;
        Ok(pending)
    }

    /// Drops the previous secret once its grace window is over; returns it.
    pub fn retire(&mut self, now: DateTime<Utc>) -> Option<Secret> {
        match self.previous {
            Some(p) if now >= p.until => {
                self.previous = None;
                Some(p.secret)
            }
            _ => None,
        }
    }

    /// A whole rotation at `now`: create, set, test, finish. Refused before
    /// anything is created while an earlier previous secret is still inside
    /// its grace window ([`ReleaseError::GraceWindowOpen`]).
    pub fn rotate(&mut self, now: DateTime<Utc>) -> Result<Secret> {
        if self.pending.is_some() {
            return Err(ReleaseError::RotationInProgress);
        }
        self.ensure_grace_over(now)?;
        self.create()?;
        self.resume(now)
    }

    /// Runs the steps an interrupted rotation has left (set, test, finish).
    /// A failed test leaves the rotation where it is, for an abort; so does
    /// a grace window still open at `now` (checked first, so nothing runs).
    pub fn resume(&mut self, now: DateTime<Utc>) -> Result<Secret> {
        let step = self.step.ok_or(ReleaseError::NoRotationInProgress)?;
        self.ensure_grace_over(now)?;
        if step < RotationStep::Set {
            self.set()?;
        }
        if step < RotationStep::Tested {
            self.test(now)?;
        }
        self.finish(now)
    }

    /// Abandons an unfinished rotation: the pending secret is uninstalled and
    /// dropped; current and previous are untouched.
    pub fn abort(&mut self) -> Result<Secret> {
        let pending = self
            .pending
            .take()
            .ok_or(ReleaseError::NoRotationInProgress)?;
        self.pending_installed = false;
        self.step = None;
        self.break_next = false;
        Ok(pending)
    }
}

/// One client against one rotation, at any time resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSchedule {
    /// When the rotation finishes (pending becomes current, current previous).
    pub finish: DateTime<Utc>,
    /// The store's grace window.
    pub grace: TimeDelta,
    /// The client re-reads the store every `refresh`…
    pub refresh: TimeDelta,
    /// …starting with a read at `first_read`.
    pub first_read: DateTime<Utc>,
    /// When the client sends requests, in order (none before `first_read`).
    pub requests: Vec<DateTime<Utc>>,
}

/// What a replayed schedule counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleOutcome {
    /// Requests sent (those at or after the first read).
    pub sent: u64,
    /// The instants of the requests the service refused, in order.
    pub failed: Vec<DateTime<Utc>>,
}

/// The schedule that puts a client exactly on the boundary: refresh interval
/// `refresh`, a rotation finishing one hour after the course epoch with
/// grace `grace`, the client's read served 1 ms before `finish` (so it holds
/// the old secret), and requests at that read, at `finish`, 1 ms before its
/// next read (the last request signed with the old secret) and at its next
/// read. With `grace >= refresh` none fails; with `grace = refresh − 1 s` the
/// third one does.
pub fn boundary_schedule(refresh: TimeDelta, grace: TimeDelta) -> ClientSchedule {
    let finish = SimClock::course_epoch() + TimeDelta::hours(1);
    let ms = TimeDelta::milliseconds(1);
    let first_read = finish - ms;
    ClientSchedule {
        finish,
        grace,
        refresh,
        first_read,
        requests: vec![
            first_read,
            finish,
            first_read + refresh - ms,
            first_read + refresh,
        ],
    }
}

/// Replays `schedule` against a real [`SecretStore`]: created and set
/// before the first read, finished at `finish`. Each request is signed with
/// what the client's latest read returned (a read and a request at the same
/// instant: the read first; a read at `finish`: the store has changed), and
/// judged by [`SecretStore::accepts`] at its instant. A non-positive refresh
/// interval is treated as one millisecond.
pub fn replay(schedule: &ClientSchedule) -> ScheduleOutcome {
    let mut before = SecretStore::new(schedule.grace);
    // A fresh store always has room for one rotation: these cannot fail.
    let _ = before.create();
    let _ = before.set();
    let mut after = before.clone();
    let _ = after.finish(schedule.finish);
    let state_at = |t: DateTime<Utc>| if t < schedule.finish { &before } else { &after };
    let refresh = schedule.refresh.max(TimeDelta::milliseconds(1));
    let mut outcome = ScheduleOutcome {
        sent: 0,
        failed: Vec::new(),
    };
    let mut next_read = schedule.first_read;
    let mut held = None;
    for &t in &schedule.requests {
        while next_read <= t {
            held = Some(state_at(next_read).current());
            next_read += refresh;
        }
        let Some(secret) = held else { continue };
        outcome.sent += 1;
        if !state_at(t).accepts(secret, t) {
            outcome.failed.push(t);
        }
    }
    outcome
}

/// What happens to a rotation in a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Interruption {
    /// The rotation runs straight through.
    None,
    /// It stops after `after` and is resumed `delay` later.
    Resume {
        after: RotationStep,
        delay: TimeDelta,
    },
    /// It stops after `after` and is aborted `delay` later.
    Abort {
        after: RotationStep,
        delay: TimeDelta,
    },
}

/// A rotation drill: many clients, each refreshing the secret on its own
/// interval and sending requests on its own rhythm, while one rotation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RotationDrill {
    pub seed: u64,
    pub clients: usize,
    /// The longest refresh interval; client 0 uses exactly this, the others
    /// draw theirs between one minute and this.
    pub slowest_refresh: TimeDelta,
    pub grace: TimeDelta,
    pub interruption: Interruption,
}

impl RotationDrill {
    /// The course drill: 50 clients, slowest refresh 15 minutes.
    pub fn course(seed: u64, grace: TimeDelta) -> Self {
        Self {
            seed,
            clients: 50,
            slowest_refresh: TimeDelta::minutes(15),
            grace,
            interruption: Interruption::None,
        }
    }
}

/// What a drill counted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrillReport {
    pub requests: u64,
    pub failed: u64,
    /// Clients that saw at least one failure.
    pub clients_hit: usize,
    /// When the rotation finished (None if it was aborted).
    pub finished_at: Option<DateTime<Utc>>,
    /// The first failed request, if any.
    pub first_failure: Option<DateTime<Utc>>,
    /// The last failed request, if any.
    pub last_failure: Option<DateTime<Utc>>,
    /// Rotation steps as they happened, for the trace.
    pub log: Vec<(DateTime<Utc>, String)>,
}

/// Runs `drill` from the course epoch and counts failed requests. The
/// rotation starts once every client has refreshed at least once (one slowest
/// interval in), each step one minute apart; the drill runs until two
/// slowest intervals after the grace window closes.
pub fn run_drill(drill: &RotationDrill) -> DrillReport {
    let start = SimClock::course_epoch();
    let slow = drill.slowest_refresh.num_seconds().max(60);
    let mut rng = SimRng::seed(drill.seed);
    // client i: (refresh interval, refresh phase, request interval, request phase), in seconds
    let clients: Vec<(i64, i64, i64, i64)> = (0..drill.clients)
        .map(|i| {
            let refresh = if i == 0 {
                slow
            } else {
                rng.between(60, slow as u64) as i64
            };
            let phase = rng.below(refresh as u64) as i64;
            let every = rng.between(10, 30) as i64;
            let rphase = rng.below(every as u64) as i64;
            (refresh, phase, every, rphase)
        })
        .collect();
    // rotation timeline: create, set, test, (stall), finish/abort
    let r0 = slow;
    let mut rot: Vec<(i64, u8)> = vec![(r0, 0), (r0 + 60, 1), (r0 + 120, 2), (r0 + 180, 3)];
    match drill.interruption {
        Interruption::None => {}
        Interruption::Resume { after, delay } | Interruption::Abort { after, delay } => {
            let keep = match after {
                RotationStep::Created => 1,
                RotationStep::Set => 2,
                RotationStep::Tested => 3,
            };
            rot.truncate(keep);
            let last = rot.last().map(|x| x.0).unwrap_or(r0);
            // 4: resume the remaining steps and finish; 5: abort
            let end_action = if matches!(drill.interruption, Interruption::Resume { .. }) {
                4
            } else {
                5
            };
            rot.push((last + delay.num_seconds().max(1), end_action));
        }
    }
    let finish_t = rot.last().map(|x| x.0).unwrap_or(r0);
    let end = finish_t + drill.grace.num_seconds().max(0) + 2 * slow;
    let mut report = DrillReport {
        requests: 0,
        failed: 0,
        clients_hit: 0,
        finished_at: None,
        first_failure: None,
        last_failure: None,
        log: Vec::new(),
    };
    // The store only changes at the rotation's steps: keep its state after
    // each one. On a tie the store changes first, then clients refresh, then
    // they send requests.
    let mut store = SecretStore::new(drill.grace);
    let mut states: Vec<(i64, SecretStore)> = vec![(i64::MIN, store.clone())];
    for &(t, a) in &rot {
        let now = start + TimeDelta::seconds(t);
        let text = match a {
            0 => store.create().map(|s| format!("create {s} (pending)")),
            1 => store
                .set()
                .map(|_| "set: pending installed on the service".to_string()),
            2 => store
                .test(now)
                .map(|_| "test: pending accepted".to_string()),
            3 | 4 => store.resume(now).map(|s| {
                report.finished_at = Some(now);
                format!(
                    "finish: {s} current, previous accepted for {} more min",
                    drill.grace.num_minutes()
                )
            }),
            _ => store
                .abort()
                .map(|s| format!("abort: {s} dropped, current untouched")),
        };
        let text = text.unwrap_or_else(|e| format!("rotation step refused: {e}"));
        let text = if a == 4 {
            format!("resume after interruption; {text}")
        } else {
            text
        };
        report.log.push((now, text));
        states.push((t, store.clone()));
    }
    let state_at = |t: i64| -> &SecretStore {
        let i = states.partition_point(|(at, _)| *at <= t);
        &states[i.saturating_sub(1)].1
    };
    let mut hit = vec![false; drill.clients];
    for (i, &(refresh, phase, every, rphase)) in clients.iter().enumerate() {
        // The client holds what was current at its latest refresh.
        let mut next_refresh = phase;
        let mut held: Option<Secret> = None;
        let mut t = rphase;
        while t < end {
            while next_refresh <= t {
                held = Some(state_at(next_refresh).current());
                next_refresh += refresh;
            }
            if let Some(secret) = held {
                report.requests += 1;
                let now = start + TimeDelta::seconds(t);
                if !state_at(t).accepts(secret, now) {
                    report.failed += 1;
                    report.first_failure = Some(report.first_failure.map_or(now, |f| f.min(now)));
                    report.last_failure = Some(report.last_failure.map_or(now, |l| l.max(now)));
                    hit[i] = true;
                }
            }
            t += every;
        }
    }
    report.clients_hit = hit.iter().filter(|h| **h).count();
    report
}

//! An incident: opened from a page, driven through its lifecycle, recorded
//! on a timeline.
//!
//! The lifecycle is one way and one step at a time:
//!
//! ```text
//! open → acknowledged → mitigated → resolved
//! ```
//!
//! - **open**: a page fired and the incident exists; nobody has said "mine"
//!   yet.
//! - **acknowledged**: the on-call has taken it (the pager stops escalating).
//! - **mitigated**: users are no longer hurt — usually by a quick, safe,
//!   reversible play from the runbook (roll back), not by the real fix.
//!   **Mitigate before you diagnose.**
//! - **resolved**: the SLI held green long enough that the incident is over;
//!   the postmortem comes next.
//!
//! Skipping a step would lose a timestamp the postmortem needs, and going
//! back hides what happened, so [`Incident::transition`] refuses both. Two
//! exits from that path exist, and both leave their own timeline entry
//! instead of rewriting history:
//!
//! - a **false page** (the alert fired, nobody was hurt) is resolved straight
//!   from open or acknowledged with [`Incident::resolve_false_page`], which
//!   wants a reason;
//! - a resolved incident whose problem comes back is **reopened** with
//!   [`Incident::reopen`]: it is open again, and goes round the lifecycle
//!   once more.
//!
//! ## The timeline the SRE book keeps
//!
//! The example postmortem of Google's SRE book keeps six moments apart, and
//! so does the timeline ([`EntryKind`]): the **impact's start** (often learned
//! afterwards), the **page**, the **declaration** of an incident (a human
//! decides this is one), the **mitigation**, the **impact's end** (users are
//! fine again) and the **incident's end** (resolved). Its figures are
//! measured from different moments, and the methods say which:
//!
//! | figure | from | to | method |
//! |---|---|---|---|
//! | time to detect | impact start | detection (first detected/paged entry) | [`Incident::time_to_detect`] |
//! | time to mitigate | impact start | mitigation | [`Incident::time_to_mitigate`] |
//! | outage length | impact start | impact end | [`Incident::outage_duration`] |
//! | incident length | declaration | incident end | [`Incident::incident_duration`] |
//!
//! With the book's example (outage begins 14:54, paged 14:55, declared
//! 15:01, mitigated 15:36, outage ends 16:00, incident ends 16:30): detect
//! 1 min, mitigate 42 min, outage 66 min, incident 89 min. Where no impact
//! start is recorded, the figures start at the opening; where no declaration
//! is, the incident was declared when it opened.
//!
//! The responder's own times, **time to acknowledge** (TTA) and **time to
//! resolve** (TTR), are measured from the moment the incident opened (the
//! page): they say how fast the on-call answered, not how long users were
//! hurt.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::burn::{Alert, Notification};
use crate::error::IncidentError;
use crate::severity::Severity;

/// Where an incident is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Opened, not yet taken by anyone.
    Open,
    /// Taken by the on-call.
    Acknowledged,
    /// Users no longer hurt.
    Mitigated,
    /// Over.
    Resolved,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::Acknowledged,
        Status::Mitigated,
        Status::Resolved,
    ];

    /// The one status that may follow this one (`None` after resolved).
    pub fn next(self) -> Option<Status> {
        match self {
            Status::Open => Some(Status::Acknowledged),
            Status::Acknowledged => Some(Status::Mitigated),
            Status::Mitigated => Some(Status::Resolved),
            Status::Resolved => None,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Mitigated => "mitigated",
            Status::Resolved => "resolved",
        })
    }
}

/// What kind of failure an incident is: it picks the runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IncidentKind {
    /// A new release answers worse than the last one.
    BadRelease,
    /// The index answers from outdated documents.
    StaleIndex,
}

impl IncidentKind {
    /// The snake_case name, as runbooks are filed: `bad_release`.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::BadRelease => "bad_release",
            IncidentKind::StaleIndex => "stale_index",
        }
    }
}

impl std::fmt::Display for IncidentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Something went wrong for users (often known only afterwards).
    ImpactStarted,
    /// Monitoring noticed: an alert fired.
    Detected,
    /// A human was paged.
    Paged,
    /// A human declared this an incident (it may come after the page).
    Declared,
    /// The on-call took the incident.
    Acknowledged,
    /// A mitigation was applied (a runbook play).
    MitigationApplied,
    /// The SLI is back within the SLO: monitoring sees the impact end.
    SliRecovered,
    /// Users stopped being hurt, as the team established it (often known
    /// only afterwards); it wins over [`EntryKind::SliRecovered`].
    ImpactEnded,
    /// The incident is over.
    Resolved,
    /// Resolved as a false page: the alert fired, nobody was hurt.
    FalsePage,
    /// A resolved incident was opened again.
    Reopened,
    /// Anything else worth keeping: a finding, a decision, a hand-over.
    Note,
}

impl EntryKind {
    /// The entry that a transition into `status` writes.
    pub fn for_status(status: Status) -> EntryKind {
        match status {
            Status::Open => EntryKind::Detected,
            Status::Acknowledged => EntryKind::Acknowledged,
            Status::Mitigated => EntryKind::MitigationApplied,
            Status::Resolved => EntryKind::Resolved,
        }
    }

    /// A short label: `mitigation applied`.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::ImpactStarted => "impact started",
            EntryKind::Detected => "detected",
            EntryKind::Paged => "paged",
            EntryKind::Declared => "declared",
            EntryKind::Acknowledged => "acknowledged",
            EntryKind::MitigationApplied => "mitigation applied",
            EntryKind::SliRecovered => "SLI recovered",
            EntryKind::ImpactEnded => "impact ended",
            EntryKind::Resolved => "resolved",
            EntryKind::FalsePage => "resolved: false page",
            EntryKind::Reopened => "reopened",
            EntryKind::Note => "note",
        }
    }
}

/// One timestamped line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When (simulated time).
    pub at: DateTime<Utc>,
    /// What kind of event.
    pub kind: EntryKind,
    /// What happened, in one line.
    pub text: String,
}

impl TimelineEntry {
    /// An entry.
    pub fn new(at: DateTime<Utc>, kind: EntryKind, text: &str) -> Self {
        Self {
            at,
            kind,
            text: text.to_string(),
        }
    }
}

/// An incident. Open one with [`Incident::from_page`] (a burn-rate page) or
/// [`Incident::declare`] (a human decided), then drive it with
/// [`Incident::transition`].
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub(crate) id: String,
    pub(crate) kind: IncidentKind,
    pub(crate) title: String,
    pub(crate) severity: Severity,
    pub(crate) status: Status,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) acknowledged_at: Option<DateTime<Utc>>,
    pub(crate) mitigated_at: Option<DateTime<Utc>>,
    pub(crate) resolved_at: Option<DateTime<Utc>>,
    pub(crate) alerts: Vec<String>,
    pub(crate) tickets: Vec<String>,
    pub(crate) timeline: Vec<TimelineEntry>,
}

impl Incident {
    /// Declares an incident by hand at `at` with the given severity: the
    /// timeline starts with a [`EntryKind::Declared`] entry. (An incident
    /// opened from a page and declared later records its declaration with
    /// [`Incident::record`].)
    pub fn declare(
        id: &str,
        kind: IncidentKind,
        title: &str,
        severity: Severity,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: id.to_string(),
            kind,
            title: title.to_string(),
            severity,
            status: Status::Open,
            opened_at: at,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            alerts: Vec::new(),
            tickets: Vec::new(),
            timeline: vec![TimelineEntry::new(
                at,
                EntryKind::Declared,
                &format!("declared {severity}: {title}"),
            )],
        }
    }

    /// Opens an incident from a burn-rate page at `at`: the severity comes
    /// from [`severity_for`](crate::severity_for), the alert is linked, and
    /// the timeline starts with "detected" and "paged". A ticket is refused:
    /// it belongs in a queue, not in an incident.
    pub fn from_page(
        id: &str,
        kind: IncidentKind,
        alert: &Alert,
        at: DateTime<Utc>,
    ) -> Result<Self, IncidentError> {
        if alert.notification() != Notification::Page {
            return Err(IncidentError::NotAPage {
                tier: alert.tier.name.clone(),
            });
        }
        let severity = crate::severity_for(alert);
        let title = format!("error budget burning fast ({})", alert.tier.name);
        let mut inc = Self::declare(id, kind, &title, severity, at);
        inc.timeline.clear();
        inc.timeline.push(TimelineEntry::new(
            at,
            EntryKind::Detected,
            &alert.to_string(),
        ));
        inc.timeline.push(TimelineEntry::new(
            at,
            EntryKind::Paged,
            &format!("on-call paged at {severity}"),
        ));
        inc.link_alert(&alert.id());
        Ok(inc)
    }

    /// The incident's id, e.g. `INC-1`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> IncidentKind {
        self.kind
    }

    /// A one-line title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The current severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Where it is in the lifecycle.
    pub fn status(&self) -> Status {
        self.status
    }

    /// When it opened.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }

    /// When it was acknowledged, mitigated, resolved (if it was).
    pub fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.acknowledged_at
    }

    /// When it was mitigated.
    pub fn mitigated_at(&self) -> Option<DateTime<Utc>> {
        self.mitigated_at
    }

    /// When it was resolved.
    pub fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.resolved_at
    }

    /// The timeline, in time order.
    pub fn timeline(&self) -> &[TimelineEntry] {
        &self.timeline
    }

    /// Linked alert ids, sorted.
    pub fn alerts(&self) -> &[String] {
        &self.alerts
    }

    /// Linked ticket ids, sorted.
    pub fn tickets(&self) -> &[String] {
        &self.tickets
    }

    /// Moves the incident to `to` at `at`, with a note for the timeline.
    ///
    /// Only the next status in the lifecycle is allowed ([`Status::next`]);
    /// anything else is [`IncidentError::IllegalTransition`]. `at` may not be
    /// earlier than the latest timeline entry:
    /// [`IncidentError::TimeWentBackwards`]. A refused transition changes
    /// nothing. An accepted one first appends a timeline entry of kind
    /// [`EntryKind::for_status`] with `note` as its text (the one call that
    /// can still be refused), then stamps the time it reached `to`, then sets
    /// the status. Written by the learner (`transition` in
    /// `starters/m31/respond.rs`).
    pub fn transition(
        &mut self,
        to: Status,
        at: DateTime<Utc>,
        note: &str,
    ) -> Result<(), IncidentError> {
        super::respond::transition(self, to, at, note)
    }

    /// Sets the status, checking nothing. A building block of
    /// [`Incident::transition`], which enforces the lifecycle: call that
    /// instead.
    pub fn set_status(&mut self, to: Status) {
        self.status = to;
    }

    /// Stamps when the incident was acknowledged, checking nothing (a
    /// building block of [`Incident::transition`]).
    pub fn set_acknowledged_at(&mut self, at: DateTime<Utc>) {
        self.acknowledged_at = Some(at);
    }

    /// Stamps when the incident was mitigated, checking nothing (a building
    /// block of [`Incident::transition`]).
    pub fn set_mitigated_at(&mut self, at: DateTime<Utc>) {
        self.mitigated_at = Some(at);
    }

    /// Stamps when the incident was resolved, checking nothing (a building
    /// block of [`Incident::transition`]).
    pub fn set_resolved_at(&mut self, at: DateTime<Utc>) {
        self.resolved_at = Some(at);
    }

    /// Links an alert (idempotent).
    pub fn link_alert(&mut self, alert_id: &str) {
        insert_sorted(&mut self.alerts, alert_id);
    }

    /// Links a user ticket (idempotent): the human story and the machine
    /// story of one problem, in one place.
    pub fn link_ticket(&mut self, ticket_id: &str) {
        insert_sorted(&mut self.tickets, ticket_id);
    }

    /// Raises the severity if `to` is worse; never lowers it.
    pub fn escalate(&mut self, to: Severity) -> Severity {
        self.severity = self.severity.worst(to);
        self.severity
    }

    /// Time of the latest timeline entry (or the opening).
    pub fn last_time(&self) -> DateTime<Utc> {
        self.timeline
            .last()
            .map(|e| e.at)
            .unwrap_or(self.opened_at)
            .max(self.opened_at)
    }

    /// Adds a timeline entry: a note, "SLI recovered", the declaration, "impact
    /// started" known after the fact… (a status change writes its own through
    /// [`Incident::transition`]). Entries stay in time order, except
    /// [`EntryKind::ImpactStarted`] and [`EntryKind::ImpactEnded`], which are
    /// usually learned late and are placed where they belong (after the
    /// entries of the same time). Any other entry earlier than the latest
    /// ([`Incident::last_time`]) is [`IncidentError::TimeWentBackwards`], and
    /// a refused entry changes nothing.
    pub fn record(
        &mut self,
        at: DateTime<Utc>,
        kind: EntryKind,
        text: &str,
    ) -> Result<(), IncidentError> {
        let entry = TimelineEntry::new(at, kind, text);
        if matches!(kind, EntryKind::ImpactStarted | EntryKind::ImpactEnded) {
            let pos = self.timeline.partition_point(|e| e.at <= at);
            self.timeline.insert(pos, entry);
            return Ok(());
        }
        let last = self.last_time();
        if at < last {
            return Err(IncidentError::TimeWentBackwards { at, last });
        }
        self.timeline.push(entry);
        Ok(())
    }

    /// Resolves a **false page** at `at`: the alert fired but nobody was
    /// hurt, so there is nothing to mitigate. Allowed from open or
    /// acknowledged only (a mitigated incident resolves the ordinary way),
    /// and only with a reason, which the timeline keeps as a
    /// [`EntryKind::FalsePage`] entry. Refused, changing nothing:
    /// [`IncidentError::IllegalTransition`] from mitigated or resolved,
    /// [`IncidentError::NoReason`] for an empty reason,
    /// [`IncidentError::TimeWentBackwards`] for a time before the last entry.
    pub fn resolve_false_page(
        &mut self,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), IncidentError> {
        if !matches!(self.status, Status::Open | Status::Acknowledged) {
            return Err(IncidentError::IllegalTransition {
                from: self.status,
                to: Status::Resolved,
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::NoReason {
                what: "resolving a false page",
            });
        }
        self.record(at, EntryKind::FalsePage, reason.trim())?;
        self.resolved_at = Some(at);
        self.status = Status::Resolved;
        Ok(())
    }

    /// Reopens a resolved incident at `at` because its problem came back:
    /// the status is open again, the times it was mitigated and resolved are
    /// cleared (users are hurt again and it is not over), and the timeline
    /// gains a [`EntryKind::Reopened`] entry with the reason; everything
    /// before stays on the timeline. From there it goes
    /// round the lifecycle again with [`Incident::transition`], which stamps
    /// the new times (the timeline keeps the old ones). Refused, changing
    /// nothing: [`IncidentError::IllegalTransition`] unless resolved,
    /// [`IncidentError::NoReason`], [`IncidentError::TimeWentBackwards`].
    pub fn reopen(&mut self, at: DateTime<Utc>, reason: &str) -> Result<(), IncidentError> {
        if self.status != Status::Resolved {
            return Err(IncidentError::IllegalTransition {
                from: self.status,
                to: Status::Open,
            });
        }
        if reason.trim().is_empty() {
            return Err(IncidentError::NoReason {
                what: "reopening an incident",
            });
        }
        self.record(at, EntryKind::Reopened, reason.trim())?;
        self.mitigated_at = None;
        self.resolved_at = None;
        self.status = Status::Open;
        Ok(())
    }

    /// Whether the incident was last resolved as a false page.
    pub fn is_false_page(&self) -> bool {
        self.status == Status::Resolved
            && self
                .timeline
                .iter()
                .rev()
                .find(|e| matches!(e.kind, EntryKind::Resolved | EntryKind::FalsePage))
                .is_some_and(|e| e.kind == EntryKind::FalsePage)
    }

    /// When users started being hurt, if the timeline says so.
    pub fn impact_started(&self) -> Option<DateTime<Utc>> {
        self.timeline
            .iter()
            .find(|e| e.kind == EntryKind::ImpactStarted)
            .map(|e| e.at)
    }

    /// When users stopped being hurt: the [`EntryKind::ImpactEnded`] entry,
    /// else the first "SLI recovered" entry, else the mitigation.
    pub fn impact_ended(&self) -> Option<DateTime<Utc>> {
        self.first(EntryKind::ImpactEnded)
            .or_else(|| self.first(EntryKind::SliRecovered))
            .or(self.mitigated_at)
    }

    /// When monitoring noticed: the first "detected" or "paged" entry, else
    /// the opening.
    pub fn detected_at(&self) -> DateTime<Utc> {
        self.timeline
            .iter()
            .find(|e| matches!(e.kind, EntryKind::Detected | EntryKind::Paged))
            .map(|e| e.at)
            .unwrap_or(self.opened_at)
    }

    /// When a human declared the incident: the first "declared" entry, else
    /// the opening.
    pub fn declared_at(&self) -> DateTime<Utc> {
        self.first(EntryKind::Declared).unwrap_or(self.opened_at)
    }

    fn first(&self, kind: EntryKind) -> Option<DateTime<Utc>> {
        self.timeline.iter().find(|e| e.kind == kind).map(|e| e.at)
    }

    /// Where the users' figures start: the impact's start, else the opening.
    fn impact_origin(&self) -> DateTime<Utc> {
        self.impact_started().unwrap_or(self.opened_at)
    }

    /// Time to acknowledge, from opening (the page).
    pub fn time_to_acknowledge(&self) -> Option<TimeDelta> {
        self.acknowledged_at.map(|t| t - self.opened_at)
    }

    /// Time to detect: from the impact's start to the detection
    /// ([`Incident::detected_at`]).
    pub fn time_to_detect(&self) -> TimeDelta {
        self.detected_at() - self.impact_origin()
    }

    /// Time to mitigate: from the impact's start (else the opening) to the
    /// mitigation. Users were hurt for all of it, page or no page.
    pub fn time_to_mitigate(&self) -> Option<TimeDelta> {
        self.mitigated_at.map(|t| t - self.impact_origin())
    }

    /// Time to resolve, from opening (the page).
    pub fn time_to_resolve(&self) -> Option<TimeDelta> {
        self.resolved_at.map(|t| t - self.opened_at)
    }

    /// The outage's length: from the impact's start (else the opening) to
    /// its end ([`Incident::impact_ended`]).
    pub fn outage_duration(&self) -> Option<TimeDelta> {
        self.impact_ended().map(|t| t - self.impact_origin())
    }

    /// The incident's length: from its declaration
    /// ([`Incident::declared_at`]) to its end (resolved).
    pub fn incident_duration(&self) -> Option<TimeDelta> {
        self.resolved_at.map(|t| t - self.declared_at())
    }
}

fn insert_sorted(v: &mut Vec<String>, id: &str) {
    if let Err(pos) = v.binary_search_by(|x| x.as_str().cmp(id)) {
        v.insert(pos, id.to_string());
    }
}

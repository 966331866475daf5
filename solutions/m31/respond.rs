//! Part B, steps 1–3 · Severity, the incident lifecycle, the runbook's first
//! play. Guide: `labs/m31/README.md`.

use chrono::{DateTime, Utc};

use crate::burn::{Alert, Notification};
use crate::error::IncidentError;
use crate::incident::{EntryKind, Incident, Status, TimelineEntry};
use crate::runbook::{Purpose, Runbook, Step};
use crate::severity::Severity;

/// The severity an alert opens at. `alert.notification()` is page or
/// ticket; `alert.rank` is 0 for the most urgent tier of that kind, 1 for
/// the next… The fastest page is SEV-1, any slower page SEV-2, the fastest
/// ticket SEV-3, any slower ticket SEV-4.
pub fn severity_for(alert: &Alert) -> Severity {
    // BEGIN SOLUTION severity_for: map (page or ticket, rank) to SEV-1..SEV-4
    match (alert.notification(), alert.rank) {
        (Notification::Page, 0) => Severity::Sev1,
        (Notification::Page, _) => Severity::Sev2,
        (Notification::Ticket, 0) => Severity::Sev3,
        (Notification::Ticket, _) => Severity::Sev4,
    }
    // END SOLUTION
}

impl Incident {
    /// Moves the incident to `to` at `at`, with a note for the timeline.
    ///
    /// Only the next status in the lifecycle is allowed
    /// (`self.status.next()`); anything else is
    /// `IncidentError::IllegalTransition`. `at` may not be earlier than the
    /// latest timeline entry (`self.last_time()`):
    /// `IncidentError::TimeWentBackwards`. A refused transition changes
    /// nothing. An accepted one sets the status, stamps `acknowledged_at`,
    /// `mitigated_at` or `resolved_at`, and appends a timeline entry of kind
    /// `EntryKind::for_status(to)` with `note` as its text.
    pub fn transition(
        &mut self,
        to: Status,
        at: DateTime<Utc>,
        note: &str,
    ) -> Result<(), IncidentError> {
        // BEGIN SOLUTION transition: refuse anything but the next status or a time before the last entry; then stamp, move, record
        if self.status.next() != Some(to) {
            return Err(IncidentError::IllegalTransition {
                from: self.status,
                to,
            });
        }
        let last = self.last_time();
        if at < last {
            return Err(IncidentError::TimeWentBackwards { at, last });
        }
        match to {
            Status::Acknowledged => self.acknowledged_at = Some(at),
            Status::Mitigated => self.mitigated_at = Some(at),
            Status::Resolved => self.resolved_at = Some(at),
            Status::Open => {}
        }
        self.status = to;
        self.timeline
            .push(TimelineEntry::new(at, EntryKind::for_status(to), note));
        Ok(())
        // END SOLUTION
    }
}

impl Runbook {
    /// The play to run first: the fastest *safe* step whose purpose is to
    /// mitigate (`Purpose::Mitigate`); among equally fast ones, the one
    /// listed first. `None` if the runbook has no safe mitigation.
    pub fn first_play(&self) -> Option<&Step> {
        // BEGIN SOLUTION first_play: the fastest safe mitigation, ties to the earliest listed
        let mut best: Option<&Step> = None;
        for step in &self.steps {
            if step.purpose != Purpose::Mitigate || !step.safe {
                continue;
            }
            if best.is_none_or(|b| step.minutes < b.minutes) {
                best = Some(step);
            }
        }
        best
        // END SOLUTION
    }
}

//! Part B, steps 1–3 · Severity, the incident lifecycle, the runbook's first
//! play. Guide: `labs/m31/README.md`.

use chrono::{DateTime, Utc};

use crate::burn::{Alert, Notification};
use crate::error::IncidentError;
use crate::incident::{EntryKind, Incident, Status};
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

/// Moves `incident` to `to` at `at`, with a note for the timeline. The crate
/// calls it as `incident.transition(to, at, note)`.
///
/// Only the next status in the lifecycle is allowed
/// (`incident.status().next()`); anything else is
/// `IncidentError::IllegalTransition`. `at` may not be earlier than the
/// latest timeline entry: `IncidentError::TimeWentBackwards`, which
/// `record` refuses for you, cleanly. A refused transition changes nothing.
/// An accepted one records a timeline entry of kind
/// `EntryKind::for_status(to)` with `note` as its text
/// (`incident.record(at, kind, note)?`, the one call that can still be
/// refused), then stamps the time it reached `to` ([`stamp`], given), then
/// sets the status (`incident.set_status(to)`). Those setters check nothing:
/// the lifecycle's rules are this function's job.
pub fn transition(
    incident: &mut Incident,
    to: Status,
    at: DateTime<Utc>,
    note: &str,
) -> Result<(), IncidentError> {
    // BEGIN SOLUTION transition: refuse anything but the next status; then record (it refuses a time before the last entry), stamp, move
    let from = incident.status();
    if from.next() != Some(to) {
        return Err(IncidentError::IllegalTransition { from, to });
    }
    incident.record(at, EntryKind::for_status(to), note)?;
    stamp(incident, to, at);
    incident.set_status(to);
    Ok(())
    // END SOLUTION
}

/// Given: stamps the time `incident` reached `to` (acknowledged, mitigated
/// or resolved; opening is stamped when the incident is declared). It checks
/// nothing: call it only once the move is sure.
fn stamp(incident: &mut Incident, to: Status, at: DateTime<Utc>) {
    match to {
        Status::Acknowledged => incident.set_acknowledged_at(at),
        Status::Mitigated => incident.set_mitigated_at(at),
        Status::Resolved => incident.set_resolved_at(at),
        Status::Open => {}
    }
}

/// The play to run first in `runbook`: the fastest *safe* step
/// (`runbook.steps()`) whose purpose is to mitigate (`Purpose::Mitigate`);
/// among equally fast ones, the one listed first. `None` if the runbook has
/// no safe mitigation. The crate calls it as `runbook.first_play()`.
pub fn first_play(runbook: &Runbook) -> Option<&Step> {
    // BEGIN SOLUTION first_play: the fastest safe mitigation, ties to the earliest listed
    let mut best: Option<&Step> = None;
    for step in runbook.steps() {
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

//! Linking tickets to incidents: one story told by people and machines.
//!
//! While the alerts say "the retriever's recall dropped", users write "wrong
//! answers since this morning". They are the same incident, and treating them
//! as one is what lets the desk answer the user ("we know, we are on it") and
//! lets the incident's owner see how many people are hurt. A ticket is linked
//! to the open incident it describes — the same **service** (when the ticket
//! names one), inside the incident's **time window**, with a matching
//! **symptom** — or, when none fits, it starts a new incident of its own:
//! people notice things that no alert measures.
//!
//! The loop closes when the incident resolves: every linked ticket is updated
//! and resolved with it, so nobody is left waiting on a fixed problem.
//!
//! The incidents here are the desk's own light records ([`OpenIncident`]),
//! made from a [`Correlation`] or from a ticket; the capstone connects them to
//! the incident process of M31.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};

use crate::correlate::{Correlation, Incident};
use crate::error::DeskError;
use crate::ticket::{triage, Category, Ticket, Triage};

/// How far outside an incident's window a ticket can still belong to it:
/// people report a little before the alerts fire and a little after the fix.
pub fn link_grace() -> TimeDelta {
    TimeDelta::minutes(30)
}

/// An incident as the desk tracks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenIncident {
    /// `INC-1`, `INC-2` …
    pub id: String,
    /// The services that alerted (or that the ticket named).
    pub services: BTreeSet<String>,
    /// The symptoms seen: from the alerts' `symptom` labels, or the ticket's
    /// category.
    pub symptoms: BTreeSet<Category>,
    /// The probable cause in one line, when known.
    pub cause: Option<String>,
    /// When it began.
    pub opened_at: DateTime<Utc>,
    /// When it resolved; `None` while open.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Ids of the linked tickets, in order of linking.
    pub tickets: Vec<String>,
    /// `true` when a ticket, not an alert, opened it.
    pub opened_by_ticket: bool,
}

impl OpenIncident {
    /// The desk's record of a correlated incident.
    pub fn from_incident(incident: &Incident, correlation: &Correlation) -> Self {
        let mut symptoms: BTreeSet<Category> = incident
            .alerts
            .iter()
            .filter_map(|fp| correlation.alert(*fp))
            .map(|d| Category::of_alert(&d.alert))
            .filter(|c| *c != Category::Other)
            .collect();
        if symptoms.is_empty() {
            symptoms.insert(Category::Other);
        }
        Self {
            id: format!("INC-{}", incident.id),
            services: incident.services.iter().cloned().collect(),
            symptoms,
            cause: incident
                .cause
                .as_ref()
                .map(|c| c.explain(incident.services.len())),
            opened_at: incident.first_at,
            resolved_at: None,
            tickets: Vec::new(),
            opened_by_ticket: false,
        }
    }

    /// `true` while not resolved.
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// `open` or `resolved at +HH:MM:SS`.
    pub fn state(&self) -> String {
        match self.resolved_at {
            None => "open".to_string(),
            Some(t) => format!("resolved at {}", labkit::clock::stamp(t)),
        }
    }
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketStatus {
    /// Waiting on its incident.
    Open,
    /// Its incident resolved.
    Resolved,
}

/// A ticket on the desk: what was filed, how it was triaged, where it is
/// linked, and what the person was told since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskTicket {
    /// The ticket as filed.
    pub ticket: Ticket,
    /// Its triage.
    pub triage: Triage,
    /// The incident it is linked to.
    pub incident: String,
    /// Open or resolved.
    pub status: TicketStatus,
    /// Messages sent to the reporter, in order.
    pub updates: Vec<String>,
}

/// What the desk did with a submitted ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    /// The ticket's id.
    pub ticket: String,
    /// Its triage.
    pub triage: Triage,
    /// The incident it now belongs to.
    pub incident: String,
    /// `true` when linked to an existing incident, `false` when it opened one.
    pub linked: bool,
    /// Why, one line per fact.
    pub reasons: Vec<String>,
}

/// A message sent to a reporter when their incident changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketUpdate {
    /// The ticket updated.
    pub ticket: String,
    /// When.
    pub at: DateTime<Utc>,
    /// What the reporter was told.
    pub message: String,
}

/// The support desk: incidents, tickets and the links between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Desk {
    incidents: Vec<OpenIncident>,
    tickets: Vec<DeskTicket>,
}

impl Desk {
    /// An empty desk.
    pub fn new() -> Self {
        Self::default()
    }

    /// A desk that knows every incident of a correlation, all open.
    pub fn from_correlation(correlation: &Correlation) -> Self {
        let mut desk = Self::new();
        for i in &correlation.incidents {
            desk.open(OpenIncident::from_incident(i, correlation));
        }
        desk
    }

    /// Adds an incident.
    pub fn open(&mut self, incident: OpenIncident) {
        self.incidents.push(incident);
    }

    /// Every incident, in order of opening.
    pub fn incidents(&self) -> &[OpenIncident] {
        &self.incidents
    }

    /// Every ticket, in order of submission.
    pub fn tickets(&self) -> &[DeskTicket] {
        &self.tickets
    }

    /// The incident with this id.
    pub fn incident(&self, id: &str) -> Option<&OpenIncident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    /// The ticket with this id.
    pub fn ticket(&self, id: &str) -> Option<&DeskTicket> {
        self.tickets.iter().find(|t| t.ticket.id == id)
    }

    fn next_incident_id(&self) -> String {
        let highest = self
            .incidents
            .iter()
            .filter_map(|i| i.id.strip_prefix("INC-")?.parse::<usize>().ok())
            .max()
            .unwrap_or(0);
        format!("INC-{}", highest + 1)
    }

    /// Triage a ticket, then link it to the open incident it describes, or
    /// open a new incident for it.
    pub fn submit(&mut self, ticket: Ticket) -> Result<Intake, DeskError> {
        if self.ticket(&ticket.id).is_some() {
            return Err(DeskError::DuplicateTicket(ticket.id));
        }
        let triage = triage(&ticket)?;
        let found = crate::find_incident(&ticket, triage.category, &self.incidents)
            .filter(|&i| i < self.incidents.len());
        let (index, linked, reasons) = match found {
            Some(i) => {
                let inc = &self.incidents[i];
                let service = match &ticket.service {
                    Some(s) => format!("service {s} is among {}'s services", inc.id),
                    None => "the ticket names no service, so any service fits".to_string(),
                };
                let symptoms: Vec<&str> = inc.symptoms.iter().map(|c| c.as_str()).collect();
                let reasons = vec![
                    service,
                    format!(
                        "received {}, within {}'s window (opened {}, {})",
                        labkit::clock::stamp(ticket.received_at),
                        inc.id,
                        labkit::clock::stamp(inc.opened_at),
                        inc.state()
                    ),
                    format!(
                        "symptom {} is among {}'s ({})",
                        triage.category,
                        inc.id,
                        symptoms.join(", ")
                    ),
                ];
                (i, true, reasons)
            }
            None => {
                let id = self.next_incident_id();
                let service = ticket.service.as_deref().unwrap_or("(none named)");
                let reasons = vec![format!(
                    "no incident fits service {service}, time {} and symptom {}",
                    labkit::clock::stamp(ticket.received_at),
                    triage.category
                )];
                self.incidents.push(OpenIncident {
                    id,
                    services: ticket.service.iter().cloned().collect(),
                    symptoms: BTreeSet::from([triage.category]),
                    cause: None,
                    opened_at: ticket.received_at,
                    resolved_at: None,
                    tickets: Vec::new(),
                    opened_by_ticket: true,
                });
                (self.incidents.len() - 1, false, reasons)
            }
        };
        let inc = &mut self.incidents[index];
        inc.tickets.push(ticket.id.clone());
        let incident = inc.id.clone();
        let first_update = if linked {
            format!("Thanks, this is a known problem; we are working on it as {incident}.")
        } else {
            format!("Thanks, we opened {incident} to look into this.")
        };
        self.tickets.push(DeskTicket {
            ticket: ticket.clone(),
            triage: triage.clone(),
            incident: incident.clone(),
            status: TicketStatus::Open,
            updates: vec![first_update],
        });
        Ok(Intake {
            ticket: ticket.id,
            triage,
            incident,
            linked,
            reasons,
        })
    }

    /// Resolves an incident and updates every ticket linked to it; returns
    /// the updates sent, in order of linking.
    pub fn resolve(
        &mut self,
        incident: &str,
        at: DateTime<Utc>,
        note: &str,
    ) -> Result<Vec<TicketUpdate>, DeskError> {
        let inc = self
            .incidents
            .iter_mut()
            .find(|i| i.id == incident)
            .ok_or_else(|| DeskError::UnknownIncident(incident.to_string()))?;
        if inc.resolved_at.is_some() {
            return Err(DeskError::AlreadyResolved(incident.to_string()));
        }
        inc.resolved_at = Some(at);
        let linked = inc.tickets.clone();
        let mut updates = Vec::new();
        for id in linked {
            if let Some(t) = self.tickets.iter_mut().find(|t| t.ticket.id == id) {
                let message = format!("{incident} is resolved: {note}");
                t.status = TicketStatus::Resolved;
                t.updates.push(message.clone());
                updates.push(TicketUpdate {
                    ticket: id,
                    at,
                    message,
                });
            }
        }
        Ok(updates)
    }
}

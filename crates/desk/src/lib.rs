//! # desk — M32: support desk and AIOps
//!
//! When one bad deploy goes out, monitoring does not send one alert: it sends
//! dozens, from every service that feels it, from every replica of every
//! monitor, again and again while the problem lasts. At the same time people
//! start writing tickets. This crate turns both floods into a short list of
//! incidents, each with a probable cause and the people waiting on it.
//! Lab guide: `labs/m32/README.md`; the idea in one page: `labs/m32/notes.md`.
//!
//! ## The machine story: alerts
//!
//! - [`alert`]: alerts with Alertmanager's model — labels are identity,
//!   annotations are news — loaded from JSON with errors that name the record
//!   and field ([`load_alerts`]).
//! - [`fingerprint`] and [`dedup`]: the identity hash over labels only, and
//!   folding repeats into one alert.
//! - [`correlate()`](correlate::correlate): deduplicate, inhibit ([`inhibits`]), group
//!   ([`group_key`]), then the AIOps layer: a [`Topology`] of service
//!   dependencies plus time proximity turn groups into incidents and name
//!   each one's [`probable_cause`]. The [`Correlation`] reports the storm's
//!   reduction ratio.
//! - [`storm`]: the seeded storm of the course — one bad deploy, 40 records,
//!   a little noise — that correlates into 3 incidents.
//!
//! ## The human story: tickets
//!
//! - [`ticket`]: [`triage()`](ticket::triage) classifies a ticket's text
//!   ([`classify`]), assesses impact and urgency ([`assess`]), applies the ITIL
//!   matrix ([`priority`]) and routes it ([`route`]), with a reason for each.
//! - [`link`]: a [`Desk`] links each ticket to the open incident it describes
//!   ([`find_incident`]) or opens one, and updates linked tickets when their
//!   incident resolves.
//! - [`story`]: the module's trace, end to end.
//!
//! ## For the capstone
//!
//! ```
//! # #[cfg(feature = "solution")] {
//! use desk::{correlate, storm, CorrelationConfig, Desk, Ticket};
//! let s = storm::storm(7);                                  // 40 + 3 records
//! let c = correlate(&s.alerts, &CorrelationConfig::default());
//! assert_eq!(c.incidents.len(), 3);
//! assert_eq!(c.incident_caused_by("retriever").unwrap().services.len(), 4);
//! println!("{}", c.summary()); // 43 records -> 13 alerts -> 6 muted -> 6 groups -> 3 incidents …
//! let mut desk = Desk::from_correlation(&c);
//! let t = Ticket::new("T-1", s.deploy.at + chrono::TimeDelta::minutes(20), "wrong answers")
//!     .about("chat-api");
//! let intake = desk.submit(t).unwrap();
//! assert!(intake.linked);
//! # }
//! ```
//!
//! The functions a learner writes live in `starters/m32/` (default feature
//! `starter`) or `solutions/m32/` (feature `solution`); the crate includes one
//! or the other, so its public API is the same in both variants.

pub mod alert;
pub mod correlate;
pub mod error;
pub mod link;
pub mod storm;
pub mod story;
pub mod ticket;
pub mod topology;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m32/correlation.rs"]
pub(crate) mod correlation;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m32/correlation.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod correlation;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m32/triage.rs"]
pub(crate) mod triage;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m32/triage.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod triage;

pub use alert::{load_alerts, Alert, Deduped, Fingerprint, Severity};
pub use correlate::{
    correlate, Cause, Correlation, CorrelationConfig, Group, GroupKey, Incident, InhibitRule,
    Matcher, Muted,
};
pub use correlation::{dedup, fingerprint, group_key, inhibits, probable_cause};
pub use error::{DeskError, LoadError};
pub use link::{Desk, Intake, OpenIncident, TicketStatus, TicketUpdate};
pub use ticket::{triage, Assessment, Category, Classification, Queue, Ticket, Triage};
pub use topology::Topology;
pub use triage::{assess, classify, find_incident, priority, route};

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

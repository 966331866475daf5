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
//! - [`notify`]: who is paged when. Alertmanager 0.25.0's dispatcher in
//!   simulated time (the route tree, `group_wait`, `group_interval` and
//!   `repeat_interval`, inhibition, silences, time intervals): a group whose
//!   alerts are all muted pages no one, and a group that stays firing pages
//!   again every `repeat_interval`.
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
//!
//! ---
//!
//! *Where this file sits:* it is the crate's root, placed beside the files
//! you edit so that your editor checks them as you type. You never need to
//! change it; the crate's scaffolding lives in `crates/desk/src/`.

#[path = "../../crates/desk/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

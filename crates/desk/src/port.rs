//! The functions a learner writes in M32, as a table the crate calls
//! through in a lab build (see `labkit::steps`). Each signature here is the
//! one in `starters/m32/`; the compiler holds the two together.

#![allow(unused_imports)]

use std::collections::BTreeMap;

use crate::alert::{Alert, Deduped, Fingerprint};
use crate::correlate::{Cause, GroupKey, InhibitRule};
use crate::error::DeskError;
use crate::link::OpenIncident;
use crate::ticket::{Assessment, Category, Classification, Queue, Ticket};
use crate::topology::Topology;

labkit::learner_steps! {
    /// Part A (`starters/m32/correlation.rs`).
    mod correlation {
        fn fingerprint(labels: &BTreeMap<String, String>) -> Fingerprint;
        fn dedup(records: &[Alert]) -> Vec<Deduped>;
        fn group_key(alert: &Alert, group_by: &[String]) -> GroupKey;
        fn inhibits(rule: &InhibitRule, source: &Alert, target: &Alert) -> bool;
        fn probable_cause(alerts: &[&Alert], topology: &Topology) -> Option<Cause>;
    }
    /// Part B (`starters/m32/triage.rs`).
    mod triage {
        fn classify(text: &str) -> Classification;
        fn assess(ticket: &Ticket) -> Assessment;
        fn priority(impact: u8, urgency: u8) -> Result<u8, DeskError>;
        fn route(category: Category, priority: u8) -> Queue;
        fn find_incident(ticket: &Ticket, category: Category, incidents: &[OpenIncident]) -> Option<usize>;
    }
}

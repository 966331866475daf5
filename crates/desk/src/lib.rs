//! The scaffolding of the `desk` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m32/lib.rs`, which includes this file as a module.

pub mod alert;
#[doc(hidden)]
pub mod checks;
pub mod correlate;
pub mod error;
pub mod link;
pub mod port;
pub mod storm;
pub mod story;
pub mod ticket;
pub mod topology;

labkit::learner_modules! {
    library;
    correlation: "../../../solutions/m32/correlation.rs",
        "../../../starters/m32/correlation.rs";
    triage: "../../../solutions/m32/triage.rs",
        "../../../starters/m32/triage.rs";
}

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`).
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
use port::{correlation, triage};

pub use alert::{load_alerts, Alert, AsOf, Deduped, Fingerprint, Severity};
pub use correlate::{
    correlate, Cause, Correlation, CorrelationConfig, Group, GroupKey, Incident, InhibitRule,
    MatchOp, Matcher, Muted, ValuePattern, GROUP_BY_ALL,
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

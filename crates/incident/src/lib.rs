//! The scaffolding of the `incident` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m31/lib.rs`, which includes this file as a module.

pub mod burn;
#[doc(hidden)]
pub mod checks;
pub mod error;
pub mod exact;
pub mod incident;
pub mod lint;
pub mod port;
pub mod postmortem;
pub mod runbook;
pub mod severity;
pub mod sli;
pub mod slo;
pub mod story;
pub mod window;

labkit::learner_modules! {
    library;
    budget: "../../../solutions/m31/budget.rs",
        "../../../starters/m31/budget.rs";
    paging: "../../../solutions/m31/paging.rs",
        "../../../starters/m31/paging.rs";
    respond: "../../../solutions/m31/respond.rs",
        "../../../starters/m31/respond.rs";
    learn: "../../../solutions/m31/learn.rs",
        "../../../starters/m31/learn.rs";
}

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`).
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
use port::{budget, learn, paging, respond};

pub use budget::{budget_spent, burn_rate};
pub use burn::{
    Alert, BurnPolicy, BurnTier, Notification, Pager, PagerEvent, Verdict, WindowBurns,
};
pub use error::IncidentError;
pub use exact::Rate;
pub use incident::{EntryKind, Incident, IncidentKind, Status, TimelineEntry};
pub use learn::lint_blame;
pub use lint::{BlameFinding, BlameRule};
pub use paging::{evaluate, tier_fires};
pub use postmortem::{
    ActionItem, ActionKind, FailingExample, Impact, Lessons, Postmortem, PostmortemDraft,
    RegressionCase,
};
pub use respond::severity_for;
pub use runbook::{Play, Purpose, Runbook, Step};
pub use severity::Severity;
pub use sli::{Counts, WindowedSli};
pub use slo::Slo;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

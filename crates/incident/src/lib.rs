//! The scaffolding of the `incident` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m31/lib.rs`, which includes this file as a module.

pub mod burn;
#[doc(hidden)]
pub mod checks;
pub mod error;
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

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/budget.rs"]
pub(crate) mod budget;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m31/budget.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod budget;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/paging.rs"]
pub(crate) mod paging;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m31/paging.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod paging;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/respond.rs"]
pub(crate) mod respond;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m31/respond.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod respond;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/learn.rs"]
pub(crate) mod learn;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m31/learn.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod learn;

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`).
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
use port::{budget, learn, paging, respond};

pub use budget::{budget_spent, burn_rate};
pub use burn::{
    Alert, BurnPolicy, BurnTier, Notification, Pager, PagerEvent, Verdict, WindowBurns,
};
pub use error::IncidentError;
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

//! # incident — M31: incident response
//!
//! Detect, mitigate, learn: the first arc of the ops loop. Lab guide:
//! `labs/m31/README.md`; the one idea: `labs/m31/notes.md`.
//!
//! **Detect.** An SLI ([`Counts::sli`]) measured over sliding windows
//! ([`WindowedSli`]) against an [`Slo`] gives an error budget; the
//! [`burn_rate`] says how fast it is going, and a multiwindow, multi-burn-rate
//! [`BurnPolicy`] ([`evaluate`]) decides between a page, a ticket and nothing.
//! A [`Pager`] turns a minute-by-minute stream of verdicts into one
//! notification per problem.
//!
//! **Mitigate.** A page opens an [`Incident`] at a [`Severity`]
//! ([`severity_for`]); the on-call drives it through its lifecycle
//! ([`Incident::transition`]: open → acknowledged → mitigated → resolved) and
//! runs the first play of the kind's [`Runbook`] ([`Runbook::first_play`]),
//! the fastest safe mitigation. A [`Play`] is data: whoever operates the
//! service executes it.
//!
//! **Learn.** A blameless [`Postmortem`] is rendered from the incident, checked
//! by the blamelessness lint ([`lint_blame`]), and turned into a
//! [`RegressionCase`] ([`Postmortem::to_eval_case`]) for the release gate.
//!
//! [`story`] runs all of it on one bad hour, as a deterministic trace.
//!
//! The functions a learner writes live in `starters/m31/` (default feature
//! `starter`) or `solutions/m31/` (feature `solution`); this crate includes one
//! or the other, so its public API is the same in both variants.
//!
//! ```
//! # #[cfg(feature = "solution")] {
//! use incident::{burn_rate, budget_spent, Slo, window::hours};
//! let slo = Slo::course_default(); // 99% over 30 days
//! assert!((burn_rate(0.20, &slo) - 20.0).abs() < 1e-9);
//! assert!((budget_spent(&slo, 14.4, hours(1)) - 0.02).abs() < 1e-12);
//! # }
//! ```

pub mod burn;
pub mod error;
pub mod incident;
pub mod lint;
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
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m31/budget.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod budget;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/paging.rs"]
pub(crate) mod paging;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m31/paging.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod paging;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/respond.rs"]
pub(crate) mod respond;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m31/respond.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod respond;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m31/learn.rs"]
pub(crate) mod learn;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m31/learn.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod learn;

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

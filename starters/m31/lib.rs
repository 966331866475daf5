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
//!
//! ---
//!
//! *Where this file sits:* it is the crate's root, placed beside the files
//! you edit so that your editor checks them as you type. You never need to
//! change it; the crate's scaffolding lives in `crates/incident/src/`.

#[path = "../../crates/incident/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

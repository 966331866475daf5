//! The functions a learner writes in M31, as a table the crate calls
//! through in a lab build (see `labkit::steps`). Each signature here is the
//! one in `starters/m31/`; the compiler holds the two together.
//!
//! Steps that read like methods (`counts.sli()`, `incident.transition(…)`)
//! are free functions in the learner's files, taking the former receiver
//! first; the crate's methods of the same names call them.

#![allow(unused_imports)]

use chrono::{DateTime, TimeDelta, Utc};

use crate::burn::{Alert, BurnDecision, BurnPolicy, WindowBurns};
use crate::error::IncidentError;
use crate::exact::Rate;
use crate::incident::{Incident, Status};
use crate::lint::BlameFinding;
use crate::postmortem::{Postmortem, RegressionCase};
use crate::runbook::{Runbook, Step};
use crate::severity::Severity;
use crate::sli::Counts;
use crate::slo::Slo;

labkit::learner_steps! {
    /// Part A, steps 1–3 (`starters/m31/budget.rs`).
    mod budget in "starters/m31/budget.rs" {
        fn sli(counts: &Counts) -> Option<f64>;
        fn error_ratio(counts: &Counts) -> Option<f64>;
        fn burn_rate(error_ratio: f64, slo: &Slo) -> f64;
        fn budget_spent(slo: &Slo, burn: f64, over: TimeDelta) -> f64;
    }
    /// Part A, steps 4–5 (`starters/m31/paging.rs`).
    mod paging in "starters/m31/paging.rs" {
        fn tier_fires(threshold: Rate, long: Option<Rate>, short: Option<Rate>) -> bool;
        fn evaluate(policy: &BurnPolicy, burns: &WindowBurns) -> BurnDecision;
    }
    /// Part B, steps 1–3 (`starters/m31/respond.rs`).
    mod respond in "starters/m31/respond.rs" {
        fn severity_for(alert: &Alert) -> Severity;
        fn transition(incident: &mut Incident, to: Status, at: DateTime<Utc>, note: &str) -> Result<(), IncidentError>;
        fn first_play(runbook: &Runbook) -> Option<&Step>;
    }
    /// Part B, steps 4–5 (`starters/m31/learn.rs`).
    mod learn in "starters/m31/learn.rs" {
        fn lint_blame(text: &str) -> Vec<BlameFinding>;
        fn to_eval_case(postmortem: &Postmortem) -> Result<RegressionCase, IncidentError>;
    }
}

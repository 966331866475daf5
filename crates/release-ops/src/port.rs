//! The functions a learner writes in M33 Part B, as a table the crate calls
//! through in a lab build (see `labkit::steps`). Each signature here is the
//! one in `starters/m33/release/`; the compiler holds the two together.
//!
//! The steps that act on a manager, a pair of slots or a secret store take
//! it as their first parameter; the methods of the same name
//! ([`ReleaseManager::canary`], [`BlueGreen::cut_over`], …) call them.

#![allow(unused_imports)]

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::eval::{EvalReport, Score};
use crate::manager::{CanaryReport, ReleaseManager, RollbackReport};
use crate::secrets::{Secret, SecretStore};
use crate::slots::{BakeStatus, BlueGreen, CutOver};
use crate::traffic::{RampPlan, RampReport, Traffic};
use crate::verdict::{GatePolicy, GateVerdict};

labkit::learner_steps! {
    /// Steps B1 and B2 (`starters/m33/release/gate.rs`).
    mod gate in "starters/m33/release/gate.rs" {
        fn within_tolerance(live: Score, candidate: Score, max_drop_percent: u32) -> bool;
        fn judge(policy: &GatePolicy, live: &EvalReport, candidate: &EvalReport) -> GateVerdict;
    }
    /// Step B3 (`starters/m33/release/canary.rs`).
    mod canary in "starters/m33/release/canary.rs" {
        fn canary(manager: &mut ReleaseManager, candidate: &str) -> Result<CanaryReport>;
    }
    /// Step B4 (`starters/m33/release/rollback.rs`).
    mod rollback in "starters/m33/release/rollback.rs" {
        fn rollback(manager: &mut ReleaseManager) -> Result<RollbackReport>;
    }
    /// Steps B5 and B6 (`starters/m33/release/bluegreen.rs`).
    mod bluegreen in "starters/m33/release/bluegreen.rs" {
        fn cut_over(blue_green: &mut BlueGreen, now: DateTime<Utc>) -> Result<CutOver>;
        fn observe(blue_green: &mut BlueGreen, now: DateTime<Utc>, alerting: bool) -> BakeStatus;
    }
    /// Step B7 (`starters/m33/release/rotation.rs`).
    mod rotation in "starters/m33/release/rotation.rs" {
        fn accepts(store: &SecretStore, presented: Secret, now: DateTime<Utc>) -> bool;
    }
    /// The optional challenge (`starters/m33/release/ramp.rs`).
    mod ramp in "starters/m33/release/ramp.rs" {
        fn walk_ramp(plan: &RampPlan, traffic: &Traffic) -> RampReport;
    }
}

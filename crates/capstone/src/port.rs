//! The functions a learner writes in M34, as a table the crate calls
//! through in a lab build (see `labkit::steps`). Each signature here is the
//! one in `starters/m34/`; the compiler holds the two together.

#![allow(unused_imports)]

use chrono::{DateTime, Utc};
use incident::{Play, RegressionCase};
use release_ops::EvalCase;

use crate::assertion::Assertion;
use crate::error::ShiftError;
use crate::extension::StaleReport;
use crate::ops::{Mitigation, Operations, Reindex};
use crate::shift_report::ShiftReport;

labkit::learner_steps! {
    /// Part A, step A1 (`starters/m34/mitigate.rs`).
    mod mitigate in "starters/m34/mitigate.rs" {
        fn execute_play(play: Play, ops: &mut Operations, now: DateTime<Utc>) -> Result<Mitigation, ShiftError>;
    }
    /// Part A, step A2 (`starters/m34/learn.rs`).
    mod learn in "starters/m34/learn.rs" {
        fn to_release_case(case: &RegressionCase) -> Result<EvalCase, ShiftError>;
    }
    /// Part B (`starters/m34/gate.rs`).
    mod gate in "starters/m34/gate.rs" {
        fn assert_intake_and_detect(r: &ShiftReport) -> Vec<Assertion>;
        fn assert_recovery(r: &ShiftReport) -> Vec<Assertion>;
        fn gate_exit_code(assertions: &[Assertion]) -> u8;
    }
    /// Optional challenge (`starters/m34/stale.rs`).
    mod stale in "starters/m34/stale.rs" {
        fn stale_index_fixed(r: &StaleReport) -> Assertion;
        fn reindex_stale(ops: &mut Operations, now: DateTime<Utc>) -> Result<Reindex, ShiftError>;
    }
}

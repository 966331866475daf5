//! The functions a learner writes in M33 Part A, as a table the crate calls
//! through in a lab build (see `labkit::steps`). Each signature here is the
//! one in `starters/m33/index/`; the compiler holds the two together.
//!
//! Every step is a free function, so the check binary can compile it: the
//! steps that act on an [`Index`] or an [`AliasTable`] take it as their
//! first argument, and the crate's methods ([`Index::sweep_expired`],
//! [`AliasTable::flip`], [`AliasTable::rollback`]) call them.

#![allow(unused_imports)]

use chrono::{DateTime, Utc};

use crate::alias::{AliasError, AliasTable, Flip};
use crate::backup::BackupError;
use crate::document::Scope;
use crate::index::{Index, SweepReport};
use crate::plan::{Incoming, SyncPlan};
use crate::redaction::Redaction;

labkit::learner_steps! {
    /// Step A1 (`starters/m33/index/validity.rs`).
    mod validity in "starters/m33/index/validity.rs" {
        fn luhn_valid(digits: &str) -> bool;
        fn ssn_valid(ssn: &str) -> bool;
    }
    /// Step A2 (`starters/m33/index/redact.rs`).
    mod redact in "starters/m33/index/redact.rs" {
        fn redact(text: &str) -> Redaction;
    }
    /// Step A3 (`starters/m33/index/sync.rs`).
    mod sync in "starters/m33/index/sync.rs" {
        fn plan_sync<'a>(index: &Index, scope: &Scope, incoming: &[Incoming<'a>]) -> SyncPlan<'a>;
    }
    /// Step A4 (`starters/m33/index/sweep.rs`).
    mod sweep in "starters/m33/index/sweep.rs" {
        fn sweep_expired(index: &mut Index, now: DateTime<Utc>) -> SweepReport;
    }
    /// Step A5 (`starters/m33/index/verify.rs`).
    mod verify in "starters/m33/index/verify.rs" {
        fn verify_backup(bytes: &[u8]) -> Result<&[u8], BackupError>;
    }
    /// Step A6 (`starters/m33/index/flip.rs`).
    mod flip in "starters/m33/index/flip.rs" {
        fn flip(table: &mut AliasTable, alias: &str, target: &str) -> Result<Flip, AliasError>;
        fn rollback(table: &mut AliasTable, alias: &str) -> Result<Flip, AliasError>;
    }
}

//! The scaffolding of the `index_ops` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m33/index/lib.rs`, which includes this file as a module.

pub mod alias;
pub mod backup;
pub mod corpus;
pub mod detect;
pub mod document;
pub mod embed;
pub mod index;
pub mod plan;
pub mod redaction;
pub mod story;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/validity.rs"]
pub(crate) mod validity;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/validity.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod validity;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/redact.rs"]
pub(crate) mod redact;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/redact.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod redact;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/sync.rs"]
pub(crate) mod sync;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/sync.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod sync;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/sweep.rs"]
pub(crate) mod sweep;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/sweep.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod sweep;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/verify.rs"]
pub(crate) mod verify;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/verify.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod verify;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/flip.rs"]
pub(crate) mod flip;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/index/flip.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod flip;

pub use alias::{AliasError, AliasTable, Flip};
pub use backup::BackupError;
pub use document::{Scope, SourceDoc, StoredDoc};
pub use embed::{embed, Embedding, DIM};
pub use index::{Expired, Hit, Index, SweepReport, SyncError, SyncReport};
pub use plan::{Incoming, SyncPlan};
pub use redact::redact;
pub use redaction::{Finding, PiiKind, Redaction};
pub use validity::{luhn_valid, ssn_valid};
pub use verify::verify_backup;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

//! The scaffolding of the `index_ops` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m33/index/lib.rs`, which includes this file as a module.

pub mod alias;
pub mod backup;
#[doc(hidden)]
pub mod checks;
pub mod corpus;
pub mod detect;
pub mod document;
pub mod embed;
pub mod index;
pub mod plan;
pub mod port;
pub mod redaction;
pub mod story;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/index/validity.rs"]
pub(crate) mod validity;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
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
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
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
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
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
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
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
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
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
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m33/index/flip.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod flip;

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`). The
// forwarding modules take the learner's modules' place and visibility, so
// the scaffolding's `crate::sync::plan_sync(..)` and the like are unchanged.
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
pub(crate) use port::{flip, redact, sweep, sync, validity, verify};

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

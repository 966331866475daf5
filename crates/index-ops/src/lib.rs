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

labkit::learner_modules! {
    library;
    validity: "../../../solutions/m33/index/validity.rs",
        "../../../starters/m33/index/validity.rs";
    redact: "../../../solutions/m33/index/redact.rs",
        "../../../starters/m33/index/redact.rs";
    sync: "../../../solutions/m33/index/sync.rs",
        "../../../starters/m33/index/sync.rs";
    sweep: "../../../solutions/m33/index/sweep.rs",
        "../../../starters/m33/index/sweep.rs";
    verify: "../../../solutions/m33/index/verify.rs",
        "../../../starters/m33/index/verify.rs";
    flip: "../../../solutions/m33/index/flip.rs",
        "../../../starters/m33/index/flip.rs";
}

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
pub use redaction::{Finding, PiiKind, Redaction, REDACTOR_VERSION};
pub use validity::{luhn_valid, ssn_valid};
pub use verify::verify_backup;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

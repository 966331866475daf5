//! The scaffolding of the `release_ops` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m33/release/lib.rs`, which includes this file as a module.

pub mod artifact;
#[doc(hidden)]
pub mod checks;
pub mod error;
pub mod eval;
pub mod manager;
pub mod model;
pub mod port;
pub mod registry;
pub mod secrets;
pub mod slots;
pub mod story;
pub mod traffic;
pub mod verdict;

labkit::learner_modules! {
    library;
    gate: "../../../solutions/m33/release/gate.rs",
        "../../../starters/m33/release/gate.rs";
    canary: "../../../solutions/m33/release/canary.rs",
        "../../../starters/m33/release/canary.rs";
    rollback: "../../../solutions/m33/release/rollback.rs",
        "../../../starters/m33/release/rollback.rs";
    bluegreen: "../../../solutions/m33/release/bluegreen.rs",
        "../../../starters/m33/release/bluegreen.rs";
    rotation: "../../../solutions/m33/release/rotation.rs",
        "../../../starters/m33/release/rotation.rs";
    ramp: "../../../solutions/m33/release/ramp.rs",
        "../../../starters/m33/release/ramp.rs";
}

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`).
// `pub(crate)`: the scaffolding names them `crate::canary`, … through the
// crate root's re-export of this module.
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
pub(crate) use port::{bluegreen, canary, gate, ramp, rollback, rotation};

pub use artifact::{ArtifactStore, Digest};
pub use error::ReleaseError;
pub use eval::{EvalCase, EvalReport, EvalSet, Score, Topic};
pub use gate::{judge, within_tolerance};
pub use manager::{CanaryReport, ChecklistStep, Decision, ReleaseManager, RollbackReport};
pub use model::SimModel;
pub use ramp::walk_ramp;
pub use registry::{Manifest, Registry};
pub use verdict::{GatePolicy, GateReason, GateVerdict, Side};

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

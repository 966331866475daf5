//! # release-ops — M33 Part B: shipping releases safely
//!
//! Passing CI means a release is *probably* fine. This crate is the rest of
//! the way to *safe for everyone*, all of it offline and deterministic:
//!
//! | module | idea |
//! |---|---|
//! | [`artifact`] | content-addressed artifacts: a `sha256:` digest names exactly one content |
//! | [`registry`] | manifests: commit → image → model, with the build-time eval score; old releases stay |
//! | [`model`] | the releases `v1` (good), `v2` (a refunds regression), `v3` (the fix), as simulated models |
//! | [`eval`] | eval sets, scores as whole counts, regression cases |
//! | [`verdict`] + [`within_tolerance`], [`judge`] | the pre-deploy gate: at most 2% relative drop, every regression case passes |
//! | [`manager`] | [`ReleaseManager`]: live, last-good, canary → promote or rollback, the rollback checklist |
//! | [`slots`] | blue/green: two slots, a health-checked idle slot, one atomic flip, a bake period |
//! | [`traffic`] + [`walk_ramp`] | the progressive canary 1% → 10% → 50% → 100% and its blast radius |
//! | [`secrets`] | secret rotation through pending / current / previous with a grace window |
//! | [`story`] | the Part B trace that the lab snapshot-tests |
//!
//! Lab guide: `labs/m33/README.md`, Part B. The functions a learner writes
//! live in `starters/m33/release/` (reference: `solutions/m33/release/`):
//! [`within_tolerance`] and [`judge`] (gate), [`ReleaseManager::canary`],
//! [`ReleaseManager::rollback`], [`slots::BlueGreen::cut_over`] and
//! [`slots::BlueGreen::observe`], [`secrets::SecretStore::accepts`], and the
//! optional [`walk_ramp`].
//!
//! ## The capstone's use
//!
//! ```
//! # #[cfg(feature = "solution")]
//! # fn main() {
//! use release_ops::{eval::{incident_regression_case, EvalSet}, Decision, ReleaseManager};
//! let mut m = ReleaseManager::course(EvalSet::generate(7, 300), "idx-3f9a").unwrap();
//! m.deploy("v2").unwrap();                 // shipped without a canary
//! let rb = m.rollback().unwrap();          // one call, by the checklist
//! assert_eq!((rb.to.as_str(), m.live()), ("v1", Some("v1")));
//! m.eval_set_mut().add_regression(incident_regression_case("reg-001")).unwrap();
//! assert_eq!(m.canary("v2").unwrap().decision, Decision::Rollback);
//! assert_eq!(m.ship("v3").unwrap().decision, Decision::Promote);
//! assert_eq!(m.live(), Some("v3"));
//! # }
//! # #[cfg(not(feature = "solution"))]
//! # fn main() {}
//! ```

pub mod artifact;
pub mod error;
pub mod eval;
pub mod manager;
pub mod model;
pub mod registry;
pub mod secrets;
pub mod slots;
pub mod story;
pub mod traffic;
pub mod verdict;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/gate.rs"]
pub(crate) mod gate;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/gate.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod gate;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/canary.rs"]
pub(crate) mod canary;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/canary.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod canary;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/rollback.rs"]
pub(crate) mod rollback;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/rollback.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod rollback;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/bluegreen.rs"]
pub(crate) mod bluegreen;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/bluegreen.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod bluegreen;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/rotation.rs"]
pub(crate) mod rotation;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/rotation.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod rotation;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m33/release/ramp.rs"]
pub(crate) mod ramp;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m33/release/ramp.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod ramp;

pub use artifact::{ArtifactStore, Digest};
pub use error::ReleaseError;
pub use eval::{EvalCase, EvalReport, EvalSet, Score, Topic};
pub use gate::{judge, within_tolerance};
pub use manager::{CanaryReport, ChecklistStep, Decision, ReleaseManager, RollbackReport};
pub use model::SimModel;
pub use ramp::walk_ramp;
pub use registry::{Manifest, Registry};
pub use verdict::{GatePolicy, GateReason, GateVerdict};

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

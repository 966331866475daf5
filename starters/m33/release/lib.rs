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
//! | [`verdict`] + [`within_tolerance`], [`judge`] | the pre-deploy gate: fails closed without comparable evidence, at most 2% relative drop, every regression case passes |
//! | [`manager`] | [`ReleaseManager`]: live, last-good, canary → promote or rollback, the rollback checklist |
//! | [`slots`] | blue/green: two slots, a health-checked idle slot, one atomic flip, a bake period |
//! | [`traffic`] + [`walk_ramp`] | the progressive canary 1% → 10% → 50% → 100% and its blast radius |
//! | [`secrets`] | secret rotation through pending / current / previous with a grace window |
//! | [`story`] | the Part B trace that the lab snapshot-tests |
//!
//! Lab guide: `labs/m33/README.md`, Part B. The functions a learner writes
//! live in `starters/m33/release/` (reference: `solutions/m33/release/`):
//! [`within_tolerance`] and [`judge`] (gate), the functions behind
//! [`ReleaseManager::canary`], [`ReleaseManager::rollback`],
//! [`slots::BlueGreen::cut_over`], [`slots::BlueGreen::observe`] and
//! [`secrets::SecretStore::accepts`] (each takes the manager, the slots or
//! the store as its first parameter; the method calls it), and the optional
//! [`walk_ramp`].
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
//!
//! ---
//!
//! *Where this file sits:* it is the crate's root, placed beside the files
//! you edit so that your editor checks them as you type. You never need to
//! change it; the crate's scaffolding lives in `crates/release-ops/src/`.

#[path = "../../../crates/release-ops/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

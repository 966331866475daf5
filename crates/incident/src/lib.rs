//! # incident — M31: incident response
//!
//! Detect, mitigate, learn. Lab guide: `labs/m31/README.md`.
//!
//! The functions a learner writes live in `starters/m31/` (default feature
//! `starter`) or `solutions/m31/` (feature `solution`); this crate includes one
//! or the other, so its public API is the same in both variants.

#[cfg_attr(feature = "solution", path = "../../../solutions/m31/burn.rs")]
#[cfg_attr(not(feature = "solution"), path = "../../../starters/m31/burn.rs")]
#[cfg_attr(not(feature = "solution"), allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut))]
mod burn;

pub use burn::burn_rate;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

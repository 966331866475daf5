//! # release-ops — M33 Part B: shipping releases safely
//!
//! Lab guide: `labs/m33/README.md`, Part B.

#[cfg_attr(feature = "solution", path = "../../../solutions/m33/release/gate.rs")]
#[cfg_attr(not(feature = "solution"), path = "../../../starters/m33/release/gate.rs")]
#[cfg_attr(not(feature = "solution"), allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut))]
mod gate;

pub use gate::within_tolerance;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

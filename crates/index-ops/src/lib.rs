//! # index-ops — M33 Part A: operating a retrieval index
//!
//! Lab guide: `labs/m33/README.md`, Part A.

#[cfg_attr(feature = "solution", path = "../../../solutions/m33/index/luhn.rs")]
#[cfg_attr(not(feature = "solution"), path = "../../../starters/m33/index/luhn.rs")]
#[cfg_attr(not(feature = "solution"), allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut))]
mod luhn;

pub use luhn::luhn_valid;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

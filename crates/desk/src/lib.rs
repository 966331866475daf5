//! # desk — M32: support desk and AIOps
//!
//! Lab guide: `labs/m32/README.md`.

#[cfg_attr(feature = "solution", path = "../../../solutions/m32/priority.rs")]
#[cfg_attr(not(feature = "solution"), path = "../../../starters/m32/priority.rs")]
#[cfg_attr(not(feature = "solution"), allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut))]
mod priority;

pub use priority::priority;

/// Which variant of the learner's files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

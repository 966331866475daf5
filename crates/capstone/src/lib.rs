//! # capstone — M34: the on-call shift
//!
//! Lab guide: `labs/m34/README.md`.

#[cfg_attr(feature = "solution", path = "../../../solutions/m34/gate.rs")]
#[cfg_attr(not(feature = "solution"), path = "../../../starters/m34/gate.rs")]
#[cfg_attr(not(feature = "solution"), allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut))]
mod gate;

pub use gate::gate_exit_code;

/// Which variant of the learner's M34 files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

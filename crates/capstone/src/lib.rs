//! # capstone — M34: the on-call shift
//!
//! Lab guide: `labs/m34/README.md`.

#[cfg(feature = "solution")]
#[path = "../../../solutions/m34/gate.rs"]
pub(crate) mod gate;
#[cfg(not(feature = "solution"))]
#[path = "../../../starters/m34/gate.rs"]
#[allow(unused_variables, unused_imports, dead_code, unreachable_code, unused_mut)]
pub(crate) mod gate;

pub use gate::gate_exit_code;

/// Which variant of the learner's M34 files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") { "solution" } else { "starter" };

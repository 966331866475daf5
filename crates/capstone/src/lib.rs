//! The scaffolding of the `capstone` crate: everything around the functions a
//! learner writes. The crate's own documentation is on its root,
//! `starters/m34/lib.rs`, which includes this file as a module.

pub mod assertion;
pub mod cases;
#[doc(hidden)]
pub mod checks;
pub mod cli;
pub mod error;
pub mod extension;
pub mod narrate;
pub mod ops;
pub mod port;
pub mod report;
pub mod scenario;
pub mod service;
pub mod shift;

// A lab build compiles the learner's files into the check binary instead,
// and the crate reaches them through the port (see `labkit::steps`).
#[cfg(all(feature = "external-steps", not(feature = "solution")))]
use port::{gate, learn, mitigate, stale};

#[cfg(feature = "solution")]
#[path = "../../../solutions/m34/mitigate.rs"]
pub(crate) mod mitigate;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m34/mitigate.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod mitigate;
pub use mitigate::execute_play;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m34/learn.rs"]
pub(crate) mod learn;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m34/learn.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod learn;
pub use learn::to_release_case;

#[cfg(feature = "solution")]
#[path = "../../../solutions/m34/gate.rs"]
pub(crate) mod gate;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m34/gate.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod gate;
pub use gate::{assert_intake_and_detect, assert_recovery, gate_exit_code};

#[cfg(feature = "solution")]
#[path = "../../../solutions/m34/stale.rs"]
pub(crate) mod stale;
#[cfg(not(any(feature = "solution", feature = "external-steps")))]
#[path = "../../../starters/m34/stale.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
pub(crate) mod stale;
pub use stale::{reindex_stale, stale_index_fixed};

pub use assertion::{Assertion, CheckId, Gate};
pub use error::ShiftError;
pub use extension::{StaleReport, StaleShift};
pub use ops::{Mitigation, Operations, Reindex};
pub use report::{ShiftReport, Stage};
pub use scenario::Scenario;
pub use shift::Shift;

/// Which variant of the learner's M34 files this build compiled.
pub const VARIANT: &str = if cfg!(feature = "solution") {
    "solution"
} else {
    "starter"
};

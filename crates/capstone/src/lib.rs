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

labkit::learner_modules! {
    library;
    mitigate: "../../../solutions/m34/mitigate.rs",
        "../../../starters/m34/mitigate.rs";
    learn: "../../../solutions/m34/learn.rs",
        "../../../starters/m34/learn.rs";
    gate: "../../../solutions/m34/gate.rs",
        "../../../starters/m34/gate.rs";
    stale: "../../../solutions/m34/stale.rs",
        "../../../starters/m34/stale.rs";
}

pub use gate::{assert_intake_and_detect, assert_recovery, gate_exit_code};
pub use learn::to_release_case;
pub use mitigate::execute_play;
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

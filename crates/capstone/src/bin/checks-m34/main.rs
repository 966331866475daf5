//! The lab checks of m34, run one per process by `cargo xtask lab m34`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`capstone::checks`). In a
//! lab build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use capstone::*;

#[cfg(feature = "solution")]
#[path = "../../../../../solutions/m34/mitigate.rs"]
mod mitigate;
#[cfg(not(feature = "solution"))]
#[path = "../../../../../starters/m34/mitigate.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
mod mitigate;

#[cfg(feature = "solution")]
#[path = "../../../../../solutions/m34/learn.rs"]
mod learn;
#[cfg(not(feature = "solution"))]
#[path = "../../../../../starters/m34/learn.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
mod learn;

#[cfg(feature = "solution")]
#[path = "../../../../../solutions/m34/gate.rs"]
mod gate;
#[cfg(not(feature = "solution"))]
#[path = "../../../../../starters/m34/gate.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
mod gate;

#[cfg(feature = "solution")]
#[path = "../../../../../solutions/m34/stale.rs"]
mod stale;
#[cfg(not(feature = "solution"))]
#[path = "../../../../../starters/m34/stale.rs"]
#[allow(
    unused_variables,
    unused_imports,
    dead_code,
    unreachable_code,
    unused_mut
)]
mod stale;

fn main() -> std::process::ExitCode {
    capstone::port::install(capstone::port::Steps {
        execute_play: mitigate::execute_play,
        to_release_case: learn::to_release_case,
        assert_intake_and_detect: gate::assert_intake_and_detect,
        assert_recovery: gate::assert_recovery,
        gate_exit_code: gate::gate_exit_code,
        stale_index_fixed: stale::stale_index_fixed,
        reindex_stale: stale::reindex_stale,
    });
    labkit::check::main(capstone::checks::CHECKS)
}

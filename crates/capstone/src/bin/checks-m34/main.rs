//! The lab checks of m34, run one per process by `cargo xtask lab m34`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`capstone::checks`). In a
//! lab build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use capstone::*;

labkit::learner_modules! {
    mitigate: "../../../../../solutions/m34/mitigate.rs",
        "../../../../../starters/m34/mitigate.rs";
    learn: "../../../../../solutions/m34/learn.rs",
        "../../../../../starters/m34/learn.rs";
    gate: "../../../../../solutions/m34/gate.rs",
        "../../../../../starters/m34/gate.rs";
    stale: "../../../../../solutions/m34/stale.rs",
        "../../../../../starters/m34/stale.rs";
}

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

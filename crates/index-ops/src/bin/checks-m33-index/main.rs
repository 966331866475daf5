//! The lab checks of m33 Part A, run one per process by `cargo xtask lab m33`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`index_ops::checks`). In a
//! lab build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use index_ops::*;

labkit::learner_modules! {
    validity: "../../../../../solutions/m33/index/validity.rs",
        "../../../../../starters/m33/index/validity.rs";
    redact: "../../../../../solutions/m33/index/redact.rs",
        "../../../../../starters/m33/index/redact.rs";
    sync: "../../../../../solutions/m33/index/sync.rs",
        "../../../../../starters/m33/index/sync.rs";
    sweep: "../../../../../solutions/m33/index/sweep.rs",
        "../../../../../starters/m33/index/sweep.rs";
    verify: "../../../../../solutions/m33/index/verify.rs",
        "../../../../../starters/m33/index/verify.rs";
    flip: "../../../../../solutions/m33/index/flip.rs",
        "../../../../../starters/m33/index/flip.rs";
}

fn main() -> std::process::ExitCode {
    index_ops::port::install(index_ops::port::Steps {
        luhn_valid: validity::luhn_valid,
        ssn_valid: validity::ssn_valid,
        redact: redact::redact,
        plan_sync: sync::plan_sync,
        sweep_expired: sweep::sweep_expired,
        verify_backup: verify::verify_backup,
        flip: flip::flip,
        rollback: flip::rollback,
    });
    labkit::check::main(index_ops::checks::CHECKS)
}

//! The lab checks of m33 Part B, run one per process by `cargo xtask lab m33`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`release_ops::checks`). In a
//! lab build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use release_ops::*;

labkit::learner_modules! {
    gate: "../../../../../solutions/m33/release/gate.rs",
        "../../../../../starters/m33/release/gate.rs";
    canary: "../../../../../solutions/m33/release/canary.rs",
        "../../../../../starters/m33/release/canary.rs";
    rollback: "../../../../../solutions/m33/release/rollback.rs",
        "../../../../../starters/m33/release/rollback.rs";
    bluegreen: "../../../../../solutions/m33/release/bluegreen.rs",
        "../../../../../starters/m33/release/bluegreen.rs";
    rotation: "../../../../../solutions/m33/release/rotation.rs",
        "../../../../../starters/m33/release/rotation.rs";
    ramp: "../../../../../solutions/m33/release/ramp.rs",
        "../../../../../starters/m33/release/ramp.rs";
}

fn main() -> std::process::ExitCode {
    release_ops::port::install(release_ops::port::Steps {
        within_tolerance: gate::within_tolerance,
        judge: gate::judge,
        canary: canary::canary,
        rollback: rollback::rollback,
        cut_over: bluegreen::cut_over,
        observe: bluegreen::observe,
        accepts: rotation::accepts,
        walk_ramp: ramp::walk_ramp,
    });
    labkit::check::main(release_ops::checks::CHECKS)
}

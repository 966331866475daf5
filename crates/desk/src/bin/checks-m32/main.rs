//! The lab checks of m32, run one per process by `cargo xtask lab m32`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`desk::checks`). In a lab
//! build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use desk::*;

labkit::learner_modules! {
    correlation: "../../../../../solutions/m32/correlation.rs",
        "../../../../../starters/m32/correlation.rs";
    triage: "../../../../../solutions/m32/triage.rs",
        "../../../../../starters/m32/triage.rs";
}

fn main() -> std::process::ExitCode {
    desk::port::install(desk::port::Steps {
        fingerprint: correlation::fingerprint,
        dedup: correlation::dedup,
        group_key: correlation::group_key,
        inhibits: correlation::inhibits,
        probable_cause: correlation::probable_cause,
        classify: triage::classify,
        assess: triage::assess,
        priority: triage::priority,
        route: triage::route,
        find_incident: triage::find_incident,
    });
    labkit::check::main(desk::checks::CHECKS)
}

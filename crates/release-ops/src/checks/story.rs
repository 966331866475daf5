//! The trace checks: Part B and the ramp replayed through every step and
//! compared with their reference traces.

use labkit::CheckResult;

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let trace = crate::story::part_b(crate::story::SEED);
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../../tests/snapshots/trace__part_b.snap"),
    )
}

pub(super) fn ramp_trace_matches_snapshot() -> CheckResult {
    let trace = crate::story::ramp(crate::story::SEED);
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../../tests/snapshots/trace__ramp.snap"),
    )
}

//! The trace checks: Part B and the ramp replayed through every step and
//! compared with their reference traces.

use labkit::check::Reference;
use labkit::CheckResult;

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!("../../tests/snapshots/trace__part_b.snap"));
    let trace = crate::story::part_b(crate::story::SEED);
    reference.compare(&trace.to_text())
}

pub(super) fn ramp_trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!("../../tests/snapshots/trace__ramp.snap"));
    let trace = crate::story::ramp(crate::story::SEED);
    reference.compare(&trace.to_text())
}

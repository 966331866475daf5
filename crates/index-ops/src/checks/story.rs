//! The trace check: Part A replayed through every step and compared with the
//! reference trace.

use super::contains;
use labkit::check::Reference;
use labkit::{ensure, CheckResult};

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!("../../tests/snapshots/trace__part_a.snap"));
    let run = crate::story::run_part_a(crate::story::SEED);
    let text = run.trace.to_text();
    for value in &run.raw_values {
        ensure!(
            !text.contains(value.as_str()),
            "the Part A trace shows a raw value"
        );
        ensure!(
            !contains(&run.backup, value.as_bytes()),
            "the Part A backup holds a raw value"
        );
    }
    let trace = run.trace;
    reference.compare(&trace.to_text())
}

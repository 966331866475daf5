//! The trace check: Part A replayed through every step and compared with the
//! reference trace.

use super::contains;
use labkit::{ensure, CheckResult};

pub(super) fn trace_matches_snapshot() -> CheckResult {
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
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../../tests/snapshots/trace__part_a.snap"),
    )
}

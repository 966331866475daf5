//! The trace check: the whole M32 story replayed through every step and
//! compared with the reference trace.

use labkit::CheckResult;

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let trace = crate::story::run(crate::story::STORY_SEED);
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../../tests/snapshots/trace__m32_story.snap"),
    )
}

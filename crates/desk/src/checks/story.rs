//! The trace check: the whole M32 story replayed through every step and
//! compared with the reference trace.

use labkit::check::Reference;
use labkit::CheckResult;

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!("../../tests/snapshots/trace__m32_story.snap"));
    let trace = crate::story::run(crate::story::STORY_SEED);
    reference.compare(&trace.to_text())
}

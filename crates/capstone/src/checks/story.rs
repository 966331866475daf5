//! The trace check: the whole shift replayed and compared with the reference trace.

use crate::assertion::AssertionId;
use crate::{shift, Scenario};
use labkit::{ensure_eq, CheckResult};
use release_ops::Topic;

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let s = shift::run(shift::SEED, Scenario::Clean);
    labkit::check::compare_with_snapshot(
        &s.trace.to_text(),
        include_str!("../../tests/snapshots/trace__shift.snap"),
    )?;
    // The same shift, diagnosed on shipping questions: its regression case
    // must be about what its question is about.
    let s = shift::run_with_example_about(shift::SEED, Scenario::Clean, Topic::Shipping);
    let case = s.report.regression_case.as_ref().ok_or_else(|| {
        "the shift whose failing example is a shipping question left no regression case".to_string()
    })?;
    ensure_eq!(
        case.topic,
        Topic::Shipping,
        "the topic of the regression case made from the shipping question \"{}\"",
        case.question
    );
    let g = shift::gate(&s.report);
    ensure_eq!(
        g.failed(),
        Vec::<AssertionId>::new(),
        "the red assertions of the shift whose failing example is a shipping question"
    );
    Ok(())
}

//! The trace check: the shift replayed, stages intake to ship, and compared
//! with the reference trace.
//!
//! It is a Part A check, so it judges only what Part A writes: the play and
//! the regression case. The gate (Part B) is the verify stage and is not
//! run here; the shift's numbers are read from its report directly.

use crate::{shift, Scenario};
use labkit::check::Reference;
use labkit::{ensure, ensure_eq, CheckResult};
use release_ops::{Decision, Topic};

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!("../../tests/snapshots/trace__shift.snap"));
    let s = shift::run(shift::SEED, Scenario::Clean);
    reference.compare(&s.trace.to_text())?;
    // The same shift, diagnosed on shipping questions: its regression case
    // must be about what its question is about, and still do its job.
    let s = shift::run_with_example_about(shift::SEED, Scenario::Clean, Topic::Shipping);
    let r = &s.report;
    let case = r.regression_case.as_ref().ok_or_else(|| {
        format!(
            "the shift whose failing example is a shipping question left no regression case: {}",
            r.why_missing(crate::shift_report::Stage::Learn)
        )
    })?;
    ensure_eq!(
        case.topic,
        Topic::Shipping,
        "the topic of the regression case made from the shipping question \"{}\"",
        case.question
    );
    let caught = r
        .bad_release_canary
        .as_ref()
        .is_some_and(|c| c.failed_regressions.contains(&case.id));
    ensure!(
        caught,
        "the bad release passed the regression case made from the shipping question \"{}\": \
         a case that cannot fail it proves nothing",
        case.question
    );
    ensure_eq!(
        r.last_good_passes_case,
        Some(true),
        "whether last-good answers the shipping regression case right"
    );
    let promoted = r.fix_canary.as_ref().map(|c| c.decision);
    ensure_eq!(
        promoted,
        Some(Decision::Promote),
        "the fix's canary decision on the eval set with the shipping regression case"
    );
    Ok(())
}

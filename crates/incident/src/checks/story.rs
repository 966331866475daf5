//! The trace check: the whole bad hour replayed through every step and
//! compared with the reference trace.

use crate::{FailingExample, RegressionCase};
use labkit::check::Reference;
use labkit::{ensure_eq, CheckResult};

pub(super) fn trace_matches_snapshot() -> CheckResult {
    let reference = Reference::of(include_str!(
        "../../tests/snapshots/trace__m31_bad_hour.snap"
    ));
    let trace = crate::story::trace(crate::story::SEED);
    reference.compare(&trace.to_text())?;
    // The same story about another incident and another failure: its
    // regression case must come from that postmortem, not be written down.
    let example = FailingExample {
        question: "Which plan includes phone support?".to_string(),
        bad_answer: "the free plan".to_string(),
        expected: "the business plan".to_string(),
    };
    let shift = crate::story::run_with(crate::story::SEED + 1, "INC-42", example.clone())
        .map_err(|e| format!("the story of INC-42 stopped: {e}"))?;
    let want = RegressionCase {
        id: "regression-inc-42".to_string(),
        input: example.question,
        expected: example.expected,
        forbidden: example.bad_answer,
        origin_incident: "INC-42".to_string(),
    };
    ensure_eq!(
        shift.case,
        want,
        "the regression case of a second story (incident INC-42, failing example about phone support): \
         it must be made from that incident's postmortem"
    );
    Ok(())
}

//! Checks of `starters/m34/learn.rs`: the postmortem's case in the release gate.

use super::question;
use crate::cases::question_key;
use crate::ShiftError;
use incident::RegressionCase;
use labkit::{ensure, ensure_eq, CheckResult, SimRng};
use release_ops::{EvalCase, SimModel, Topic};

pub(super) fn postmortem_case_gates_the_release() -> CheckResult {
    let mut rng = SimRng::seed(343);
    let v2 = SimModel::v2();
    for i in 0..30 {
        let topic = Topic::ALL[i % Topic::ALL.len()];
        let (q, expected) = question(&mut rng, topic);
        let rc = RegressionCase {
            id: format!("regression-inc-{i}"),
            input: q.clone(),
            expected: expected.clone(),
            forbidden: format!("{expected} (approx.)"),
            origin_incident: format!("INC-{i}"),
        };
        let got = crate::to_release_case(&rc).map_err(|e| format!("case {i}: {e}"))?;
        ensure_eq!(got.id, rc.id, "id");
        ensure_eq!(got.question, q, "question");
        ensure_eq!(got.expected, expected, "expected answer");
        ensure_eq!(got.topic, topic, "topic of \"{q}\"");
        ensure!(
            got.regression,
            "the case must be marked as a regression case"
        );
        ensure_eq!(got.key, question_key(&q), "key of \"{q}\"");
        // The same question asked in production: every release answers it the same way.
        let mut prod = EvalCase::refund("prod", 10, 1, question_key(&q));
        prod.topic = topic;
        ensure_eq!(
            v2.misses(&got),
            v2.misses(&prod),
            "v2 must answer the case as it answered users"
        );
    }
    let empty = RegressionCase {
        id: "regression-inc-x".into(),
        input: " ".into(),
        expected: "$1".into(),
        forbidden: "$2".into(),
        origin_incident: "INC-x".into(),
    };
    let got = crate::to_release_case(&empty);
    ensure!(
        matches!(&got, Err(ShiftError::EmptyCase(id)) if id == "regression-inc-x"),
        "an empty question: expected ShiftError::EmptyCase, got {got:?}"
    );
    let odd = RegressionCase {
        input: "What is the weather in Lisbon?".into(),
        ..empty
    };
    let got = crate::to_release_case(&odd);
    ensure!(
        matches!(got, Err(ShiftError::UnknownTopic(_))),
        "a question of no topic: expected ShiftError::UnknownTopic, got {got:?}"
    );
    Ok(())
}

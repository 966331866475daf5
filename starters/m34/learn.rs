//! Part A, step A2 · From postmortem to release gate. Guide:
//! `labs/m34/README.md`, Part A.
//!
//! M31 leaves an `incident::RegressionCase` (text: `input`, `expected`,
//! `forbidden`); M33's gate runs `release_ops::EvalCase`s. Helpers in
//! `crates/capstone/src/cases.rs`: `topic_of(question)` and
//! `question_key(question)`.

use incident::RegressionCase;
use release_ops::EvalCase;

use crate::cases::{question_key, topic_of};
use crate::error::ShiftError;

/// The release gate's version of the postmortem's case: the same id, the
/// question as `question`, the right answer as `expected`, the topic the
/// question is about, the question's key (so every release answers it
/// exactly as it answered users), and `regression: true`.
///
/// Refuse a case with an empty question or expected answer
/// (`ShiftError::EmptyCase` with its id), and a question that fits no topic
/// (`ShiftError::UnknownTopic` with the question).
pub fn to_release_case(case: &RegressionCase) -> Result<EvalCase, ShiftError> {
    todo!("to_release_case: refuse empty cases, find the topic, key the question by its text, mark it a regression")
}

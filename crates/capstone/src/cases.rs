//! From a question users asked to a case the release gate can run.
//!
//! M31's postmortem leaves a [`RegressionCase`](incident::RegressionCase):
//! plain text (the question, the right answer, the bad answer users saw).
//! M33's gate runs [`EvalCase`](release_ops::EvalCase)s, which carry a topic
//! and a `key`: the simulated models decide which questions they get wrong
//! from that key. In this course a question's key is a hash of its text
//! ([`question_key`]), so a question asked in production and the same
//! question written into the eval set are *the same question* to every
//! release — which is what lets a regression case reproduce the failure.

use labkit::SimRng;
use release_ops::{EvalCase, SimModel, Topic};

use crate::ops::Operations;

/// The key of a question: the first 8 bytes of the SHA-256 of its text.
pub fn question_key(question: &str) -> u64 {
    let d = labkit::digest::sha256(question.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

/// Which topic of the eval set a question is about, from its words; `None`
/// when it fits none.
pub fn topic_of(question: &str) -> Option<Topic> {
    const WORDS: [(Topic, &[&str]); 5] = [
        (Topic::Refunds, &["refund", "returned", "return "]),
        (Topic::Billing, &["plan costs", "invoice", "a month"]),
        (Topic::Shipping, &["parcel", "ships at", "shipping"]),
        (Topic::Account, &["password", "sign in", "login"]),
        (Topic::Security, &["api key", "rotat", "token"]),
    ];
    let q = question.to_lowercase();
    WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| q.contains(w)))
        .map(|(t, _)| *t)
}

/// The model of `version`, loaded from the release manager's registry
/// (digest-checked on the way).
pub fn model(ops: &Operations, version: &str) -> Result<SimModel, release_ops::ReleaseError> {
    ops.releases.registry().load_model(version)
}

/// A production question about `topic` with its right answer, drawn from
/// `rng` (key 0: set it with [`question_key`]). Each fits its topic by
/// [`topic_of`].
pub fn production_question(rng: &mut SimRng, topic: Topic) -> EvalCase {
    let a = rng.between(2, 40);
    let b = rng.between(2, 40);
    let (question, expected) = match topic {
        Topic::Refunds => return EvalCase::refund("production", a * 10, b, 0),
        Topic::Billing => (
            format!("A plan costs ${a} a month. What do {b} months cost?"),
            format!("${}", a * b),
        ),
        Topic::Shipping => (
            format!("A {a} kg parcel ships at ${b}/kg, free above 20 kg. Cost?"),
            format!("${}", if a > 20 { 0 } else { a * b }),
        ),
        Topic::Account => (
            format!("A password set {a} days ago expires after 90 days. Days left?"),
            format!("{}", 90 - a),
        ),
        Topic::Security => (
            format!(
                "An API key is {a} days old and rotates every {b} days. Days to the next rotation?"
            ),
            format!("{}", (b - a % b) % b),
        ),
    };
    EvalCase {
        id: "production".to_string(),
        topic,
        question,
        expected,
        key: 0,
        regression: false,
    }
}

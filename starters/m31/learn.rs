//! Part B, steps 4–5 · The blamelessness lint and the regression case.
//! Guide: `labs/m31/README.md`.
//!
//! `crate::lint` gives you `words(line)`, `Word::is_person()`,
//! `matches_at(words, i, phrase)`, `excerpt(words, from, to)` and the lists
//! `BLAME_PHRASES` and `BLAME_VERBS`.

use crate::error::IncidentError;
use crate::lint::{
    excerpt, matches_at, words, BlameFinding, BlameRule, BLAME_PHRASES, BLAME_VERBS,
};
use crate::postmortem::{Postmortem, RegressionCase};

/// Flags the lines of `text` that blame a person, line numbers from 1, in
/// order of line and then position:
///
/// - a phrase of `BLAME_PHRASES` starting at a word: `BlameRule::BlamingPhrase`,
///   excerpt = the phrase's words;
/// - a verb of `BLAME_VERBS` starting at a word right after a word that
///   `is_person()`: `BlameRule::PersonBlamed`, excerpt = the person and the
///   verb's words.
///
/// The walk and the phrase rule are given below; you write the verb rule
/// inside the walk.
pub fn lint_blame(text: &str) -> Vec<BlameFinding> {
    // Given: the walk over lines and words, and the blaming phrases.
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let ws = words(line);
        for i in 0..ws.len() {
            for phrase in BLAME_PHRASES {
                if matches_at(&ws, i, phrase) {
                    found.push(BlameFinding {
                        line: n + 1,
                        rule: BlameRule::BlamingPhrase,
                        excerpt: excerpt(&ws, i, i + phrase.len()),
                    });
                }
            }
            todo!("lint_blame: a blaming verb right after a person: record the person and the verb, in order")
        }
    }
    found
}

/// The regression eval case the incident of `postmortem` leaves behind: id
/// `regression-<incident id in lowercase>`, the failing example's question
/// as input, its expected answer as `expected`, the bad answer users saw as
/// `forbidden`, and the incident id as `origin_incident`. A postmortem
/// without a failing example is `IncidentError::NoFailingExample`.
///
/// Given: the incident id and the refusal of a postmortem without a failing
/// example (`ex`: its `question`, `expected` and `bad_answer`). You build the
/// case; the crate calls this as `postmortem.to_eval_case()`.
pub fn to_eval_case(postmortem: &Postmortem) -> Result<RegressionCase, IncidentError> {
    let incident = postmortem.incident_id();
    let Some(ex) = postmortem.failing_example() else {
        return Err(IncidentError::NoFailingExample {
            incident: incident.to_string(),
        });
    };
    todo!("to_eval_case: turn the failing example into a case the release gate can run")
}

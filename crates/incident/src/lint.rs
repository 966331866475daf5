//! The pieces of the blamelessness lint: words, and the lists it matches.
//!
//! A blameless postmortem explains what in the *system* let a mistake reach
//! users ("the release shipped without a canary"), never who made it ("Dana
//! forgot the canary"). People behave sensibly given what they knew; if a
//! person could break production in one step, the gap is the one step. Naming
//! a culprit also teaches everyone to hide the next mistake, and hidden
//! mistakes are the ones that come back.
//!
//! The lint ([`lint_blame`](crate::lint_blame), written in the lab) catches the
//! common forms: blaming words and phrases ("human error", "careless"), and
//! a person followed by a blaming verb or a possessive fault ("Dana forgot",
//! "the engineer failed to", "Dana's fault"). It is a net, not a judge: it
//! will miss some blame and flag the odd innocent sentence, and rewriting a
//! flagged line in terms of the system is always possible and usually better.

use serde::{Deserialize, Serialize};

/// Blaming words and phrases, as sequences of lowercase words: these blame
/// someone whoever the sentence is about.
pub const BLAME_PHRASES: &[&[&str]] = &[
    &["human", "error"],
    &["operator", "error"],
    &["pilot", "error"],
    &["fault", "of"],
    &["to", "blame"],
    &["blame"],
    &["blamed"],
    &["blaming"],
    &["careless"],
    &["carelessly"],
    &["carelessness"],
    &["negligent"],
    &["negligence"],
    &["incompetent"],
    &["incompetence"],
    &["sloppy"],
];

/// Verbs that blame when a person is their subject ("Dana forgot"), as
/// sequences of lowercase words. `'s` is a word of its own (see [`words`]),
/// so `["'s", "fault"]` matches "Dana's fault" (and lets "the deploy's
/// fault", which names no person, pass).
pub const BLAME_VERBS: &[&[&str]] = &[
    &["'s", "fault"],
    &["forgot"],
    &["failed", "to"],
    &["neglected"],
    &["should", "have"],
    &["should've"],
    &["messed", "up"],
    &["screwed", "up"],
    &["broke"],
    &["ignored"],
    &["missed"],
    &["caused"],
    &["didn't", "bother"],
];

/// Lowercase words that name a person by role or pronoun.
pub const PERSON_WORDS: &[&str] = &[
    "he",
    "she",
    "him",
    "engineer",
    "developer",
    "dev",
    "operator",
    "admin",
    "sre",
    "intern",
    "contractor",
    "on-call",
    "oncall",
    "someone",
    "somebody",
    "reviewer",
    "author",
    "manager",
];

/// Capitalised words that start sentences about systems, not people.
pub const NOT_NAMES: &[&str] = &[
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "there",
    "then",
    "we",
    "our",
    "they",
    "a",
    "an",
    "and",
    "but",
    "so",
    "when",
    "after",
    "before",
    "release",
    "deploy",
    "deployment",
    "canary",
    "system",
    "service",
    "index",
    "pipeline",
    "job",
    "build",
    "alert",
    "alerting",
    "gate",
    "config",
    "configuration",
    "check",
    "test",
    "tests",
    "monitoring",
    "nobody",
    "nothing",
    "everyone",
    "team",
    "automation",
    "rollback",
    "sync",
    "no",
    "each",
    "every",
    "root",
    "trigger",
    "impact",
    "summary",
    "detection",
    "resolution",
    // Systems and products are subjects of a postmortem's sentences, not
    // people: "Kubernetes broke the pod" and "Postgres caused the stall"
    // describe the system, which is what a blameless write-up should do.
    "kubernetes",
    "k8s",
    "postgres",
    "postgresql",
    "mysql",
    "redis",
    "kafka",
    "nginx",
    "envoy",
    "istio",
    "etcd",
    "docker",
    "linux",
    "terraform",
    "prometheus",
    "alertmanager",
    "grafana",
    "ci",
    "dns",
    "cdn",
    "aws",
    "gcp",
    "azure",
];

/// One word of a line: as written, and lowercased for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written.
    pub text: String,
    /// Lowercase, for matching against the lists.
    pub lower: String,
}

impl Word {
    fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            lower: text.to_lowercase(),
        }
    }

    /// Whether this word names a person: a role or pronoun from
    /// [`PERSON_WORDS`], or a name (a capitalised word, not an acronym, not
    /// in [`NOT_NAMES`]).
    pub fn is_person(&self) -> bool {
        if PERSON_WORDS.contains(&self.lower.as_str()) {
            return true;
        }
        let mut chars = self.text.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        let rest: Vec<char> = chars.collect();
        first.is_uppercase()
            && !rest.is_empty()
            && rest.iter().all(|c| c.is_alphabetic() && c.is_lowercase())
            && !NOT_NAMES.contains(&self.lower.as_str())
    }
}

/// The words of a line: runs of letters, digits, `-` and `'`, with a
/// possessive `'s` split off as a word of its own ("Dana's" → "Dana", "'s").
///
/// ```
/// let w: Vec<String> = incident::lint::words("It was Dana's fault!").into_iter().map(|w| w.lower).collect();
/// assert_eq!(w, ["it", "was", "dana", "'s", "fault"]);
/// ```
pub fn words(line: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let normalised = line.replace('\u{2019}', "'");
    for raw in normalised.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let raw = raw.trim_matches(|c| c == '-' || c == '\'');
        if raw.is_empty() {
            continue;
        }
        let lower = raw.to_lowercase();
        if lower.len() > 2 && lower.ends_with("'s") {
            out.push(Word::new(&raw[..raw.len() - 2]));
            out.push(Word::new("'s"));
        } else {
            out.push(Word::new(raw));
        }
    }
    out
}

/// Whether `phrase` (lowercase words) starts at `words[at]`.
pub fn matches_at(words: &[Word], at: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| words.get(at + k).is_some_and(|w| w.lower == *p))
}

/// The words `words[from..to]` as written, joined by spaces (`'s` is joined
/// back on: "Dana's fault").
pub fn excerpt(words: &[Word], from: usize, to: usize) -> String {
    let mut s = String::new();
    for w in words.iter().take(to).skip(from) {
        if !s.is_empty() && w.text != "'s" {
            s.push(' ');
        }
        s.push_str(&w.text);
    }
    s
}

/// Which form of blame a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlameRule {
    /// A blaming word or phrase from [`BLAME_PHRASES`].
    BlamingPhrase,
    /// A person followed by a verb from [`BLAME_VERBS`].
    PersonBlamed,
}

/// One flagged place in a text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BlameFinding {
    /// Line number, from 1.
    pub line: usize,
    /// Which rule matched.
    pub rule: BlameRule,
    /// The matched words, as written ("Dana forgot").
    pub excerpt: String,
}

impl std::fmt::Display for BlameFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.rule {
            BlameRule::BlamingPhrase => "blaming phrase",
            BlameRule::PersonBlamed => "a person blamed",
        };
        write!(
            f,
            "line {}: {what}: \"{}\" — say what in the system allowed it",
            self.line, self.excerpt
        )
    }
}

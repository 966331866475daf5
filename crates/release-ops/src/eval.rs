//! Eval sets and scores.
//!
//! An eval set is a list of questions with known right answers. A release is
//! *scored* by asking it every question and counting exact matches. Two kinds
//! of case matter to a gate:
//!
//! - ordinary cases, whose pass rate is the release's **score**;
//! - **regression cases**, each a question some earlier release got wrong in
//!   production. A candidate must pass every one of them, whatever its score:
//!   a bug that reached users once must never ship again.
//!
//! Scores are kept as whole counts ([`Score`]: passed out of total), never as
//! floating-point ratios, so a gate can compare them exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use labkit::SimRng;

use crate::error::{ReleaseError, Result};
use crate::model::SimModel;

/// The class of a question. A regression usually hits one class, which is
/// why reports break scores down by topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Topic {
    Account,
    Billing,
    Refunds,
    Security,
    Shipping,
}

impl Topic {
    /// Every topic, in a fixed order.
    pub const ALL: [Topic; 5] = [
        Topic::Account,
        Topic::Billing,
        Topic::Refunds,
        Topic::Security,
        Topic::Shipping,
    ];

    /// Lowercase name, as printed in traces.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Account => "account",
            Topic::Billing => "billing",
            Topic::Refunds => "refunds",
            Topic::Security => "security",
            Topic::Shipping => "shipping",
        }
    }

    /// The topic with this lowercase name.
    pub fn from_name(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The lowercase name, the word traces and reports print (`refunds`), so
/// `format!("{topic}")` and [`Topic::name`] agree; `{:?}` gives the Rust
/// variant (`Refunds`), for debugging only.
impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One question with its right answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EvalCase {
    /// Stable id, e.g. `ev-0042`.
    pub id: String,
    pub topic: Topic,
    pub question: String,
    pub expected: String,
    /// A fixed number that identifies the case to the simulated models
    /// (which cases a model happens to get wrong depends on it).
    pub key: u64,
    /// A regression case must pass, whatever the overall score.
    pub regression: bool,
}

/// Passed out of total. A total of zero is a run on nothing: the gate
/// refuses to judge it (see [`crate::verdict::GateReason::NoEvidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Score {
    pub passed: u64,
    pub total: u64,
}

impl Score {
    /// A score of `passed` out of `total`.
    pub fn new(passed: u64, total: u64) -> Self {
        Self { passed, total }
    }

    /// The pass rate as a float, for display only. Never decide with it.
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.passed as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} ({:.1}%)",
            self.passed,
            self.total,
            self.ratio() * 100.0
        )
    }
}

/// The relative change of `candidate` against `live`, in percent, for
/// display (e.g. `-9.6%`).
pub fn relative_change_text(live: Score, candidate: Score) -> String {
    if live.passed == 0 || live.total == 0 || candidate.total == 0 {
        return "n/a".to_string();
    }
    let change = (candidate.ratio() / live.ratio() - 1.0) * 100.0;
    format!("{change:+.1}%")
}

/// What one release scored on one eval set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EvalReport {
    /// The release that was scored.
    pub version: String,
    /// Over every case of the set (regression cases included).
    pub score: Score,
    /// The same, per topic.
    pub by_topic: BTreeMap<Topic, Score>,
    /// Ids of the regression cases this release got wrong, in set order.
    pub failed_regressions: Vec<String>,
    /// Ids of every case the release was scored on, in set order: what the
    /// score is a score *of*. Two scores compare only over the same cases.
    pub cases: Vec<String>,
}

/// How the case ids of two reports differ: the ids only the live report
/// has and the ids only the candidate's has, each sorted. Both empty means
/// the two were scored on the same cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseDiff {
    pub only_live: Vec<String>,
    pub only_candidate: Vec<String>,
}

impl CaseDiff {
    /// `true` when both reports were scored on the same case ids.
    pub fn is_empty(&self) -> bool {
        self.only_live.is_empty() && self.only_candidate.is_empty()
    }
}

/// Compares the case ids of `live` and `candidate` as sets (order does not
/// matter, ids do). Sets forget repeats: check [`repeated_cases`] first.
pub fn case_difference(live: &EvalReport, candidate: &EvalReport) -> CaseDiff {
    let l: BTreeSet<&str> = live.cases.iter().map(String::as_str).collect();
    let c: BTreeSet<&str> = candidate.cases.iter().map(String::as_str).collect();
    CaseDiff {
        only_live: l.difference(&c).map(|s| s.to_string()).collect(),
        only_candidate: c.difference(&l).map(|s| s.to_string()).collect(),
    }
}

/// The case ids `report` lists more than once, each once, sorted. Empty
/// when its cases are one set of unique ids, the only kind of report whose
/// score means anything (a case listed twice is counted twice).
///
/// ```
/// use release_ops::eval::{repeated_cases, EvalReport, Score};
/// let ids = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
/// let mut r = EvalReport {
///     version: "v3".into(),
///     score: Score::new(3, 3),
///     by_topic: Default::default(),
///     failed_regressions: vec![],
///     cases: ids(&["a", "a", "b"]),
/// };
/// assert_eq!(repeated_cases(&r), ids(&["a"]));
/// r.cases = ids(&["b", "a"]);
/// assert!(repeated_cases(&r).is_empty());
/// ```
pub fn repeated_cases(report: &EvalReport) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut repeated = BTreeSet::new();
    for id in &report.cases {
        if !seen.insert(id.as_str()) {
            repeated.insert(id.as_str());
        }
    }
    repeated.into_iter().map(str::to_string).collect()
}

/// An ordered set of eval cases with unique ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EvalSet {
    cases: Vec<EvalCase>,
}

impl EvalSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// `n` cases drawn from `seed`, spread over the five topics. Questions
    /// are small arithmetic on support policies, so every answer is exact.
    pub fn generate(seed: u64, n: usize) -> Self {
        let mut rng = SimRng::seed(seed ^ 0x3333_e7a1_5e75_0000);
        let cases = (0..n).map(|i| make_case(&mut rng, i)).collect();
        Self { cases }
    }

    /// The cases, in order.
    pub fn cases(&self) -> &[EvalCase] {
        &self.cases
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// `true` when there are no cases.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The case with this id.
    pub fn case(&self, id: &str) -> Option<&EvalCase> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The regression cases, in order.
    pub fn regression_cases(&self) -> impl Iterator<Item = &EvalCase> {
        self.cases.iter().filter(|c| c.regression)
    }

    /// Adds a case; its id must be new.
    pub fn add(&mut self, case: EvalCase) -> Result<()> {
        if self.case(&case.id).is_some() {
            return Err(ReleaseError::DuplicateCase { id: case.id });
        }
        self.cases.push(case);
        Ok(())
    }

    /// Adds `case` as a regression case (a bug seen in production, written
    /// down so that no later release can bring it back).
    pub fn add_regression(&mut self, mut case: EvalCase) -> Result<()> {
        case.regression = true;
        self.add(case)
    }

    /// Turns an existing case into a regression case.
    pub fn mark_regression(&mut self, id: &str) -> Result<()> {
        let case = self
            .cases
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| ReleaseError::UnknownCase { id: id.to_string() })?;
        case.regression = true;
        Ok(())
    }

    /// Scores `model` on every case. An empty set gives a report of nothing
    /// (0/0, no cases), which the gate refuses to judge: failing closed is
    /// the gate's job, so the reason reaches the canary's report.
    pub fn run(&self, model: &SimModel) -> Result<EvalReport> {
        let mut score = Score::default();
        let mut by_topic: BTreeMap<Topic, Score> = BTreeMap::new();
        let mut failed_regressions = Vec::new();
        let mut cases = Vec::with_capacity(self.cases.len());
        for case in &self.cases {
            cases.push(case.id.clone());
            let ok = model.answer(case) == case.expected;
            let t = by_topic.entry(case.topic).or_default();
            score.total += 1;
            t.total += 1;
            if ok {
                score.passed += 1;
                t.passed += 1;
            } else if case.regression {
                failed_regressions.push(case.id.clone());
            }
        }
        Ok(EvalReport {
            version: model.version.clone(),
            score,
            by_topic,
            failed_regressions,
            cases,
        })
    }

    /// Ids of the cases `model` gets wrong, in set order.
    pub fn failures(&self, model: &SimModel) -> BTreeSet<String> {
        self.cases
            .iter()
            .filter(|c| model.answer(c) != c.expected)
            .map(|c| c.id.clone())
            .collect()
    }
}

fn make_case(rng: &mut SimRng, i: usize) -> EvalCase {
    let topic = Topic::ALL[(rng.below(5)) as usize];
    let (question, expected) = match topic {
        Topic::Refunds => {
            let amount = rng.between(10, 500) * 10;
            let day = rng.between(1, 45);
            let refund = if day <= 30 { amount - amount / 10 } else { 0 };
            (format!("An order of ${amount} is returned on day {day}; returns close after 30 days and cost 10%. Refund?"), format!("${refund}"))
        }
        Topic::Billing => {
            let price = rng.between(5, 99);
            let months = rng.between(1, 24);
            (
                format!("A plan costs ${price} a month. What do {months} months cost?"),
                format!("${}", price * months),
            )
        }
        Topic::Shipping => {
            let kg = rng.between(1, 40);
            let rate = rng.between(2, 9);
            let cost = if kg > 20 { 0 } else { kg * rate };
            (
                format!("A {kg} kg parcel ships at ${rate}/kg, free above 20 kg. Cost?"),
                format!("${cost}"),
            )
        }
        Topic::Account => {
            let days = rng.between(0, 120);
            (
                format!("A password set {days} days ago expires after 90 days. Days left?"),
                format!("{}", 90u64.saturating_sub(days)),
            )
        }
        Topic::Security => {
            let age = rng.between(0, 400);
            let every = rng.between(30, 90);
            (format!("An API key is {age} days old and rotates every {every} days. Days to the next rotation?"), format!("{}", every - age % every))
        }
    };
    EvalCase {
        id: format!("ev-{:04}", i + 1),
        topic,
        question,
        expected,
        key: rng.next_u64(),
        regression: false,
    }
}

impl EvalCase {
    /// A refunds question: an order of `amount` dollars returned on `day`
    /// (returns close after 30 days and cost 10%).
    pub fn refund(id: &str, amount: u64, day: u64, key: u64) -> Self {
        let refund = if day <= 30 { amount - amount / 10 } else { 0 };
        EvalCase {
            id: id.to_string(),
            topic: Topic::Refunds,
            question: format!("An order of ${amount} is returned on day {day}; returns close after 30 days and cost 10%. Refund?"),
            expected: format!("${refund}"),
            key,
            regression: false,
        }
    }
}

/// The question behind the bad release's incident, written down as a
/// regression case with id `id`: a refunds question that `v2` gets wrong
/// and `v1` and `v3` answer right. Deterministic: the same case every time.
pub fn incident_regression_case(id: &str) -> EvalCase {
    let (v1, v2, v3) = (SimModel::v1(), SimModel::v2(), SimModel::v3());
    let mut key = 0x0bad_0000_u64;
    loop {
        let mut case = EvalCase::refund(id, 240, 12, key);
        if v2.misses(&case) && !v1.misses(&case) && !v3.misses(&case) {
            case.regression = true;
            return case;
        }
        key += 1;
    }
}

#[cfg(test)]
mod topic_display_tests {
    use super::Topic;

    #[test]
    fn a_topic_displays_as_the_word_traces_print_and_reads_back() {
        for t in Topic::ALL {
            assert_eq!(t.to_string(), t.name());
            assert_eq!(Topic::from_name(&t.to_string()), Some(t));
            assert_ne!(t.to_string(), format!("{t:?}"), "Display is not Debug");
        }
        assert_eq!(format!("{}", Topic::Refunds), "refunds");
    }
}

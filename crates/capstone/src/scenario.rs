//! Break it on purpose: the scenarios of lab Part B.
//!
//! A gate you have never seen fail is a gate you cannot trust. Each scenario
//! changes one thing about the shift — the fix, the release history, the
//! alert routing, the postmortem — and the gate must turn red on exactly the
//! assertions that thing breaks, say why, and leave nothing unsafe behind.
//! [`Scenario::Clean`] changes nothing: the gate is green.

use std::fmt;

use serde::Serialize;

use crate::assertion::AssertionId;

/// One way to run the shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// The shift as it should go.
    Clean,
    /// The "fix" is the bad release's model again under a new tag.
    FixReintroducesBug,
    /// The bad release is the first one this region ever ran: there is no
    /// last-good release to roll back to.
    NoRollbackTarget,
    /// Correlation is misconfigured: every alert is its own incident, with
    /// no topology and no inhibition.
    StormDoesNotCorrelate,
    /// The postmortem's failing example is a question the bad release
    /// answered right, so the regression case cannot catch it.
    WrongRegressionCase,
    /// The postmortem names no failing example at all.
    PostmortemWithoutExample,
}

impl Scenario {
    /// Every scenario, the clean one first.
    pub const ALL: [Scenario; 6] = [
        Scenario::Clean,
        Scenario::FixReintroducesBug,
        Scenario::NoRollbackTarget,
        Scenario::StormDoesNotCorrelate,
        Scenario::WrongRegressionCase,
        Scenario::PostmortemWithoutExample,
    ];

    /// The name a learner types: `fix-reintroduces-bug`.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Clean => "clean",
            Scenario::FixReintroducesBug => "fix-reintroduces-bug",
            Scenario::NoRollbackTarget => "no-rollback-target",
            Scenario::StormDoesNotCorrelate => "storm-does-not-correlate",
            Scenario::WrongRegressionCase => "wrong-regression-case",
            Scenario::PostmortemWithoutExample => "postmortem-without-example",
        }
    }

    /// The scenario called `name`, if there is one.
    pub fn parse(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Every valid name, comma-separated, for error messages.
    pub fn valid_names() -> String {
        let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.name()).collect();
        names.join(", ")
    }

    /// What the scenario breaks, in one line.
    pub fn describe(self) -> &'static str {
        match self {
            Scenario::Clean => "nothing: the shift as it should go",
            Scenario::FixReintroducesBug => {
                "the \"fix\" v4 is v2's model under a new tag: the bug comes back with it"
            }
            Scenario::NoRollbackTarget => {
                "v2 is the first release this region ever ran: nothing to roll back to"
            }
            Scenario::StormDoesNotCorrelate => {
                "correlation groups by every label, with no topology and no inhibition"
            }
            Scenario::WrongRegressionCase => {
                "the postmortem's example is a question v2 answered right"
            }
            Scenario::PostmortemWithoutExample => "the postmortem names no failing example",
        }
    }

    /// The assertions this scenario is meant to turn red, in gate order
    /// (empty for the clean shift). The tests hold the gate to it.
    pub fn should_fail(self) -> &'static [AssertionId] {
        match self {
            Scenario::Clean => &[],
            Scenario::FixReintroducesBug => &[AssertionId::FixPromoted],
            Scenario::NoRollbackTarget => &[
                AssertionId::IncidentResolved,
                AssertionId::SliRecovered,
                AssertionId::RegressionCatchesBadRelease,
                AssertionId::FixPromoted,
            ],
            Scenario::StormDoesNotCorrelate => {
                &[AssertionId::StormReduced, AssertionId::TicketRouted]
            }
            Scenario::WrongRegressionCase => &[AssertionId::RegressionCatchesBadRelease],
            Scenario::PostmortemWithoutExample => &[AssertionId::RegressionCatchesBadRelease],
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

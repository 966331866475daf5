//! The eval gate's vocabulary: which assertion, did it hold, and why.
//!
//! The gate is the last stage of the shift and the thing wired into CI. It
//! does not trust the story the trace tells; it reads the numbers of the
//! [`ShiftReport`](crate::ShiftReport) and asserts seven facts about them.
//! Each [`Assertion`] carries its [`AssertionId`], pass or fail, and a reason a
//! person can act on, because "the gate is red" is useless at 3 a.m. and
//! "fix-promoted: v4 blocked by the canary (regression case … failed)" is not.
//!
//! The functions that decide the assertions and the exit code are the
//! learner's (`starters/m34/gate.rs`); [`Gate`] only collects and prints.

use std::fmt;

use serde::Serialize;

/// One assertion of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssertionId {
    /// The alert storm collapsed into a few incidents, one of them the deploy's.
    StormReduced,
    /// The burn-rate alert paged, at SEV-1.
    PageSev1,
    /// The user ticket was triaged, routed to on-call and linked to the paged incident.
    TicketRouted,
    /// The incident reached `resolved`.
    IncidentResolved,
    /// After mitigation the SLI is back within the SLO.
    SliRecovered,
    /// The postmortem's regression case fails the bad release and passes last-good.
    RegressionCatchesBadRelease,
    /// The fix was canaried against live and promoted.
    FixPromoted,
    /// The optional challenge: a stale index was fixed by re-indexing only what changed.
    StaleIndexReindexed,
}

impl AssertionId {
    /// The seven assertions of the shift, in gate order.
    pub const SHIFT: [AssertionId; 7] = [
        AssertionId::StormReduced,
        AssertionId::PageSev1,
        AssertionId::TicketRouted,
        AssertionId::IncidentResolved,
        AssertionId::SliRecovered,
        AssertionId::RegressionCatchesBadRelease,
        AssertionId::FixPromoted,
    ];

    /// The name printed by the gate: `storm-reduced`.
    pub fn name(self) -> &'static str {
        match self {
            AssertionId::StormReduced => "storm-reduced",
            AssertionId::PageSev1 => "page-sev1",
            AssertionId::TicketRouted => "ticket-routed",
            AssertionId::IncidentResolved => "incident-resolved",
            AssertionId::SliRecovered => "sli-recovered",
            AssertionId::RegressionCatchesBadRelease => "regression-catches-bad-release",
            AssertionId::FixPromoted => "fix-promoted",
            AssertionId::StaleIndexReindexed => "stale-index-reindexed",
        }
    }

    /// What the assertion claims, in words.
    pub fn claim(self) -> &'static str {
        match self {
            AssertionId::StormReduced => "the storm was reduced to a few incidents",
            AssertionId::PageSev1 => "the page was SEV-1",
            AssertionId::TicketRouted => "the ticket was routed and linked to the incident",
            AssertionId::IncidentResolved => "the incident resolved",
            AssertionId::SliRecovered => "the SLI recovered within the SLO",
            AssertionId::RegressionCatchesBadRelease => {
                "the regression case catches the bad release"
            }
            AssertionId::FixPromoted => "the fix was promoted",
            AssertionId::StaleIndexReindexed => "the stale index was fixed by re-indexing",
        }
    }
}

impl fmt::Display for AssertionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One verdict of the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assertion {
    /// Which assertion.
    pub check: AssertionId,
    /// Did it hold?
    pub passed: bool,
    /// Why, with the numbers that decided it.
    pub why: String,
}

impl Assertion {
    /// A passing assertion.
    pub fn pass(check: AssertionId, why: impl Into<String>) -> Self {
        Self {
            check,
            passed: true,
            why: why.into(),
        }
    }

    /// A failing assertion.
    pub fn fail(check: AssertionId, why: impl Into<String>) -> Self {
        Self {
            check,
            passed: false,
            why: why.into(),
        }
    }

    /// Pass when `ok`, fail otherwise, with the same reason.
    pub fn holds(check: AssertionId, ok: bool, why: impl Into<String>) -> Self {
        Self {
            check,
            passed: ok,
            why: why.into(),
        }
    }
}

impl fmt::Display for Assertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            if self.passed { "PASS" } else { "FAIL" },
            self.check,
            self.why
        )
    }
}

/// The gate's result: every assertion, in order, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    /// The scenario the shift ran.
    pub scenario: String,
    /// Every assertion, in gate order.
    pub assertions: Vec<Assertion>,
    /// The process exit code: 0 only when every assertion passed.
    pub exit_code: u8,
}

impl Gate {
    /// The assertions that failed.
    pub fn failed(&self) -> Vec<AssertionId> {
        self.assertions
            .iter()
            .filter(|a| !a.passed)
            .map(|a| a.check)
            .collect()
    }

    /// `true` when every assertion held.
    pub fn green(&self) -> bool {
        self.assertions.iter().all(|a| a.passed)
    }

    /// The gate as text: one numbered line per assertion and a verdict.
    pub fn to_text(&self) -> String {
        let mut s = format!("eval gate — scenario {}\n", self.scenario);
        for (i, a) in self.assertions.iter().enumerate() {
            s.push_str(&format!("{:>2}. {a}\n", i + 1));
        }
        let failed = self.failed();
        if failed.is_empty() {
            s.push_str(&format!(
                "gate GREEN: {} of {} assertions hold (exit {})\n",
                self.assertions.len(),
                self.assertions.len(),
                self.exit_code
            ));
        } else {
            let names: Vec<&str> = failed.iter().map(|c| c.name()).collect();
            s.push_str(&format!(
                "gate RED: {} of {} assertions failed: {} (exit {})\n",
                failed.len(),
                self.assertions.len(),
                names.join(", "),
                self.exit_code
            ));
        }
        s
    }

    /// The gate as JSON, for CI.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

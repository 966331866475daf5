//! Severity: how bad an incident is, on the common SEV-1 … SEV-5 scale.
//!
//! The scale (as in PagerDuty's public incident-response guide):
//!
//! | level | meaning |
//! |---|---|
//! | SEV-1 | critical and customer-visible: the service is broken for users |
//! | SEV-2 | critical for many users, or a core function badly degraded |
//! | SEV-3 | partial loss: a feature or a minority of users affected |
//! | SEV-4 | minor: a small inconvenience, a workaround exists |
//! | SEV-5 | cosmetic: no user impact |
//!
//! Lower numbers are worse, and **when unsure, pick the higher severity**
//! (the smaller number): over-reacting costs a little attention, under-
//! reacting costs users. The mapping from a burn-rate alert to a severity is
//! [`severity_for`](crate::severity_for), written in the lab: the fastest page
//! tier is SEV-1, a slower page SEV-2, the fastest ticket SEV-3, a slower
//! ticket SEV-4. SEV-5 never comes from a burn alert; people file it.

use serde::{Deserialize, Serialize};

/// SEV-1 (worst) to SEV-5. `Ord` follows urgency: `Sev1 < Sev2`, so the
/// minimum of two severities is the more severe one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Critical and customer-visible: here, the fastest page tier (a burn of
    /// the SLO; whether a contractual SLA is breached is a later question).
    Sev1,
    /// Critical for many users.
    Sev2,
    /// Partial loss of function.
    Sev3,
    /// Minor.
    Sev4,
    /// Cosmetic.
    Sev5,
}

impl Severity {
    /// Every level, worst first.
    pub const ALL: [Severity; 5] = [
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
        Severity::Sev5,
    ];

    /// The level as a number, 1 (worst) to 5.
    pub fn level(self) -> u8 {
        match self {
            Severity::Sev1 => 1,
            Severity::Sev2 => 2,
            Severity::Sev3 => 3,
            Severity::Sev4 => 4,
            Severity::Sev5 => 5,
        }
    }

    /// The more severe of two assessments ("when unsure, pick the higher").
    pub fn worst(self, other: Severity) -> Severity {
        self.min(other)
    }

    /// What the level means, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::Sev1 => "critical, customer-visible, broken for users",
            Severity::Sev2 => "critical for many users",
            Severity::Sev3 => "partial loss of function",
            Severity::Sev4 => "minor",
            Severity::Sev5 => "cosmetic",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SEV-{}", self.level())
    }
}

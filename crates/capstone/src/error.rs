//! The one error type of the capstone.
//!
//! Each module crate has its own error type; a stage of the shift can meet
//! any of them. [`ShiftError`] wraps them, says which module refused, and adds
//! the few refusals that belong to the shift itself (a play no automation
//! knows how to run, a rollback that never reached green).

use std::fmt;

use incident::{IncidentError, Play};

/// Why a stage of the shift could not finish.
#[derive(Debug, Clone, PartialEq)]
pub enum ShiftError {
    /// M31 refused (incident lifecycle, postmortem, eval case).
    Incident(IncidentError),
    /// M32 refused (the desk).
    Desk(desk::DeskError),
    /// M33 Part B refused (release manager, registry, eval set).
    Release(release_ops::ReleaseError),
    /// M33 Part A refused (a sync of the index).
    Index(index_ops::SyncError),
    /// The runbook's play is for a person: no automation runs it.
    PlayNotAutomated(Play),
    /// The runbook has no safe mitigation to run first.
    NoSafeMitigation(String),
    /// The rollback ran but the exit targets never went green.
    NotGreen {
        /// The release rolled back to.
        to: String,
    },
    /// A regression case with an empty question or expected answer.
    EmptyCase(String),
    /// The question of a regression case fits no topic of the eval set.
    UnknownTopic(String),
    /// No page fired, so there is no incident to drive.
    NoPage,
}

impl fmt::Display for ShiftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShiftError::Incident(e) => write!(f, "m31 refused: {e}"),
            ShiftError::Desk(e) => write!(f, "m32 refused: {e}"),
            ShiftError::Release(e) => write!(f, "m33 release-ops refused: {e}"),
            ShiftError::Index(e) => write!(f, "m33 index-ops refused: {e}"),
            ShiftError::PlayNotAutomated(p) => write!(
                f,
                "play `{p}` ({}) is for a person, not for the shift's automation: escalate to a human",
                p.describe()
            ),
            ShiftError::NoSafeMitigation(kind) => write!(
                f,
                "the `{kind}` runbook has no safe mitigation to run first: escalate to a human"
            ),
            ShiftError::NotGreen { to } => write!(
                f,
                "rolled back to {to}, but the exit targets never went green: writers stay frozen, escalate"
            ),
            ShiftError::EmptyCase(id) => write!(
                f,
                "regression case `{id}` has an empty question or expected answer: it could not fail anything"
            ),
            ShiftError::UnknownTopic(q) => write!(
                f,
                "the question \"{q}\" fits no topic of the eval set: say which topic it tests"
            ),
            ShiftError::NoPage => write!(f, "no page fired, so no incident was opened"),
        }
    }
}

impl std::error::Error for ShiftError {}

impl From<IncidentError> for ShiftError {
    fn from(e: IncidentError) -> Self {
        ShiftError::Incident(e)
    }
}

impl From<desk::DeskError> for ShiftError {
    fn from(e: desk::DeskError) -> Self {
        ShiftError::Desk(e)
    }
}

impl From<release_ops::ReleaseError> for ShiftError {
    fn from(e: release_ops::ReleaseError) -> Self {
        ShiftError::Release(e)
    }
}

impl From<index_ops::SyncError> for ShiftError {
    fn from(e: index_ops::SyncError) -> Self {
        ShiftError::Index(e)
    }
}

//! Typed errors of the desk, with messages a learner can act on.

use std::fmt;

/// Why a batch of alerts could not be loaded from JSON.
///
/// The message names the record (its position in the array, counting from 0)
/// and the field, so a bad record in a file of thousands can be found at once:
///
/// ```text
/// alert #3, field `startsAt`: expected an RFC 3339 time such as "2026-03-02T02:00:00Z", got "yesterday"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// Position of the bad record in the array, if the problem is in a record.
    pub index: Option<usize>,
    /// The field at fault (`labels.severity`, `startsAt` …), if one is.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub problem: String,
}

impl LoadError {
    pub(crate) fn whole(problem: impl Into<String>) -> Self {
        Self {
            index: None,
            field: None,
            problem: problem.into(),
        }
    }

    pub(crate) fn at(index: usize, field: &str, problem: impl Into<String>) -> Self {
        Self {
            index: Some(index),
            field: Some(field.to_string()),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.index, &self.field) {
            (Some(i), Some(field)) => write!(f, "alert #{i}, field `{field}`: {}", self.problem),
            (Some(i), None) => write!(f, "alert #{i}: {}", self.problem),
            (None, Some(field)) => write!(f, "field `{field}`: {}", self.problem),
            (None, None) => write!(f, "{}", self.problem),
        }
    }
}

impl std::error::Error for LoadError {}

/// Errors of the support desk (tickets and incidents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskError {
    /// No incident with this id is known to the desk.
    UnknownIncident(String),
    /// The incident was already resolved; resolving twice would notify twice.
    AlreadyResolved(String),
    /// A ticket with this id was already submitted.
    DuplicateTicket(String),
    /// An impact or urgency outside the ITIL matrix's 1 (high) ..= 3 (low).
    NotOnMatrix {
        /// `"impact"` or `"urgency"`.
        what: &'static str,
        /// The value given.
        value: u8,
    },
}

impl fmt::Display for DeskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeskError::UnknownIncident(id) => write!(
                f,
                "no incident `{id}` on the desk (open ones are listed by Desk::incidents)"
            ),
            DeskError::AlreadyResolved(id) => write!(
                f,
                "incident `{id}` is already resolved; its tickets were updated then"
            ),
            DeskError::DuplicateTicket(id) => {
                write!(
                    f,
                    "ticket `{id}` was already submitted; give each ticket its own id"
                )
            }
            DeskError::NotOnMatrix { what, value } => write!(
                f,
                "{what} {value} is not on the ITIL matrix: impact and urgency each run from 1 (high) to 3 (low)"
            ),
        }
    }
}

impl std::error::Error for DeskError {}

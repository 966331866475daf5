//! The one error type of the crate.
//!
//! Every fallible operation returns [`IncidentError`]. Each message says what
//! was wrong with the input and what to do instead, because the person
//! reading it is usually a learner in the middle of a lab.

use chrono::{DateTime, TimeDelta, Utc};

use crate::incident::Status;
use crate::window::span;

/// What can go wrong when building SLOs, measuring SLIs, driving an incident
/// or writing a postmortem.
#[derive(Debug, Clone, PartialEq)]
pub enum IncidentError {
    /// An SLO target must lie strictly between 0 and 1 (99% is `0.99`).
    InvalidTarget { target: f64 },
    /// A period or window must be a positive length of time.
    InvalidSpan { what: &'static str, span: TimeDelta },
    /// A window of the windowed SLI is not a whole number of buckets.
    WindowNotMultipleOfBucket {
        window: TimeDelta,
        bucket: TimeDelta,
    },
    /// A burn-rate tier is malformed (its text says how).
    InvalidTier { tier: String, reason: String },
    /// A burn-rate policy needs at least one tier.
    EmptyPolicy,
    /// Events must arrive in time order (per bucket); this one is late.
    EventOutOfOrder {
        at: DateTime<Utc>,
        latest: DateTime<Utc>,
    },
    /// An event or query before the SLI's origin.
    BeforeOrigin {
        at: DateTime<Utc>,
        origin: DateTime<Utc>,
    },
    /// An incident cannot jump or go back in its lifecycle.
    IllegalTransition { from: Status, to: Status },
    /// Timeline entries are in time order; this one is earlier than the last.
    TimeWentBackwards {
        at: DateTime<Utc>,
        last: DateTime<Utc>,
    },
    /// Only a page opens an incident; a ticket goes to a queue.
    NotAPage { tier: String },
    /// Resolving a false page or reopening an incident needs a reason.
    NoReason { what: &'static str },
    /// A runbook needs at least one play.
    EmptyRunbook,
    /// A postmortem is written about a resolved incident.
    NotResolved { incident: String, status: Status },
    /// A postmortem section is required and was left empty.
    MissingSection { section: &'static str },
    /// The postmortem names no failing example to turn into an eval case.
    NoFailingExample { incident: String },
}

impl std::fmt::Display for IncidentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidTarget { target } => write!(
                f,
                "SLO target {target} is not a ratio strictly between 0 and 1: write 99% as 0.99 \
                 (a target of 1 leaves no error budget, a target of 0 promises nothing)"
            ),
            Self::InvalidSpan { what, span: s } => {
                write!(f, "the {what} must be a positive length of time, got {}", span(*s))
            }
            Self::WindowNotMultipleOfBucket { window, bucket } => write!(
                f,
                "window {} is not a whole number of {} buckets: pick a bucket that divides every window",
                span(*window),
                span(*bucket)
            ),
            Self::InvalidTier { tier, reason } => write!(f, "burn-rate tier `{tier}`: {reason}"),
            Self::EmptyPolicy => write!(f, "a burn-rate policy needs at least one tier"),
            Self::EventOutOfOrder { at, latest } => write!(
                f,
                "event at {at} arrived after the SLI had moved on to {latest}: feed events in time order"
            ),
            Self::BeforeOrigin { at, origin } => write!(
                f,
                "time {at} is before the SLI's origin {origin}: start the SLI no later than the first event"
            ),
            Self::IllegalTransition { from, to } => write!(
                f,
                "an incident cannot go from {from} to {to}: the lifecycle is open → acknowledged → mitigated → resolved, one step at a time"
            ),
            Self::TimeWentBackwards { at, last } => write!(
                f,
                "timeline entry at {at} is earlier than the last entry at {last}: the timeline only moves forward"
            ),
            Self::NotAPage { tier } => write!(
                f,
                "tier `{tier}` raised a ticket, not a page: a ticket goes to the team's queue, only a page opens an incident"
            ),
            Self::NoReason { what } => write!(
                f,
                "{what} needs a reason for the timeline: say why, in a few words"
            ),
            Self::EmptyRunbook => write!(f, "a runbook needs at least one play"),
            Self::NotResolved { incident, status } => write!(
                f,
                "incident {incident} is {status}: write the postmortem once it is resolved"
            ),
            Self::MissingSection { section } => {
                write!(f, "the postmortem's `{section}` section is empty: every section is required")
            }
            Self::NoFailingExample { incident } => write!(
                f,
                "the postmortem of {incident} names no failing example, so there is nothing to turn into a regression case"
            ),
        }
    }
}

impl std::error::Error for IncidentError {}

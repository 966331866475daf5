//! The one error type of the crate.
//!
//! Every refusal is a value a caller can match on, and every message says what
//! to do next. A refused operation leaves the release manager, the registry,
//! the slots and the secret store exactly as they were: nothing is half done.

use std::fmt;

/// Why a release operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseError {
    /// No release with this version is in the registry.
    UnknownVersion { version: String },
    /// A release with this version was already published; versions are immutable.
    VersionExists { version: String },
    /// A digest string is not `sha256:` followed by 64 lowercase hex characters.
    MalformedDigest { text: String },
    /// The bytes do not hash to the digest claimed for them.
    DigestMismatch { claimed: String, actual: String },
    /// The store holds nothing under this digest.
    MissingArtifact { digest: String },
    /// A model artifact's bytes could not be read as a simulated model.
    MalformedModel { digest: String, reason: String },
    /// A build cannot be scored on an empty eval set.
    EmptyEvalSet,
    /// An eval case id is used twice.
    DuplicateCase { id: String },
    /// No eval case has this id.
    UnknownCase { id: String },
    /// Nothing is live yet: install a first release.
    NothingLive,
    /// The first install is only for an empty manager.
    AlreadyInstalled { live: String },
    /// A deploy or rollback needs a last-good release to return to, and there is none.
    NoRollbackTarget,
    /// The candidate is already the live release.
    AlreadyLive { version: String },
    /// Promotion needs a canary whose decision was "promote" for this candidate.
    NotApproved { candidate: String },
    /// Blue/green: the idle slot has no release staged.
    IdleSlotEmpty { slot: String },
    /// Blue/green: the idle slot failed its health check.
    IdleUnhealthy { slot: String, release: String },
    /// Blue/green: a cut-over is still baking.
    BakeInProgress,
    /// Ramp: the plan has no stages.
    RampNoStages,
    /// Ramp: a stage's share is not larger than the one before it.
    RampNotIncreasing {
        stage: usize,
        previous: u32,
        percent: u32,
    },
    /// Ramp: a stage's share is above 100%.
    RampAbove100 { stage: usize, percent: u32 },
    /// Ramp: a stage would route no request to the candidate.
    RampZeroTraffic { stage: usize },
    /// Rotation: a rotation is already under way.
    RotationInProgress,
    /// Rotation: there is no rotation to resume or abort.
    NoRotationInProgress,
    /// Rotation: the pending secret failed its test.
    PendingTestFailed,
    /// Rotation: finishing now would end the previous secret's grace window
    /// early (the store keeps one previous secret, and a finish replaces
    /// it). Rotate at or after `until`.
    GraceWindowOpen {
        previous: crate::secrets::Secret,
        until: chrono::DateTime<chrono::Utc>,
    },
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReleaseError::*;
        match self {
            UnknownVersion { version } => write!(f, "no release `{version}` in the registry: publish it first, or check the tag"),
            VersionExists { version } => write!(f, "release `{version}` is already published: versions are immutable, publish a new one"),
            MalformedDigest { text } => write!(f, "`{text}` is not a digest: expected `sha256:` and 64 lowercase hex characters"),
            DigestMismatch { claimed, actual } => write!(f, "the bytes hash to {actual}, not to the claimed {claimed}: refusing a corrupted or substituted artifact"),
            MissingArtifact { digest } => write!(f, "no artifact {digest} in the store"),
            MalformedModel { digest, reason } => write!(f, "model artifact {digest} is unreadable: {reason}"),
            EmptyEvalSet => write!(f, "the eval set is empty: a release scored on nothing proves nothing"),
            DuplicateCase { id } => write!(f, "eval case `{id}` already exists: give the new case its own id"),
            UnknownCase { id } => write!(f, "no eval case `{id}`"),
            NothingLive => write!(f, "nothing is live yet: install the first release"),
            AlreadyInstalled { live } => write!(f, "`{live}` is already live: new releases go through a deploy or a canary"),
            NoRollbackTarget => write!(f, "there is no last-good release to return to: a deploy without a rollback path is refused"),
            AlreadyLive { version } => write!(f, "`{version}` is already live"),
            NotApproved { candidate } => write!(f, "`{candidate}` has no passing canary: run a canary and promote only on a promote decision"),
            IdleSlotEmpty { slot } => write!(f, "the idle {slot} slot has no release staged"),
            IdleUnhealthy { slot, release } => write!(f, "the idle {slot} slot ({release}) failed its health check: traffic stays where it is"),
            BakeInProgress => write!(f, "a cut-over is still baking: wait for it to finish or flip back"),
            RampNoStages => write!(f, "the ramp has no stages"),
            RampNotIncreasing { stage, previous, percent } => write!(f, "ramp stage {stage} sends {percent}%, not more than the {previous}% before it: stages must increase"),
            RampAbove100 { stage, percent } => write!(f, "ramp stage {stage} sends {percent}%: a share cannot exceed 100%"),
            RampZeroTraffic { stage } => write!(f, "ramp stage {stage} would send no request to the candidate: it could not judge anything"),
            RotationInProgress => write!(f, "a rotation is already in progress: resume or abort it first"),
            NoRotationInProgress => write!(f, "no rotation is in progress"),
            PendingTestFailed => write!(f, "the pending secret failed its test: abort the rotation"),
            GraceWindowOpen { previous, until } => write!(f, "{previous} is accepted until {until} (its grace window): finishing a rotation now would revoke it early; rotate at or after {until}"),
        }
    }
}

impl std::error::Error for ReleaseError {}

/// Shorthand for results of this crate.
pub type Result<T, E = ReleaseError> = std::result::Result<T, E>;

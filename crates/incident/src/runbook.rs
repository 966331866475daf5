//! Runbooks: what to do, in order, for each kind of incident.
//!
//! A runbook is written in calm daylight for someone reading it at 3 a.m.
//! Its plays are ordered, and the first is the **fastest safe mitigation**:
//! the quickest action that stops users being hurt and can be undone if it
//! was the wrong call. Diagnosis comes after: **mitigate before you
//! diagnose**. Rolling back a bad release takes minutes and is always safe
//! (the last-good release ran yesterday); finding the bug can take a day.
//!
//! A play is data ([`Play`]), not code: this crate says *what* to do, and
//! whatever operates the service (the capstone, with the release and index
//! tooling of M33) says *how*. That keeps incident response from depending on
//! every system it might have to act on.

use serde::{Deserialize, Serialize};

use crate::error::IncidentError;
use crate::incident::IncidentKind;

/// An action an operator (or the capstone's automation) can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Play {
    /// Deploy the last release that was known good (a pointer flip).
    RollbackToLastGood,
    /// Edit the live configuration by hand to work around the bug.
    PatchLiveConfig,
    /// Record build id, commit, model, prompt and index versions before
    /// anything else changes.
    CaptureState,
    /// Compare the bad release with the last good one to find the cause.
    DiffAgainstLastGood,
    /// Ship the corrected release through the canary and the eval gate.
    ShipFixThroughCanary,
    /// Re-embed only the documents whose source changed.
    ReindexChangedDocuments,
    /// Rebuild the whole index from every source document.
    RebuildIndex,
    /// Find out why the scheduled sync stopped running.
    InspectSyncJob,
    /// Put the sync schedule back and alert when it is late.
    RestoreSyncSchedule,
}

impl Play {
    /// What the play does, in one line.
    pub fn describe(self) -> &'static str {
        match self {
            Play::RollbackToLastGood => "roll back to the last-good release",
            Play::PatchLiveConfig => "patch the live configuration by hand",
            Play::CaptureState => "capture build id, git SHA, model, prompt and index versions",
            Play::DiffAgainstLastGood => "diff the bad release against the last-good one",
            Play::ShipFixThroughCanary => "ship the fix through the canary and the eval gate",
            Play::ReindexChangedDocuments => "re-index the changed documents",
            Play::RebuildIndex => "rebuild the whole index",
            Play::InspectSyncJob => "inspect why the sync job stopped",
            Play::RestoreSyncSchedule => "restore the sync schedule and alert on late syncs",
        }
    }

    /// The play's snake_case name: `rollback_to_last_good`.
    pub fn as_str(self) -> &'static str {
        match self {
            Play::RollbackToLastGood => "rollback_to_last_good",
            Play::PatchLiveConfig => "patch_live_config",
            Play::CaptureState => "capture_state",
            Play::DiffAgainstLastGood => "diff_against_last_good",
            Play::ShipFixThroughCanary => "ship_fix_through_canary",
            Play::ReindexChangedDocuments => "reindex_changed_documents",
            Play::RebuildIndex => "rebuild_index",
            Play::InspectSyncJob => "inspect_sync_job",
            Play::RestoreSyncSchedule => "restore_sync_schedule",
        }
    }
}

impl std::fmt::Display for Play {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Stops users being hurt, without fixing the cause.
    Mitigate,
    /// Finds out what happened.
    Diagnose,
    /// Fixes the cause for good.
    Repair,
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Purpose::Mitigate => "mitigate",
            Purpose::Diagnose => "diagnose",
            Purpose::Repair => "repair",
        })
    }
}

/// One step of a runbook: a play, what it is for, whether it is safe (can be
/// undone, loses nothing), and about how long it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The action.
    pub play: Play,
    /// Mitigate, diagnose or repair.
    pub purpose: Purpose,
    /// Reversible and loses nothing.
    pub safe: bool,
    /// Rough minutes to take effect.
    pub minutes: u32,
}

impl Step {
    /// A step.
    pub const fn new(play: Play, purpose: Purpose, safe: bool, minutes: u32) -> Self {
        Self {
            play,
            purpose,
            safe,
            minutes,
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}, {}, ~{} min)",
            self.play,
            self.purpose,
            if self.safe { "safe" } else { "risky" },
            self.minutes
        )
    }
}

/// An ordered list of steps for one kind of incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runbook {
    pub(crate) kind: IncidentKind,
    pub(crate) steps: Vec<Step>,
}

const BAD_RELEASE: &[Step] = &[
    Step::new(Play::RollbackToLastGood, Purpose::Mitigate, true, 3),
    Step::new(Play::CaptureState, Purpose::Diagnose, true, 2),
    Step::new(Play::PatchLiveConfig, Purpose::Mitigate, false, 1),
    Step::new(Play::DiffAgainstLastGood, Purpose::Diagnose, true, 30),
    Step::new(Play::ShipFixThroughCanary, Purpose::Repair, true, 90),
];

const STALE_INDEX: &[Step] = &[
    Step::new(Play::ReindexChangedDocuments, Purpose::Mitigate, true, 5),
    Step::new(Play::RebuildIndex, Purpose::Mitigate, true, 120),
    Step::new(Play::InspectSyncJob, Purpose::Diagnose, true, 15),
    Step::new(Play::RestoreSyncSchedule, Purpose::Repair, true, 30),
];

impl Runbook {
    /// A runbook with these steps, in order; at least one.
    pub fn new(kind: IncidentKind, steps: Vec<Step>) -> Result<Self, IncidentError> {
        if steps.is_empty() {
            return Err(IncidentError::EmptyRunbook);
        }
        Ok(Self { kind, steps })
    }

    /// The course's runbook for `kind`. `bad_release`: roll back first.
    /// `stale_index`: re-index the changed documents first. (A new kind gets
    /// a new arm here; the match makes sure none is forgotten.)
    pub fn for_kind(kind: IncidentKind) -> Self {
        let steps = match kind {
            IncidentKind::BadRelease => BAD_RELEASE,
            IncidentKind::StaleIndex => STALE_INDEX,
        };
        Self {
            kind,
            steps: steps.to_vec(),
        }
    }

    /// The kind of incident this runbook is for.
    pub fn kind(&self) -> IncidentKind {
        self.kind
    }

    /// The steps, in the order written.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The play to run first: the fastest *safe* step whose purpose is to
    /// mitigate; among equally fast ones, the one listed first. `None` if the
    /// runbook has no safe mitigation. Written by the learner (`first_play`
    /// in `starters/m31/respond.rs`).
    pub fn first_play(&self) -> Option<&Step> {
        super::respond::first_play(self)
    }
}

impl std::fmt::Display for Runbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "runbook {}:", self.kind)?;
        for (i, s) in self.steps.iter().enumerate() {
            writeln!(f, "  {}. {} — {}", i + 1, s, s.play.describe())?;
        }
        Ok(())
    }
}

//! The release manager: what is live, what to return to, and how to get there.
//!
//! It owns the registry, the eval set, the gate policy and the simulated
//! clock, and keeps three facts straight:
//!
//! - **live**: the release serving users, and whether it is *verified*
//!   (installed as the baseline, promoted by a canary, or rolled back to);
//! - **last-good**: a stack of verified releases that were live before, whose
//!   top is where [`ReleaseManager::rollback`] goes;
//! - the operating state the rollback checklist touches: writers frozen or
//!   not, traffic throttled or not, the cache namespace.
//!
//! The rule "a rollback path must exist before a deploy" is enforced here:
//! [`ReleaseManager::deploy`] refuses when there would be nothing to roll
//! back to. Every refused call leaves live, last-good and the operating state
//! unchanged.
//!
//! The learner writes the bodies of [`ReleaseManager::canary`] (step B3,
//! the function `canary` in `canary.rs`) and [`ReleaseManager::rollback`]
//! (step B4, the function `rollback` in `rollback.rs`); the methods call
//! them, and everything they call is here.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use labkit::SimClock;

use crate::error::{ReleaseError, Result};
use crate::eval::{EvalReport, EvalSet};
use crate::model::ServingProfile;
use crate::registry::{Manifest, Registry};
use crate::traffic::{validate_plan, RampPlan, RampReport, Traffic};
use crate::verdict::{GatePolicy, GateVerdict};

/// What a canary concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Decision {
    /// The candidate is at least as good as live within tolerance: ship it.
    Promote,
    /// The candidate is worse: take it out of the canary, live stays.
    Rollback,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Promote => "promote",
            Decision::Rollback => "rollback",
        })
    }
}

/// A canary's full result: both reports, the gate's verdict, the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CanaryReport {
    pub candidate: String,
    pub live: String,
    pub live_report: EvalReport,
    pub candidate_report: EvalReport,
    pub verdict: GateVerdict,
    pub decision: Decision,
}

/// Rollback checklist step 1: what was running, recorded before anything
/// changes, so the incident keeps its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CapturedState {
    pub release: String,
    pub build_id: String,
    pub git_sha: String,
    /// The model version, by digest.
    pub model: String,
    pub prompt_version: String,
    /// The index the release was answering from (given by the caller).
    pub index_hash: String,
    pub cache_namespace: String,
}

/// The exit targets a rollback watches for (checklist step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExitTargets {
    /// User-visible bad responses must be *below* this, per million (0.5% = 5000).
    pub max_bad_ppm: u32,
    /// p95 latency may be at most this many percent above baseline.
    pub max_p95_increase_percent: u32,
    /// Minutes to wait for green before escalating.
    pub window_minutes: u32,
}

impl Default for ExitTargets {
    fn default() -> Self {
        Self {
            max_bad_ppm: 5000,
            max_p95_increase_percent: 15,
            window_minutes: 10,
        }
    }
}

impl ExitTargets {
    /// `true` when `reading` meets both targets against `baseline_p95_ms`.
    pub fn met(&self, reading: &Reading, baseline_p95_ms: u32) -> bool {
        let p95_ok = u64::from(reading.p95_ms) * 100
            <= u64::from(baseline_p95_ms) * u64::from(100 + self.max_p95_increase_percent);
        reading.bad_ppm < self.max_bad_ppm && p95_ok
    }
}

/// One minute of watching after a flip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reading {
    /// Minutes since the flip.
    pub minute: u32,
    pub bad_ppm: u32,
    pub p95_ms: u32,
    /// Both exit targets met.
    pub green: bool,
}

/// Checklist step 6's record: the readings until green (or the window's end).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExitWatch {
    pub baseline_p95_ms: u32,
    pub readings: Vec<Reading>,
    /// The minute the targets were first met, if they were.
    pub green_at: Option<u32>,
}

/// One step of the rollback checklist, as it was carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ChecklistStep {
    /// 1. capture state.
    CaptureState(CapturedState),
    /// 2. freeze non-idempotent writers.
    FreezeWriters,
    /// 3. the lever (the release pointer) flipped in one operation.
    FlipPointer { from: String, to: String },
    /// 4. a new cache namespace; the old one is left alone, not deleted.
    RotateCache { from: String, to: String },
    /// 5. throttle on while the system cools; 7. off once green.
    Throttle { on: bool },
    /// 6. watch for green against the exit targets.
    Watch(ExitWatch),
    /// 8. then unfreeze writers (only once green).
    UnfreezeWriters,
}

impl ChecklistStep {
    /// `true` for a watch (step 6) that reached green: `green_at` is set.
    /// Every other step is `false`.
    pub fn turned_green(&self) -> bool {
        matches!(self, ChecklistStep::Watch(w) if w.green_at.is_some())
    }

    /// A short name of the step kind, e.g. `flip-pointer`.
    pub fn kind(&self) -> &'static str {
        match self {
            ChecklistStep::CaptureState(_) => "capture-state",
            ChecklistStep::FreezeWriters => "freeze-writers",
            ChecklistStep::FlipPointer { .. } => "flip-pointer",
            ChecklistStep::RotateCache { .. } => "rotate-cache",
            ChecklistStep::Throttle { on: true } => "throttle-on",
            ChecklistStep::Throttle { on: false } => "throttle-off",
            ChecklistStep::Watch(_) => "watch",
            ChecklistStep::UnfreezeWriters => "unfreeze-writers",
        }
    }
}

impl fmt::Display for ChecklistStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChecklistStep::CaptureState(s) => write!(
                f,
                "capture state: release {} build {} git {} model {} prompt {} index {}",
                s.release,
                s.build_id,
                s.git_sha.get(..8).unwrap_or(&s.git_sha),
                s.model.get(..19).unwrap_or(&s.model),
                s.prompt_version,
                s.index_hash
            ),
            ChecklistStep::FreezeWriters => write!(f, "freeze non-idempotent writers"),
            ChecklistStep::FlipPointer { from, to } => {
                write!(f, "flip the release pointer {from} -> {to} (one operation)")
            }
            ChecklistStep::RotateCache { from, to } => write!(
                f,
                "rotate cache namespace {from} -> {to} (old one kept, not deleted)"
            ),
            ChecklistStep::Throttle { on } => write!(
                f,
                "throttle {}",
                if *on {
                    "on while the system cools"
                } else {
                    "off"
                }
            ),
            ChecklistStep::Watch(w) => {
                let readings: Vec<String> = w
                    .readings
                    .iter()
                    .map(|r| {
                        format!(
                            "m{} {:.2}%/{}ms",
                            r.minute,
                            f64::from(r.bad_ppm) / 10_000.0,
                            r.p95_ms
                        )
                    })
                    .collect();
                match w.green_at {
                    Some(m) => write!(
                        f,
                        "watch exit targets (bad < 0.5%, p95 <= {}ms): {} -> green at minute {m}",
                        w.baseline_p95_ms * 115 / 100,
                        readings.join(", ")
                    ),
                    None => write!(
                        f,
                        "watch exit targets: {} -> NOT green, escalate",
                        readings.join(", ")
                    ),
                }
            }
            ChecklistStep::UnfreezeWriters => write!(f, "unfreeze writers"),
        }
    }
}

/// What a rollback did, step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RollbackReport {
    pub from: String,
    pub to: String,
    pub steps: Vec<ChecklistStep>,
}

impl RollbackReport {
    /// `true` when the exit targets were met and writers unfrozen.
    pub fn recovered(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, ChecklistStep::UnfreezeWriters))
    }

    /// The step kinds in order.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.steps.iter().map(ChecklistStep::kind).collect()
    }
}

/// One entry of the manager's log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ManagerEvent {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// Live release, last-good releases, and the operations between them.
#[derive(Debug, Clone)]
pub struct ReleaseManager {
    pub(crate) registry: Registry,
    pub(crate) eval: EvalSet,
    pub(crate) policy: GatePolicy,
    pub(crate) exit_targets: ExitTargets,
    pub(crate) clock: SimClock,
    pub(crate) live: Option<String>,
    pub(crate) live_verified: bool,
    pub(crate) good_stack: Vec<String>,
    /// The candidate whose last canary said "promote", if any.
    pub(crate) approved: Option<String>,
    pub(crate) writers_frozen: bool,
    pub(crate) throttled: bool,
    pub(crate) index_hash: String,
    pub(crate) cache_generation: u32,
    pub(crate) cache_namespace: String,
    pub(crate) log: Vec<ManagerEvent>,
}

impl ReleaseManager {
    /// A manager with nothing live, over `registry` and `eval`, answering
    /// from the index `index_hash` (any string naming the index version).
    pub fn new(registry: Registry, eval: EvalSet, index_hash: &str) -> Self {
        Self {
            registry,
            eval,
            policy: GatePolicy::default(),
            exit_targets: ExitTargets::default(),
            clock: SimClock::new(),
            live: None,
            live_verified: false,
            good_stack: Vec::new(),
            approved: None,
            writers_frozen: false,
            throttled: false,
            index_hash: index_hash.to_string(),
            cache_generation: 0,
            cache_namespace: String::from("cache/none"),
            log: Vec::new(),
        }
    }

    /// The course's setup: [`Registry::course`], `eval`, and `v1` installed
    /// as the verified baseline.
    pub fn course(eval: EvalSet, index_hash: &str) -> Result<Self> {
        let mut m = Self::new(Registry::course(), eval, index_hash);
        m.install_first("v1")?;
        Ok(m)
    }

    /// Uses a different gate policy.
    pub fn with_policy(mut self, policy: GatePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Starts the simulated clock at `clock`.
    pub fn with_clock(mut self, clock: SimClock) -> Self {
        self.clock = clock;
        self
    }

    /// Installs the first release on an empty manager as the verified
    /// baseline (the one deploy that has nothing to roll back to, and is
    /// only allowed when nothing is live).
    pub fn install_first(&mut self, version: &str) -> Result<()> {
        if let Some(live) = &self.live {
            return Err(ReleaseError::AlreadyInstalled { live: live.clone() });
        }
        self.registry.load_model(version)?;
        self.switch_live(version, true);
        self.rotate_cache_namespace();
        Ok(())
    }

    /// The live release's version.
    pub fn live(&self) -> Option<&str> {
        self.live.as_deref()
    }

    /// The live release's version, or [`ReleaseError::NothingLive`].
    pub fn live_version(&self) -> Result<&str> {
        self.live.as_deref().ok_or(ReleaseError::NothingLive)
    }

    /// The live release's manifest.
    pub fn live_manifest(&self) -> Result<&Manifest> {
        self.registry.manifest(self.live_version()?)
    }

    /// `true` when live was installed, promoted or rolled back to (not
    /// deployed without a canary).
    pub fn live_verified(&self) -> bool {
        self.live_verified
    }

    /// The release a rollback would return to now, if any.
    pub fn last_good(&self) -> Option<&str> {
        self.good_stack.last().map(String::as_str)
    }

    /// The rollback target, or [`ReleaseError::NoRollbackTarget`].
    pub fn rollback_target(&self) -> Result<String> {
        self.live_version()?;
        let target = self.last_good().ok_or(ReleaseError::NoRollbackTarget)?;
        self.registry.manifest(target)?;
        Ok(target.to_string())
    }

    /// The candidate approved by the last canary, if any.
    pub fn approved(&self) -> Option<&str> {
        self.approved.as_deref()
    }

    /// Records a canary's promote decision: `candidate` is the one release
    /// [`ReleaseManager::promote`] will accept next (replacing any earlier
    /// approval). Only a canary that has just judged `candidate` against
    /// live should call this; promoting clears it again.
    pub fn approve(&mut self, candidate: &str) {
        self.approved = Some(candidate.to_string());
    }

    /// Records a canary's rollback decision: any earlier approval is void,
    /// so nothing can be promoted until a canary approves again.
    pub fn withdraw_approval(&mut self) {
        self.approved = None;
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The registry, to publish new releases.
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    /// The eval set canaries run on.
    pub fn eval_set(&self) -> &EvalSet {
        &self.eval
    }

    /// The eval set, to add a regression case after an incident.
    pub fn eval_set_mut(&mut self) -> &mut EvalSet {
        &mut self.eval
    }

    /// The gate policy.
    pub fn policy(&self) -> GatePolicy {
        self.policy
    }

    /// The exit targets rollbacks watch.
    pub fn exit_targets(&self) -> ExitTargets {
        self.exit_targets
    }

    /// `true` while non-idempotent writers are frozen.
    pub fn writers_frozen(&self) -> bool {
        self.writers_frozen
    }

    /// `true` while traffic is throttled.
    pub fn throttled(&self) -> bool {
        self.throttled
    }

    /// The current cache namespace (its keys include the release, the prompt
    /// version and the index hash).
    pub fn cache_namespace(&self) -> &str {
        &self.cache_namespace
    }

    /// The index hash the service answers from.
    pub fn index_hash(&self) -> &str {
        &self.index_hash
    }

    /// Records that the service now answers from another index (e.g. after
    /// a re-index); the next cache rotation includes it.
    pub fn set_index_hash(&mut self, index_hash: &str) {
        self.index_hash = index_hash.to_string();
    }

    /// The simulated now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the simulated clock forward.
    pub fn advance(&mut self, by: TimeDelta) -> DateTime<Utc> {
        self.clock.advance(by)
    }

    /// What the manager did, in order.
    pub fn events(&self) -> &[ManagerEvent] {
        &self.log
    }

    /// Scores `version` on the manager's eval set.
    pub fn evaluate(&self, version: &str) -> Result<EvalReport> {
        let model = self.registry.load_model(version)?;
        self.eval.run(&model)
    }

    /// How `version` behaves in production.
    pub fn serving_profile(&self, version: &str) -> Result<ServingProfile> {
        Ok(self.registry.load_model(version)?.serving)
    }

    /// Deploys `version` straight to live **without a canary** (the way the
    /// bad release of the capstone shipped). Refused when nothing could be
    /// rolled back to; the current live, if verified, becomes last-good.
    pub fn deploy(&mut self, version: &str) -> Result<()> {
        self.registry.load_model(version)?;
        let live = self.live.clone().ok_or(ReleaseError::NoRollbackTarget)?;
        if live == version {
            return Err(ReleaseError::AlreadyLive {
                version: version.to_string(),
            });
        }
        if !self.live_verified && self.good_stack.is_empty() {
            return Err(ReleaseError::NoRollbackTarget);
        }
        if self.live_verified {
            self.good_stack.push(live);
        }
        self.approved = None;
        self.switch_live(version, false);
        self.rotate_cache_namespace();
        Ok(())
    }

    /// Promotes `candidate`, which must be the candidate of the last canary
    /// and that canary must have said [`Decision::Promote`]. The previous
    /// live, if verified, becomes last-good.
    pub fn promote(&mut self, candidate: &str) -> Result<()> {
        if self.approved.as_deref() != Some(candidate) {
            return Err(ReleaseError::NotApproved {
                candidate: candidate.to_string(),
            });
        }
        self.registry.load_model(candidate)?;
        let live = self.live_version()?.to_string();
        if self.live_verified {
            self.good_stack.push(live);
        }
        self.approved = None;
        self.switch_live(candidate, true);
        self.rotate_cache_namespace();
        Ok(())
    }

    /// Canaries `candidate` against the live baseline on the current eval
    /// set and decides promote or rollback, keeping the approval in step
    /// with the decision; live never changes. See the learner's `canary`
    /// (step B3).
    pub fn canary(&mut self, candidate: &str) -> Result<CanaryReport> {
        crate::canary::canary(self, candidate)
    }

    /// Returns live to the last-good release by the rollback checklist and
    /// reports every step; a refused rollback changes nothing. See the
    /// learner's `rollback` (step B4).
    pub fn rollback(&mut self) -> Result<RollbackReport> {
        crate::rollback::rollback(self)
    }

    /// Canary, then promote on a promote decision: the one call a pipeline
    /// makes. Returns the canary's report either way.
    pub fn ship(&mut self, candidate: &str) -> Result<CanaryReport> {
        let report = self.canary(candidate)?;
        if report.decision == Decision::Promote {
            self.promote(candidate)?;
        }
        Ok(report)
    }

    /// Progressive delivery of `candidate` under `traffic` following `plan`
    /// (the optional challenge): on a completed ramp the candidate becomes
    /// the verified live release; on a breach nothing changes. Bad plans and
    /// unknown versions are refused before any traffic moves.
    pub fn ramp(
        &mut self,
        candidate: &str,
        plan: &RampPlan,
        traffic: &Traffic,
    ) -> Result<RampReport> {
        self.registry.load_model(candidate)?;
        let live = self.live_version()?.to_string();
        if live == candidate {
            return Err(ReleaseError::AlreadyLive { version: live });
        }
        validate_plan(plan)?;
        let report = crate::ramp::walk_ramp(plan, traffic);
        if report.completed() {
            if self.live_verified {
                self.good_stack.push(live);
            }
            self.approved = None;
            self.switch_live(candidate, true);
            self.rotate_cache_namespace();
        } else {
            self.note(format!("ramp of {candidate} stopped: live stays {live}"));
        }
        Ok(report)
    }

    // ---- the rollback checklist's steps, called in order by `rollback` ----

    /// Checklist step 1: the live release's build, commit, model, prompt,
    /// index and cache namespace.
    pub fn capture_state(&self) -> Result<CapturedState> {
        let m = self.live_manifest()?;
        Ok(CapturedState {
            release: m.version.clone(),
            build_id: m.build_id.clone(),
            git_sha: m.commit.clone(),
            model: m.model.to_string(),
            prompt_version: m.prompt_version.clone(),
            index_hash: self.index_hash.clone(),
            cache_namespace: self.cache_namespace.clone(),
        })
    }

    /// Checklist step 2: freeze non-idempotent writers.
    pub fn freeze_writers(&mut self) -> ChecklistStep {
        self.writers_frozen = true;
        self.note("writers frozen");
        ChecklistStep::FreezeWriters
    }

    /// Checklist step 3: flips the release pointer to `to` in one
    /// assignment and marks it verified; `to` leaves the last-good stack if
    /// it was on top.
    pub fn flip_pointer(&mut self, to: &str) -> ChecklistStep {
        let from = self.live.clone().unwrap_or_default();
        if self.good_stack.last().map(String::as_str) == Some(to) {
            self.good_stack.pop();
        }
        self.approved = None;
        self.switch_live(to, true);
        ChecklistStep::FlipPointer {
            from,
            to: to.to_string(),
        }
    }

    /// Checklist step 4: a fresh cache namespace for the live release.
    /// Entries under the old one are not deleted; they are simply no longer
    /// read, so nothing is lost if the flip is undone.
    pub fn rotate_cache_namespace(&mut self) -> ChecklistStep {
        let from = self.cache_namespace.clone();
        self.cache_generation += 1;
        let prompt = self
            .live
            .as_deref()
            .and_then(|v| self.registry.manifest(v).ok())
            .map(|m| m.prompt_version.clone())
            .unwrap_or_default();
        let release = self.live.clone().unwrap_or_default();
        let index: String = self.index_hash.chars().take(8).collect();
        self.cache_namespace = format!(
            "cache/{release}/{prompt}/{index}/g{}",
            self.cache_generation
        );
        ChecklistStep::RotateCache {
            from,
            to: self.cache_namespace.clone(),
        }
    }

    /// Checklist step 5, throttle on, and step 7, throttle off once green.
    pub fn throttle(&mut self, on: bool) -> ChecklistStep {
        self.throttled = on;
        ChecklistStep::Throttle { on }
    }

    /// Checklist step 6: watches minute by minute (advancing the simulated
    /// clock) while the service cools from `from` to `to`, until the exit
    /// targets are met against `to`'s p95 or the window ends. `from` is the
    /// serving profile of the release rolled back, `to` that of the release
    /// coming back (swapped, the watch judges the service against the bad
    /// release, and for a bad release it never turns green).
    pub fn watch_exit_targets(
        &mut self,
        from: ServingProfile,
        to: ServingProfile,
    ) -> ChecklistStep {
        let targets = self.exit_targets;
        let mut readings = Vec::new();
        let mut green_at = None;
        for minute in 1..=targets.window_minutes {
            self.clock.advance(TimeDelta::minutes(1));
            let cool = |a: u32, b: u32| -> u32 {
                let excess = i64::from(a) - i64::from(b);
                let left = excess / (1i64 << minute.min(62));
                u32::try_from(i64::from(b) + left).unwrap_or(u32::MAX)
            };
            let mut r = Reading {
                minute,
                bad_ppm: cool(from.bad_ppm, to.bad_ppm),
                p95_ms: cool(from.p95_ms, to.p95_ms),
                green: false,
            };
            r.green = targets.met(&r, to.p95_ms);
            readings.push(r);
            if r.green {
                green_at = Some(minute);
                break;
            }
        }
        ChecklistStep::Watch(ExitWatch {
            baseline_p95_ms: to.p95_ms,
            readings,
            green_at,
        })
    }

    /// Checklist step 8: unfreeze writers (only once green).
    pub fn unfreeze_writers(&mut self) -> ChecklistStep {
        self.writers_frozen = false;
        self.note("writers unfrozen");
        ChecklistStep::UnfreezeWriters
    }

    // ---- internals ----

    pub(crate) fn switch_live(&mut self, to: &str, verified: bool) {
        let from = self.live.replace(to.to_string());
        self.live_verified = verified;
        let text = match from {
            Some(from) => format!(
                "live {from} -> {to}{}",
                if verified { "" } else { " (unverified)" }
            ),
            None => format!("live {to} (first install)"),
        };
        self.note(text);
    }

    pub(crate) fn note(&mut self, text: impl Into<String>) {
        let at = self.clock.now();
        self.log.push(ManagerEvent {
            at,
            text: text.into(),
        });
    }
}

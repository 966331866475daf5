//! The shift's numbers: what the gate reads.
//!
//! The trace tells the story; the [`ShiftReport`] keeps the facts, stage by
//! stage, as plain data. A stage that could not finish leaves its fields
//! empty and says why in [`ShiftReport::halted`], so the gate can fail the
//! right assertions with the right reason instead of guessing.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use desk::{Category, Queue};
use incident::{FailingExample, IncidentKind, Notification, Play, Severity, Status};
use release_ops::{Decision, EvalCase, Score};

use crate::ops::Mitigation;
use crate::scenario::Scenario;

/// The stages of the shift, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// M32: the storm correlates; the ticket is triaged, routed, linked.
    Intake,
    /// M31: the burn-rate alert pages; an incident opens.
    Detect,
    /// M31 → M33: the runbook's first play runs.
    Mitigate,
    /// M31 → gate: postmortem, regression case.
    Learn,
    /// M33: the fix is canaried and promoted.
    Ship,
    /// The gate.
    Verify,
}

impl Stage {
    /// The stage's name as the trace prints it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Intake => "intake",
            Stage::Detect => "detect",
            Stage::Mitigate => "mitigate",
            Stage::Learn => "learn",
            Stage::Ship => "ship",
            Stage::Verify => "verify",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A stage that could not finish, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Halt {
    /// The stage.
    pub stage: Stage,
    /// What refused, in the refusing module's words.
    pub reason: String,
}

/// The user ticket after intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketOutcome {
    /// Its id.
    pub id: String,
    /// Category from its text.
    pub category: Category,
    /// ITIL priority, 1 (critical) … 5.
    pub priority: u8,
    /// `P2 High`.
    pub priority_label: String,
    /// The queue it was routed to.
    pub queue: Queue,
    /// The desk incident it was linked to (or opened).
    pub incident: String,
    /// `true` when linked to an existing incident.
    pub linked: bool,
    /// `true` once its incident resolved and the reporter was told.
    pub resolved: bool,
}

/// The page that opened the incident.
#[derive(Debug, Clone, PartialEq)]
pub struct PageOutcome {
    /// The burn-rate tier that fired (`page-1h`).
    pub tier: String,
    /// Page or ticket.
    pub notification: Notification,
    /// The severity it opened at.
    pub severity: Severity,
    /// When.
    pub at: DateTime<Utc>,
    /// Burn over the tier's long window.
    pub long_burn: f64,
    /// Burn over the tier's short window.
    pub short_burn: f64,
}

/// The M31 incident at the end of the shift.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentOutcome {
    /// Its id: the desk's id for the same incident.
    pub id: String,
    /// Bad release or stale index.
    pub kind: IncidentKind,
    /// Its severity.
    pub severity: Severity,
    /// Where its lifecycle ended.
    pub status: Status,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When the mitigation landed, if it did.
    pub mitigated_at: Option<DateTime<Utc>>,
    /// Time to acknowledge, from the page.
    pub tta: Option<TimeDelta>,
    /// Time to mitigate, from the impact's start (users were hurt all along).
    pub ttm: Option<TimeDelta>,
    /// Time to resolve, from the page.
    pub ttr: Option<TimeDelta>,
    /// Linked ticket ids.
    pub tickets: Vec<String>,
    /// Number of linked alerts.
    pub alerts: usize,
    /// Number of timeline entries.
    pub timeline: usize,
}

impl IncidentOutcome {
    /// What an incident looks like at the end of a shift.
    pub fn of(inc: &incident::Incident) -> Self {
        Self {
            id: inc.id().to_string(),
            kind: inc.kind(),
            severity: inc.severity(),
            status: inc.status(),
            opened_at: inc.opened_at(),
            mitigated_at: inc.mitigated_at(),
            tta: inc.time_to_acknowledge(),
            ttm: inc.time_to_mitigate(),
            ttr: inc.time_to_resolve(),
            tickets: inc.tickets().to_vec(),
            alerts: inc.alerts().len(),
            timeline: inc.timeline().len(),
        }
    }
}

/// The blameless postmortem, reduced to what the gate and the demo need.
#[derive(Debug, Clone, PartialEq)]
pub struct PostmortemOutcome {
    /// The whole write-up, as Markdown.
    pub markdown: String,
    /// Root causes, as system gaps.
    pub root_causes: Vec<String>,
    /// Findings of the blamelessness lint (0 expected).
    pub lint_findings: usize,
    /// Minutes users were hurt.
    pub impact_minutes: i64,
    /// Requests that went bad.
    pub requests_affected: u64,
    /// Share of the 30-day budget burned, exactly.
    pub budget_burned: incident::Rate,
    /// The exact failure users saw, if the team named one.
    pub failing_example: Option<FailingExample>,
}

/// A canary's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanaryOutcome {
    /// The candidate.
    pub candidate: String,
    /// The live release it was compared with.
    pub live: String,
    /// Promote or rollback.
    pub decision: Decision,
    /// Live's score on the eval set.
    pub live_score: Score,
    /// The candidate's score.
    pub candidate_score: Score,
    /// Every reason the gate gave to block (empty on promote).
    pub reasons: Vec<String>,
    /// Regression cases the candidate failed.
    pub failed_regressions: Vec<String>,
}

/// Every number of the shift.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftReport {
    /// The seed.
    pub seed: u64,
    /// The scenario.
    pub scenario: Scenario,
    /// The release that broke things.
    pub bad_release: String,
    /// The release the fix is shipped as.
    pub fix_release: String,

    // intake (M32)
    /// Alert records received.
    pub alerts_in: usize,
    /// Distinct alerts after deduplication.
    pub alerts_distinct: usize,
    /// Incidents after correlation.
    pub incidents_out: usize,
    /// Records per incident.
    pub reduction_ratio: f64,
    /// The deploy that went out.
    pub deploy_id: String,
    /// The desk incident whose probable cause is the deploy, if any.
    pub deploy_incident: Option<String>,
    /// That incident's probable cause, in words.
    pub probable_cause: Option<String>,
    /// The user ticket.
    pub ticket: Option<TicketOutcome>,

    // detect (M31)
    /// The SLO target (0.99).
    pub slo_target: f64,
    /// SLI over 5 minutes when the page fired.
    pub sli_before: Option<f64>,
    /// Burn over 5 minutes when the page fired.
    pub burn: Option<f64>,
    /// The page.
    pub page: Option<PageOutcome>,
    /// The incident.
    pub incident: Option<IncidentOutcome>,

    // mitigate (M31 → M33)
    /// The runbook's first play.
    pub play: Option<Play>,
    /// What it did.
    pub mitigation: Option<Mitigation>,
    /// SLI over 5 minutes when the incident resolved.
    pub sli_after: Option<f64>,

    // learn (M31 → gate)
    /// The postmortem.
    pub postmortem: Option<PostmortemOutcome>,
    /// The regression case, as the release gate runs it.
    pub regression_case: Option<EvalCase>,
    /// The bad release canaried again, on the eval set with the new case.
    pub bad_release_canary: Option<CanaryOutcome>,
    /// Whether last-good answers the regression case right.
    pub last_good_passes_case: Option<bool>,

    // ship (M33)
    /// The fix's canary.
    pub fix_canary: Option<CanaryOutcome>,
    /// Live at the end of the shift.
    pub live_at_end: Option<String>,
    /// Whether live at the end was verified: promoted through a canary,
    /// rolled back to a verified release, or the known-good baseline
    /// installed before the shift. A release that went live without ever
    /// being judged (deployed without a canary, or installed as a region's
    /// first release) is not.
    pub live_verified_at_end: bool,

    /// Stages that could not finish, in order.
    pub halted: Vec<Halt>,
}

impl ShiftReport {
    /// An empty report: nothing has happened yet.
    pub fn new(seed: u64, scenario: Scenario) -> Self {
        Self {
            seed,
            scenario,
            bad_release: String::new(),
            fix_release: String::new(),
            alerts_in: 0,
            alerts_distinct: 0,
            incidents_out: 0,
            reduction_ratio: 0.0,
            deploy_id: String::new(),
            deploy_incident: None,
            probable_cause: None,
            ticket: None,
            slo_target: 0.99,
            sli_before: None,
            burn: None,
            page: None,
            incident: None,
            play: None,
            mitigation: None,
            sli_after: None,
            postmortem: None,
            regression_case: None,
            bad_release_canary: None,
            last_good_passes_case: None,
            fix_canary: None,
            live_at_end: None,
            live_verified_at_end: false,
            halted: Vec::new(),
        }
    }

    /// Why the fields of `stage` are empty: the stage's own refusal, or the
    /// earlier stage that stopped the shift before it ran.
    pub fn why_missing(&self, stage: Stage) -> String {
        if let Some(h) = self.halted.iter().find(|h| h.stage == stage) {
            return format!("the {stage} stage failed: {}", h.reason);
        }
        match self.halted.iter().find(|h| h.stage < stage) {
            Some(h) => format!(
                "the {stage} stage did not run: the {} stage failed ({})",
                h.stage, h.reason
            ),
            None => format!("the {stage} stage recorded nothing"),
        }
    }
}

/// An SLI or ratio as a percentage with up to two decimals: `0.8` → `80%`.
pub fn pct(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

/// A span of time in minutes: `44 min`.
pub fn minutes(d: TimeDelta) -> String {
    format!("{} min", d.num_minutes())
}

//! The blameless postmortem, and the regression case it leaves behind.
//!
//! After the incident, the team writes down what happened so that it does
//! not happen again. The sections follow the example postmortem of Google's
//! SRE book: summary; impact (how long, how many requests, how much error
//! budget); root causes, stated as gaps in the system; the trigger; the
//! resolution; how it was detected; action items, each typed as *mitigate*
//! (make the next one hurt less), *prevent* (stop it recurring) or *process*
//! (change how the team works); lessons learned (what went well, what went
//! wrong, where we got lucky); and the timeline, copied from the incident.
//!
//! Two things turn the write-up from a story into a safeguard:
//!
//! - [`Postmortem::lint`] runs the blamelessness lint over the rendered text.
//! - [`Postmortem::to_eval_case`] turns the exact failure users saw into a
//!   [`RegressionCase`]: a question, the answer it must give, and the bad
//!   answer it must never give again. Added to the eval set, it makes the
//!   release gate block that bug if it ever ships again.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::IncidentError;
use crate::exact::Rate;
use crate::incident::{Incident, IncidentKind, Status, TimelineEntry};
use crate::lint::BlameFinding;
use crate::severity::Severity;
use crate::slo::fmt_percent;

/// What an action item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Makes the next occurrence hurt less or end sooner.
    Mitigate,
    /// Stops this failure from happening again.
    Prevent,
    /// Changes how the team works (reviews, drills, on-call).
    Process,
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ActionKind::Mitigate => "mitigate",
            ActionKind::Prevent => "prevent",
            ActionKind::Process => "process",
        })
    }
}

/// A follow-up with a type, an owning team and a tracking ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    /// Mitigate, prevent or process.
    pub kind: ActionKind,
    /// What to do.
    pub text: String,
    /// The owning team (a team, not a person to blame).
    pub owner: String,
    /// The ticket tracking it.
    pub ticket: String,
}

impl ActionItem {
    /// An action item.
    pub fn new(kind: ActionKind, text: &str, owner: &str, ticket: &str) -> Self {
        Self {
            kind,
            text: text.to_string(),
            owner: owner.to_string(),
            ticket: ticket.to_string(),
        }
    }
}

/// Lessons learned, in the book's three lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lessons {
    /// What went well.
    pub went_well: Vec<String>,
    /// What went wrong.
    pub went_wrong: Vec<String>,
    /// Where we got lucky.
    pub got_lucky: Vec<String>,
}

/// The exact failure users saw: a question, the bad answer the broken
/// service gave, and the answer it should give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingExample {
    /// What the user asked.
    pub question: String,
    /// What the broken release answered.
    pub bad_answer: String,
    /// What a correct answer contains.
    pub expected: String,
}

/// What the team writes; [`Postmortem::write`] adds what the incident
/// already knows (times, severity, timeline).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostmortemDraft {
    pub summary: String,
    /// Requests that failed or were answered wrongly during the impact.
    pub requests_affected: u64,
    /// Share of the period's error budget spent, exactly (1/40 = 2.5%; see
    /// [`crate::Slo::budget_spent_by`]).
    pub budget_burned: Rate,
    /// Gaps in the system, not people: "shipped without a canary".
    pub root_causes: Vec<String>,
    pub trigger: String,
    pub resolution: String,
    pub detection: String,
    pub action_items: Vec<ActionItem>,
    pub lessons: Lessons,
    pub failing_example: Option<FailingExample>,
}

/// How much the incident hurt.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    /// When users started being hurt.
    pub started: DateTime<Utc>,
    /// When they stopped.
    pub ended: DateTime<Utc>,
    /// Requests failed or answered wrongly.
    pub requests_affected: u64,
    /// Share of the error budget spent, exactly.
    pub budget_burned: Rate,
}

impl Impact {
    /// How long users were hurt.
    pub fn duration(&self) -> TimeDelta {
        self.ended - self.started
    }
}

/// A written postmortem. Build with [`Postmortem::write`].
#[derive(Debug, Clone, PartialEq)]
pub struct Postmortem {
    pub(crate) incident_id: String,
    pub(crate) title: String,
    pub(crate) kind: IncidentKind,
    pub(crate) severity: Severity,
    pub(crate) impact: Impact,
    pub(crate) draft: PostmortemDraft,
    pub(crate) timeline: Vec<TimelineEntry>,
}

/// A regression eval case born from an incident: plain data, which the
/// release gate (M33, run by the capstone) converts into its own case type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegressionCase {
    /// Stable id: `regression-<incident id, lowercase>` (`regression-inc-1`).
    pub id: String,
    /// The question to ask.
    pub input: String,
    /// Text a correct answer contains.
    pub expected: String,
    /// The bad answer users saw; an answer containing it fails the case.
    pub forbidden: String,
    /// The incident this case came from.
    pub origin_incident: String,
}

impl RegressionCase {
    /// Whether `answer` passes: it contains the expected text and not the
    /// forbidden one (both compared case-insensitively).
    pub fn passes(&self, answer: &str) -> bool {
        let a = answer.to_lowercase();
        a.contains(&self.expected.to_lowercase()) && !a.contains(&self.forbidden.to_lowercase())
    }
}

fn required(section: &'static str, text: &str) -> Result<(), IncidentError> {
    if text.trim().is_empty() {
        Err(IncidentError::MissingSection { section })
    } else {
        Ok(())
    }
}

impl Postmortem {
    /// Writes the postmortem of a resolved `incident` from the team's
    /// `draft`. Every section is required, root causes must be named, and at
    /// least one action item must *prevent* a recurrence.
    pub fn write(incident: &Incident, draft: PostmortemDraft) -> Result<Self, IncidentError> {
        if incident.status() != Status::Resolved {
            return Err(IncidentError::NotResolved {
                incident: incident.id().to_string(),
                status: incident.status(),
            });
        }
        required("summary", &draft.summary)?;
        required("trigger", &draft.trigger)?;
        required("resolution", &draft.resolution)?;
        required("detection", &draft.detection)?;
        if draft.root_causes.iter().all(|c| c.trim().is_empty()) {
            return Err(IncidentError::MissingSection {
                section: "root causes",
            });
        }
        if !draft
            .action_items
            .iter()
            .any(|a| a.kind == ActionKind::Prevent)
        {
            return Err(IncidentError::MissingSection {
                section: "action items (prevent)",
            });
        }
        let started = incident.impact_started().unwrap_or(incident.opened_at());
        let ended = incident
            .impact_ended()
            .or(incident.resolved_at())
            .unwrap_or(started)
            .max(started);
        Ok(Self {
            incident_id: incident.id().to_string(),
            title: incident.title().to_string(),
            kind: incident.kind(),
            severity: incident.severity(),
            impact: Impact {
                started,
                ended,
                requests_affected: draft.requests_affected,
                budget_burned: draft.budget_burned,
            },
            draft,
            timeline: incident.timeline().to_vec(),
        })
    }

    /// The incident this is about.
    pub fn incident_id(&self) -> &str {
        &self.incident_id
    }

    /// The impact section's figures.
    pub fn impact(&self) -> &Impact {
        &self.impact
    }

    /// The team's text.
    pub fn draft(&self) -> &PostmortemDraft {
        &self.draft
    }

    /// The failing example, if the team named one.
    pub fn failing_example(&self) -> Option<&FailingExample> {
        self.draft.failing_example.as_ref()
    }

    /// The regression eval case this incident leaves behind: id
    /// `regression-<incident id in lowercase>`, the failing example's
    /// question as input, its expected answer as `expected`, the bad answer
    /// users saw as `forbidden`, and the incident id as `origin_incident`.
    /// A postmortem without a failing example is
    /// [`IncidentError::NoFailingExample`]. Written by the learner
    /// (`to_eval_case` in `starters/m31/learn.rs`).
    pub fn to_eval_case(&self) -> Result<RegressionCase, IncidentError> {
        super::learn::to_eval_case(self)
    }

    /// The postmortem as Markdown, in the SRE book's sections.
    pub fn render_markdown(&self) -> String {
        let d = &self.draft;
        let mut s = String::new();
        s.push_str(&format!(
            "# Postmortem: {} ({}, {})\n\n",
            self.title, self.incident_id, self.severity
        ));
        s.push_str(&format!(
            "Kind: {}. Status: resolved. Blameless.\n\n",
            self.kind
        ));
        s.push_str(&format!("## Summary\n\n{}\n\n", d.summary.trim()));
        s.push_str("## Impact\n\n");
        s.push_str(&format!(
            "- Duration: {} min ({} to {})\n",
            self.impact.duration().num_minutes(),
            fmt_time(self.impact.started),
            fmt_time(self.impact.ended)
        ));
        s.push_str(&format!(
            "- Requests affected: {}\n",
            self.impact.requests_affected
        ));
        s.push_str(&format!(
            "- Error budget burned: {}% of the period's budget\n\n",
            fmt_percent((self.impact.budget_burned.to_f64() * 10_000.0).round() / 10_000.0)
        ));
        s.push_str("## Root causes\n\n");
        for c in d.root_causes.iter().filter(|c| !c.trim().is_empty()) {
            s.push_str(&format!("- {}\n", c.trim()));
        }
        s.push_str(&format!("\n## Trigger\n\n{}\n\n", d.trigger.trim()));
        s.push_str(&format!("## Resolution\n\n{}\n\n", d.resolution.trim()));
        s.push_str(&format!("## Detection\n\n{}\n\n", d.detection.trim()));
        s.push_str("## Action items\n\n| type | action | owner | ticket |\n|---|---|---|---|\n");
        let mut items: Vec<&ActionItem> = d.action_items.iter().collect();
        items.sort_by_key(|a| a.kind);
        for a in items {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                a.kind,
                cell(&a.text),
                cell(&a.owner),
                cell(&a.ticket)
            ));
        }
        s.push_str("\n## Lessons learned\n\n");
        for (head, list) in [
            ("What went well", &d.lessons.went_well),
            ("What went wrong", &d.lessons.went_wrong),
            ("Where we got lucky", &d.lessons.got_lucky),
        ] {
            s.push_str(&format!("### {head}\n\n"));
            if list.is_empty() {
                s.push_str("- (nothing noted)\n");
            }
            for l in list {
                s.push_str(&format!("- {}\n", l.trim()));
            }
            s.push('\n');
        }
        s.push_str("## Timeline (UTC)\n\n| time | event | detail |\n|---|---|---|\n");
        for e in &self.timeline {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                fmt_time(e.at),
                e.kind.label(),
                cell(&e.text)
            ));
        }
        s
    }

    /// The blamelessness lint over the rendered Markdown (see [`crate::lint`]).
    pub fn lint(&self) -> Vec<BlameFinding> {
        crate::lint_blame(&self.render_markdown())
    }
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

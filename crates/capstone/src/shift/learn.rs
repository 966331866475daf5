//! The learn stage (M31 → the gate): a failing example found, the blameless
//! postmortem written, and its regression case added to the eval set.

use incident::{
    ActionItem, ActionKind, FailingExample, Incident, Lessons, Postmortem, PostmortemDraft,
};
use release_ops::{EvalCase, Topic};

use crate::cases::{model, question_key, topic_of};
use crate::error::ShiftError;
use crate::scenario::Scenario;
use crate::shift_report::{pct, PageOutcome, PostmortemOutcome};

use super::{canary_outcome, Run, BAD, LAST_GOOD};

impl Run {
    /// Diagnosis: production questions that the bad release got wrong and
    /// last-good got right (the runbook's "diff against last-good").
    pub(super) fn failing_example(&mut self) -> Result<Option<FailingExample>, ShiftError> {
        if self.scenario == Scenario::PostmortemWithoutExample {
            return Ok(None);
        }
        let topic = self.example_topic;
        let fix_release = self.report.fix_release.clone();
        let mut rng = self.rng.fork();
        let ops = self.ops();
        let bad = model(ops, BAD)?;
        let good = model(ops, LAST_GOOD)?;
        if topic != Topic::Refunds {
            let fix = model(ops, &fix_release)?;
            for _ in 0..10_000 {
                let mut case = crate::cases::production_question(&mut rng, topic);
                case.key = question_key(&case.question);
                if bad.misses(&case) && !good.misses(&case) && !fix.misses(&case) {
                    return Ok(Some(FailingExample {
                        question: case.question.clone(),
                        bad_answer: bad.answer(&case),
                        expected: case.expected.clone(),
                    }));
                }
            }
            return Ok(None);
        }
        for _ in 0..10_000 {
            let amount = rng.between(10, 500) * 10;
            let day = rng.between(1, 30);
            let mut case = EvalCase::refund("production", amount, day, 0);
            case.key = question_key(&case.question);
            let wanted = if self.scenario == Scenario::WrongRegressionCase {
                !bad.misses(&case)
            } else {
                bad.misses(&case) && !good.misses(&case)
            };
            if wanted {
                return Ok(Some(FailingExample {
                    question: case.question.clone(),
                    bad_answer: bad.answer(&case),
                    expected: case.expected.clone(),
                }));
            }
        }
        Ok(None)
    }

    pub(super) fn learn(&mut self) -> Result<(), ShiftError> {
        let now = self.clock.now();
        let Some(inc) = self.incident.clone() else {
            return Err(ShiftError::NoPage);
        };
        let example = self.failing_example()?;
        match &example {
            Some(ex) => self.trace.at(
                now,
                "m31",
                format!(
                    "learn: diff against last-good on production questions: \"{}\" got \"{}\" from {BAD}, expected \"{}\"",
                    ex.question, ex.bad_answer, ex.expected
                ),
            ),
            None => self.trace.at(
                now,
                "m31",
                "learn: the postmortem is written without a failing example",
            ),
        }
        let impact = self
            .service
            .as_ref()
            .map(|s| s.impact())
            .unwrap_or_default();
        let slo = incident::Slo::course_default();
        let started = inc.impact_started().unwrap_or(inc.opened_at());
        let ended = inc.impact_ended().unwrap_or(started);
        // Exactly (incident's `Rate`): a shift exactly on budget reads 1.
        let burned = slo
            .budget_spent_by(&impact, ended - started)
            .unwrap_or_default();
        let draft = draft(
            &inc,
            self.report.page.as_ref(),
            impact.bad(),
            burned,
            example,
        );
        let pm = Postmortem::write(&inc, draft)?;
        let findings = pm.lint();
        let imp = pm.impact();
        self.report.postmortem = Some(PostmortemOutcome {
            markdown: pm.render_markdown(),
            root_causes: pm.draft().root_causes.clone(),
            lint_findings: findings.len(),
            impact_minutes: imp.duration().num_minutes(),
            requests_affected: imp.requests_affected,
            budget_burned: imp.budget_burned,
            failing_example: pm.failing_example().cloned(),
        });
        self.trace.at(
            now,
            "m31",
            format!(
                "learn: blameless postmortem of {}: impact {} min, {} answers bad, {} of the 30-day budget; lint: {} findings",
                inc.id(),
                imp.duration().num_minutes(),
                imp.requests_affected,
                pct(imp.budget_burned.to_f64()),
                findings.len()
            ),
        );
        for cause in &pm.draft().root_causes {
            self.trace.at(
                now,
                "m31",
                format!("learn: root cause (a system gap): {cause}"),
            );
        }
        let case = pm.to_eval_case()?;
        let ecase = crate::to_release_case(&case)?;
        let ops = self.ops();
        ops.releases.eval_set_mut().add_regression(ecase.clone())?;
        let size = ops.releases.eval_set().len();
        let good = model(ops, LAST_GOOD)?;
        let passes_good = good.answer(&ecase) == ecase.expected;
        let canary = ops.releases.canary(BAD)?;
        let outcome = canary_outcome(&canary);
        self.trace.at(
            now,
            "gate",
            format!(
                "learn: regression case {} ({}, from {}) added: the eval set has {size} cases",
                ecase.id,
                ecase.topic.name(),
                case.origin_incident
            ),
        );
        self.trace.at(
            now,
            "gate",
            format!(
                "learn: replay {BAD} against live {} with the new case: {} ({}); {LAST_GOOD} answers the case {}",
                canary.live,
                canary.decision,
                canary.verdict,
                if passes_good { "right" } else { "WRONG" }
            ),
        );
        self.report.regression_case = Some(ecase);
        self.report.bad_release_canary = Some(outcome);
        self.report.last_good_passes_case = Some(passes_good);
        Ok(())
    }
}

fn draft(
    incident: &Incident,
    page: Option<&PageOutcome>,
    failed: u64,
    burned: incident::Rate,
    failing_example: Option<FailingExample>,
) -> PostmortemDraft {
    let tier = page
        .map(|p| p.tier.clone())
        .unwrap_or_else(|| "burn-rate".into());
    // What the postmortem blames is what its failing example is about: a
    // shipping question makes a root cause about the shipping rule. Without
    // an example, the refunds the release was seen to break.
    let about = rule_word(
        failing_example
            .as_ref()
            .and_then(|e| topic_of(&e.question))
            .unwrap_or(Topic::Refunds),
    );
    let detect_min = (incident.opened_at()
        - incident.impact_started().unwrap_or(incident.opened_at()))
    .num_minutes();
    PostmortemDraft {
        summary: format!(
            "Release {BAD} answered one request in five wrongly after it went live at 02:00. The {tier} tier paged \
             {detect_min} minutes later; rolling back to {LAST_GOOD} by the checklist ended the impact."
        ),
        requests_affected: failed,
        budget_burned: burned,
        root_causes: vec![
            "shipped without a canary: the release path let a build reach all traffic unjudged".to_string(),
            format!("the eval set held no regression case for the {about} rule, so no gate measured the change"),
        ],
        trigger: format!("Release {BAD} went live at 02:00 UTC with a prompt change that misreads the {about} rule."),
        resolution: format!(
            "The on-call ran the first play of the bad_release runbook: roll back to {LAST_GOOD}, the last-good release, following the rollback checklist."
        ),
        detection: format!(
            "The {tier} burn-rate tier paged {detect_min} minutes after the release; a user ticket had reported wrong answers 20 minutes in."
        ),
        action_items: vec![
            ActionItem::new(ActionKind::Prevent, "Canary every release against live on the eval set before it takes traffic", "release-eng", "OPS-201"),
            ActionItem::new(ActionKind::Prevent, &format!("Keep the failing {about} question as a regression case in the eval set"), "eval", "OPS-202"),
            ActionItem::new(ActionKind::Mitigate, "Page on the 5-minute burn alongside the 1-hour burn for releases in their first hour", "sre", "OPS-203"),
            ActionItem::new(ActionKind::Process, "Rehearse the bad_release runbook in the monthly drill", "sre", "OPS-204"),
        ],
        lessons: Lessons {
            went_well: vec![
                "The storm of alerts reached the on-call as one incident with its probable cause".to_string(),
                "Rollback was one call and the checklist kept the evidence".to_string(),
            ],
            went_wrong: vec![format!("Detection took {detect_min} minutes at a 20× burn")],
            got_lucky: vec!["The release went out at 02:00, when traffic is low".to_string()],
        },
        failing_example,
    }
}

/// The word a postmortem uses for a topic's rule or question: `refund` for
/// [`Topic::Refunds`] ("the refund rule"), the topic's own name otherwise.
fn rule_word(topic: Topic) -> &'static str {
    match topic {
        Topic::Refunds => "refund",
        other => other.name(),
    }
}

//! Checks of `starters/m31/learn.rs`: the blamelessness lint, and turning a
//! postmortem into a regression case (with a resolved incident to write it about).

use crate::lint::BlameRule;
use crate::window::minutes;
use crate::{ActionItem, ActionKind, Postmortem, PostmortemDraft};
use crate::{FailingExample, Incident, IncidentError, IncidentKind, Severity, Status};
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

const NAMES: [&str; 6] = ["Dana", "Alex", "Priya", "Tomasz", "Mei", "Kofi"];

const ROLES: [&str; 4] = ["engineer", "on-call", "developer", "operator"];

/// A blaming sentence and the rule that must flag it.
fn blaming(rng: &mut SimRng) -> (String, BlameRule) {
    let name = NAMES[rng.below(6) as usize];
    let role = ROLES[rng.below(4) as usize];
    match rng.below(8) {
        0 => (
            format!("{name} forgot to run the eval set before the deploy."),
            BlameRule::PersonBlamed,
        ),
        1 => (
            format!("The {role} failed to check the dashboard."),
            BlameRule::PersonBlamed,
        ),
        2 => (
            format!("It was {name}'s fault that the canary was skipped."),
            BlameRule::PersonBlamed,
        ),
        3 => (
            "Root cause: human error during the release.".to_string(),
            BlameRule::BlamingPhrase,
        ),
        4 => (
            format!("After the page, {name} ignored the runbook."),
            BlameRule::PersonBlamed,
        ),
        5 => (
            format!("A careless config edit by the {role}."),
            BlameRule::BlamingPhrase,
        ),
        6 => (
            format!("We think {name} should have waited for the bake period."),
            BlameRule::PersonBlamed,
        ),
        _ => (
            "Operator error let the index go stale.".to_string(),
            BlameRule::BlamingPhrase,
        ),
    }
}

/// A sentence that blames nobody.
fn blameless(rng: &mut SimRng) -> String {
    let name = NAMES[rng.below(6) as usize];
    match rng.below(8) {
        0 => "The release shipped without a canary stage.".to_string(),
        1 => "The deploy pipeline failed to run the eval set.".to_string(),
        2 => format!("{name} rolled back to the last-good release within three minutes."),
        3 => "We forgot nothing in the runbook; the play worked.".to_string(),
        4 => "Fault injection is now part of the monthly drill.".to_string(),
        5 => format!("The on-call ({name}) acknowledged the page at once."),
        6 => "This is a blameless postmortem.".to_string(),
        _ => "The gate missed the regression because the eval set lacked the case.".to_string(),
    }
}

pub(super) fn lint_flags_blame() -> CheckResult {
    let f = crate::lint_blame("Dana forgot the canary.");
    ensure_eq!(f.len(), 1, "findings in \"Dana forgot the canary.\"");
    ensure_eq!(
        (f[0].line, f[0].rule, f[0].excerpt.as_str()),
        (1, BlameRule::PersonBlamed, "Dana forgot"),
        "the finding (line, rule, excerpt)"
    );
    let f = crate::lint_blame("All good here.\nIt was human error.");
    ensure_eq!(
        f.len(),
        1,
        "findings in a two-line text with \"human error\" on line 2"
    );
    ensure_eq!(
        (f[0].line, f[0].rule, f[0].excerpt.as_str()),
        (2, BlameRule::BlamingPhrase, "human error"),
        "the finding (line, rule, excerpt)"
    );
    ensure!(
        crate::lint_blame("The canary failed to start.").is_empty(),
        "a system failing to do something is not blame"
    );
    ensure!(
        crate::lint_blame("").is_empty(),
        "an empty text has no findings"
    );
    // Findings come in order of line, then position in the line: a person
    // blamed before a blaming phrase on the same line comes first.
    let text = "Dana forgot the canary, a human error.";
    let got: Vec<(BlameRule, String)> = crate::lint_blame(text)
        .into_iter()
        .map(|f| (f.rule, f.excerpt))
        .collect();
    ensure_eq!(
        got,
        vec![
            (BlameRule::PersonBlamed, "Dana forgot".to_string()),
            (BlameRule::BlamingPhrase, "human error".to_string()),
        ],
        "findings of one line, in the order they appear in it, in \"{text}\""
    );
    let mut rng = SimRng::seed(3110);
    for round in 0..100 {
        let n = rng.between(1, 12) as usize;
        let mut lines = Vec::new();
        let mut want: Vec<(usize, BlameRule)> = Vec::new();
        for i in 0..n {
            if rng.chance(0.4) {
                let (s, rule) = blaming(&mut rng);
                lines.push(s);
                want.push((i + 1, rule));
            } else {
                lines.push(blameless(&mut rng));
            }
        }
        let text = lines.join("\n");
        let got: Vec<(usize, BlameRule)> = crate::lint_blame(&text)
            .into_iter()
            .map(|f| (f.line, f.rule))
            .collect();
        ensure_eq!(got, want, "round {round}, text:\n{text}\n");
    }
    Ok(())
}

pub(super) fn postmortem_becomes_eval_case() -> CheckResult {
    let mut rng = SimRng::seed(3109);
    for round in 0..60 {
        let id = format!("INC-{}", rng.between(1, 999));
        let q = format!(
            "What is the {} limit for plan {}?",
            rng.word(5),
            rng.word(3).to_uppercase()
        );
        let expected = format!("{} requests", rng.between(10, 99));
        let bad = format!("{} requests", rng.between(100, 999));
        let with_example = round % 5 != 4;
        let ex = with_example.then(|| FailingExample {
            question: q.clone(),
            bad_answer: bad.clone(),
            expected: expected.clone(),
        });
        let pm = resolved_postmortem(&id, ex)?;
        let got = pm.to_eval_case();
        if !with_example {
            ensure!(
                matches!(&got, Err(IncidentError::NoFailingExample { incident }) if *incident == id),
                "a postmortem without a failing example must give NoFailingExample for {id}, got {got:?}"
            );
            continue;
        }
        let case = got.map_err(|e| format!("{id}: {e}"))?;
        ensure_eq!(
            case.id,
            format!("regression-{}", id.to_lowercase()),
            "case id"
        );
        ensure_eq!(case.input, q, "case input");
        ensure_eq!(case.expected, expected, "case expected answer");
        ensure_eq!(case.forbidden, bad, "case forbidden answer");
        ensure_eq!(case.origin_incident, id, "case origin");
        ensure!(
            !case.passes(&format!("It is {bad}.")),
            "the case must fail the bad answer \"{bad}\""
        );
        ensure!(
            case.passes(&format!("It is {expected}.")),
            "the case must pass the right answer \"{expected}\""
        );
    }
    Ok(())
}

/// A resolved incident `id` and its postmortem, made without any learner
/// step.
fn resolved_postmortem(id: &str, example: Option<FailingExample>) -> Result<Postmortem, String> {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::declare(
        id,
        IncidentKind::BadRelease,
        "wrong answers",
        Severity::Sev1,
        t0,
    );
    // Resolved with the incident's building blocks, not the learner's
    // `transition` (judged by m31.b.2): this check judges `to_eval_case`
    // alone, so it can pass whichever step the learner finishes first.
    inc.set_acknowledged_at(t0 + minutes(5));
    inc.set_mitigated_at(t0 + minutes(10));
    inc.set_resolved_at(t0 + minutes(15));
    inc.set_status(Status::Resolved);
    let draft = PostmortemDraft {
        summary: "Wrong answers for fifteen minutes.".into(),
        requests_affected: 100,
        budget_burned: crate::exact::Rate::new(1, 100).unwrap_or_default(),
        root_causes: vec!["no canary stage".into()],
        trigger: "a release".into(),
        resolution: "rollback".into(),
        detection: "burn-rate page".into(),
        action_items: vec![ActionItem::new(
            ActionKind::Prevent,
            "add a canary",
            "release-eng",
            "OPS-1",
        )],
        failing_example: example,
        ..PostmortemDraft::default()
    };
    Postmortem::write(&inc, draft).map_err(|e| e.to_string())
}

//! Postmortems: sections, the blamelessness lint, the regression case.
#![cfg(feature = "solution")]

use incident::lint::BlameRule;
use incident::{lint_blame, IncidentError};

#[test]
fn the_rendered_postmortem_has_every_section_and_is_pinned() {
    let shift = incident::story::run(incident::story::SEED).unwrap();
    let md = shift.postmortem.render_markdown();
    let mut at = 0;
    for heading in [
        "## Summary",
        "## Impact",
        "## Root causes",
        "## Trigger",
        "## Resolution",
        "## Detection",
        "## Action items",
        "## Lessons learned",
        "### What went well",
        "### What went wrong",
        "### Where we got lucky",
        "## Timeline (UTC)",
    ] {
        let pos = md[at..]
            .find(heading)
            .unwrap_or_else(|| panic!("missing or out of order: {heading}"));
        at += pos;
    }
    for kind in ["| prevent |", "| mitigate |", "| process |"] {
        assert!(md.contains(kind), "action item type {kind}");
    }
    assert!(md.contains("Error budget burned"));
    assert!(shift.postmortem.lint().is_empty());
    insta::assert_snapshot!("m31_postmortem", md);
}

#[test]
fn the_lint_flags_blame_and_passes_system_language() {
    let flagged = [
        (
            "Dana forgot to run the canary.",
            BlameRule::PersonBlamed,
            "Dana forgot",
        ),
        (
            "The on-call engineer failed to page the owner.",
            BlameRule::PersonBlamed,
            "engineer failed to",
        ),
        (
            "It was Alex's fault.",
            BlameRule::PersonBlamed,
            "Alex's fault",
        ),
        (
            "Root cause: human error.",
            BlameRule::BlamingPhrase,
            "human error",
        ),
        (
            "A careless edit broke the prompt.",
            BlameRule::BlamingPhrase,
            "careless",
        ),
        (
            "In hindsight, Priya should have waited.",
            BlameRule::PersonBlamed,
            "Priya should have",
        ),
        (
            "Mei\u{2019}s fault, really.",
            BlameRule::PersonBlamed,
            "Mei's fault",
        ),
    ];
    for (text, rule, excerpt) in flagged {
        let f = lint_blame(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!(
            (f[0].rule, f[0].excerpt.as_str()),
            (rule, excerpt),
            "{text}"
        );
    }
    let clean = [
        "The release shipped without a canary stage.",
        "The sync job failed to run for two days.",
        "We rolled back within three minutes.",
        "This is a blameless postmortem.",
        "Fault tolerance of the index was not tested.",
        "It was the deploy's fault, in the sense that it had no canary.",
        "CI missed the regression: the eval set had no such case.",
        "Dana rolled back; Alex wrote the timeline.",
        // Issue 22: a system or product as the subject is not a person.
        "Kubernetes broke the pod's network after the upgrade.",
        "Postgres caused the stall when its connection pool filled.",
        "Redis missed its eviction deadline.",
    ];
    for text in clean {
        assert_eq!(lint_blame(text), vec![], "{text}");
    }
    // Blameless is not nameless: a person before a blaming verb is still
    // flagged beside a system that is not.
    let mixed = lint_blame("Kubernetes broke the pod; Dana broke the rollout.");
    assert_eq!(mixed.len(), 1, "{mixed:?}");
    assert_eq!(mixed[0].excerpt, "Dana broke");
    let multi = lint_blame("fine\nDana forgot, human error\nfine\nblame");
    let lines: Vec<usize> = multi.iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![2, 2, 4]);
}

#[test]
fn the_postmortem_becomes_a_regression_case() {
    let shift = incident::story::run(incident::story::SEED).unwrap();
    let case = shift.postmortem.to_eval_case().unwrap();
    assert_eq!(case.id, "regression-inc-1");
    assert_eq!(case.origin_incident, "INC-1");
    assert_eq!(case.input, incident::story::failing_example().question);
    assert!(!case.passes("Items can be returned within 90 days."));
    assert!(case.passes("Items can be returned within 30 DAYS."));
    assert!(
        !case.passes("Ask the shop."),
        "an answer without the expected text fails"
    );
    let json = serde_json::to_string(&case).unwrap();
    assert!(json.contains("\"forbidden\":\"90 days\""), "{json}");
}

#[test]
fn a_postmortem_needs_a_resolved_incident_and_every_section() {
    use incident::{Incident, IncidentKind, Postmortem, PostmortemDraft, Severity};
    let t0 = labkit::SimClock::course_epoch();
    let inc = Incident::declare("INC-5", IncidentKind::BadRelease, "x", Severity::Sev2, t0);
    let e = Postmortem::write(&inc, PostmortemDraft::default()).unwrap_err();
    assert!(matches!(e, IncidentError::NotResolved { .. }), "{e}");
    let shift = incident::story::run(1).unwrap();
    let mut draft = shift.postmortem.draft().clone();
    draft
        .action_items
        .retain(|a| a.kind != incident::ActionKind::Prevent);
    let e = Postmortem::write(&shift.incident, draft).unwrap_err();
    assert!(e.to_string().contains("prevent"), "{e}");
    let mut draft = shift.postmortem.draft().clone();
    draft.root_causes.clear();
    assert!(Postmortem::write(&shift.incident, draft).is_err());
    let mut draft = shift.postmortem.draft().clone();
    draft.failing_example = None;
    let pm = Postmortem::write(&shift.incident, draft).unwrap();
    assert!(matches!(
        pm.to_eval_case(),
        Err(IncidentError::NoFailingExample { .. })
    ));
}

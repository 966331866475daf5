//! Incidents: opening from a page, the lifecycle, links, the timeline, the
//! three times; severities; runbooks.
#![cfg(feature = "solution")]

use incident::burn::{Alert, BurnPolicy, WindowBurns};
use incident::window::minutes;
use incident::{
    severity_for, EntryKind, Incident, IncidentError, IncidentKind, Play, Purpose, Runbook,
    Severity, Status, Step,
};
use labkit::SimClock;

fn alert(tier: usize) -> Alert {
    let p = BurnPolicy::sre_workbook();
    let burns = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(30.0)));
    Alert::from_tier(&p, tier, &burns, &[]).expect("every window has data")
}

#[test]
fn severity_mapping_is_stated() {
    let got: Vec<Severity> = (0..4).map(|i| severity_for(&alert(i))).collect();
    assert_eq!(
        got,
        vec![
            Severity::Sev1,
            Severity::Sev2,
            Severity::Sev3,
            Severity::Sev4
        ]
    );
    assert_eq!(
        Severity::Sev2.worst(Severity::Sev4),
        Severity::Sev2,
        "when unsure, the higher severity"
    );
    assert_eq!(Severity::Sev5.to_string(), "SEV-5");
}

#[test]
fn a_page_opens_an_incident_and_a_ticket_does_not() {
    let t0 = SimClock::course_epoch();
    let inc = Incident::from_page("INC-1", IncidentKind::BadRelease, &alert(0), t0).unwrap();
    assert_eq!(
        (inc.status(), inc.severity()),
        (Status::Open, Severity::Sev1)
    );
    assert_eq!(inc.alerts(), ["burn:page-1h"]);
    let kinds: Vec<EntryKind> = inc.timeline().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EntryKind::Detected, EntryKind::Paged]);
    let inc2 = Incident::from_page("INC-2", IncidentKind::BadRelease, &alert(1), t0).unwrap();
    assert_eq!(inc2.severity(), Severity::Sev2);
    let e = Incident::from_page("INC-3", IncidentKind::BadRelease, &alert(2), t0).unwrap_err();
    assert!(matches!(e, IncidentError::NotAPage { .. }), "{e}");
}

#[test]
fn the_lifecycle_runs_forward_one_step_at_a_time() {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::from_page("INC-1", IncidentKind::BadRelease, &alert(0), t0).unwrap();
    // Every illegal move from every state is refused and changes nothing.
    let path = [Status::Acknowledged, Status::Mitigated, Status::Resolved];
    for (i, next) in path.iter().enumerate() {
        for to in Status::ALL {
            if to == *next {
                continue;
            }
            let before = inc.clone();
            let e = inc
                .transition(to, t0 + minutes(10 * i as i64 + 5), "nope")
                .unwrap_err();
            assert!(matches!(e, IncidentError::IllegalTransition { .. }), "{e}");
            assert_eq!(inc, before);
        }
        inc.transition(*next, t0 + minutes(10 * i as i64 + 5), "ok")
            .unwrap();
        assert_eq!(inc.status(), *next);
    }
    for to in Status::ALL {
        assert!(
            inc.transition(to, t0 + minutes(60), "after").is_err(),
            "resolved is final"
        );
    }
    assert_eq!(inc.time_to_acknowledge(), Some(minutes(5)));
    assert_eq!(inc.time_to_mitigate(), Some(minutes(15)));
    assert_eq!(inc.time_to_resolve(), Some(minutes(25)));
    let times: Vec<_> = inc.timeline().iter().map(|e| e.at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "the timeline is in time order"
    );
}

#[test]
fn the_timeline_refuses_the_past_except_for_a_late_impact_start() {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::declare(
        "INC-9",
        IncidentKind::StaleIndex,
        "stale answers",
        Severity::Sev3,
        t0,
    );
    inc.transition(Status::Acknowledged, t0 + minutes(5), "mine")
        .unwrap();
    let e = inc
        .record(t0 + minutes(1), EntryKind::Note, "late note")
        .unwrap_err();
    assert!(matches!(e, IncidentError::TimeWentBackwards { .. }), "{e}");
    let e = inc
        .transition(Status::Mitigated, t0 + minutes(4), "early")
        .unwrap_err();
    assert!(matches!(e, IncidentError::TimeWentBackwards { .. }), "{e}");
    inc.record(t0 - minutes(30), EntryKind::ImpactStarted, "sync stopped")
        .unwrap();
    assert_eq!(inc.timeline()[0].kind, EntryKind::ImpactStarted);
    assert_eq!(inc.impact_started(), Some(t0 - minutes(30)));
    inc.link_ticket("TCK-2");
    inc.link_ticket("TCK-1");
    inc.link_ticket("TCK-2");
    assert_eq!(inc.tickets(), ["TCK-1", "TCK-2"]);
    assert_eq!(
        inc.escalate(Severity::Sev4),
        Severity::Sev3,
        "escalation never lowers"
    );
    assert_eq!(inc.escalate(Severity::Sev2), Severity::Sev2);
}

#[test]
fn runbooks_start_with_the_fastest_safe_mitigation() {
    for kind in [IncidentKind::BadRelease, IncidentKind::StaleIndex] {
        let rb = Runbook::for_kind(kind);
        let first = rb.first_play().unwrap();
        assert_eq!(
            first,
            &rb.steps()[0],
            "{kind}: the written order starts with the first play"
        );
    }
    assert_eq!(
        Runbook::for_kind(IncidentKind::BadRelease)
            .first_play()
            .unwrap()
            .play,
        Play::RollbackToLastGood
    );
    assert_eq!(
        Runbook::for_kind(IncidentKind::StaleIndex)
            .first_play()
            .unwrap()
            .play,
        Play::ReindexChangedDocuments
    );
    // A faster but risky play is passed over; ties go to the one written first.
    let rb = Runbook::new(
        IncidentKind::BadRelease,
        vec![
            Step::new(Play::CaptureState, Purpose::Diagnose, true, 1),
            Step::new(Play::PatchLiveConfig, Purpose::Mitigate, false, 1),
            Step::new(Play::RebuildIndex, Purpose::Mitigate, true, 4),
            Step::new(Play::RollbackToLastGood, Purpose::Mitigate, true, 4),
        ],
    )
    .unwrap();
    assert_eq!(rb.first_play().unwrap().play, Play::RebuildIndex);
    let none = Runbook::new(
        IncidentKind::BadRelease,
        vec![Step::new(Play::CaptureState, Purpose::Diagnose, true, 1)],
    );
    assert_eq!(none.unwrap().first_play(), None);
    assert!(matches!(
        Runbook::new(IncidentKind::BadRelease, vec![]),
        Err(IncidentError::EmptyRunbook)
    ));
}

/// The example postmortem of Google's SRE book ("Shakespeare Sonnet++",
/// appendix D) as a timeline: its figures are measured from different
/// moments, and each is checked to the minute.
#[test]
fn the_sre_book_example_postmortem_keeps_six_moments_apart() {
    let day = SimClock::course_epoch();
    let at = |h: i64, m: i64| day + minutes(h * 60 + m);
    let mut inc =
        Incident::from_page("INC-1", IncidentKind::BadRelease, &alert(0), at(14, 55)).unwrap();
    inc.record(at(14, 54), EntryKind::ImpactStarted, "outage begins")
        .unwrap();
    inc.transition(Status::Acknowledged, at(14, 57), "on-call looking")
        .unwrap();
    inc.record(at(15, 1), EntryKind::Declared, "incident declared")
        .unwrap();
    inc.transition(Status::Mitigated, at(15, 36), "traffic redirected")
        .unwrap();
    inc.record(at(16, 0), EntryKind::ImpactEnded, "outage ends")
        .unwrap();
    inc.transition(Status::Resolved, at(16, 30), "incident ends")
        .unwrap();

    let kinds: Vec<EntryKind> = inc.timeline().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EntryKind::ImpactStarted,
            EntryKind::Detected,
            EntryKind::Paged,
            EntryKind::Acknowledged,
            EntryKind::Declared,
            EntryKind::MitigationApplied,
            EntryKind::ImpactEnded,
            EntryKind::Resolved,
        ]
    );
    assert_eq!(inc.impact_started(), Some(at(14, 54)));
    assert_eq!(inc.detected_at(), at(14, 55));
    assert_eq!(inc.declared_at(), at(15, 1));
    assert_eq!(inc.impact_ended(), Some(at(16, 0)));
    assert_eq!(inc.time_to_detect(), minutes(1));
    assert_eq!(inc.time_to_mitigate(), Some(minutes(42)));
    assert_eq!(inc.outage_duration(), Some(minutes(66)));
    assert_eq!(inc.incident_duration(), Some(minutes(89)));
    // The responder's own times still run from the page.
    assert_eq!(inc.time_to_acknowledge(), Some(minutes(2)));
    assert_eq!(inc.time_to_resolve(), Some(minutes(95)));
}

#[test]
fn without_an_impact_start_or_a_declaration_the_figures_start_at_the_opening() {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::declare("INC-2", IncidentKind::BadRelease, "x", Severity::Sev2, t0);
    assert_eq!(inc.timeline()[0].kind, EntryKind::Declared);
    inc.transition(Status::Acknowledged, t0 + minutes(2), "mine")
        .unwrap();
    inc.transition(Status::Mitigated, t0 + minutes(9), "rolled back")
        .unwrap();
    inc.record(t0 + minutes(12), EntryKind::SliRecovered, "green")
        .unwrap();
    inc.transition(Status::Resolved, t0 + minutes(40), "held")
        .unwrap();
    assert_eq!(inc.time_to_detect(), minutes(0));
    assert_eq!(inc.time_to_mitigate(), Some(minutes(9)));
    assert_eq!(
        inc.outage_duration(),
        Some(minutes(12)),
        "SLI recovered ends it"
    );
    assert_eq!(inc.incident_duration(), Some(minutes(40)));
}

#[test]
fn a_false_page_resolves_from_open_or_acknowledged_with_a_reason() {
    let t0 = SimClock::course_epoch();
    for acknowledge_first in [false, true] {
        let mut inc =
            Incident::from_page("INC-3", IncidentKind::BadRelease, &alert(0), t0).unwrap();
        if acknowledge_first {
            inc.transition(Status::Acknowledged, t0 + minutes(2), "mine")
                .unwrap();
        }
        let before = inc.clone();
        let e = inc.resolve_false_page(t0 + minutes(5), "  ").unwrap_err();
        assert!(matches!(e, IncidentError::NoReason { .. }), "{e}");
        assert_eq!(inc, before, "a refused resolution changes nothing");
        let e = inc
            .resolve_false_page(t0 - minutes(1), "before the page")
            .unwrap_err();
        assert!(matches!(e, IncidentError::TimeWentBackwards { .. }), "{e}");
        assert_eq!(inc, before);
        inc.resolve_false_page(t0 + minutes(5), "synthetic probe misconfigured")
            .unwrap();
        assert_eq!(inc.status(), Status::Resolved);
        assert_eq!(inc.resolved_at(), Some(t0 + minutes(5)));
        assert_eq!(inc.mitigated_at(), None, "nothing was mitigated");
        assert!(inc.is_false_page());
        let last = inc.timeline().last().unwrap();
        assert_eq!(
            (last.kind, last.text.as_str()),
            (EntryKind::FalsePage, "synthetic probe misconfigured")
        );
    }
    // Once mitigated, users were hurt: it is no false page.
    let mut inc = Incident::from_page("INC-4", IncidentKind::BadRelease, &alert(0), t0).unwrap();
    inc.transition(Status::Acknowledged, t0 + minutes(2), "mine")
        .unwrap();
    inc.transition(Status::Mitigated, t0 + minutes(4), "rolled back")
        .unwrap();
    let before = inc.clone();
    let e = inc
        .resolve_false_page(t0 + minutes(5), "was it?")
        .unwrap_err();
    assert!(
        matches!(
            e,
            IncidentError::IllegalTransition {
                from: Status::Mitigated,
                to: Status::Resolved
            }
        ),
        "{e}"
    );
    assert_eq!(inc, before);
}

#[test]
fn a_resolved_incident_reopens_and_the_timeline_keeps_both_passes() {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::from_page("INC-5", IncidentKind::BadRelease, &alert(0), t0).unwrap();
    let e = inc.reopen(t0 + minutes(1), "not yet resolved").unwrap_err();
    assert!(
        matches!(
            e,
            IncidentError::IllegalTransition {
                from: Status::Open,
                ..
            }
        ),
        "{e}"
    );
    inc.resolve_false_page(t0 + minutes(3), "looked like noise")
        .unwrap();
    let before = inc.clone();
    assert!(matches!(
        inc.reopen(t0 + minutes(20), "").unwrap_err(),
        IncidentError::NoReason { .. }
    ));
    assert!(matches!(
        inc.reopen(t0 + minutes(2), "early").unwrap_err(),
        IncidentError::TimeWentBackwards { .. }
    ));
    assert_eq!(inc, before);
    inc.reopen(t0 + minutes(20), "the errors came back")
        .unwrap();
    assert_eq!(inc.status(), Status::Open);
    assert_eq!(inc.resolved_at(), None);
    assert_eq!(inc.mitigated_at(), None);
    assert!(!inc.is_false_page());
    inc.transition(Status::Acknowledged, t0 + minutes(21), "mine")
        .unwrap();
    inc.transition(Status::Mitigated, t0 + minutes(25), "rolled back")
        .unwrap();
    inc.transition(Status::Resolved, t0 + minutes(55), "held")
        .unwrap();
    assert!(!inc.is_false_page());
    let kinds: Vec<EntryKind> = inc.timeline().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EntryKind::Detected,
            EntryKind::Paged,
            EntryKind::FalsePage,
            EntryKind::Reopened,
            EntryKind::Acknowledged,
            EntryKind::MitigationApplied,
            EntryKind::Resolved,
        ]
    );
    assert_eq!(inc.resolved_at(), Some(t0 + minutes(55)));
    assert_eq!(inc.incident_duration(), Some(minutes(55)));
}

#[test]
fn a_mitigation_that_did_not_hold_is_reopened_and_mitigated_again() {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::from_page("INC-6", IncidentKind::BadRelease, &alert(0), t0).unwrap();
    inc.record(t0 - minutes(10), EntryKind::ImpactStarted, "v2 live")
        .unwrap();
    inc.transition(Status::Acknowledged, t0 + minutes(2), "mine")
        .unwrap();
    inc.transition(Status::Mitigated, t0 + minutes(5), "rolled back")
        .unwrap();
    inc.transition(Status::Resolved, t0 + minutes(35), "held")
        .unwrap();
    assert_eq!(inc.time_to_mitigate(), Some(minutes(15)));
    inc.reopen(
        t0 + minutes(50),
        "errors are back: the cache still served v2",
    )
    .unwrap();
    assert_eq!(
        (inc.mitigated_at(), inc.time_to_mitigate()),
        (None, None),
        "users are hurt again: not mitigated"
    );
    inc.transition(Status::Acknowledged, t0 + minutes(51), "mine again")
        .unwrap();
    inc.transition(
        Status::Mitigated,
        t0 + minutes(55),
        "cache namespace rotated",
    )
    .unwrap();
    inc.transition(Status::Resolved, t0 + minutes(85), "held this time")
        .unwrap();
    assert_eq!(
        inc.time_to_mitigate(),
        Some(minutes(65)),
        "from the impact's start"
    );
    let mitigations = inc
        .timeline()
        .iter()
        .filter(|e| e.kind == EntryKind::MitigationApplied)
        .count();
    assert_eq!(mitigations, 2, "the timeline keeps both passes");
}

#![cfg(feature = "solution")]
//! Triage, routing and linking through the desk.

use chrono::{DateTime, TimeDelta, Utc};
use desk::{
    correlate, storm, Category, CorrelationConfig, Desk, DeskError, Queue, Ticket, TicketStatus,
};
use labkit::SimClock;

fn t(m: i64) -> DateTime<Utc> {
    SimClock::course_epoch() + TimeDelta::minutes(m)
}

#[test]
fn triage_explains_itself() {
    let tk = Ticket::new("T-1", t(0), "Wrong answers since this morning")
        .affecting(240)
        .blocking(true, true);
    let tr = desk::triage(&tk).unwrap();
    assert_eq!(tr.category, Category::Quality);
    assert_eq!(tr.matched, vec!["wrong answer", "wrong"]);
    assert_eq!((tr.impact, tr.urgency, tr.priority), (1, 2, 2));
    assert_eq!(tr.queue, Queue::SreOncall);
    assert_eq!(tr.priority_label(), "P2 High");
    assert_eq!(tr.reasons.len(), 5);
    assert!(tr.reasons[0].contains("\"wrong answer\""));
    assert!(tr.reasons[3].contains("= impact 1 + urgency 2 - 1"));
}

#[test]
fn every_category_has_an_example() {
    let cases = [
        (
            "the assistant is down, 503 everywhere",
            Category::Outage,
            Queue::Platform,
        ),
        (
            "password reset link does not work",
            Category::Access,
            Queue::Identity,
        ),
        ("answers are slow today", Category::Latency, Queue::Platform),
        (
            "it cites outdated documents",
            Category::Quality,
            Queue::AiQuality,
        ),
        (
            "refund for my subscription please",
            Category::Billing,
            Queue::Billing,
        ),
        (
            "what are your opening hours?",
            Category::Other,
            Queue::ServiceDesk,
        ),
    ];
    for (text, cat, queue) in cases {
        let tr = desk::triage(&Ticket::new("T", t(0), text)).unwrap();
        assert_eq!(
            (tr.category, tr.queue, tr.priority),
            (cat, queue, 5),
            "{text}"
        );
    }
}

#[test]
fn the_itil_matrix_spans_one_to_five() {
    let mut seen = std::collections::BTreeSet::new();
    for i in 1..=3 {
        for u in 1..=3 {
            let p = desk::priority(i, u).unwrap();
            assert!((1..=5).contains(&p));
            assert_eq!(desk::priority(u, i), Ok(p), "symmetric");
            seen.insert(p);
        }
    }
    assert_eq!(seen.len(), 5);
    for (i, u) in [(0, 1), (1, 0), (4, 3), (3, 4), (0, 0), (u8::MAX, u8::MAX)] {
        let e = desk::priority(i, u).unwrap_err();
        assert!(
            matches!(e, desk::DeskError::NotOnMatrix { .. }),
            "impact {i}, urgency {u}: {e}"
        );
    }
    assert_eq!(desk::ticket::priority_name(1), "Critical");
    assert_eq!(desk::ticket::priority_name(5), "Planning");
}

#[test]
fn tickets_link_to_the_storm_and_resolve_with_it() {
    let s = storm::storm(11);
    let c = correlate(&s.alerts, &CorrelationConfig::default());
    let mut desk = Desk::from_correlation(&c);
    assert_eq!(desk.incidents().len(), 3);
    let at = s.deploy.at + TimeDelta::minutes(20);
    let a = desk
        .submit(Ticket::new("T-1", at, "wrong answers again").about("chat-api"))
        .unwrap();
    assert!(a.linked);
    let storm_id = a.incident.clone();
    assert!(desk
        .incident(&storm_id)
        .unwrap()
        .services
        .contains("retriever"));
    let b = desk
        .submit(Ticket::new("T-2", at, "so slow, it keeps spinning"))
        .unwrap();
    assert!(b.linked, "no service named: time and symptom decide");
    assert_eq!(b.incident, storm_id);
    let n = desk
        .submit(Ticket::new("T-3", at, "cannot log in").about("auth"))
        .unwrap();
    assert!(!n.linked);
    assert_eq!(n.incident, "INC-4");
    assert!(desk.incident("INC-4").unwrap().opened_by_ticket);
    // A second access ticket about auth now links to the incident the first one opened.
    let m = desk
        .submit(
            Ticket::new("T-4", at + TimeDelta::minutes(5), "login fails for me too").about("auth"),
        )
        .unwrap();
    assert_eq!((m.linked, m.incident.as_str()), (true, "INC-4"));
    assert_eq!(
        desk.submit(Ticket::new("T-1", at, "again")).unwrap_err(),
        DeskError::DuplicateTicket("T-1".into())
    );

    let updates = desk
        .resolve(&storm_id, at + TimeDelta::minutes(30), "rolled back")
        .unwrap();
    let ids: Vec<&str> = updates.iter().map(|u| u.ticket.as_str()).collect();
    assert_eq!(ids, vec!["T-1", "T-2"]);
    assert_eq!(desk.ticket("T-1").unwrap().status, TicketStatus::Resolved);
    assert_eq!(desk.ticket("T-1").unwrap().updates.len(), 2);
    assert_eq!(desk.ticket("T-3").unwrap().status, TicketStatus::Open);
    assert_eq!(
        desk.resolve(&storm_id, at, "again").unwrap_err(),
        DeskError::AlreadyResolved(storm_id.clone())
    );
    assert_eq!(
        desk.resolve("INC-99", at, "x").unwrap_err(),
        DeskError::UnknownIncident("INC-99".into())
    );

    // Within the grace after the fix, a late ticket still finds the incident.
    let late = desk
        .submit(
            Ticket::new(
                "T-5",
                at + TimeDelta::minutes(50),
                "answers were wrong earlier",
            )
            .about("chat-api"),
        )
        .unwrap();
    assert_eq!(
        (late.linked, late.incident.as_str()),
        (true, storm_id.as_str())
    );
    // Long after, it does not.
    let later = desk
        .submit(Ticket::new("T-6", at + TimeDelta::hours(3), "wrong answers").about("chat-api"))
        .unwrap();
    assert!(!later.linked);
}

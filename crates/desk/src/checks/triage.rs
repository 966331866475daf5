//! Checks of `starters/m32/triage.rs`: classifying, assessing, prioritising
//! and routing tickets, and linking them to incidents.

use super::{incident, mins, t0, which};
use crate::{Category, DeskError, OpenIncident, Queue, Ticket};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

fn classify_oracle(text: &str) -> (Category, Vec<&'static str>) {
    let lower = text.to_lowercase();
    let mut best: (Category, Vec<&'static str>) = (Category::Other, vec![]);
    for (cat, words) in crate::ticket::KEYWORDS {
        let hits: Vec<&'static str> = words
            .iter()
            .filter(|w| lower.contains(**w))
            .copied()
            .collect();
        if hits.len() > best.1.len() {
            best = (*cat, hits);
        }
    }
    best
}

pub(super) fn tickets_are_classified_by_keywords() -> CheckResult {
    let fixed: [(&str, Category); 6] = [
        ("Wrong answers since this morning", Category::Quality),
        ("The site is DOWN, error 500 everywhere", Category::Outage),
        (
            "so slow it times out: timeout after 30 s",
            Category::Latency,
        ),
        ("I was charged twice, please refund", Category::Billing),
        ("Hello, a question about your offices", Category::Other),
        ("slow and wrong", Category::Latency),
    ];
    for (text, want) in fixed {
        ensure_eq!(
            crate::classify(text).category,
            want,
            "\"{text}\" (the most phrases wins; on a tie, the category listed first in KEYWORDS)"
        );
    }
    ensure!(
        crate::classify("nothing to see").matched.is_empty(),
        "Other matches no phrase"
    );
    let filler = [
        "the",
        "assistant",
        "today",
        "please",
        "help",
        "again",
        "my",
        "team",
        "Monday",
    ];
    let mut rng = SimRng::seed(3206);
    for case in 0..400 {
        let mut words: Vec<String> = Vec::new();
        for _ in 0..rng.between(1, 8) {
            if rng.chance(0.4) {
                let (_, list) = crate::ticket::KEYWORDS
                    [rng.below(crate::ticket::KEYWORDS.len() as u64) as usize];
                let w = list[rng.below(list.len() as u64) as usize];
                words.push(if rng.chance(0.3) {
                    w.to_uppercase()
                } else {
                    w.to_string()
                });
            } else {
                words.push(filler[rng.below(filler.len() as u64) as usize].to_string());
            }
        }
        let text = words.join(" ");
        let (cat, matched) = classify_oracle(&text);
        let got = crate::classify(&text);
        ensure_eq!(got.category, cat, "case {case}: \"{text}\"");
        ensure_eq!(
            got.matched,
            matched,
            "case {case}: phrases found in \"{text}\", in table order"
        );
    }
    Ok(())
}

pub(super) fn impact_and_urgency_follow_the_ticket() -> CheckResult {
    let t = |users: u32, blocked: bool, workaround: bool| {
        Ticket::new("T", t0(), "x")
            .affecting(users)
            .blocking(blocked, workaround)
    };
    for (users, impact) in [(1, 3), (9, 3), (10, 2), (99, 2), (100, 1), (5000, 1)] {
        ensure_eq!(
            crate::assess(&t(users, false, false)).impact,
            impact,
            "impact with {users} users affected"
        );
    }
    ensure_eq!(
        crate::assess(&t(1, true, false)).urgency,
        1,
        "urgency: blocked, no workaround"
    );
    ensure_eq!(
        crate::assess(&t(1, true, true)).urgency,
        2,
        "urgency: blocked, workaround exists"
    );
    ensure_eq!(
        crate::assess(&t(1, false, true)).urgency,
        3,
        "urgency: not blocked"
    );
    ensure_eq!(
        crate::assess(&t(1, false, false)).urgency,
        3,
        "urgency: not blocked"
    );
    let mut rng = SimRng::seed(3207);
    for case in 0..300 {
        let users = rng.below(300) as u32;
        let (b, w) = (rng.chance(0.5), rng.chance(0.5));
        let got = crate::assess(&t(users, b, w));
        let impact = if users >= 100 {
            1
        } else if users >= 10 {
            2
        } else {
            3
        };
        let urgency = if !b {
            3
        } else if w {
            2
        } else {
            1
        };
        ensure_eq!(
            (got.impact, got.urgency),
            (impact, urgency),
            "case {case}: {users} users, blocked {b}, workaround {w} (impact, urgency)"
        );
    }
    Ok(())
}

pub(super) fn priority_follows_the_matrix() -> CheckResult {
    // The ITIL matrix, written out as a table.
    const MATRIX: [[u8; 3]; 3] = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];
    for impact in 1..=3u8 {
        for urgency in 1..=3u8 {
            ensure_eq!(
                crate::priority(impact, urgency),
                Ok(MATRIX[usize::from(impact - 1)][usize::from(urgency - 1)]),
                "impact {impact}, urgency {urgency}"
            );
        }
    }
    // Off the matrix: a typed error naming the level, impact first.
    for (impact, urgency, what, value) in [
        (0, 1, "impact", 0),
        (4, 2, "impact", 4),
        (2, 0, "urgency", 0),
        (1, 9, "urgency", 9),
        (0, 0, "impact", 0),
        (255, 255, "impact", 255),
    ] {
        ensure_eq!(
            crate::priority(impact, urgency),
            Err(DeskError::NotOnMatrix { what, value }),
            "impact {impact}, urgency {urgency} (expected the refusal naming {what} {value})"
        );
    }
    Ok(())
}

pub(super) fn urgent_problems_page_on_call() -> CheckResult {
    ensure_eq!(
        crate::route(Category::Outage, 1),
        Queue::SreOncall,
        "a P1 outage pages on-call"
    );
    ensure_eq!(
        crate::route(Category::Quality, 3),
        Queue::AiQuality,
        "a P3 quality problem is a ticket for its owner"
    );
    ensure_eq!(
        crate::route(Category::Access, 1),
        Queue::Identity,
        "a P1 access problem goes to identity, not on-call"
    );
    for cat in Category::ALL {
        for p in 1..=5u8 {
            let service = matches!(
                cat,
                Category::Outage | Category::Latency | Category::Quality
            );
            let want = if service && p <= 2 {
                Queue::SreOncall
            } else {
                match cat {
                    Category::Outage | Category::Latency => Queue::Platform,
                    Category::Quality => Queue::AiQuality,
                    Category::Access => Queue::Identity,
                    Category::Billing => Queue::Billing,
                    Category::Other => Queue::ServiceDesk,
                }
            };
            ensure_eq!(crate::route(cat, p), want, "{cat} at P{p}");
        }
    }
    Ok(())
}

fn link_oracle(t: &Ticket, cat: Category, incs: &[OpenIncident]) -> Option<usize> {
    let grace = mins(30);
    let fits: Vec<usize> = (0..incs.len())
        .filter(|&i| {
            let inc = &incs[i];
            let time = t.received_at >= inc.opened_at - grace
                && match inc.resolved_at {
                    Some(r) => t.received_at <= r + grace,
                    None => true,
                };
            let service = match &t.service {
                Some(s) => inc.services.contains(s),
                None => true,
            };
            time && service && inc.symptoms.contains(&cat)
        })
        .collect();
    let latest = fits.iter().map(|&i| incs[i].opened_at).max()?;
    fits.into_iter().find(|&i| incs[i].opened_at == latest)
}

pub(super) fn tickets_link_to_their_incident() -> CheckResult {
    let q = Category::Quality;
    let incs = vec![
        incident(
            "INC-1",
            &["chat-api", "retriever"],
            &[q, Category::Latency],
            100,
            None,
        ),
        incident("INC-2", &["billing"], &[Category::Billing], 100, None),
        incident("INC-3", &["chat-api"], &[q], 0, Some(40)),
    ];
    let ticket = |m: i64, service: Option<&str>| {
        let t = Ticket::new("T", t0() + mins(m), "x");
        match service {
            Some(s) => t.about(s),
            None => t,
        }
    };
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(110, Some("chat-api")), q, &incs)
        ),
        which(&incs, Some(0)),
        "same service, in time, same symptom"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(110, Some("auth")), q, &incs)
        ),
        which(&incs, None),
        "a service the incident does not have"
    );
    ensure_eq!(
        which(&incs, crate::find_incident(&ticket(110, None), q, &incs)),
        which(&incs, Some(0)),
        "a ticket naming no service fits any service"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(110, Some("chat-api")), Category::Outage, &incs)
        ),
        which(&incs, None),
        "a symptom the incident does not show"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(71, Some("chat-api")), q, &incs)
        ),
        which(&incs, Some(0)),
        "29 minutes before opening: within the grace"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(69, Some("chat-api")), q, &incs)
        ),
        which(&incs, Some(2)),
        "31 minutes before INC-1 but 29 after INC-3 resolved"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(80, Some("retriever")), q, &incs)
        ),
        which(&incs, Some(0)),
        "only INC-1 has the retriever"
    );
    ensure_eq!(
        which(
            &incs,
            crate::find_incident(&ticket(200, Some("chat-api")), q, &incs)
        ),
        which(&incs, Some(0)),
        "INC-3 resolved long ago"
    );
    ensure_eq!(
        which(&[], crate::find_incident(&ticket(20, None), q, &[])),
        which(&[], None),
        "no incidents at all"
    );
    // The window's edges are inside it: exactly the grace before opening,
    // exactly the grace after resolving.
    let resolved_only = vec![incident("INC-3", &["chat-api"], &[q], 0, Some(40))];
    ensure_eq!(
        which(
            &resolved_only,
            crate::find_incident(&ticket(70, Some("chat-api")), q, &resolved_only)
        ),
        which(&resolved_only, Some(0)),
        "exactly 30 minutes after INC-3 resolved: the window's last minute"
    );
    ensure_eq!(
        which(
            &resolved_only,
            crate::find_incident(&ticket(71, Some("chat-api")), q, &resolved_only)
        ),
        which(&resolved_only, None),
        "31 minutes after INC-3 resolved: past the window"
    );
    let opening_only = vec![incident("INC-1", &["chat-api"], &[q], 100, None)];
    ensure_eq!(
        which(
            &opening_only,
            crate::find_incident(&ticket(70, Some("chat-api")), q, &opening_only)
        ),
        which(&opening_only, Some(0)),
        "exactly 30 minutes before INC-1 opened: the window's first minute"
    );
    // Two that fit, opened at the same moment: the earlier in the list.
    let twins = vec![
        incident("INC-7", &["chat-api"], &[q], 100, None),
        incident("INC-8", &["chat-api"], &[q], 100, None),
    ];
    ensure_eq!(
        which(
            &twins,
            crate::find_incident(&ticket(110, Some("chat-api")), q, &twins)
        ),
        which(&twins, Some(0)),
        "a tie on the opening time goes to the earlier in the list"
    );

    let mut rng = SimRng::seed(3208);
    let services = ["chat-api", "retriever", "billing", "auth"];
    for case in 0..400 {
        let incs: Vec<OpenIncident> = (0..rng.below(6))
            .map(|i| {
                let svc: Vec<&str> = services
                    .iter()
                    .copied()
                    .filter(|_| rng.chance(0.5))
                    .collect();
                let sym: Vec<Category> = Category::ALL
                    .into_iter()
                    .filter(|_| rng.chance(0.4))
                    .collect();
                let opened = rng.below(200) as i64;
                let resolved = if rng.chance(0.4) {
                    Some(opened + rng.below(90) as i64)
                } else {
                    None
                };
                incident(&format!("INC-{i}"), &svc, &sym, opened, resolved)
            })
            .collect();
        let service = if rng.chance(0.3) {
            None
        } else {
            rng.pick(&services).copied()
        };
        let t = ticket(rng.below(300) as i64, service);
        let cat = Category::ALL[rng.below(6) as usize];
        ensure_eq!(
            which(&incs, crate::find_incident(&t, cat, &incs)),
            which(&incs, link_oracle(&t, cat, &incs)),
            "case {case}: ticket at {} about {service:?}, {cat}; incidents {:?}",
            labkit::clock::stamp(t.received_at),
            incs.iter()
                .map(|i| format!(
                    "{} {:?} {:?} {}..{:?}",
                    i.id,
                    i.services,
                    i.symptoms,
                    labkit::clock::stamp(i.opened_at),
                    i.resolved_at.map(labkit::clock::stamp)
                ))
                .collect::<Vec<_>>()
        );
    }
    Ok(())
}

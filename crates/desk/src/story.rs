//! The M32 trace: a storm arrives at the desk and leaves as three incidents,
//! three tickets are triaged, routed and linked, the fix closes the loop, and
//! two late tickets show the time window of linking.
//!
//! Every decision in it is made by the functions the learner writes, so the
//! trace of a finished lab matches the reference snapshot line for line.

use chrono::TimeDelta;
use labkit::{SimClock, Trace};

use crate::alert::Alert;
use crate::correlate::{correlate_by_labels, Correlation, CorrelationConfig};
use crate::link::Desk;
use crate::storm::storm;
use crate::ticket::Ticket;

/// The seed of the reference trace.
pub const STORY_SEED: u64 = 32;

const ACTOR: &str = "m32";

fn short(alert: &Alert) -> String {
    let instance = alert.label("instance");
    if instance.is_empty() {
        format!("{}@{}", alert.name(), alert.service())
    } else {
        format!("{}@{}/{instance}", alert.name(), alert.service())
    }
}

fn name_of(c: &Correlation, fp: crate::Fingerprint) -> String {
    c.alert(fp)
        .map(|d| short(&d.alert))
        .unwrap_or_else(|| fp.to_string())
}

/// The tickets of the story, relative to the deploy time.
pub fn story_tickets(deploy_at: chrono::DateTime<chrono::Utc>) -> Vec<Ticket> {
    vec![
        Ticket::new(
            "T-1001",
            deploy_at + TimeDelta::minutes(20),
            "Wrong answers since this morning: the assistant cites documents that do not say what it claims.",
        )
        .about("chat-api")
        .affecting(240)
        .blocking(true, true),
        Ticket::new(
            "T-1002",
            deploy_at + TimeDelta::minutes(25),
            "I was charged twice on this month's invoice.",
        )
        .about("billing"),
        Ticket::new(
            "T-1003",
            deploy_at + TimeDelta::minutes(30),
            "Locked out: my password is rejected at login, the whole team is stuck.",
        )
        .about("auth")
        .affecting(12)
        .blocking(true, false),
    ]
}

/// Tickets of the M32 story that arrive after the storm's incident resolved
/// (50 minutes after the deploy), relative to the deploy time: the same
/// complaint twice, once within the 30 minutes after the resolution that
/// linking still allows, once after them. Only the time window tells the two
/// apart (the capstone's shift does not have them).
pub fn late_tickets(deploy_at: chrono::DateTime<chrono::Utc>) -> Vec<Ticket> {
    vec![
        Ticket::new(
            "T-1004",
            deploy_at + TimeDelta::minutes(65),
            "Still getting a wrong answer about the refund policy.",
        )
        .about("chat-api"),
        Ticket::new(
            "T-1005",
            deploy_at + TimeDelta::minutes(90),
            "The assistant gave me a wrong answer again just now.",
        )
        .about("chat-api"),
    ]
}

/// Runs the M32 story for `seed` and returns its trace.
pub fn run(seed: u64) -> Trace {
    let mut trace = Trace::new(format!("M32 · the storm at the desk (seed {seed})"));
    let storm = storm(seed);
    let mut clock = SimClock::new();
    clock.advance_to(storm.deploy.at);
    trace.at(
        clock.now(),
        ACTOR,
        format!(
            "deploy {} goes live on {}",
            storm.deploy.id, storm.deploy.service
        ),
    );

    let last = storm
        .alerts
        .iter()
        .map(|a| a.starts_at)
        .max()
        .unwrap_or(clock.now());
    clock.advance_to(last + TimeDelta::minutes(6));
    let mut per_service: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &storm.alerts {
        *per_service.entry(a.service()).or_default() += 1;
    }
    let counts: Vec<String> = per_service
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    trace.at(
        clock.now(),
        ACTOR,
        format!(
            "storm: {} records ({} after the deploy, {} noise): {}",
            storm.alerts.len(),
            storm.from_deploy,
            storm.noise,
            counts.join(", ")
        ),
    );

    let config = CorrelationConfig::default();
    // The causes (step A5, after class) are asked for after the stages
    // that labels alone decide are printed.
    let mut c = correlate_by_labels(&storm.alerts, &config);
    trace.note(
        ACTOR,
        format!(
            "dedup: {} records -> {} alerts ({} repeats had the same labels)",
            c.received,
            c.alerts.len(),
            c.received - c.alerts.len()
        ),
    );
    for d in &c.alerts {
        trace.note(
            ACTOR,
            format!("  {} {} x{}", d.fingerprint, short(&d.alert), d.records),
        );
    }
    for (i, rule) in config.inhibit_rules.iter().enumerate() {
        trace.note(ACTOR, format!("inhibit rule {i}: {}", rule.describe()));
    }
    for m in &c.muted {
        trace.note(
            ACTOR,
            format!(
                "  muted {} by {} (rule {})",
                name_of(&c, m.alert),
                name_of(&c, m.by),
                m.rule
            ),
        );
    }
    for g in &c.groups {
        let members: Vec<String> = g.members.iter().map(|fp| name_of(&c, *fp)).collect();
        let incidents: Vec<String> = g.incidents.iter().map(|i| format!("INC-{i}")).collect();
        trace.note(
            ACTOR,
            format!(
                "group {}: notify [{}], {} muted -> {}",
                g.key,
                members.join(", "),
                g.muted.len(),
                incidents.join(", ")
            ),
        );
    }
    c.find_causes(&config.topology);
    for inc in &c.incidents {
        let cause = inc
            .cause
            .as_ref()
            .map(|k| k.explain(inc.services.len()))
            .unwrap_or_else(|| "unknown".to_string());
        trace.at(
            inc.first_at,
            ACTOR,
            format!(
                "INC-{}: {} alert(s) ({} muted) on {}; probable cause: {cause}",
                inc.id,
                inc.alerts.len(),
                inc.muted,
                inc.services.join(", ")
            ),
        );
    }
    trace.note(
        ACTOR,
        format!(
            "reduction: {} records -> {} incidents ({:.1} records per incident, {:.0}% fewer things to look at)",
            c.received,
            c.incidents.len(),
            c.reduction_ratio(),
            100.0 * c.compression()
        ),
    );

    pages(&mut trace, &storm, &config, &c);

    let mut desk = Desk::from_correlation(&c);
    for ticket in story_tickets(storm.deploy.at) {
        submit(&mut trace, &mut clock, &mut desk, ticket);
    }

    let storm_incident = c
        .incident_caused_by(&storm.deploy.service)
        .map(|i| format!("INC-{}", i.id));
    clock.advance_to(storm.deploy.at + TimeDelta::minutes(50));
    match storm_incident {
        Some(id) => {
            let note = format!(
                "rolled back {}; recall and groundedness back to normal",
                storm.deploy.id
            );
            match desk.resolve(&id, clock.now(), &note) {
                Ok(updates) => {
                    trace.at(
                        clock.now(),
                        ACTOR,
                        format!("{id} resolved: {} linked ticket(s) updated", updates.len()),
                    );
                    for u in updates {
                        trace.note(ACTOR, format!("  {}: \"{}\"", u.ticket, u.message));
                    }
                }
                Err(e) => trace.note(ACTOR, format!("resolve failed: {e}")),
            }
        }
        None => trace.note(ACTOR, "no incident blames the deployed service"),
    }
    for ticket in late_tickets(storm.deploy.at) {
        submit(&mut trace, &mut clock, &mut desk, ticket);
    }
    for inc in desk.incidents() {
        trace.note(
            ACTOR,
            format!(
                "{} {}: tickets [{}]",
                inc.id,
                inc.state(),
                inc.tickets.join(", ")
            ),
        );
    }
    trace
}

/// Who is paged when ([`crate::notify`]) for a storm at the desk: its alerts
/// posted when they start, to one `on-call` receiver grouped and inhibited
/// as `config` says, with Alertmanager's default timers (30 s, 5 min, 4 h).
/// With `rollback`, the alerts of the deploy's incident in `c` end then; the
/// others keep firing. Returns the notifications from the deploy to `until`.
pub fn storm_pages(
    storm: &crate::storm::Storm,
    config: &CorrelationConfig,
    c: &Correlation,
    rollback: Option<chrono::DateTime<chrono::Utc>>,
    until: chrono::DateTime<chrono::Utc>,
) -> Vec<crate::notify::Notification> {
    use crate::notify::{notifications, Post, Posted, Route, Routing, Timers};
    let group_by: Vec<&str> = config.group_by.iter().map(String::as_str).collect();
    let mut routing = Routing::new(Route::root("on-call", &group_by, Timers::default()));
    routing.inhibit_rules = config.inhibit_rules.clone();
    let rolled_back: Vec<crate::Fingerprint> = c
        .incident_caused_by(&storm.deploy.service)
        .map(|i| i.alerts.clone())
        .unwrap_or_default();
    let posts: Vec<Post> = storm
        .alerts
        .iter()
        .map(|a| Post {
            at: a.starts_at,
            alerts: vec![Posted {
                labels: a.labels.clone(),
                starts_at: Some(a.starts_at),
                ends_at: Some(
                    rollback
                        .filter(|_| rolled_back.contains(&crate::fingerprint(&a.labels)))
                        .unwrap_or(a.starts_at + TimeDelta::hours(4)),
                ),
            }],
        })
        .collect();
    let start = storm
        .alerts
        .iter()
        .map(|a| a.starts_at)
        .min()
        .unwrap_or(storm.deploy.at);
    notifications(&routing, &posts, &[], start, until)
        .into_iter()
        .filter(|n| n.at >= storm.deploy.at)
        .collect()
}

/// Traces [`storm_pages`] with the story's rollback, 50 minutes after the
/// deploy, up to an hour after it: one line per notification.
fn pages(
    trace: &mut Trace,
    storm: &crate::storm::Storm,
    config: &CorrelationConfig,
    c: &Correlation,
) {
    let sent = storm_pages(
        storm,
        config,
        c,
        Some(storm.deploy.at + TimeDelta::minutes(50)),
        storm.deploy.at + TimeDelta::hours(1),
    );
    trace.note(
        ACTOR,
        format!(
            "pages: {} notification(s) to on-call in the hour after the deploy",
            sent.len()
        ),
    );
    for n in &sent {
        let names = |m: &std::collections::BTreeMap<crate::Fingerprint, crate::notify::Labels>| {
            let v: Vec<String> = m
                .values()
                .map(|l| match l.get("instance") {
                    Some(i) => format!("{}/{i}", l.get("alertname").map_or("?", String::as_str)),
                    None => l.get("alertname").map_or("?", String::as_str).to_string(),
                })
                .collect();
            v.join(", ")
        };
        let mut what = format!("firing [{}]", names(&n.firing));
        if !n.resolved.is_empty() {
            what.push_str(&format!(", resolved [{}]", names(&n.resolved)));
        }
        trace.at(
            n.at,
            ACTOR,
            format!(
                "page {} ({}) {}: {what}",
                n.receiver,
                n.kind.as_str(),
                crate::notify::labels_text(&n.group_labels)
            ),
        );
    }
}

/// Triages, routes and links one ticket at its arrival, tracing each reason.
fn submit(trace: &mut Trace, clock: &mut SimClock, desk: &mut Desk, ticket: Ticket) {
    clock.advance_to(ticket.received_at);
    trace.at(
        clock.now(),
        ACTOR,
        format!("ticket {}: \"{}\"", ticket.id, ticket.text),
    );
    match desk.submit(ticket) {
        Ok(intake) => {
            for r in &intake.triage.reasons {
                trace.note(ACTOR, format!("  {r}"));
            }
            trace.note(
                ACTOR,
                format!(
                    "  routed {} to {} ({})",
                    intake.ticket,
                    intake.triage.queue,
                    intake.triage.priority_label()
                ),
            );
            let verb = if intake.linked { "linked to" } else { "opened" };
            trace.note(
                ACTOR,
                format!(
                    "  {verb} {}: {}",
                    intake.incident,
                    intake.reasons.join("; ")
                ),
            );
        }
        Err(e) => trace.note(ACTOR, format!("  rejected: {e}")),
    }
}

//! The intake stage (M32): the alert storm correlated into incidents, and the
//! user's ticket triaged, routed and linked to the incident it describes.

use chrono::TimeDelta;
use desk::{CorrelationConfig, Desk, Topology};
use incident::window::minutes;

use crate::error::ShiftError;
use crate::scenario::Scenario;
use crate::shift_report::TicketOutcome;

use super::{plural, Run, BAD};

impl Run {
    pub(super) fn intake(&mut self) -> Result<(), ShiftError> {
        let mut rng = self.rng.fork();
        let storm = desk::storm::storm_at(rng.next_u64(), self.deploy_at - minutes(90), "eu-1");
        let config = if self.scenario == Scenario::StormDoesNotCorrelate {
            CorrelationConfig {
                group_by: ["alertname", "cluster", "service", "instance", "symptom"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                inhibit_rules: Vec::new(),
                topology: Topology::new(),
                window: TimeDelta::zero(),
            }
        } else {
            CorrelationConfig::default()
        };
        let c = desk::correlate(&storm.alerts, &config);
        let last = storm
            .alerts
            .iter()
            .map(|a| a.starts_at)
            .max()
            .unwrap_or(self.deploy_at);
        self.clock.advance_to(last);
        let r = &mut self.report;
        r.deploy_id = storm.deploy.id.clone();
        r.alerts_in = c.received;
        r.alerts_distinct = c.alerts.len();
        r.incidents_out = c.incidents.len();
        r.reduction_ratio = c.reduction_ratio();
        self.trace.at(
            last,
            "m32",
            format!(
                "intake: {} alert records in ({} after deploy {} of {BAD} on {}, {} unrelated)",
                c.received, storm.from_deploy, storm.deploy.id, storm.deploy.service, storm.noise
            ),
        );
        self.trace.at(
            last,
            "m32",
            format!(
                "intake: deduplicated to {} alerts, {} muted by inhibition, correlated into {} incidents: {:.1} records per incident",
                c.alerts.len(),
                c.muted.len(),
                c.incidents.len(),
                c.reduction_ratio()
            ),
        );
        let mut desk = Desk::from_correlation(&c);
        for inc in &c.incidents {
            let cause = inc
                .cause
                .as_ref()
                .map(|k| k.explain(inc.services.len()))
                .unwrap_or_else(|| "unknown".into());
            if c.incidents.len() <= 5 {
                self.trace.at(
                    last,
                    "m32",
                    format!(
                        "intake: INC-{} {} on {}; probable cause {cause}",
                        inc.id,
                        plural(inc.alerts.len(), "alert"),
                        inc.services.join(", ")
                    ),
                );
            }
            let from_deploy = inc
                .cause
                .as_ref()
                .and_then(|k| k.deploy.as_deref())
                .is_some_and(|d| d == storm.deploy.id);
            if from_deploy && self.report.deploy_incident.is_none() {
                self.report.deploy_incident = Some(format!("INC-{}", inc.id));
                self.report.probable_cause = Some(cause.clone());
            }
        }
        if c.incidents.len() > 5 {
            self.trace.at(
                last,
                "m32",
                format!(
                    "intake: {} incidents is a storm of pages, not a handful; the deploy's is {}",
                    c.incidents.len(),
                    self.report.deploy_incident.as_deref().unwrap_or("none")
                ),
            );
        }
        // Who has been paged, and when, by the time of the intake:
        // Alertmanager's timers on the same storm, nothing resolved yet.
        let pages = desk::story::storm_pages(&storm, &config, &c, None, last);
        let count = |k: desk::notify::Kind| pages.iter().filter(|n| n.kind == k).count();
        let first = pages
            .first()
            .map(|n| {
                format!(
                    "; the first at {} for {}",
                    labkit::clock::stamp(n.at),
                    desk::notify::labels_text(&n.group_labels)
                )
            })
            .unwrap_or_default();
        self.trace.at(
            last,
            "m32",
            format!(
                "paging: on-call got {} since the deploy ({} first, {} update, {} repeat, {} all-clear){first}",
                plural(pages.len(), "notification"),
                count(desk::notify::Kind::First),
                count(desk::notify::Kind::Update),
                count(desk::notify::Kind::Repeat),
                count(desk::notify::Kind::Resolved),
            ),
        );
        let tickets = desk::story::story_tickets(storm.deploy.at);
        let Some(ticket) = tickets.into_iter().next() else {
            return Ok(());
        };
        let at = ticket.received_at;
        let text = ticket.text.clone();
        let intake = desk.submit(ticket)?;
        self.clock.advance_to(at);
        let t = &intake.triage;
        self.trace.at(
            at,
            "m32",
            format!(
                "intake: ticket {} \"{}\" -> {}, {} (impact {}, urgency {}), queue {}",
                intake.ticket,
                text.split(':').next().unwrap_or(&text),
                t.category,
                t.priority_label(),
                t.impact,
                t.urgency,
                t.queue
            ),
        );
        self.trace.at(
            at,
            "m32",
            format!(
                "intake: {} {} {}: {}",
                intake.ticket,
                if intake.linked { "linked to" } else { "opened" },
                intake.incident,
                intake.reasons.join("; ")
            ),
        );
        self.report.ticket = Some(TicketOutcome {
            id: intake.ticket.clone(),
            category: t.category,
            priority: t.priority,
            priority_label: t.priority_label(),
            queue: t.queue,
            incident: intake.incident.clone(),
            linked: intake.linked,
            resolved: false,
        });
        self.desk = desk;
        Ok(())
    }
}

//! The detect stage (M31): the SLI measured on live traffic, the burn-rate
//! policy evaluated minute by minute until it pages, and the incident opened.

use chrono::{DateTime, Utc};
use incident::window::{hours, minutes};
use incident::{EntryKind, Incident, IncidentKind, Notification, PagerEvent, Status};

use crate::error::ShiftError;
use crate::service::Service;
use crate::shift_report::{pct, PageOutcome};

use super::{span, Run, ACK_AFTER, BAD, MAX_MINUTES};

impl Run {
    pub(super) fn live_ppm(&mut self) -> Result<u32, ShiftError> {
        let ops = self.ops();
        let live = ops.releases.live_version()?.to_string();
        Ok(ops.releases.serving_profile(&live)?.bad_ppm)
    }

    pub(super) fn detect(&mut self) -> Result<(), ShiftError> {
        let t0 = self.deploy_at;
        let mut service = Service::warmed_up(t0, self.rng.fork())?;
        service.measure_impact(true);
        let mut page = None;
        let mut short_first: Option<DateTime<Utc>> = None;
        for _ in 0..MAX_MINUTES {
            let ppm = self.live_ppm()?;
            let (at, event) = service.minute(ppm)?;
            if short_first.is_none() && service.burn(minutes(5)).is_some_and(|b| b > 14.4) {
                short_first = Some(at);
            }
            if let Some(PagerEvent::Fire(a)) | Some(PagerEvent::Escalate(a)) = event {
                if a.notification() == Notification::Page {
                    page = Some((at, a));
                    break;
                }
            }
        }
        let Some((at, alert)) = page else {
            self.service = Some(service);
            return Err(ShiftError::NoPage);
        };
        self.clock.advance_to(at);
        let slo = service.slo().clone();
        let sli5 = service.sli(minutes(5));
        let burn5 = service.burn(minutes(5));
        self.report.slo_target = slo.target();
        self.report.sli_before = sli5;
        self.report.burn = burn5;
        self.trace.at(
            at,
            "m31",
            format!(
                "detect: SLI 5m {} vs SLO {}: burn {}× over 5m (above 14.4× since {}), {}× over 1h",
                sli5.map(pct).unwrap_or_else(|| "no data".into()),
                pct(slo.target()),
                burn5.map(incident::burn::fmt_burn).unwrap_or_default(),
                short_first.map(labkit::clock::stamp).unwrap_or_default(),
                service
                    .burn(hours(1))
                    .map(incident::burn::fmt_burn)
                    .unwrap_or_default()
            ),
        );
        let id = self
            .report
            .deploy_incident
            .clone()
            .unwrap_or_else(|| format!("INC-{}", self.report.incidents_out + 1));
        let mut inc = Incident::from_page(&id, IncidentKind::BadRelease, &alert, at)?;
        inc.record(
            t0,
            EntryKind::ImpactStarted,
            &format!("{BAD} went live without a canary; answers began going bad"),
        )?;
        if let Some(d) = self.desk.incident(&id) {
            for t in &d.tickets {
                inc.link_ticket(t);
            }
        }
        self.report.page = Some(PageOutcome {
            tier: alert.tier.name.clone(),
            notification: alert.notification(),
            severity: inc.severity(),
            at,
            long_burn: alert.long_burn,
            short_burn: alert.short_burn,
        });
        self.trace.at(at, "m31", format!("detect: {alert}"));
        self.trace.at(
            at,
            "m31",
            format!(
                "detect: {} opened at {} ({}), {} after impact began; linked tickets: {}",
                inc.id(),
                inc.severity(),
                inc.severity().meaning(),
                span(at - t0),
                if inc.tickets().is_empty() {
                    "none".to_string()
                } else {
                    inc.tickets().join(", ")
                }
            ),
        );
        // The on-call takes it a few minutes later; users are still hurt meanwhile.
        let ack = at + minutes(ACK_AFTER);
        while service.next() <= ack {
            let ppm = self.live_ppm()?;
            service.minute(ppm)?;
        }
        inc.transition(Status::Acknowledged, ack, "on-call acknowledged the page")?;
        self.clock.advance_to(ack);
        self.trace.at(
            ack,
            "m31",
            format!("detect: {} acknowledged by the on-call", inc.id()),
        );
        self.incident = Some(inc);
        self.service = Some(service);
        Ok(())
    }
}

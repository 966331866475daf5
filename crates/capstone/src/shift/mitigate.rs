//! The mitigate stage (M31 → M33): the runbook's first play chosen and carried
//! out by the release manager, and the SLI watched until it recovers.

use incident::window::minutes;
use incident::{EntryKind, Incident, Runbook, Status};

use crate::error::ShiftError;
use crate::ops::Mitigation;
use crate::service::Service;
use crate::shift_report::pct;

use super::{span, Run, BAD, HOLD_GREEN, MAX_MINUTES};

impl Run {
    pub(super) fn mitigate(&mut self) -> Result<(), ShiftError> {
        let (Some(mut inc), Some(mut service)) = (self.incident.take(), self.service.take()) else {
            return Err(ShiftError::NoPage);
        };
        let result = self.mitigate_with(&mut inc, &mut service);
        self.incident = Some(inc);
        self.service = Some(service);
        result
    }

    pub(super) fn mitigate_with(
        &mut self,
        inc: &mut Incident,
        service: &mut Service,
    ) -> Result<(), ShiftError> {
        let now = self.clock.now();
        let runbook = Runbook::for_kind(inc.kind());
        let step = *runbook
            .first_play()
            .ok_or_else(|| ShiftError::NoSafeMitigation(inc.kind().to_string()))?;
        self.report.play = Some(step.play);
        self.trace.at(
            now,
            "m31",
            format!(
                "mitigate: runbook {}: first play {} — {} (mitigate before you diagnose)",
                runbook.kind(),
                step,
                step.play.describe()
            ),
        );
        let ops = self.ops();
        let lag = now - ops.releases.now();
        ops.releases.advance(lag);
        let mitigation = crate::execute_play(step.play, ops, now)?;
        let green_at = ops.releases.now().max(now);
        let mut readings = Vec::new();
        if let Mitigation::Rollback(rb) = &mitigation {
            for (i, s) in rb.steps.iter().enumerate() {
                let at = match s {
                    release_ops::ChecklistStep::Watch(_)
                    | release_ops::ChecklistStep::Throttle { on: false }
                    | release_ops::ChecklistStep::UnfreezeWriters => green_at,
                    _ => now,
                };
                if let release_ops::ChecklistStep::Watch(w) = s {
                    readings = w.readings.iter().map(|r| r.bad_ppm).collect();
                }
                self.trace.at(
                    at,
                    "m33",
                    format!("mitigate: checklist {}/{}: {s}", i + 1, rb.steps.len()),
                );
            }
        }
        // Serve the minutes of the watch as the service cooled.
        for ppm in readings {
            service.minute(ppm)?;
        }
        self.report.mitigation = Some(mitigation.clone());
        inc.transition(Status::Mitigated, green_at, &mitigation.summary())?;
        self.clock.advance_to(green_at);
        self.trace.at(
            green_at,
            "m31",
            format!("mitigate: {} mitigated: {}", inc.id(), mitigation.summary()),
        );
        // Watch the SLI come back, then hold green before resolving.
        let target = service.slo().target();
        let mut recovered = None;
        for _ in 0..MAX_MINUTES {
            let ppm = self.live_ppm()?;
            let (at, _) = service.minute(ppm)?;
            if let Some(s) = service.sli(minutes(5)).filter(|s| *s >= target) {
                recovered = Some((at, s));
                break;
            }
        }
        let Some((rec_at, sli)) = recovered else {
            return Err(ShiftError::NotGreen {
                to: self.ops().releases.live().unwrap_or("?").to_string(),
            });
        };
        service.measure_impact(false);
        inc.record(
            rec_at,
            EntryKind::SliRecovered,
            &format!("SLI over 5m back to {}", pct(sli)),
        )?;
        self.trace.at(
            rec_at,
            "m31",
            format!(
                "mitigate: SLI 5m back to {} ≥ {}: recovered {} after impact began",
                pct(sli),
                pct(target),
                span(rec_at - self.deploy_at)
            ),
        );
        let resolve_at = rec_at + minutes(HOLD_GREEN);
        while service.next() <= resolve_at {
            let ppm = self.live_ppm()?;
            service.minute(ppm)?;
        }
        inc.transition(
            Status::Resolved,
            resolve_at,
            &format!("SLI held within the SLO for {HOLD_GREEN} minutes"),
        )?;
        self.clock.advance_to(resolve_at);
        self.report.sli_after = service.sli(minutes(5));
        self.trace.at(
            resolve_at,
            "m31",
            format!(
                "mitigate: {} resolved after {HOLD_GREEN} green minutes (SLI 5m {}); from the page TTA {}, TTR {}; from the impact's start TTM {}",
                inc.id(),
                self.report.sli_after.map(pct).unwrap_or_default(),
                inc.time_to_acknowledge().map(span).unwrap_or_default(),
                inc.time_to_resolve().map(span).unwrap_or_default(),
                inc.time_to_mitigate().map(span).unwrap_or_default()
            ),
        );
        if self.desk.incident(inc.id()).is_some() {
            let updates = self.desk.resolve(
                inc.id(),
                resolve_at,
                &format!("{BAD} was rolled back; answers are correct again"),
            )?;
            for u in &updates {
                self.trace.at(
                    u.at,
                    "m32",
                    format!("mitigate: {} told: {}", u.ticket, u.message),
                );
            }
            if let Some(t) = self.report.ticket.as_mut() {
                t.resolved = updates.iter().any(|u| u.ticket == t.id);
            }
        }
        Ok(())
    }
}

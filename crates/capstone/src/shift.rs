//! The on-call shift: one outage, every module firing on it.
//!
//! | stage | owner | what happens |
//! |---|---|---|
//! | intake | M32 | 43 alert records correlate into 3 incidents; the user ticket is triaged, routed and linked |
//! | detect | M31 | SLI 80% against a 99% SLO burns at 20×; the two-window alert pages SEV-1; the incident opens |
//! | mitigate | M31 → M33 | the `bad_release` runbook's first play rolls back to last-good by the checklist; the SLI recovers |
//! | learn | M31 → gate | the blameless postmortem names the failing question; it becomes a regression case |
//! | ship | M33 | the fix is canaried against live on the eval set, regression case included, and promoted |
//! | verify | gate | seven assertions over the [`ShiftReport`]; exit code non-zero if any fails |
//!
//! [`run`] plays the shift on simulated time from a seed and returns the
//! report and the trace; [`gate`] is the verify stage; [`drill`] is both as
//! one numbered story. Every trace line names the module that acted (`m31`,
//! `m32`, `m33`, `gate`) and starts with the stage it belongs to.
//!
//! A stage that cannot finish stops the shift there (the learn stage is the
//! exception: without a regression case the fix can still ship), records why
//! in [`ShiftReport::halted`], and leaves live exactly as the refusing module
//! left it: M33's operations change nothing when they refuse.

use chrono::{DateTime, TimeDelta, Utc};
use desk::{CorrelationConfig, Desk, Topology};
use incident::window::{hours, minutes};
use incident::{
    ActionItem, ActionKind, EntryKind, FailingExample, Incident, IncidentKind, Lessons,
    Notification, PagerEvent, Postmortem, PostmortemDraft, Runbook, Status,
};
use index_ops::Index;
use labkit::{SimClock, SimRng, Trace};
use release_ops::registry::{ReleaseSpec, BUILD_EVAL_SEED, BUILD_EVAL_SIZE};
use release_ops::{CanaryReport, EvalCase, EvalSet, Registry, ReleaseManager, SimModel, Topic};

use crate::assertion::{Assertion, Gate};
use crate::cases::{model, question_key};
use crate::error::ShiftError;
use crate::ops::{index_hash, knowledge_base, Mitigation, Operations};
use crate::scenario::Scenario;
use crate::service::Service;
use crate::shift_report::{
    pct, CanaryOutcome, Halt, IncidentOutcome, PageOutcome, PostmortemOutcome, ShiftReport, Stage,
    TicketOutcome,
};

/// The seed of the reference drill.
pub const SEED: u64 = 34;
/// The last-good release.
pub const LAST_GOOD: &str = "v1";
/// The release that breaks things.
pub const BAD: &str = "v2";
/// The fix.
pub const FIX: &str = "v3";
/// The "fix" of the `fix-reintroduces-bug` scenario.
pub const REINTRODUCED: &str = "v4";
/// Cases in the release manager's eval set (before the regression case).
pub const EVAL_SIZE: usize = 400;
/// Records per incident the correlation must reach for the storm to count as reduced.
pub const MIN_REDUCTION: f64 = 5.0;

const ACK_AFTER: i64 = 4;
const HOLD_GREEN: i64 = 30;
const MAX_MINUTES: i64 = 6 * 60;
const KB_PAGES: usize = 25;

/// The shift's result: its numbers and its story.
#[derive(Debug, Clone)]
pub struct Shift {
    /// The numbers the gate reads.
    pub report: ShiftReport,
    /// The story, stages intake to ship.
    pub trace: Trace,
    /// The release manager, registry and index as the shift left them.
    pub ops: Option<Operations>,
}

/// The trace title for a seed and scenario.
pub fn title(seed: u64, scenario: Scenario) -> String {
    if scenario == Scenario::Clean {
        format!("M34 the on-call shift (seed {seed})")
    } else {
        format!("M34 the on-call shift, scenario {scenario} (seed {seed})")
    }
}

/// Runs the shift for `seed` under `scenario`: stages intake to ship.
pub fn run(seed: u64, scenario: Scenario) -> Shift {
    run_with_example_about(seed, scenario, Topic::Refunds)
}

/// The shift with a diagnosis that looks for its failing example among
/// production questions about `topic` instead of refunds (the questions
/// [`BAD`] broke): one that [`BAD`] got wrong and both last-good and the
/// fix answer right. A check runs it to tell a regression case whose topic
/// comes from its question from one that is always "refunds".
pub fn run_with_example_about(seed: u64, scenario: Scenario, topic: Topic) -> Shift {
    let mut r = Run::new(seed, scenario);
    r.example_topic = topic;
    r.go();
    Shift {
        report: r.report,
        trace: r.trace,
        ops: r.ops,
    }
}

/// The verify stage: the learner's assertions over the report, and the exit code.
pub fn gate(report: &ShiftReport) -> Gate {
    let mut assertions: Vec<Assertion> = crate::assert_intake_and_detect(report);
    assertions.extend(crate::assert_recovery(report));
    let exit_code = crate::gate_exit_code(&assertions);
    Gate {
        scenario: report.scenario.name().to_string(),
        assertions,
        exit_code,
    }
}

/// Appends the gate's verdicts to a trace, one `gate` line each.
pub fn trace_gate(trace: &mut Trace, gate: &Gate) {
    for a in &gate.assertions {
        trace.note("gate", format!("verify: {a}"));
    }
    let failed = gate.failed();
    if failed.is_empty() {
        trace.note(
            "gate",
            format!(
                "verify: gate GREEN, {} of {} hold: exit {}",
                gate.assertions.len(),
                gate.assertions.len(),
                gate.exit_code
            ),
        );
    } else {
        let names: Vec<&str> = failed.iter().map(|c| c.name()).collect();
        trace.note(
            "gate",
            format!(
                "verify: gate RED, failed {}: exit {}",
                names.join(", "),
                gate.exit_code
            ),
        );
    }
}

/// The drill: the whole shift, gate included, as one numbered story.
pub fn drill(seed: u64, scenario: Scenario) -> (Shift, Gate) {
    let mut shift = run(seed, scenario);
    let g = gate(&shift.report);
    trace_gate(&mut shift.trace, &g);
    (shift, g)
}

fn canary_outcome(c: &CanaryReport) -> CanaryOutcome {
    CanaryOutcome {
        candidate: c.candidate.clone(),
        live: c.live.clone(),
        decision: c.decision,
        live_score: c.live_report.score,
        candidate_score: c.candidate_report.score,
        reasons: c.verdict.reasons.iter().map(|r| r.to_string()).collect(),
        failed_regressions: c.candidate_report.failed_regressions.clone(),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn span(d: TimeDelta) -> String {
    incident::window::span(d)
}

struct Run {
    seed: u64,
    scenario: Scenario,
    report: ShiftReport,
    trace: Trace,
    clock: SimClock,
    rng: SimRng,
    ops: Option<Operations>,
    desk: Desk,
    service: Option<Service>,
    incident: Option<Incident>,
    deploy_at: DateTime<Utc>,
    /// Where the diagnosis looks for a failing example (refunds but in checks).
    example_topic: Topic,
}

impl Run {
    fn new(seed: u64, scenario: Scenario) -> Self {
        let mut report = ShiftReport::new(seed, scenario);
        report.bad_release = BAD.to_string();
        report.fix_release = if scenario == Scenario::FixReintroducesBug {
            REINTRODUCED.to_string()
        } else {
            FIX.to_string()
        };
        Self {
            seed,
            scenario,
            report,
            trace: Trace::new(title(seed, scenario)),
            clock: SimClock::new(),
            rng: SimRng::seed(seed),
            example_topic: Topic::Refunds,
            ops: None,
            desk: Desk::new(),
            service: None,
            incident: None,
            deploy_at: SimClock::course_epoch(),
        }
    }

    fn halt(&mut self, stage: Stage, e: &ShiftError) {
        let reason = e.to_string();
        let actor = match stage {
            Stage::Intake => "m32",
            Stage::Detect | Stage::Learn => "m31",
            Stage::Mitigate | Stage::Ship => "m33",
            Stage::Verify => "gate",
        };
        self.trace.at(
            self.clock.now(),
            actor,
            format!("{stage}: STOPPED: {reason}"),
        );
        self.report.halted.push(Halt { stage, reason });
    }

    fn go(&mut self) {
        if let Err(e) = self.night() {
            self.halt(Stage::Intake, &e);
            return;
        }
        if let Err(e) = self.intake() {
            self.halt(Stage::Intake, &e);
            return;
        }
        if let Err(e) = self.detect() {
            self.halt(Stage::Detect, &e);
            return;
        }
        if let Err(e) = self.mitigate() {
            self.halt(Stage::Mitigate, &e);
            self.finish();
            return;
        }
        self.clock.advance(hours(8));
        if let Err(e) = self.learn() {
            self.halt(Stage::Learn, &e);
        }
        self.clock.advance(hours(2));
        if let Err(e) = self.ship() {
            self.halt(Stage::Ship, &e);
        }
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(ops) = &self.ops {
            self.report.live_at_end = ops.releases.live().map(str::to_string);
            // The release manager counts a first install as verified: it is
            // the baseline everything is compared with. The bad release
            // installed first (no-rollback-target) never met a canary.
            let unjudged = self.scenario == Scenario::NoRollbackTarget
                && self.report.live_at_end.as_deref() == Some(BAD);
            self.report.live_verified_at_end = ops.releases.live_verified() && !unjudged;
        }
        if let Some(inc) = &self.incident {
            self.report.incident = Some(IncidentOutcome::of(inc));
        }
    }

    fn ops(&mut self) -> &mut Operations {
        // `night` sets it before any other stage runs.
        self.ops.get_or_insert_with(|| Operations {
            releases: ReleaseManager::new(Registry::new(), EvalSet::new(), "idx-none"),
            index: Index::new("docs_vA"),
            sources: Vec::new(),
        })
    }

    /// Before the shift: the index, the registry, last-good live, and the
    /// bad deploy at 02:00 without a canary.
    fn night(&mut self) -> Result<(), ShiftError> {
        let t0 = SimClock::course_epoch();
        self.deploy_at = t0;
        let sources = knowledge_base(KB_PAGES, 0, 0);
        let index = Index::rebuild("docs_vA", &sources, t0 - hours(24))?;
        let hash = index_hash(&index);
        let mut registry = Registry::course();
        if self.scenario == Scenario::FixReintroducesBug {
            let mut m = SimModel::v2();
            m.version = REINTRODUCED.to_string();
            let build = EvalSet::generate(BUILD_EVAL_SEED, BUILD_EVAL_SIZE);
            registry.publish(ReleaseSpec::for_model(m, 104, "p8"), &build)?;
        }
        let mut releases =
            ReleaseManager::new(registry, EvalSet::generate(self.seed, EVAL_SIZE), &hash)
                .with_clock(SimClock::at(t0 - hours(24)));
        self.clock = SimClock::at(t0);
        if self.scenario == Scenario::NoRollbackTarget {
            releases.install_first(BAD)?;
            releases.advance(hours(24));
            self.trace.at(
                t0,
                "m33",
                format!(
                    "night: region eu-1 comes up with {BAD} as its first release; index {hash} ({} pages); last-good: none",
                    index.len()
                ),
            );
        } else {
            releases.install_first(LAST_GOOD)?;
            releases.advance(hours(24));
            releases.deploy(BAD)?;
            let m = releases.live_manifest()?;
            let line = format!(
                "night: {BAD} ({}, prompt {}) deployed straight to live, no canary; last-good {}; index {hash} ({} pages)",
                m.build_id,
                m.prompt_version,
                releases.last_good().unwrap_or("none"),
                index.len()
            );
            self.trace.at(t0, "m33", line);
        }
        self.ops = Some(Operations {
            releases,
            index,
            sources,
        });
        Ok(())
    }

    fn intake(&mut self) -> Result<(), ShiftError> {
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

    fn live_ppm(&mut self) -> Result<u32, ShiftError> {
        let ops = self.ops();
        let live = ops.releases.live_version()?.to_string();
        Ok(ops.releases.serving_profile(&live)?.bad_ppm)
    }

    fn detect(&mut self) -> Result<(), ShiftError> {
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

    fn mitigate(&mut self) -> Result<(), ShiftError> {
        let (Some(mut inc), Some(mut service)) = (self.incident.take(), self.service.take()) else {
            return Err(ShiftError::NoPage);
        };
        let result = self.mitigate_with(&mut inc, &mut service);
        self.incident = Some(inc);
        self.service = Some(service);
        result
    }

    fn mitigate_with(
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

    /// Diagnosis: production questions that the bad release got wrong and
    /// last-good got right (the runbook's "diff against last-good").
    fn failing_example(&mut self) -> Result<Option<FailingExample>, ShiftError> {
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

    fn learn(&mut self) -> Result<(), ShiftError> {
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
        let burned = impact
            .error_ratio()
            .map(|r| incident::budget_spent(&slo, incident::burn_rate(r, &slo), ended - started))
            .unwrap_or(0.0);
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
                pct(imp.budget_burned),
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

    fn ship(&mut self) -> Result<(), ShiftError> {
        let now = self.clock.now();
        let fix = self.report.fix_release.clone();
        let ops = self.ops();
        let lag = now - ops.releases.now();
        ops.releases.advance(lag);
        let regressions = ops.releases.eval_set().regression_cases().count();
        let cases = ops.releases.eval_set().len();
        let report = ops.releases.ship(&fix)?;
        let live = ops.releases.live().unwrap_or("none").to_string();
        let line = format!(
            "ship: canary {fix} vs live {} on {cases} cases ({regressions} regression): {} -> {}; live is {live}",
            report.live, report.verdict, report.decision
        );
        self.trace.at(now, "m33", line);
        self.report.fix_canary = Some(canary_outcome(&report));
        Ok(())
    }
}

fn draft(
    incident: &Incident,
    page: Option<&PageOutcome>,
    failed: u64,
    burned: f64,
    failing_example: Option<FailingExample>,
) -> PostmortemDraft {
    let tier = page
        .map(|p| p.tier.clone())
        .unwrap_or_else(|| "burn-rate".into());
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
            "the eval set held no regression case for the refund rule, so no gate measured the change".to_string(),
        ],
        trigger: format!("Release {BAD} went live at 02:00 UTC with a prompt change that misreads the refund rule."),
        resolution: format!(
            "The on-call ran the first play of the bad_release runbook: roll back to {LAST_GOOD}, the last-good release, following the rollback checklist."
        ),
        detection: format!(
            "The {tier} burn-rate tier paged {detect_min} minutes after the release; a user ticket had reported wrong answers 20 minutes in."
        ),
        action_items: vec![
            ActionItem::new(ActionKind::Prevent, "Canary every release against live on the eval set before it takes traffic", "release-eng", "OPS-201"),
            ActionItem::new(ActionKind::Prevent, "Keep the failing refund question as a regression case in the eval set", "eval", "OPS-202"),
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

#[cfg(all(test, feature = "reference-parts"))]
mod tests {
    use super::*;

    #[test]
    fn a_canary_that_cannot_compare_says_why_in_the_shift_report() {
        // An eval set with no cases: the gate fails closed, and the
        // outcome the shift records carries the reason, not just "rollback".
        let mut m = release_ops::ReleaseManager::course(release_ops::EvalSet::new(), "idx")
            .expect("the course registry installs v1");
        let report = m.canary("v3").expect("a canary on an empty set runs");
        let outcome = canary_outcome(&report);
        assert_eq!(outcome.decision, release_ops::Decision::Rollback);
        assert!(
            outcome
                .reasons
                .iter()
                .any(|r| r.contains("candidate was scored on no case")),
            "{:?}",
            outcome.reasons
        );
    }
}

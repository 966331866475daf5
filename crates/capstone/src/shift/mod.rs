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
//!
//! Each stage is a file of this module, in the order the shift runs them:
//! `night.rs` (before the shift), `intake.rs`, `detect.rs`, `mitigate.rs`,
//! `learn.rs` and `ship.rs`; the verify stage is [`gate`], here.

use chrono::{DateTime, TimeDelta, Utc};
use desk::Desk;
use incident::window::hours;
use incident::Incident;
use index_ops::Index;
use labkit::{SimClock, SimRng, Trace};
use release_ops::{CanaryReport, EvalSet, Registry, ReleaseManager, Topic};

use crate::assertion::{Assertion, Gate};
use crate::error::ShiftError;
use crate::ops::Operations;
use crate::scenario::Scenario;
use crate::service::Service;
use crate::shift_report::{CanaryOutcome, Halt, IncidentOutcome, ShiftReport, Stage};

mod detect;
mod intake;
mod learn;
mod mitigate;
mod night;
mod ship;

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
    let mut r = Run::new(seed, scenario, topic);
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
    fn new(seed: u64, scenario: Scenario, example_topic: Topic) -> Self {
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
            trace: Trace::new(if example_topic == Topic::Refunds {
                title(seed, scenario)
            } else {
                // Told apart from the reference shift wherever both are shown.
                format!(
                    "{}, failing example about {example_topic}",
                    title(seed, scenario)
                )
            }),
            clock: SimClock::new(),
            rng: SimRng::seed(seed),
            example_topic,
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

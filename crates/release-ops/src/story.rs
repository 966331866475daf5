//! The Part B story, as a trace.
//!
//! [`part_b`] runs the lab's scenario on the learner's functions: the
//! registry, the gate table, a bad build canaried and rolled back, the same
//! bad build shipped without a canary and rolled back by the checklist, a
//! regression case added, the fix canaried and promoted, a blue/green
//! cut-over that bakes and one that flips back, and a secret rotation with
//! and without a grace window. [`ramp`] is the optional challenge's story: a
//! progressive canary stopped at its first breach. Both are deterministic
//! for a seed; the lab compares a learner's trace with the reference.

use chrono::TimeDelta;
use labkit::{SimClock, Trace};

use crate::error::{ReleaseError, Result};
use crate::eval::{incident_regression_case, relative_change_text, EvalSet, Score, Topic};
use crate::manager::{CanaryReport, ChecklistStep, ReleaseManager};
use crate::registry::Registry;
use crate::secrets::{run_drill, Interruption, RotationDrill, RotationStep};
use crate::slots::{BakeStatus, BlueGreen};
use crate::traffic::{run_ramp, CandidateBehaviour, RampPlan, RampStage, Traffic};
use crate::within_tolerance;

/// The seed of the lab's reference trace.
pub const SEED: u64 = 33;
/// Cases in the story's eval set.
pub const EVAL_SIZE: usize = 400;
/// The index the story's service answers from (Part A's index, by hash).
pub const INDEX_HASH: &str = "idx-9c41e07b";

/// The Part B trace for `seed`.
pub fn part_b(seed: u64) -> Trace {
    let mut t = Trace::new(format!(
        "M33 Part B: shipping releases safely (seed {seed})"
    ));
    if let Err(e) = part_b_into(seed, &mut t) {
        t.note("error", format!("the story stopped: {e}"));
    }
    t
}

/// The optional challenge's trace for `seed`.
pub fn ramp(seed: u64) -> Trace {
    let mut t = Trace::new(format!(
        "M33 Part B, optional: a progressive canary (seed {seed})"
    ));
    if let Err(e) = ramp_into(seed, &mut t) {
        t.note("error", format!("the story stopped: {e}"));
    }
    t
}

fn topic_line(report: &CanaryReport) -> String {
    let parts: Vec<String> = Topic::ALL
        .iter()
        .filter_map(|topic| {
            report
                .candidate_report
                .by_topic
                .get(topic)
                .map(|s| format!("{} {}/{}", topic.name(), s.passed, s.total))
        })
        .collect();
    parts.join(", ")
}

fn part_b_into(seed: u64, t: &mut Trace) -> Result<()> {
    // 1. The registry.
    let registry = Registry::course();
    for v in registry.versions() {
        let m = registry.manifest(v)?;
        t.note(
            "reg",
            format!(
                "{} {} git {} -> image {} -> model {} prompt {} build score {}",
                m.version,
                m.build_id,
                &m.commit[..8],
                m.image.short(),
                m.model.short(),
                m.prompt_version,
                m.build_score
            ),
        );
    }
    let mut tampered = registry.clone();
    let v2_model = tampered.manifest("v2")?.model.clone();
    tampered.store_mut().tamper(
        &v2_model,
        b"opsloop-sim-model 1\nversion v2\nnoise_key 1\ndefault_miss 0\n",
    );
    match tampered.load_model("v2") {
        Ok(_) => t.note(
            "reg",
            "a tampered model file was accepted (it should not be)",
        ),
        Err(ReleaseError::DigestMismatch { claimed, actual }) => t.note(
            "reg",
            format!(
                "tampered copy of v2's model refused: its bytes hash to {}…, not {}…",
                &actual[..19],
                &claimed[..19]
            ),
        ),
        Err(e) => t.note("reg", format!("tampered copy of v2's model refused: {e}")),
    }

    // 2. The gate table.
    let eval = EvalSet::generate(seed, EVAL_SIZE);
    let mut m = ReleaseManager::new(registry, eval, INDEX_HASH).with_clock(SimClock::new());
    m.install_first("v1")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "v1 installed as the verified baseline; cache {}",
            m.cache_namespace()
        ),
    );
    t.note(
        "gate",
        format!(
            "eval set: {EVAL_SIZE} cases (seed {seed}); limit: {}% relative drop, inclusive",
            m.policy().max_drop_percent
        ),
    );
    let live = m.evaluate("v1")?;
    for v in ["v1", "v2", "v3"] {
        let r = m.evaluate(v)?;
        let verdict = crate::judge(&m.policy(), &live, &r);
        let refunds = r.by_topic.get(&Topic::Refunds).copied().unwrap_or_default();
        t.note(
            "gate",
            format!(
                "| {v} | {} | {} vs live | refunds {}/{} | {} |",
                r.score,
                relative_change_text(live.score, r.score),
                refunds.passed,
                refunds.total,
                if verdict.passed() { "pass" } else { "block" }
            ),
        );
    }
    for (cand, label) in [
        (Score::new(49, 50), "exactly -2.0%"),
        (Score::new(48, 50), "-4.0%"),
    ] {
        let pass = within_tolerance(Score::new(50, 50), cand, 2);
        t.note(
            "gate",
            format!(
                "boundary: {}/{} vs 50/50 is {label} -> {}",
                cand.passed,
                cand.total,
                if pass { "pass" } else { "block" }
            ),
        );
    }

    // 3. A bad build shipped without a canary, and rolled back by the
    //    checklist (the core of Part B: the canary is after class).
    m.advance(TimeDelta::minutes(5));
    m.deploy("v2")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "v2 deployed WITHOUT a canary; last-good {}; users start to see bad refunds",
            m.last_good().unwrap_or("-")
        ),
    );
    m.advance(TimeDelta::minutes(12));
    t.at(
        m.now(),
        "rel",
        "on-call: refunds answers are wrong -> rollback",
    );
    let started = m.now();
    let rb = m.rollback()?;
    let mut at = started;
    for (i, step) in rb.steps.iter().enumerate() {
        if let ChecklistStep::Watch(w) = step {
            at = started + TimeDelta::minutes(w.readings.len() as i64);
        }
        t.at(at, "rb", format!("{}. {step}", i + 1));
    }
    t.at(
        m.now(),
        "rel",
        format!(
            "rolled back {} -> {}; writers frozen: {}; live {}",
            rb.from,
            rb.to,
            m.writers_frozen(),
            m.live().unwrap_or("-")
        ),
    );
    match m.rollback() {
        Ok(_) => t.at(
            m.now(),
            "rel",
            "a second rollback went somewhere (it should not)",
        ),
        Err(e) => t.at(m.now(), "rel", format!("a second rollback is refused: {e}")),
    }

    // 4. The same build canaried: refused before users see it.
    m.advance(TimeDelta::minutes(5));
    let c = m.canary("v2")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "canary v2 vs live v1: {} ({}) -> {}; live stays {}",
            c.verdict,
            topic_line(&c),
            c.decision.to_string().to_uppercase(),
            m.live().unwrap_or("-")
        ),
    );
    match m.promote("v2") {
        Ok(()) => t.at(
            m.now(),
            "rel",
            "v2 promoted without approval (it should not be)",
        ),
        Err(e) => t.at(m.now(), "rel", format!("promote v2 refused: {e}")),
    }

    // 5. The incident becomes a regression case; the fix ships through the canary.
    let case = incident_regression_case("reg-001");
    t.at(
        m.now(),
        "gate",
        format!(
            "regression case {} added: {:?} -> {}",
            case.id, case.question, case.expected
        ),
    );
    m.eval_set_mut().add_regression(case)?;
    m.advance(TimeDelta::minutes(30));
    let c = m.canary("v2")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "canary v2 again: {} -> {}",
            c.verdict,
            c.decision.to_string().to_uppercase()
        ),
    );
    let c = m.canary("v3")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "canary v3 vs live v1: {} ({}) -> {}",
            c.verdict,
            topic_line(&c),
            c.decision.to_string().to_uppercase()
        ),
    );
    m.promote("v3")?;
    t.at(
        m.now(),
        "rel",
        format!(
            "v3 promoted: live {}, last-good {}, cache {}",
            m.live().unwrap_or("-"),
            m.last_good().unwrap_or("-"),
            m.cache_namespace()
        ),
    );

    // 6. Blue/green.
    let mut clock = SimClock::at(m.now());
    let mut bg = BlueGreen::new("v1", TimeDelta::minutes(10));
    t.at(clock.now(), "bg", format!("blue/green, a second way to ship the same releases: {} live on {}, {} idle and empty; bake period 10 min", bg.live_release().unwrap_or("-"), bg.live(), bg.idle()));
    bg.stage_idle("v3", false);
    match bg.cut_over(clock.now()) {
        Ok(_) => t.at(
            clock.now(),
            "bg",
            "cut over to an unhealthy slot (it should not)",
        ),
        Err(e) => t.at(
            clock.now(),
            "bg",
            format!("v3 staged on green, health check fails: {e}"),
        ),
    }
    bg.stage_idle("v3", true);
    let cut = bg.cut_over(clock.now())?;
    t.at(
        clock.now(),
        "bg",
        format!(
            "health check ok; one flip {} -> {}: users on {}; baking until {}",
            cut.from,
            cut.to,
            cut.release,
            labkit::clock::stamp(cut.bake_until)
        ),
    );
    for (minutes, alerting) in [(4, false), (6, false)] {
        clock.advance(TimeDelta::minutes(minutes));
        let status = bg.observe(clock.now(), alerting);
        t.at(clock.now(), "bg", bake_text(status));
    }
    bg.stage_idle("v2", true);
    let cut = bg.cut_over(clock.now())?;
    t.at(
        clock.now(),
        "bg",
        format!(
            "v2 staged on {} (healthy); flip {} -> {}; baking",
            cut.to, cut.from, cut.to
        ),
    );
    clock.advance(TimeDelta::minutes(3));
    let status = bg.observe(clock.now(), true);
    t.at(
        clock.now(),
        "bg",
        format!(
            "alert: refunds error rate up; {}; users on {} after {} flips",
            bake_text(status),
            bg.live_release().unwrap_or("-"),
            bg.flips()
        ),
    );

    // 7. Secret rotation.
    t.note("rot", "secret rotation drills (each on its own clock from +00:00:00): 50 clients, refresh intervals 1-15 min");
    let slow = TimeDelta::minutes(15);
    for (label, drill) in [
        (
            "grace 15 min (= slowest refresh)",
            RotationDrill::course(seed, slow),
        ),
        ("no grace", RotationDrill::course(seed, TimeDelta::zero())),
        (
            "grace 15 min, interrupted after set, resumed 20 min later",
            RotationDrill {
                interruption: Interruption::Resume {
                    after: RotationStep::Set,
                    delay: TimeDelta::minutes(20),
                },
                ..RotationDrill::course(seed, slow)
            },
        ),
        (
            "no grace, interrupted after test, aborted 5 min later",
            RotationDrill {
                interruption: Interruption::Abort {
                    after: RotationStep::Tested,
                    delay: TimeDelta::minutes(5),
                },
                ..RotationDrill::course(seed, TimeDelta::zero())
            },
        ),
    ] {
        let r = run_drill(&drill);
        let steps: Vec<String> = r
            .log
            .iter()
            .map(|(at, s)| format!("{} {s}", labkit::clock::stamp(*at)))
            .collect();
        t.note("rot", format!("rotation, {label}: {}", steps.join("; ")));
        let outage = match (r.first_failure, r.last_failure) {
            (Some(a), Some(b)) => format!(
                " between {} and {}",
                labkit::clock::stamp(a),
                labkit::clock::stamp(b)
            ),
            _ => String::new(),
        };
        t.note(
            "rot",
            format!(
                "  {} clients, {} requests: {} failed, {} clients hit{outage}",
                drill.clients, r.requests, r.failed, r.clients_hit
            ),
        );
    }
    Ok(())
}

fn bake_text(status: BakeStatus) -> String {
    match status {
        BakeStatus::Idle => "no bake running".to_string(),
        BakeStatus::Baking { remaining } => {
            format!("quiet; still baking, {} min left", remaining.num_minutes())
        }
        BakeStatus::Baked { live } => format!("bake over without alerts: {live} is final"),
        BakeStatus::FlippedBack { to } => format!("flipped back to {to}"),
    }
}

fn ramp_into(seed: u64, t: &mut Trace) -> Result<()> {
    let plan = RampPlan::standard(20_000, 5_000);
    t.note(
        "ramp",
        "plan: 1% -> 10% -> 50% -> 100%, 20000 requests a stage, budget 0.5% errors",
    );
    let bad = Traffic {
        seed,
        candidate: CandidateBehaviour {
            base_ppm: 2_000,
            overload_above_percent: Some(10),
            overload_ppm: 30_000,
        },
    };
    t.note("ramp", "candidate v4-rc: 0.2% errors, 3% once it takes more than 10% of traffic (a pool too small)");
    let report = run_ramp(&plan, &bad)?;
    for s in &report.stages {
        t.note(
            "ramp",
            format!(
                "stage {} at {}%: {} served, {} errors ({:.2}%) -> {}",
                s.stage,
                s.percent,
                s.served,
                s.errors,
                s.errors as f64 * 100.0 / s.served as f64,
                if s.breached {
                    "BREACH, all traffic back to stable"
                } else {
                    "within budget"
                }
            ),
        );
    }
    t.note("ramp", format!("outcome {:?}; blast radius: {} requests served by the candidate, {} errors seen by users", report.outcome, report.candidate_served, report.candidate_errors));
    let big_bang = RampPlan {
        stages: vec![RampStage {
            percent: 100,
            requests: 20_000,
        }],
        budget_ppm: 5_000,
    };
    let bb = run_ramp(&big_bang, &bad)?;
    t.note(
        "ramp",
        format!(
            "the same build shipped at 100% at once: {} served, {} errors seen by users",
            bb.candidate_served, bb.candidate_errors
        ),
    );
    let good = Traffic {
        seed,
        candidate: CandidateBehaviour::steady(1_000),
    };
    let report = run_ramp(&plan, &good)?;
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|s| format!("{}%: {}/{}", s.percent, s.errors, s.served))
        .collect();
    t.note(
        "ramp",
        format!(
            "a healthy candidate (0.1% errors): {} -> {:?}",
            stages.join(", "),
            report.outcome
        ),
    );
    let broken = RampPlan {
        stages: vec![
            RampStage {
                percent: 1,
                requests: 20_000,
            },
            RampStage {
                percent: 10,
                requests: 20_000,
            },
            RampStage {
                percent: 10,
                requests: 20_000,
            },
            RampStage {
                percent: 100,
                requests: 20_000,
            },
        ],
        budget_ppm: 5_000,
    };
    match run_ramp(&broken, &good) {
        Ok(_) => t.note(
            "ramp",
            "a plan 1 -> 10 -> 10 -> 100 was accepted (it should not be)",
        ),
        Err(e) => t.note(
            "ramp",
            format!("a plan 1 -> 10 -> 10 -> 100 is refused: {e}"),
        ),
    }
    Ok(())
}

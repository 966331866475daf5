//! The numbers behind each picture, taken from the same seeded runs the
//! traces come from.
//!
//! Each `*_data` function runs a module's story (or the parts of it the
//! story does not keep) with the story's own seed, and returns plain data.
//! The data types are serialisable so that `cargo xtask report --mine` can
//! run the learner's build in one process and draw it next to the reference
//! in another: the two variants of a module crate cannot live in one binary.
//!
//! Where a story does not expose a number, this module re-derives it from
//! the story's public pieces and a test checks the result against the
//! story's own trace, line for line where the trace prints it. The gaps are
//! listed in the crate docs.

use chrono::{DateTime, TimeDelta, Utc};
use labkit::{SimClock, SimRng, Trace};
use serde::{Deserialize, Serialize};

use incident::burn::{BurnPolicy, Notification, WindowBurns};
use incident::sli::{Counts, WindowedSli};
use incident::slo::Slo;

/// Minutes from `origin` to `t` (fractions kept).
fn minutes_between(origin: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    (t - origin).num_seconds() as f64 / 60.0
}

/// Every picture's data for one variant (reference or the learner's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Course {
    /// "reference" or "yours".
    pub label: String,
    /// M31, or why it could not be drawn.
    pub m31: Result<M31, String>,
    /// M32.
    pub m32: Result<M32, String>,
    /// M33.
    pub m33: Result<M33, String>,
    /// M34.
    pub m34: Result<M34, String>,
}

/// Runs every story, catching a panic (a `todo!()` in a learner's build)
/// as "not drawn" for that module only.
pub fn course(label: &str) -> Course {
    Course {
        label: label.to_string(),
        m31: guarded(|| m31(incident::story::SEED)),
        m32: guarded(|| Ok(m32(desk::story::STORY_SEED))),
        m33: guarded(|| Ok(m33(release_ops::story::SEED))),
        m34: guarded(|| Ok(m34(capstone::shift::SEED))),
    }
}

fn guarded<T>(f: impl FnOnce() -> Result<T, String> + std::panic::UnwindSafe) -> Result<T, String> {
    match std::panic::catch_unwind(f) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".to_string());
            Err(format!("the run stopped: {msg}"))
        }
    }
}

// ---------------------------------------------------------------- M31

/// One burn-rate tier and when it first fired during the bad hour.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tier {
    /// `page-1h` …
    pub name: String,
    /// Burn threshold.
    pub threshold: f64,
    /// Long window, minutes.
    pub long_min: i64,
    /// Short window, minutes.
    pub short_min: i64,
    /// Pages (true) or tickets.
    pub page: bool,
    /// First minute (from the release) both windows burned above the
    /// threshold; `None` if it never fired.
    pub fired_at: Option<f64>,
}

/// One simulated minute of the M31 story.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Minute {
    /// Minutes from the release (negative: before it).
    pub t: f64,
    /// SLI over the last 5 minutes.
    pub sli_5m: Option<f64>,
    /// SLI over the last hour.
    pub sli_1h: Option<f64>,
    /// Burn over each tier's long window, in tier order.
    pub long_burn: Vec<Option<f64>>,
}

/// The M31 picture's data: the bad hour, minute by minute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct M31 {
    /// The story's seed.
    pub seed: u64,
    /// The SLO target (0.99).
    pub slo: f64,
    /// The policy's tiers.
    pub tiers: Vec<Tier>,
    /// The minutes, from an hour before the release to the resolution.
    pub minutes: Vec<Minute>,
    /// When the page opened the incident (minutes from the release).
    pub paged: f64,
    /// When the rollback landed.
    pub mitigated: f64,
    /// When the 5-minute SLI was back above the SLO.
    pub recovered: Option<f64>,
    /// When the incident was resolved.
    pub resolved: f64,
}

/// Runs the M31 story for `seed` and replays its traffic to get the series
/// the story computes but does not keep.
///
/// The replay draws the same random numbers in the same order as
/// [`incident::story::run`] (one draw a minute, 36–44 failures in 200 while
/// v2 is live, 0–1 after), with the rollback at the moment the story's
/// incident was mitigated. `tests/m31_replay.rs` proves the two agree.
pub fn m31(seed: u64) -> Result<M31, String> {
    let shift = incident::story::run(seed).map_err(|e| e.to_string())?;
    let inc = &shift.incident;
    let t0 = SimClock::course_epoch();
    let mitigated_at = inc
        .mitigated_at()
        .ok_or("the incident was never mitigated")?;
    let resolved_at = inc.resolved_at().ok_or("the incident was never resolved")?;
    let recovered_at = inc
        .timeline()
        .iter()
        .find(|e| e.kind == incident::EntryKind::SliRecovered)
        .map(|e| e.at);

    let slo = Slo::course_default();
    let policy = BurnPolicy::for_slo(&slo);
    let origin = t0 - TimeDelta::days(3);
    let mut sli = WindowedSli::per_minute(origin, &policy.windows()).map_err(|e| e.to_string())?;
    let mut rng = SimRng::seed(seed);
    let rpm = incident::story::RPM;
    let mut minutes = Vec::new();
    let tiers_src = policy.tiers().to_vec();
    let mut tiers: Vec<Tier> = tiers_src
        .iter()
        .map(|t| Tier {
            name: t.name.clone(),
            threshold: t.threshold.to_f64(),
            long_min: t.long.num_minutes(),
            short_min: t.short.num_minutes(),
            page: t.notification == Notification::Page,
            fired_at: None,
        })
        .collect();
    let sample = |now: DateTime<Utc>,
                  sli: &mut WindowedSli,
                  out: &mut Vec<Minute>,
                  tiers: &mut Vec<Tier>|
     -> Result<(), String> {
        let counts = sli.counts_at(now).map_err(|e| e.to_string())?;
        let burns = WindowBurns::from_counts(&slo, &counts);
        let t = minutes_between(t0, now);
        let mut long_burn = Vec::new();
        for (i, tier) in tiers_src.iter().enumerate() {
            let long = burns.get(tier.long);
            long_burn.push(long.map(incident::Rate::to_f64));
            if now >= t0
                && tiers[i].fired_at.is_none()
                && incident::tier_fires(tier.threshold, long, burns.get(tier.short))
            {
                tiers[i].fired_at = Some(t);
            }
        }
        out.push(Minute {
            t,
            sli_5m: counts.get(&TimeDelta::minutes(5)).and_then(Counts::sli),
            sli_1h: counts.get(&TimeDelta::hours(1)).and_then(Counts::sli),
            long_burn,
        });
        Ok(())
    };
    for m in 0..(3 * 24 * 60) {
        let bad = rng.below(2);
        let now = origin + TimeDelta::minutes(m);
        sli.record(now, rpm - bad, bad).map_err(|e| e.to_string())?;
        if now >= t0 - TimeDelta::minutes(60) {
            sample(now, &mut sli, &mut minutes, &mut tiers)?;
        }
    }
    let mut k = 0;
    loop {
        let now = t0 + TimeDelta::minutes(k);
        if now > resolved_at {
            break;
        }
        let bad = if now < mitigated_at {
            36 + rng.below(9)
        } else {
            rng.below(2)
        };
        sli.record(now, rpm - bad, bad).map_err(|e| e.to_string())?;
        sample(now, &mut sli, &mut minutes, &mut tiers)?;
        k += 1;
    }
    Ok(M31 {
        seed,
        slo: slo.target(),
        tiers,
        minutes,
        paged: minutes_between(t0, inc.opened_at()),
        mitigated: minutes_between(t0, mitigated_at),
        recovered: recovered_at.map(|t| minutes_between(t0, t)),
        resolved: minutes_between(t0, resolved_at),
    })
}

// ---------------------------------------------------------------- M32

/// One deduplicated alert: a row of the storm picture.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AlertRow {
    /// `name@service/instance`.
    pub label: String,
    /// The incident it was correlated into (1, 2, …).
    pub incident: Option<usize>,
    /// Muted by inhibition.
    pub muted: bool,
    /// Arrival of each record with this fingerprint, minutes from the deploy.
    pub records: Vec<f64>,
}

/// One correlated incident.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IncidentBox {
    /// 1, 2, …
    pub id: usize,
    /// The probable cause's service.
    pub cause: String,
    /// The deploy the cause follows, if any.
    pub deploy: Option<String>,
    /// Alerts in it (muted too).
    pub alerts: usize,
}

/// The M32 pictures' data: the storm and its reduction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct M32 {
    /// The storm's seed.
    pub seed: u64,
    /// The deploy's id.
    pub deploy: String,
    /// Rows, in the correlation's order (first arrival).
    pub rows: Vec<AlertRow>,
    /// Records received.
    pub received: usize,
    /// Distinct alerts after dedup.
    pub distinct: usize,
    /// Muted by inhibition.
    pub muted: usize,
    /// Incidents.
    pub incidents: Vec<IncidentBox>,
}

/// Runs the M32 storm for `seed` through `desk::correlate` with the
/// configuration the story uses.
pub fn m32(seed: u64) -> M32 {
    let storm = desk::storm::storm(seed);
    let c = desk::correlate(&storm.alerts, &desk::CorrelationConfig::default());
    let incident_of = |fp: desk::Fingerprint| {
        c.incidents
            .iter()
            .find(|i| i.alerts.contains(&fp))
            .map(|i| i.id)
    };
    let rows = c
        .alerts
        .iter()
        .map(|d| {
            let a = &d.alert;
            let instance = a.label("instance");
            let label = if instance.is_empty() {
                format!("{}@{}", a.name(), a.service())
            } else {
                format!("{}@{}/{instance}", a.name(), a.service())
            };
            let muted = c.muted_by(d.fingerprint);
            let incident =
                incident_of(d.fingerprint).or_else(|| muted.and_then(|m| incident_of(m.by)));
            let records = storm
                .alerts
                .iter()
                .filter(|r| r.fingerprint() == d.fingerprint)
                .map(|r| minutes_between(storm.deploy.at, r.starts_at))
                .collect();
            AlertRow {
                label,
                incident,
                muted: muted.is_some(),
                records,
            }
        })
        .collect();
    M32 {
        seed,
        deploy: storm.deploy.id.clone(),
        rows,
        received: c.received,
        distinct: c.alerts.len(),
        muted: c.muted.len(),
        incidents: c
            .incidents
            .iter()
            .map(|i| IncidentBox {
                id: i.id,
                cause: i
                    .cause
                    .as_ref()
                    .map(|c| c.service.clone())
                    .unwrap_or_default(),
                deploy: i.cause.as_ref().and_then(|c| c.deploy.clone()),
                alerts: i.alerts.len(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- M33

/// One stage of a progressive canary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stage {
    /// Candidate's share of traffic, percent.
    pub percent: u32,
    /// Requests the candidate served (0 if the stage never ran).
    pub served: u64,
    /// Errors among them.
    pub errors: u64,
    /// The stage breached the budget (the rollback point).
    pub breached: bool,
    /// The stage ran.
    pub ran: bool,
}

/// A ramp: the stages of one candidate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ramp {
    /// Who the candidate is.
    pub label: String,
    /// Stages in order, including those never reached.
    pub stages: Vec<Stage>,
    /// Requests the candidate served in all.
    pub blast_radius: u64,
    /// Errors users saw from it.
    pub errors_seen: u64,
}

/// One rotation drill.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rotation {
    /// "grace 15 min" / "no grace".
    pub label: String,
    /// Grace window, minutes.
    pub grace: f64,
    /// The steps, minutes from the drill's start, with their log text.
    pub steps: Vec<(f64, String)>,
    /// When the new secret became current.
    pub finished: Option<f64>,
    /// Requests sent, failed, and clients that saw a failure.
    pub requests: u64,
    /// Failed requests.
    pub failed: u64,
    /// Clients hit.
    pub clients_hit: usize,
    /// First and last failure, minutes.
    pub failures: Option<(f64, f64)>,
    /// Where the picture's time axis ends (the drill's horizon).
    pub horizon: f64,
}

/// One sync of the index.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sync {
    /// What was synced.
    pub label: String,
    /// New documents (embedded).
    pub added: u64,
    /// Changed documents (re-embedded).
    pub updated: u64,
    /// Up-to-date documents (no work).
    pub unchanged: u64,
    /// Removed documents.
    pub deleted: u64,
    /// Unchanged documents stored under an older redactor, redacted and
    /// embedded again.
    #[serde(default)]
    pub reredacted: u64,
    /// Embedding calls the index counted.
    pub embedded: u64,
}

/// The M33 pictures' data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct M33 {
    /// The seed (Part A and Part B share it).
    pub seed: u64,
    /// The bad candidate's ramp, then a healthy one's.
    pub ramps: Vec<Ramp>,
    /// The budget, in errors per million.
    pub budget_ppm: u32,
    /// The bad build shipped at 100% at once: errors users would have seen.
    pub big_bang_errors: u64,
    /// Rotation with and without grace.
    pub rotations: Vec<Rotation>,
    /// Syncs of Part A, from its trace.
    pub syncs: Vec<Sync>,
}

fn ramp_of(
    label: &str,
    plan: &release_ops::traffic::RampPlan,
    traffic: &release_ops::traffic::Traffic,
) -> Ramp {
    let report = release_ops::traffic::run_ramp(plan, traffic);
    let mut stages: Vec<Stage> = plan
        .stages
        .iter()
        .map(|s| Stage {
            percent: s.percent,
            served: 0,
            errors: 0,
            breached: false,
            ran: false,
        })
        .collect();
    let (mut served, mut errors) = (0, 0);
    if let Ok(r) = report {
        for s in &r.stages {
            if let Some(slot) = stages.get_mut(s.stage.saturating_sub(1)) {
                *slot = Stage {
                    percent: s.percent,
                    served: s.served,
                    errors: s.errors,
                    breached: s.breached,
                    ran: true,
                };
            }
        }
        served = r.candidate_served;
        errors = r.candidate_errors;
    }
    Ramp {
        label: label.to_string(),
        stages,
        blast_radius: served,
        errors_seen: errors,
    }
}

/// The story's ramp candidates (`release_ops::story::ramp` builds the same
/// two inline; the values are repeated here and a test compares traces).
pub fn ramp_candidates(seed: u64) -> [(String, release_ops::traffic::Traffic); 2] {
    use release_ops::traffic::{CandidateBehaviour, Traffic};
    [
        (
            "v4-rc: 0.2% errors, 3% above 10% of traffic".to_string(),
            Traffic {
                seed,
                candidate: CandidateBehaviour {
                    base_ppm: 2_000,
                    overload_above_percent: Some(10),
                    overload_ppm: 30_000,
                },
            },
        ),
        (
            "a healthy candidate: 0.1% errors".to_string(),
            Traffic {
                seed,
                candidate: CandidateBehaviour::steady(1_000),
            },
        ),
    ]
}

/// Runs M33's ramp, rotation drills and Part A syncs for `seed`.
pub fn m33(seed: u64) -> M33 {
    use release_ops::secrets::{run_drill, RotationDrill};
    use release_ops::traffic::{RampPlan, RampStage};
    let plan = RampPlan::standard(20_000, 5_000);
    let [bad, good] = ramp_candidates(seed);
    let ramps = vec![
        ramp_of(&bad.0, &plan, &bad.1),
        ramp_of(&good.0, &plan, &good.1),
    ];
    let big_bang = RampPlan {
        stages: vec![RampStage {
            percent: 100,
            requests: 20_000,
        }],
        budget_ppm: 5_000,
    };
    let big_bang_errors = release_ops::traffic::run_ramp(&big_bang, &bad.1)
        .map(|r| r.candidate_errors)
        .unwrap_or(0);

    let t0 = SimClock::course_epoch();
    let rotations = [("grace 15 min (= slowest refresh)", 15), ("no grace", 0)]
        .into_iter()
        .map(|(label, grace)| {
            let drill = RotationDrill::course(seed, TimeDelta::minutes(grace));
            let r = run_drill(&drill);
            let finished = r.finished_at.map(|t| minutes_between(t0, t));
            // The drill runs until two slowest intervals after the grace closes.
            let horizon = finished.unwrap_or(0.0)
                + grace as f64
                + 2.0 * drill.slowest_refresh.num_minutes() as f64;
            Rotation {
                label: label.to_string(),
                grace: grace as f64,
                steps: r
                    .log
                    .iter()
                    .map(|(at, s)| (minutes_between(t0, *at), s.clone()))
                    .collect(),
                finished,
                requests: r.requests,
                failed: r.failed,
                clients_hit: r.clients_hit,
                failures: r
                    .first_failure
                    .zip(r.last_failure)
                    .map(|(a, b)| (minutes_between(t0, a), minutes_between(t0, b))),
                horizon,
            }
        })
        .collect();

    M33 {
        seed,
        ramps,
        budget_ppm: plan.budget_ppm,
        big_bang_errors,
        rotations,
        syncs: syncs_from_trace(&index_ops::story::part_a(seed)),
    }
}

/// Reads the sync lines of the Part A trace: `sync all: 7 added, 0 updated,
/// 0 unchanged, 0 deleted · embedded 7`. The story keeps its sync reports
/// only in the trace, so the trace is the source; a line that does not parse
/// is left out (and the M33 test notices the count).
pub fn syncs_from_trace(trace: &Trace) -> Vec<Sync> {
    trace
        .lines()
        .iter()
        .filter(|l| l.actor == "sync")
        .filter_map(|l| {
            let (label, rest) = l.text.split_once(": ")?;
            let num = |word: &str| -> Option<u64> {
                let i = rest.find(&format!(" {word}"))?;
                rest[..i]
                    .rsplit(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok()
            };
            let embedded = rest
                .split_once("embedded ")?
                .1
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some(Sync {
                label: label.to_string(),
                added: num("added")?,
                updated: num("updated")?,
                unchanged: num("unchanged")?,
                deleted: num("deleted")?,
                reredacted: num("re-redacted").unwrap_or(0),
                embedded,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- M34

/// One line of the shift's trace that carries a time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Minutes from the course epoch (the bad deploy).
    pub t: f64,
    /// `m31`, `m32`, `m33`, `gate`.
    pub actor: String,
    /// `intake`, `detect`, `mitigate`, `learn`, `ship`, `verify`.
    pub stage: String,
    /// The rest of the line.
    pub text: String,
}

/// The M34 picture's data: the shift's trace, and the gate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct M34 {
    /// The shift's seed.
    pub seed: u64,
    /// Every trace line, in order; lines without a time of their own take the
    /// time of the line before (the gate runs after the last stage).
    pub events: Vec<Event>,
    /// Assertions that held, of how many.
    pub gate: (usize, usize),
    /// The gate's exit code.
    pub exit: u8,
    /// The shift's own outage, for the report's headline: the bad deploy's id.
    pub deploy: String,
    /// When the page fired (minutes from the bad deploy).
    pub paged: Option<f64>,
    /// When the rollback landed.
    pub mitigated: Option<f64>,
    /// When the incident resolved.
    pub resolved: Option<f64>,
    /// The release live at the end of the shift.
    pub live_at_end: Option<String>,
}

/// Runs the capstone's drill (the clean scenario) for `seed`.
pub fn m34(seed: u64) -> M34 {
    let (shift, gate) = capstone::shift::drill(seed, capstone::Scenario::Clean);
    let t0 = SimClock::course_epoch();
    let mut last = 0.0;
    let events = shift
        .trace
        .lines()
        .iter()
        .map(|l| {
            if let Some(at) = l.at {
                last = minutes_between(t0, at);
            }
            let (stage, text) = l.text.split_once(": ").unwrap_or(("", l.text.as_str()));
            Event {
                t: last,
                actor: l.actor.clone(),
                stage: stage.to_string(),
                text: text.to_string(),
            }
        })
        .collect();
    let held = gate.assertions.iter().filter(|a| a.passed).count();
    let r = &shift.report;
    let inc = r.incident.as_ref();
    M34 {
        seed,
        events,
        gate: (held, gate.assertions.len()),
        exit: gate.exit_code,
        deploy: r.deploy_id.clone(),
        paged: r.page.as_ref().map(|p| minutes_between(t0, p.at)),
        mitigated: inc
            .and_then(|i| i.mitigated_at)
            .map(|t| minutes_between(t0, t)),
        resolved: inc
            .and_then(|i| Some(i.opened_at + i.ttr?))
            .map(|t| minutes_between(t0, t)),
        live_at_end: r.live_at_end.clone(),
    }
}

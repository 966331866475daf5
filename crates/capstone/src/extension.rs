//! The optional challenge: a second kind of incident, the stale index.
//!
//! Nothing was deployed. A policy update rewrote a fifth of the handbook on
//! Sunday, and the nightly sync that keeps the index in step with its
//! sources had silently stopped. From 02:00 the assistant answers every
//! question about a changed page from yesterday's truth: one answer in five
//! is wrong, the same 20× burn as the bad release. M31 pages the same way,
//! but the incident is `stale_index`, and its runbook's first play is not a
//! rollback (the release is fine, and rolling it back would change nothing)
//! but **re-index the changed documents**: M33 Part A's sync re-embeds only
//! the pages whose source changed, the release manager records the new index
//! hash and rotates its cache namespace, and the SLI comes back.
//!
//! The eval check for it ([`crate::stale_index_fixed`]) is written first;
//! [`gate_with_extension`] adds it to the gate as an eighth assertion.

use chrono::{DateTime, Utc};
use incident::window::{hours, minutes};
use incident::{
    EntryKind, Incident, IncidentKind, Notification, PagerEvent, Play, Runbook, Status,
};
use index_ops::Index;
use labkit::{SimClock, SimRng, Trace};
use release_ops::{EvalSet, Registry, ReleaseManager};

use crate::assertion::Gate;
use crate::error::ShiftError;
use crate::ops::{index_hash, knowledge_base, Mitigation, Operations};
use crate::service::{Service, BASELINE_PPM};
use crate::shift_report::{pct, Halt, IncidentOutcome, PageOutcome, ShiftReport, Stage};

/// The seed of the reference extension trace.
pub const SEED: u64 = 35;
/// Handbook pages in the extension's knowledge base.
pub const PAGES: usize = 40;
/// Every this many pages, one changed in the policy update.
pub const CHANGE_EVERY: usize = 5;

const ACK_AFTER: i64 = 4;
const HOLD_GREEN: i64 = 30;
const MAX_MINUTES: i64 = 6 * 60;

/// Every number of the stale-index outage.
#[derive(Debug, Clone, PartialEq)]
pub struct StaleReport {
    /// The seed.
    pub seed: u64,
    /// Pages in the knowledge base.
    pub pages: usize,
    /// Ids of the pages whose source changed, sorted: the ground truth.
    pub changed_docs: Vec<String>,
    /// Pages whose stored copy was stale when the outage began.
    pub stale_before: usize,
    /// Pages still stale at the end.
    pub stale_after: usize,
    /// The SLO target.
    pub slo_target: f64,
    /// SLI over 5 minutes at the page.
    pub sli_before: Option<f64>,
    /// Burn over 5 minutes at the page.
    pub burn: Option<f64>,
    /// The page.
    pub page: Option<PageOutcome>,
    /// The incident.
    pub incident: Option<IncidentOutcome>,
    /// The runbook's first play.
    pub play: Option<Play>,
    /// What it did.
    pub mitigation: Option<Mitigation>,
    /// SLI over 5 minutes when the incident resolved.
    pub sli_after: Option<f64>,
    /// Live release before the outage.
    pub live_before: Option<String>,
    /// Live release at the end.
    pub live_after: Option<String>,
    /// Stages that could not finish.
    pub halted: Vec<Halt>,
}

/// The outage's result.
#[derive(Debug, Clone)]
pub struct StaleShift {
    /// The numbers.
    pub report: StaleReport,
    /// The story.
    pub trace: Trace,
}

/// How many stored pages differ from their source.
pub fn stale_count(index: &Index, sources: &[index_ops::SourceDoc]) -> usize {
    sources
        .iter()
        .filter(|s| {
            index
                .get(&s.id)
                .is_none_or(|d| d.fingerprint != s.fingerprint())
        })
        .count()
}

fn ppm(ops: &Operations) -> u32 {
    let stale = stale_count(&ops.index, &ops.sources) as u64;
    let share = (stale * 1_000_000) / (ops.sources.len().max(1) as u64);
    u32::try_from(share)
        .unwrap_or(u32::MAX)
        .saturating_add(BASELINE_PPM)
}

/// Runs the stale-index outage for `seed`.
pub fn run(seed: u64) -> StaleShift {
    let mut trace = Trace::new(format!(
        "M34 optional: the stale-index outage (seed {seed})"
    ));
    let mut report = StaleReport {
        seed,
        pages: PAGES,
        changed_docs: Vec::new(),
        stale_before: 0,
        stale_after: 0,
        slo_target: 0.99,
        sli_before: None,
        burn: None,
        page: None,
        incident: None,
        play: None,
        mitigation: None,
        sli_after: None,
        live_before: None,
        live_after: None,
        halted: Vec::new(),
    };
    let mut stage = Stage::Detect;
    if let Err(e) = outage(seed, &mut report, &mut trace, &mut stage) {
        trace.note("m31", format!("{stage}: STOPPED: {e}"));
        report.halted.push(Halt {
            stage,
            reason: e.to_string(),
        });
    }
    StaleShift { report, trace }
}

fn outage(
    seed: u64,
    report: &mut StaleReport,
    trace: &mut Trace,
    stage: &mut Stage,
) -> Result<(), ShiftError> {
    let t0 = SimClock::course_epoch();
    let old = knowledge_base(PAGES, 0, 0);
    let index = Index::rebuild("docs_vA", &old, t0 - hours(48))?;
    let hash = index_hash(&index);
    let mut releases = ReleaseManager::new(Registry::course(), EvalSet::generate(seed, 200), &hash)
        .with_clock(SimClock::at(t0));
    releases.install_first("v1")?;
    let sources = knowledge_base(PAGES, 1, CHANGE_EVERY);
    let mut changed: Vec<String> = sources
        .iter()
        .zip(&old)
        .filter(|(a, b)| a.text != b.text)
        .map(|(a, _)| a.id.clone())
        .collect();
    changed.sort();
    report.changed_docs = changed;
    let mut ops = Operations {
        releases,
        index,
        sources,
    };
    report.live_before = ops.releases.live().map(str::to_string);
    report.stale_before = stale_count(&ops.index, &ops.sources);
    trace.at(
        t0,
        "m33",
        format!(
            "night: the policy update changed {} of {} handbook pages; the nightly sync had stopped; index {hash}, live release {}",
            report.changed_docs.len(),
            PAGES,
            report.live_before.as_deref().unwrap_or("none")
        ),
    );

    let mut service = Service::warmed_up(t0, SimRng::seed(seed))?;
    service.measure_impact(true);
    let mut page = None;
    for _ in 0..MAX_MINUTES {
        let (at, event) = service.minute(ppm(&ops))?;
        if let Some(PagerEvent::Fire(a)) | Some(PagerEvent::Escalate(a)) = event {
            if a.notification() == Notification::Page {
                page = Some((at, a));
                break;
            }
        }
    }
    let Some((at, alert)) = page else {
        return Err(ShiftError::NoPage);
    };
    report.slo_target = service.slo().target();
    report.sli_before = service.sli(minutes(5));
    report.burn = service.burn(minutes(5));
    let mut inc = Incident::from_page("INC-9", IncidentKind::StaleIndex, &alert, at)?;
    inc.record(
        t0,
        EntryKind::ImpactStarted,
        "answers began citing outdated pages",
    )?;
    report.page = Some(PageOutcome {
        tier: alert.tier.name.clone(),
        notification: alert.notification(),
        severity: inc.severity(),
        at,
        long_burn: alert.long_burn,
        short_burn: alert.short_burn,
    });
    trace.at(
        at,
        "m31",
        format!(
            "detect: SLI 5m {} ({} pages stale): {alert}",
            report.sli_before.map(pct).unwrap_or_default(),
            report.stale_before
        ),
    );
    trace.at(
        at,
        "m31",
        format!(
            "detect: {} opened at {}, kind {}",
            inc.id(),
            inc.severity(),
            inc.kind()
        ),
    );
    let ack = at + minutes(ACK_AFTER);
    while service.next() <= ack {
        service.minute(ppm(&ops))?;
    }
    inc.transition(Status::Acknowledged, ack, "on-call acknowledged the page")?;

    *stage = Stage::Mitigate;
    let runbook = Runbook::for_kind(inc.kind());
    let step = *runbook
        .first_play()
        .ok_or_else(|| ShiftError::NoSafeMitigation(inc.kind().to_string()))?;
    report.play = Some(step.play);
    trace.at(
        ack,
        "m31",
        format!(
            "mitigate: runbook {}: first play {} — {}",
            runbook.kind(),
            step,
            step.play.describe()
        ),
    );
    let mitigation = crate::execute_play(step.play, &mut ops, ack)?;
    if let Mitigation::Reindex(x) = &mitigation {
        trace.at(
            ack,
            "m33",
            format!(
                "mitigate: sync {} ({} embedding calls; a rebuild would make {})",
                x.sync, x.embedded, PAGES
            ),
        );
        trace.at(
            ack,
            "m33",
            format!(
                "mitigate: release manager answers from {} now; {}",
                x.index_hash, x.cache
            ),
        );
    }
    report.mitigation = Some(mitigation.clone());
    report.stale_after = stale_count(&ops.index, &ops.sources);
    inc.transition(Status::Mitigated, ack, &mitigation.summary())?;
    let target = service.slo().target();
    let mut recovered: Option<DateTime<Utc>> = None;
    for _ in 0..MAX_MINUTES {
        let (at, _) = service.minute(ppm(&ops))?;
        if service.sli(minutes(5)).is_some_and(|s| s >= target) {
            recovered = Some(at);
            break;
        }
    }
    let Some(rec) = recovered else {
        return Err(ShiftError::NotGreen {
            to: ops.releases.live().unwrap_or("?").to_string(),
        });
    };
    inc.record(
        rec,
        EntryKind::SliRecovered,
        "SLI over 5m back within the SLO",
    )?;
    let resolve_at = rec + minutes(HOLD_GREEN);
    while service.next() <= resolve_at {
        service.minute(ppm(&ops))?;
    }
    inc.transition(Status::Resolved, resolve_at, "SLI held for 30 minutes")?;
    report.sli_after = service.sli(minutes(5));
    report.live_after = ops.releases.live().map(str::to_string);
    trace.at(
        resolve_at,
        "m31",
        format!(
            "mitigate: {} resolved; SLI 5m {}, {} pages stale, live release still {}",
            inc.id(),
            report.sli_after.map(pct).unwrap_or_default(),
            report.stale_after,
            report.live_after.as_deref().unwrap_or("none")
        ),
    );
    report.incident = Some(IncidentOutcome::of(&inc));
    Ok(())
}

/// The gate with the optional challenge: the seven assertions of the shift
/// and the stale-index check, with one exit code over all eight.
pub fn gate_with_extension(shift: &ShiftReport, stale: &StaleReport) -> Gate {
    let mut g = crate::shift::gate(shift);
    g.assertions.push(crate::stale_index_fixed(stale));
    g.exit_code = crate::gate_exit_code(&g.assertions);
    g
}

//! The M31 trace: one bad hour, from the first failed answer to the
//! regression case.
//!
//! The service answers 200 questions a minute against a 99% availability
//! SLO over 30 days. Three quiet days of traffic fill the windows; then, at
//! the course epoch (02:00 UTC, `+00:00:00` in the trace), release v2 goes
//! live and one answer in five fails. The story evaluates the SRE Workbook
//! policy every minute, and follows what happens: the page, the incident,
//! the runbook's first play, the recovery, the postmortem, the eval case.
//!
//! Everything runs on simulated time with a seeded RNG, so a seed always
//! gives the same trace; the lab compares the learner's trace with the
//! reference one.

use chrono::{DateTime, TimeDelta, Utc};
use labkit::{SimClock, SimRng, Trace};

use crate::burn::{fmt_burn, Alert, BurnPolicy, Pager, PagerEvent, WindowBurns};
use crate::error::IncidentError;
use crate::exact::Rate;
use crate::incident::{EntryKind, Incident, IncidentKind, Status};
use crate::postmortem::{
    ActionItem, ActionKind, FailingExample, Lessons, Postmortem, PostmortemDraft, RegressionCase,
};
use crate::runbook::{Play, Runbook};
use crate::sli::{Counts, WindowedSli};
use crate::slo::{fmt_percent, Slo};
use crate::window::{days, hours, minutes, span};

/// The seed of the reference trace.
pub const SEED: u64 = 31;

/// Requests per minute.
pub const RPM: u64 = 200;

/// Minutes the on-call takes to acknowledge a page in the story.
const ACK_AFTER: i64 = 4;
/// Minutes the service is watched after recovery before resolving.
const WATCH: i64 = 30;

/// Everything the story produced, for tests and for the capstone to reuse.
#[derive(Debug, Clone)]
pub struct Shift {
    /// The numbered story.
    pub trace: Trace,
    /// The SLO watched.
    pub slo: Slo,
    /// The alert that paged.
    pub page: Alert,
    /// The incident, resolved.
    pub incident: Incident,
    /// The postmortem.
    pub postmortem: Postmortem,
    /// The regression case it produced.
    pub case: RegressionCase,
    /// Pager events after the first (escalations, clears), counted.
    pub notifications: usize,
}

/// The failing example of the story's bad release.
pub fn failing_example() -> FailingExample {
    FailingExample {
        question: "How many days do I have to return an item?".to_string(),
        bad_answer: "90 days".to_string(),
        expected: "30 days".to_string(),
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{}%", fmt_percent((v * 1000.0).round() / 1000.0)))
        .unwrap_or_else(|| "no data".into())
}

fn burn_text(x: Option<f64>) -> String {
    x.map(|b| format!("{}×", fmt_burn(b)))
        .unwrap_or_else(|| "no data".into())
}

/// Runs the story for `seed`: incident `INC-1`, the return-policy question
/// of [`failing_example`].
pub fn run(seed: u64) -> Result<Shift, IncidentError> {
    run_with(seed, "INC-1", failing_example())
}

/// Runs the story for `seed` with the incident called `incident_id` and
/// `example` as the failure users saw, so that a check can tell a regression
/// case made from the postmortem from one written down in advance.
pub fn run_with(
    seed: u64,
    incident_id: &str,
    example: FailingExample,
) -> Result<Shift, IncidentError> {
    let slo = Slo::course_default();
    let policy = BurnPolicy::for_slo(&slo);
    let t0 = SimClock::course_epoch();
    let origin = t0 - days(3);
    let mut sli = WindowedSli::per_minute(origin, &policy.windows())?;
    let mut rng = SimRng::seed(seed);
    let mut trace = Trace::new(format!(
        "M31 incident response — one bad hour (seed {seed})"
    ));

    trace.note(
        "m31",
        format!(
            "SLO: {slo}; error budget {}%",
            fmt_percent(slo.error_budget())
        ),
    );
    for tier in policy.tiers() {
        trace.note(
            "m31",
            format!(
                "tier {tier} (spends {}% of the budget)",
                fmt_percent(
                    tier.budget_share(slo.period())
                        .map(Rate::to_f64)
                        .unwrap_or(f64::NAN)
                )
            ),
        );
    }
    trace.note(
        "m31",
        format!(
            "worked numbers: SLI 80% burns at {}×; 14.4× for 1h spends {}% of the budget",
            fmt_burn(crate::burn_rate(0.20, &slo)),
            fmt_percent(crate::budget_spent(&slo, 14.4, hours(1)))
        ),
    );

    // Three quiet days: about one failed answer in 400.
    let mut warm = Counts::default();
    for m in 0..(3 * 24 * 60) {
        let bad = rng.below(2);
        sli.record(origin + minutes(m), RPM - bad, bad)?;
        warm.add(Counts::new(RPM - bad, bad));
    }
    trace.note(
        "svc",
        format!(
            "3 quiet days before: {} answers, SLI {}",
            warm.valid(),
            pct(warm.sli())
        ),
    );

    let mut pager = Pager::new();
    let mut incident: Option<Incident> = None;
    let mut page: Option<Alert> = None;
    let mut rolled_back_at: Option<DateTime<Utc>> = None;
    let mut recovered_at: Option<DateTime<Utc>> = None;
    let mut notifications = 0usize;
    let mut impact = Counts::default();
    let runbook = Runbook::for_kind(IncidentKind::BadRelease);

    trace.at(
        t0,
        "svc",
        "release v2 goes live to all traffic (no canary stage)",
    );
    for k in 0..(6 * 60) {
        let now = t0 + minutes(k);
        let bad_release_live = rolled_back_at.is_none_or(|t| now < t);
        let bad = if bad_release_live {
            36 + rng.below(9)
        } else {
            rng.below(2)
        };
        sli.record(now, RPM - bad, bad)?;
        if recovered_at.is_none() {
            impact.add(Counts::new(RPM - bad, bad));
        }
        let counts = sli.counts_at(now)?;
        let burns = WindowBurns::from_counts(&slo, &counts);
        let short = counts.get(&minutes(5)).and_then(Counts::sli);
        if k % 15 == 0 && incident.is_none() {
            trace.at(
                now,
                "m31",
                format!(
                    "SLI 5m {}, 1h {}; burn 5m {}, 1h {}",
                    pct(short),
                    pct(counts.get(&hours(1)).and_then(Counts::sli)),
                    burn_text(burns.get_f64(minutes(5))),
                    burn_text(burns.get_f64(hours(1)))
                ),
            );
        }
        let decision = crate::evaluate(&policy, &burns);
        match pager.observe(&decision) {
            Some(PagerEvent::Fire(alert)) | Some(PagerEvent::Escalate(alert)) => {
                notifications += 1;
                trace.at(now, "m31", format!("{alert}"));
                if incident.is_none() {
                    match Incident::from_page(incident_id, IncidentKind::BadRelease, &alert, now) {
                        Ok(mut inc) => {
                            inc.record(
                                t0,
                                EntryKind::ImpactStarted,
                                "release v2 went live; answers began failing",
                            )?;
                            trace.at(
                                now,
                                "m31",
                                format!(
                                    "{} opened at {} ({}), status {}",
                                    inc.id(),
                                    inc.severity(),
                                    inc.severity().meaning(),
                                    inc.status()
                                ),
                            );
                            incident = Some(inc);
                            page = Some(alert);
                        }
                        Err(e) => trace.at(now, "m31", format!("not an incident: {e}")),
                    }
                }
            }
            Some(PagerEvent::Clear) => {
                notifications += 1;
                trace.at(
                    now,
                    "m31",
                    "burn alert cleared: every tier is quiet (the short windows reset it)",
                );
            }
            None => {}
        }
        let Some(inc) = incident.as_mut() else {
            continue;
        };
        let opened = inc.opened_at();
        if inc.status() == Status::Open && now >= opened + minutes(ACK_AFTER) {
            inc.transition(Status::Acknowledged, now, "on-call acknowledged the page")?;
            trace.at(
                now,
                "ops",
                format!("{} acknowledged by the on-call", inc.id()),
            );
            match runbook.first_play() {
                Some(step) => {
                    trace.at(
                        now,
                        "ops",
                        format!(
                            "runbook {}: first play {} — {}",
                            runbook.kind(),
                            step,
                            step.play.describe()
                        ),
                    );
                    rolled_back_at = Some(now + minutes(i64::from(step.minutes)));
                    if step.play != Play::RollbackToLastGood {
                        trace.at(now, "ops", format!("unexpected first play {}", step.play));
                    }
                }
                None => trace.at(now, "ops", "the runbook has no safe mitigation: escalate"),
            }
        }
        if inc.status() == Status::Acknowledged && rolled_back_at.is_some_and(|t| now >= t) {
            inc.transition(
                Status::Mitigated,
                now,
                "rolled back to v1, the last-good release",
            )?;
            trace.at(
                now,
                "svc",
                "rollback to v1 (last good) complete; new answers come from v1",
            );
        }
        if inc.status() == Status::Mitigated && recovered_at.is_none() {
            if let Some(s) = short.filter(|s| *s >= slo.target()) {
                inc.record(
                    now,
                    EntryKind::SliRecovered,
                    &format!("SLI over 5m back to {}", pct(Some(s))),
                )?;
                trace.at(
                    now,
                    "m31",
                    format!(
                        "SLI recovered: 5m {} ≥ {}%",
                        pct(Some(s)),
                        fmt_percent(slo.target())
                    ),
                );
                recovered_at = Some(now);
            }
        }
        if inc.status() == Status::Mitigated
            && recovered_at.is_some_and(|t| now >= t + minutes(WATCH))
        {
            inc.transition(
                Status::Resolved,
                now,
                &format!("SLI held for {WATCH} minutes"),
            )?;
            trace.at(
                now,
                "ops",
                format!("{} resolved after {WATCH} green minutes", inc.id()),
            );
            break;
        }
    }

    let (Some(mut incident), Some(page)) = (incident, page) else {
        trace.note("m31", "no page fired: nothing to respond to");
        return Err(IncidentError::NotResolved {
            incident: incident_id.into(),
            status: Status::Open,
        });
    };
    let fmt_d = |d: Option<TimeDelta>| d.map(span).unwrap_or_else(|| "—".into());
    trace.note(
        "m31",
        format!(
            "{}: from the impact's start, detected in {}, mitigated in {}, outage {}; \
             from the page, TTA {}, TTR {}; incident (declared to resolved) {}; timeline has {} entries",
            incident.id(),
            span(incident.time_to_detect()),
            fmt_d(incident.time_to_mitigate()),
            fmt_d(incident.outage_duration()),
            fmt_d(incident.time_to_acknowledge()),
            fmt_d(incident.time_to_resolve()),
            fmt_d(incident.incident_duration()),
            incident.timeline().len()
        ),
    );
    incident.link_ticket("TCK-7");

    let started = incident.impact_started().unwrap_or(t0);
    let ended = incident.impact_ended().unwrap_or(started);
    // Exactly, the formula of `budget_spent` in `Rate`s: a month exactly on
    // budget must read 1, not a hair above.
    let burned = slo
        .budget_spent_by(&impact, ended - started)
        .unwrap_or_default();
    let draft = draft(&incident, &page, impact.bad(), burned, &example);
    let postmortem = Postmortem::write(&incident, draft)?;
    let imp = postmortem.impact();
    trace.note(
        "m31",
        format!(
            "postmortem: impact {} min, {} answers failed, {}% of the 30-day budget burned",
            imp.duration().num_minutes(),
            imp.requests_affected,
            fmt_percent((imp.budget_burned.to_f64() * 10_000.0).round() / 10_000.0)
        ),
    );
    if let Some(ratio) = impact.error_ratio() {
        let burn = crate::burn_rate(ratio, &slo);
        trace.note(
            "m31",
            format!(
                "budget burned = burn × impact / period: {} failed of {} answers counted until the SLI recovered \
                 is an error ratio of {:.6}; ÷ the {}% budget = burn {:.4}×; × {} min / {} min = {}%",
                impact.bad(),
                impact.valid(),
                ratio,
                fmt_percent(1.0 - slo.target()),
                burn,
                (ended - started).num_minutes(),
                slo.period().num_minutes(),
                fmt_percent((burned.to_f64() * 10_000.0).round() / 10_000.0)
            ),
        );
    }
    for cause in &postmortem.draft().root_causes {
        trace.note("m31", format!("root cause (a system gap): {cause}"));
    }
    let mut kinds: Vec<String> = postmortem
        .draft()
        .action_items
        .iter()
        .map(|a| a.kind.to_string())
        .collect();
    kinds.sort();
    trace.note("m31", format!("action items: {}", kinds.join(", ")));
    let case = postmortem.to_eval_case()?;
    trace.note(
        "m31",
        format!(
            "regression case {}: ask \"{}\", expect \"{}\", never \"{}\" (from {})",
            case.id, case.input, case.expected, case.forbidden, case.origin_incident
        ),
    );
    trace.note(
        "gate",
        format!(
            "the v2 answer passes the case: {}; the v1 answer passes: {}",
            case.passes(&format!(
                "You can return items within {}.",
                example.bad_answer
            )),
            case.passes(&format!(
                "You can return items within {}.",
                example.expected
            ))
        ),
    );
    // The lint (step B4, after class) comes last, so a core-only story
    // reaches the regression case.
    let findings = postmortem.lint();
    trace.note(
        "m31",
        format!(
            "blameless lint on the postmortem: {} findings",
            findings.len()
        ),
    );
    for f in crate::lint_blame("Dana forgot to run the canary, so it was human error.") {
        trace.note("m31", format!("lint on a blaming draft: {f}"));
    }
    Ok(Shift {
        trace,
        slo,
        page,
        incident,
        postmortem,
        case,
        notifications,
    })
}

/// The story's trace for `seed`; an error ends the trace with its message.
pub fn trace(seed: u64) -> Trace {
    match run(seed) {
        Ok(shift) => shift.trace,
        Err(e) => {
            let mut t = Trace::new(format!(
                "M31 incident response — one bad hour (seed {seed})"
            ));
            t.note("m31", format!("the story stopped: {e}"));
            t
        }
    }
}

fn draft(
    incident: &Incident,
    page: &Alert,
    failed: u64,
    burned: Rate,
    example: &FailingExample,
) -> PostmortemDraft {
    let detect_min = (incident.opened_at()
        - incident.impact_started().unwrap_or(incident.opened_at()))
    .num_minutes();
    PostmortemDraft {
        summary: format!(
            "Release v2 answered one question in five wrongly for about an hour. The {} burn-rate tier paged, \
             and rolling back to v1 ended the impact.",
            page.tier.name
        ),
        requests_affected: failed,
        budget_burned: burned,
        root_causes: vec![
            "v2 shipped to all traffic at once: the release path had no canary stage".to_string(),
            "the eval set had no case about the return policy, so the gate passed v2".to_string(),
        ],
        trigger: "Release v2 went live at 02:00 UTC with a prompt change that misread the return policy.".to_string(),
        resolution: "The on-call ran the first play of the bad_release runbook: roll back to v1, the last-good release."
            .to_string(),
        detection: format!(
            "The {} tier (burn above {}× over {} and {}) paged {detect_min} minutes after the release; \
             a user ticket (TCK-7) reported wrong answers at the same time.",
            page.tier.name,
            fmt_burn(page.tier.threshold.to_f64()),
            span(page.tier.long),
            span(page.tier.short)
        ),
        action_items: vec![
            ActionItem::new(ActionKind::Prevent, "Add a canary stage that compares a candidate with live on the eval set", "release-eng", "OPS-101"),
            ActionItem::new(ActionKind::Prevent, "Add the return-policy question to the eval set as a regression case", "eval", "OPS-102"),
            ActionItem::new(ActionKind::Mitigate, "Make rollback a one-command play with a rehearsed target", "sre", "OPS-103"),
            ActionItem::new(ActionKind::Process, "Rehearse the bad_release runbook in the monthly drill", "sre", "OPS-104"),
        ],
        lessons: Lessons {
            went_well: vec![
                "The multiwindow alert paged once, not once a minute".to_string(),
                "Rollback was the first play and took three minutes".to_string(),
            ],
            went_wrong: vec![format!("Detection took {detect_min} minutes at a 20× burn")],
            got_lucky: vec!["The release went out at 02:00, when traffic is low".to_string()],
        },
        failing_example: Some(example.clone()),
    }
}

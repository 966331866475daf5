//! The demo: the same shift, told to a person.
//!
//! The drill is for diffing and posting; the demo is for someone watching a
//! terminal. It walks the stages in order, in sentences, with the numbers
//! that matter (the reduction ratio, the 20× burn, the severity, the ticket's
//! route, the rollback checklist, the SLI before and after, the regression
//! case, the canary), and ends with the gate.

use crate::assertion::Gate;
use crate::ops::Mitigation;
use crate::shift_report::{pct, ShiftReport, Stage};

fn section(out: &mut String, n: usize, stage: Stage, who: &str) {
    out.push_str(&format!("\n{n}. {} ({who})\n", stage.name().to_uppercase()));
}

fn say(out: &mut String, text: impl AsRef<str>) {
    out.push_str("   ");
    out.push_str(text.as_ref());
    out.push('\n');
}

/// The shift as a short narrated story, ending with the gate.
pub fn narrate(r: &ShiftReport, gate: &Gate) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "THE ON-CALL SHIFT (seed {}, scenario {})\n\
         02:00 UTC: release {} goes live to every user, with no canary.\n",
        r.seed, r.scenario, r.bad_release
    ));

    section(&mut o, 1, Stage::Intake, "M32, the desk");
    say(&mut o, format!(
        "{} alert records arrive from every service that feels the deploy; deduplicated and correlated they are {} alerts in {} incidents — {:.1} records per incident.",
        r.alerts_in, r.alerts_distinct, r.incidents_out, r.reduction_ratio
    ));
    if let (Some(inc), Some(cause)) = (&r.deploy_incident, &r.probable_cause) {
        say(
            &mut o,
            format!("{inc} is the deploy's: probable cause {cause}."),
        );
    }
    if let Some(t) = &r.ticket {
        say(
            &mut o,
            format!(
                "A user writes in: ticket {} is {}, {}, routed to {} and {} {}.",
                t.id,
                t.category,
                t.priority_label,
                t.queue,
                if t.linked { "linked to" } else { "opens" },
                t.incident
            ),
        );
    }

    section(&mut o, 2, Stage::Detect, "M31, incident response");
    match (&r.page, r.sli_before, r.burn) {
        (Some(p), Some(sli), Some(burn)) => {
            say(
                &mut o,
                format!(
                    "The SLI is {} against a {} SLO: the error budget burns at {:.0}×.",
                    pct(sli),
                    pct(r.slo_target),
                    burn
                ),
            );
            say(
                &mut o,
                format!(
                    "Both windows of the {} tier agree at {}: one page goes out, {}.",
                    p.tier,
                    labkit::clock::stamp(p.at),
                    p.severity
                ),
            );
        }
        _ => say(&mut o, r.why_missing(Stage::Detect)),
    }

    section(&mut o, 3, Stage::Mitigate, "M31 runbook, M33 release-ops");
    if let Some(play) = r.play {
        say(
            &mut o,
            format!(
                "The runbook's first play: {}. Mitigate before you diagnose.",
                play.describe()
            ),
        );
    }
    match &r.mitigation {
        Some(Mitigation::Rollback(rb)) => {
            say(
                &mut o,
                format!("Rollback {} -> {}, by the checklist:", rb.from, rb.to),
            );
            for (i, s) in rb.steps.iter().enumerate() {
                say(&mut o, format!("  {}. {s}", i + 1));
            }
        }
        Some(m) => say(&mut o, m.summary()),
        None => say(&mut o, r.why_missing(Stage::Mitigate)),
    }
    if let (Some(before), Some(after)) = (r.sli_before, r.sli_after) {
        say(
            &mut o,
            format!("SLI {} before, {} after.", pct(before), pct(after)),
        );
    }
    if let Some(i) = &r.incident {
        say(
            &mut o,
            format!(
                "{} is {} (acknowledged {} min and resolved {} min after the page; mitigated {} min after the impact began).",
                i.id,
                i.status,
                i.tta.map(|d| d.num_minutes()).unwrap_or_default(),
                i.ttr.map(|d| d.num_minutes()).unwrap_or_default(),
                i.ttm.map(|d| d.num_minutes()).unwrap_or_default()
            ),
        );
    }

    section(&mut o, 4, Stage::Learn, "M31 postmortem, the gate");
    match &r.postmortem {
        Some(pm) => {
            say(&mut o, format!(
                "Blameless postmortem: {} minutes of impact, {} bad answers, {} of the month's error budget; {} blaming phrases.",
                pm.impact_minutes,
                pm.requests_affected,
                pct(pm.budget_burned.to_f64()),
                pm.lint_findings
            ));
            for c in &pm.root_causes {
                say(&mut o, format!("Root cause: {c}."));
            }
        }
        None => say(&mut o, r.why_missing(Stage::Learn)),
    }
    match (&r.regression_case, &r.bad_release_canary) {
        (Some(case), Some(c)) => say(
            &mut o,
            format!(
                "The failing question becomes regression case {}; replayed, {} is {}: {}.",
                case.id,
                c.candidate,
                if c.failed_regressions.contains(&case.id) {
                    "caught"
                } else {
                    "NOT caught"
                },
                c.reasons.join("; ")
            ),
        ),
        _ => say(
            &mut o,
            format!("No regression case: {}.", r.why_missing(Stage::Learn)),
        ),
    }

    section(&mut o, 5, Stage::Ship, "M33 release-ops");
    match &r.fix_canary {
        Some(c) => say(
            &mut o,
            format!(
                "The fix {} is canaried against live {}: {} vs {}, decision {}. Live is {}.",
                c.candidate,
                c.live,
                c.candidate_score,
                c.live_score,
                c.decision,
                r.live_at_end.as_deref().unwrap_or("none")
            ),
        ),
        None => say(&mut o, r.why_missing(Stage::Ship)),
    }

    section(&mut o, 6, Stage::Verify, "the gate");
    for line in gate.to_text().lines().skip(1) {
        say(&mut o, line);
    }
    o
}

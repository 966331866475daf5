//! Part B · The eval gate. Guide: `labs/m34/README.md`, Part B.
//!
//! The gate reads the [`ShiftReport`] (in `crates/capstone/src/shift_report.rs`),
//! never the trace. Build each verdict with `Assertion::pass`,
//! `Assertion::fail` or `Assertion::holds` (in `assertion.rs`), and when a
//! stage's fields are empty, say why with `report.why_missing(stage)`.

use desk::Queue;
use incident::{Notification, Severity, Status};
use release_ops::Decision;

use crate::assertion::{Assertion, AssertionId};
use crate::shift::MIN_REDUCTION;
use crate::shift_report::{pct, ShiftReport, Stage};

/// Step B1 · The first three assertions, in this order:
///
/// 1. `StormReduced`: at least [`MIN_REDUCTION`] records per incident
///    (`reduction_ratio`), and some incident names the deploy as its
///    probable cause (`deploy_incident`).
/// 2. `PageSev1`: a page fired (`page`), it is a `Notification::Page`, and
///    it opened at `Severity::Sev1`.
/// 3. `TicketRouted`: the ticket went to `Queue::SreOncall` at priority 1
///    or 2, and it is linked to the incident the page opened
///    (`ticket.incident` is `incident.id`).
///
/// Assertions 1 and 2 are given below; you write the third, and return the
/// three in order.
pub fn assert_intake_and_detect(r: &ShiftReport) -> Vec<Assertion> {
    // Given: assertions 1 and 2.
    let storm = match &r.deploy_incident {
        Some(inc) if r.reduction_ratio >= MIN_REDUCTION => Assertion::pass(
            AssertionId::StormReduced,
            format!(
                "{} records -> {} incidents ({:.1} per incident, at least {MIN_REDUCTION}); the deploy's is {inc}",
                r.alerts_in, r.incidents_out, r.reduction_ratio
            ),
        ),
        Some(_) => Assertion::fail(
            AssertionId::StormReduced,
            format!(
                "{} records -> {} incidents: {:.1} per incident, at least {MIN_REDUCTION} needed",
                r.alerts_in, r.incidents_out, r.reduction_ratio
            ),
        ),
        None => Assertion::fail(
            AssertionId::StormReduced,
            format!("no incident names deploy {} as its probable cause", r.deploy_id),
        ),
    };
    let page = match &r.page {
        Some(p) if p.notification == Notification::Page && p.severity == Severity::Sev1 => {
            Assertion::pass(
                AssertionId::PageSev1,
                format!(
                    "{} paged at {} (burn {:.1}× over its long window)",
                    p.tier, p.severity, p.long_burn
                ),
            )
        }
        Some(p) => Assertion::fail(
            AssertionId::PageSev1,
            format!(
                "{} sent a {} at {}, not a SEV-1 page",
                p.tier, p.notification, p.severity
            ),
        ),
        None => Assertion::fail(AssertionId::PageSev1, r.why_missing(Stage::Detect)),
    };
    let paged = r.incident.as_ref().map(|i| i.id.as_str());
    // BEGIN SOLUTION assert_intake_and_detect: the ticket routed to on-call at priority 1 or 2 and linked to the paged incident; then the three in order
    let ticket = match &r.ticket {
        None => Assertion::fail(AssertionId::TicketRouted, r.why_missing(Stage::Intake)),
        Some(t) if t.queue != Queue::SreOncall || t.priority > 2 => Assertion::fail(
            AssertionId::TicketRouted,
            format!(
                "{} went to {} at {}: an urgent service problem goes to sre-oncall",
                t.id, t.queue, t.priority_label
            ),
        ),
        Some(t) if Some(t.incident.as_str()) != paged => Assertion::fail(
            AssertionId::TicketRouted,
            format!(
                "{} is linked to {}, but the page opened {}: two stories of one problem",
                t.id,
                t.incident,
                paged.unwrap_or("no incident")
            ),
        ),
        Some(t) => Assertion::pass(
            AssertionId::TicketRouted,
            format!(
                "{} {} {} -> {}, linked to {}",
                t.id, t.category, t.priority_label, t.queue, t.incident
            ),
        ),
    };
    vec![storm, page, ticket]
    // END SOLUTION
}

/// Step B2 · The last four assertions, in this order:
///
/// 4. `IncidentResolved`: the incident's status is `Status::Resolved`.
/// 5. `SliRecovered`: `sli_after` is at least `slo_target`.
/// 6. `RegressionCatchesBadRelease`: there is a regression case
///    (`r.regression_case`), the bad release's canary
///    (`r.bad_release_canary`) failed it (its id is in
///    `failed_regressions`), and last-good answers it right
///    (`r.last_good_passes_case == Some(true)`; `None`, never asked, is no
///    proof, so it fails too).
/// 7. `FixPromoted`: the fix's canary decided `Decision::Promote`, and live
///    at the end is that candidate, verified.
///
/// Assertions 4, 5 and 7 are given below; you write the sixth, the proof
/// that the postmortem's case now blocks the bug, and return the four in
/// order.
pub fn assert_recovery(r: &ShiftReport) -> Vec<Assertion> {
    // Given: assertions 4, 5 and 7.
    let resolved = match &r.incident {
        Some(i) if i.status == Status::Resolved => Assertion::pass(
            AssertionId::IncidentResolved,
            format!(
                "{} resolved {} min after it opened",
                i.id,
                i.ttr.map(|d| d.num_minutes()).unwrap_or_default()
            ),
        ),
        Some(i) => Assertion::fail(
            AssertionId::IncidentResolved,
            format!(
                "{} is still {}: {}",
                i.id,
                i.status,
                r.why_missing(Stage::Mitigate)
            ),
        ),
        None => Assertion::fail(AssertionId::IncidentResolved, r.why_missing(Stage::Detect)),
    };
    let sli = match r.sli_after {
        Some(s) => Assertion::holds(
            AssertionId::SliRecovered,
            s >= r.slo_target,
            format!(
                "SLI 5m {} after, {} before, SLO {}",
                pct(s),
                r.sli_before.map(pct).unwrap_or_else(|| "?".into()),
                pct(r.slo_target)
            ),
        ),
        None => Assertion::fail(AssertionId::SliRecovered, r.why_missing(Stage::Mitigate)),
    };
    let fix = match &r.fix_canary {
        Some(c)
            if c.decision == Decision::Promote
                && r.live_at_end.as_deref() == Some(c.candidate.as_str())
                && r.live_verified_at_end =>
        {
            Assertion::pass(
                AssertionId::FixPromoted,
                format!(
                    "{} {} vs live {} {}: promoted, live is {}",
                    c.candidate, c.candidate_score, c.live, c.live_score, c.candidate
                ),
            )
        }
        Some(c) => Assertion::fail(
            AssertionId::FixPromoted,
            format!(
                "{} was not promoted ({}: {}); live stays {}",
                c.candidate,
                c.decision,
                c.reasons.join("; "),
                r.live_at_end.as_deref().unwrap_or("none")
            ),
        ),
        None => Assertion::fail(AssertionId::FixPromoted, r.why_missing(Stage::Ship)),
    };
    // BEGIN SOLUTION assert_recovery: the regression case fails the bad release and passes last-good; then the four in order
    let regression = match (&r.regression_case, &r.bad_release_canary) {
        (Some(case), Some(c)) => {
            let caught = c.failed_regressions.contains(&case.id);
            let good = r.last_good_passes_case == Some(true);
            let why = match (caught, good) {
                (true, true) => format!(
                    "{} fails {} and passes last-good: the gate now blocks this bug",
                    case.id, c.candidate
                ),
                (false, _) => format!(
                    "{} answers {} right: a case the bad release passes proves nothing",
                    c.candidate, case.id
                ),
                (true, false) => format!(
                    "last-good fails {} too: the case blocks every release, not the bug",
                    case.id
                ),
            };
            Assertion::holds(
                AssertionId::RegressionCatchesBadRelease,
                caught && good,
                why,
            )
        }
        _ => Assertion::fail(
            AssertionId::RegressionCatchesBadRelease,
            r.why_missing(Stage::Learn),
        ),
    };
    vec![resolved, sli, regression, fix]
    // END SOLUTION
}

/// Step B3 · The exit code CI reads: 0 when every assertion passed, 1 when
/// any failed. A gate with no assertions proved nothing: 1 as well.
pub fn gate_exit_code(assertions: &[Assertion]) -> u8 {
    // BEGIN SOLUTION gate_exit_code: zero only when there is something to judge and all of it passed
    if !assertions.is_empty() && assertions.iter().all(|a| a.passed) {
        0
    } else {
        1
    }
    // END SOLUTION
}

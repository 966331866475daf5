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
pub fn assert_intake_and_detect(r: &ShiftReport) -> Vec<Assertion> {
    todo!("assert_intake_and_detect: storm reduced (ratio and the deploy's incident), page at SEV-1, ticket routed to on-call and linked to the paged incident")
}

/// Step B2 · The last four assertions, in this order:
///
/// 4. `IncidentResolved`: the incident's status is `Status::Resolved`.
/// 5. `SliRecovered`: `sli_after` is at least `slo_target`.
/// 6. `RegressionCatchesBadRelease`: there is a regression case, the bad
///    release's canary failed it (its id is in `failed_regressions`), and
///    last-good answers it right (`last_good_passes_case`).
/// 7. `FixPromoted`: the fix's canary decided `Decision::Promote`, and live
///    at the end is that candidate, verified.
pub fn assert_recovery(r: &ShiftReport) -> Vec<Assertion> {
    todo!("assert_recovery: resolved, SLI back within the SLO, the case fails the bad release and passes last-good, the fix promoted and live")
}

/// Step B3 · The exit code CI reads: 0 when every assertion passed, 1 when
/// any failed. A gate with no assertions proved nothing: 1 as well.
pub fn gate_exit_code(assertions: &[Assertion]) -> u8 {
    todo!("gate_exit_code: zero only when there is something to judge and all of it passed")
}

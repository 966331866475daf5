//! Part A, steps 1–3 · SLI, burn rate, budget spent. Guide: `labs/m31/README.md`.
//!
//! `Counts` (in `crates/incident/src/sli.rs`) holds good and bad event
//! counts: `good()`, `bad()`, and `valid()` (their sum). `Slo` (in `slo.rs`)
//! gives you `target()` and `period()`.

use chrono::TimeDelta;

use crate::sli::Counts;
use crate::slo::Slo;

/// The SLI of `counts`: good events over valid events, or `None` when there
/// were no valid events (no traffic is "no data", not 0% and not 100%).
/// The crate calls it as `counts.sli()`.
pub fn sli(counts: &Counts) -> Option<f64> {
    // BEGIN SOLUTION sli: good over valid, None when nothing was valid
    let valid = counts.valid();
    if valid == 0 {
        return None;
    }
    Some(counts.good() as f64 / valid as f64)
    // END SOLUTION
}

/// Given: the error ratio of `counts`, bad events over valid events, or
/// `None` with no valid events: [`sli`]'s twin, over the bad events. The
/// crate calls it as `counts.error_ratio()`.
pub fn error_ratio(counts: &Counts) -> Option<f64> {
    let valid = counts.valid();
    if valid == 0 {
        return None;
    }
    Some(counts.bad() as f64 / valid as f64)
}

/// How fast the error budget is being spent: the observed error ratio over
/// the budget `1 − target`. A burn rate of 1 spends exactly the whole budget
/// over the SLO period; an SLI of 80% against a 99% SLO burns at 20.
pub fn burn_rate(error_ratio: f64, slo: &Slo) -> f64 {
    // BEGIN SOLUTION burn_rate: divide the observed error ratio by the error budget (1 − target)
    error_ratio / (1.0 - slo.target())
    // END SOLUTION
}

/// The share of the whole period's error budget that burning at `burn` for
/// `over` spends: 14.4× for one hour of a 30-day SLO spends 0.02 (2%).
/// Compare `over` with `slo.period()` in one fine unit
/// (`TimeDelta::num_milliseconds`): `num_hours` would drop the minutes.
pub fn budget_spent(slo: &Slo, burn: f64, over: TimeDelta) -> f64 {
    // BEGIN SOLUTION budget_spent: burn times the fraction of the SLO period that `over` covers
    let over = over.num_milliseconds() as f64;
    let period = slo.period().num_milliseconds() as f64;
    burn * over / period
    // END SOLUTION
}

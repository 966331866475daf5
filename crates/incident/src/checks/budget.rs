//! Checks of `starters/m31/budget.rs`: the SLI, the burn rate and the budget spent.

use super::slo;
use crate::window::{days, hours};
use crate::Counts;
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

pub(super) fn sli_counts_only_valid_events() -> CheckResult {
    let c = Counts::new(80, 20);
    ensure_eq!(c.sli(), Some(0.8), "SLI of 80 good, 20 bad");
    ensure_eq!(c.error_ratio(), Some(0.2), "error ratio of 80 good, 20 bad");
    ensure_eq!(Counts::new(0, 0).sli(), None, "SLI with no traffic");
    ensure_eq!(
        Counts::new(0, 0).error_ratio(),
        None,
        "error ratio with no traffic"
    );
    ensure_eq!(
        Counts::new(0, 7).sli(),
        Some(0.0),
        "SLI when every event failed"
    );
    ensure_eq!(
        Counts::new(9, 0).error_ratio(),
        Some(0.0),
        "error ratio when every event was good"
    );
    let mut rng = SimRng::seed(3101);
    for _ in 0..300 {
        let good = rng.below(1_000_000);
        let bad = rng.below(50_000);
        let valid = good + bad;
        let c = Counts::new(good, bad);
        if valid == 0 {
            ensure_eq!(c.sli(), None, "SLI with no traffic");
            continue;
        }
        let (want_sli, want_err) = (good as f64 / valid as f64, bad as f64 / valid as f64);
        let (Some(s), Some(e)) = (c.sli(), c.error_ratio()) else {
            return Err(format!("{good} good and {bad} bad events gave no data"));
        };
        ensure!(
            close(s, want_sli),
            "SLI of {good} good, {bad} bad: expected {want_sli}, got {s}"
        );
        ensure!(
            close(e, want_err),
            "error ratio of {good} good, {bad} bad: expected {want_err}, got {e}"
        );
    }
    Ok(())
}

pub(super) fn burn_rate_matches_definition() -> CheckResult {
    let s99 = slo(0.99, days(30))?;
    let got = crate::burn_rate(0.20, &s99);
    ensure!(
        close(got, 20.0),
        "SLI 80% against a 99% SLO should burn at 20×, got {got}"
    );
    let got = crate::burn_rate(0.001, &slo(0.999, days(30))?);
    ensure!(
        close(got, 1.0),
        "0.1% errors against a 99.9% SLO should burn at 1× (to within floating-point rounding: plain division is fine), got {got}"
    );
    ensure_eq!(crate::burn_rate(0.0, &s99), 0.0, "no errors, no burn");
    let mut rng = SimRng::seed(3102);
    for _ in 0..300 {
        let target = 0.5 + rng.unit() * 0.4999;
        let ratio = rng.unit();
        let want = ratio / (1.0 - target);
        let got = crate::burn_rate(ratio, &slo(target, days(30))?);
        ensure!(
            close(got, want),
            "error ratio {ratio} against SLO {target}: expected burn {want}, got {got}"
        );
    }
    Ok(())
}

pub(super) fn budget_spent_is_a_share_of_the_period() -> CheckResult {
    let s30 = slo(0.99, days(30))?;
    let got = crate::budget_spent(&s30, 14.4, hours(1));
    ensure!(
        close(got, 0.02),
        "14.4× for 1h of a 30-day SLO should spend 2% (0.02), got {got}"
    );
    let got = crate::budget_spent(&s30, 6.0, hours(6));
    ensure!(
        close(got, 0.05),
        "6× for 6h of a 30-day SLO should spend 5% (0.05), got {got}"
    );
    let got = crate::budget_spent(&s30, 1.0, days(30));
    ensure!(
        close(got, 1.0),
        "1× for the whole period should spend the whole budget, got {got}"
    );
    let s28 = slo(0.999, days(28))?;
    let got = crate::budget_spent(&s28, 14.4, hours(1));
    ensure!(
        close(got, 14.4 / 672.0),
        "14.4× for 1h of a 28-day SLO should spend 14.4/672, got {got}"
    );
    let mut rng = SimRng::seed(3103);
    for _ in 0..300 {
        let period_days = rng.between(1, 90) as i64;
        let secs = rng.between(1, 10 * 86_400) as i64;
        let burn = rng.unit() * 50.0;
        let want = burn * secs as f64 / (period_days as f64 * 86_400.0);
        let got = crate::budget_spent(
            &slo(0.99, days(period_days))?,
            burn,
            TimeDelta::seconds(secs),
        );
        ensure!(
            close(got, want),
            "burn {burn} for {secs}s of a {period_days}-day SLO: expected {want}, got {got}"
        );
    }
    Ok(())
}

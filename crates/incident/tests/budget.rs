//! Budgets reported exactly: a month exactly on budget has spent exactly
//! all of it (1), one more failure is over (above 1), at every target the
//! course uses. In floating point `1 − 0.9999` is a hair under `1e-4`, and
//! 100 failures in 1,000,000 came out as `1.00000000000011` of the budget:
//! "missed its SLO" for a month that kept it.
#![cfg(feature = "solution")]

use incident::window::days;
use incident::{Counts, Slo};

/// The targets checked, and a count of valid events whose budget is whole.
const TARGETS: [f64; 4] = [0.999, 0.9995, 0.9999, 0.99999];
const VALID: u64 = 1_000_000;

fn on_budget(target: f64) -> u64 {
    // 1e6 × (1 − target), written out so that the test does not share the
    // float trap it is checking for.
    match target {
        0.999 => 1000,
        0.9995 => 500,
        0.9999 => 100,
        0.99999 => 10,
        _ => unreachable!("only the targets above"),
    }
}

#[test]
fn a_month_exactly_on_budget_spent_exactly_all_of_it() {
    for target in TARGETS {
        let slo = Slo::new("availability", target, days(30)).expect("an SLO");
        let bad = on_budget(target);
        let spent = slo
            .budget_spent_by(&Counts::new(VALID - bad, bad), days(30))
            .expect("traffic");
        assert!(spent == 1.0, "at {target}: {bad} of {VALID} spent {spent}");
        let over = slo
            .budget_spent_by(&Counts::new(VALID - bad - 1, bad + 1), days(30))
            .expect("traffic");
        assert!(over > 1.0, "at {target}: one more failure spent {over}");
    }
}

#[test]
fn allowed_failures_are_exact_counts() {
    for target in TARGETS {
        let slo = Slo::new("availability", target, days(30)).expect("an SLO");
        let allowed = slo.allowed_failures(VALID);
        assert!(
            allowed == on_budget(target) as f64,
            "at {target}: {allowed}"
        );
    }
}

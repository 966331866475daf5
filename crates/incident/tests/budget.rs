//! Budgets reported exactly: a month exactly on budget has spent exactly
//! all of it (1), one more failure is over (above 1), at every target the
//! course uses. In floating point `1 − 0.9999` is a hair under `1e-4`, and
//! 100 failures in 1,000,000 came out as `1.00000000000011` of the budget:
//! "missed its SLO" for a month that kept it.

use incident::burn::BurnPolicy;
use incident::window::days;
use incident::window::hours;
use incident::{Counts, Rate, Slo};

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
        assert_eq!(spent, Rate::one(), "at {target}: {bad} of {VALID}");
        assert!(spent.to_f64() == 1.0, "and reports exactly 1.0");
        let over = slo
            .budget_spent_by(&Counts::new(VALID - bad - 1, bad + 1), days(30))
            .expect("traffic");
        assert!(
            over > Rate::one(),
            "at {target}: one more failure spent {over}"
        );
        // Half the month at the same counts spends exactly half.
        let half = slo
            .budget_spent_by(&Counts::new(VALID - bad, bad), days(15))
            .expect("traffic");
        assert_eq!(half, Rate::new(1, 2).expect("a rate"), "at {target}");
    }
}

#[test]
fn allowed_failures_are_exact_counts() {
    for target in TARGETS {
        let slo = Slo::new("availability", target, days(30)).expect("an SLO");
        let allowed = slo.allowed_failures(VALID);
        assert_eq!(allowed, Rate::whole(on_budget(target)), "at {target}");
        // Not every budget is a whole number of failures: 1,000 events at
        // 99.95% allow half a failure, so one failure is over budget.
        let slo = Slo::new("availability", 0.9995, days(30)).expect("an SLO");
        assert_eq!(slo.allowed_failures(1000), Rate::new(1, 2).expect("1/2"));
    }
}

#[test]
fn tier_budget_shares_are_exact() {
    let slo = Slo::new("availability", 0.9999, days(30)).expect("an SLO");
    let shares: Vec<Option<Rate>> = BurnPolicy::for_slo(&slo)
        .tiers()
        .iter()
        .map(|t| t.budget_share(slo.period()))
        .collect();
    let want = [(1, 50), (1, 20), (1, 10), (1, 10)].map(|(n, d)| Rate::new(n, d));
    assert_eq!(shares, want);
    // The 28-day policy keeps the same shares of its own period.
    let slo28 = Slo::new("availability", 0.999, days(28)).expect("an SLO");
    let p28 = BurnPolicy::for_slo(&slo28);
    assert_eq!(p28.tiers()[0].budget_share(days(28)), Rate::new(1, 50));
    assert_eq!(p28.tiers()[0].budget_share(hours(0)), None);
}

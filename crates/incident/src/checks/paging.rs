//! Checks of `starters/m31/paging.rs`: when a burn tier fires, and what a policy sends.

use super::{random_policy, rate};
use crate::burn::{BurnDecision, BurnPolicy, BurnTier, Notification, WindowBurns};
use crate::exact::Rate;
use crate::window::{days, hours, minutes, span};
use crate::{Counts, Slo};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

pub(super) fn tier_fires_at_the_boundaries() -> CheckResult {
    use crate::tier_fires;
    let t = rate(14.4).ok_or("14.4 is a rate")?;
    let cases: &[(Option<f64>, Option<f64>, bool, &str)] = &[
        (Some(20.0), Some(20.0), true, "both windows above"),
        (
            Some(14.4),
            Some(20.0),
            false,
            "long window exactly at the threshold",
        ),
        (
            Some(20.0),
            Some(14.4),
            false,
            "short window exactly at the threshold",
        ),
        (Some(14.41), Some(14.41), true, "both just above"),
        (Some(14.39), Some(30.0), false, "long window just below"),
        (
            Some(30.0),
            Some(14.39),
            false,
            "short window just below (the problem stopped)",
        ),
        (None, Some(30.0), false, "long window without data"),
        (Some(30.0), None, false, "short window without data"),
        (None, None, false, "no data at all"),
    ];
    for (long, short, want, what) in cases {
        ensure_eq!(
            tier_fires(t, long.and_then(rate), short.and_then(rate)),
            *want,
            "threshold 14.4, {what} (long {long:?}, short {short:?})"
        );
    }
    // One bad request in 10,000 against a 99.99% SLO burns at exactly 1.
    let slo = Slo::new("availability", 0.9999, days(30)).map_err(|e| e.to_string())?;
    let one = crate::burn::exact_burn(&slo, Counts::new(9_999, 1));
    ensure!(
        !tier_fires(Rate::one(), one, one),
        "99.99% SLO, 1 bad in 10,000 in both windows: a burn of exactly 1 is not above 1"
    );
    let mut rng = SimRng::seed(3104);
    for _ in 0..500 {
        // Hundredths, so that the oracle can compare by cross-multiplying.
        let th = 50 + u128::from(rng.below(2000));
        let threshold = Rate::new(th, 100).ok_or("a rate")?;
        let draw = |rng: &mut SimRng| match rng.below(5) {
            0 => None,
            1 => Some(th * 7),
            _ => Some(u128::from(rng.below(2 * th as u64 * 7))),
        };
        // Burns in 700ths: n/700 vs th/100 ⇔ 100·n vs 700·th.
        let (long, short) = (draw(&mut rng), draw(&mut rng));
        let above = |n: u128| 100 * n > 700 * th;
        let want = matches!((long, short), (Some(l), Some(s)) if above(l) && above(s));
        let as_rate = |n: Option<u128>| n.and_then(|n| Rate::new(n, 700));
        ensure_eq!(
            tier_fires(threshold, as_rate(long), as_rate(short)),
            want,
            "threshold {threshold}, long {:?}, short {:?}",
            as_rate(long).map(|r| r.to_f64()),
            as_rate(short).map(|r| r.to_f64())
        );
    }
    Ok(())
}

/// What the check expects of an evaluation: the variant, and for a
/// notification the tier name and the other firing tiers.
#[derive(Debug, PartialEq)]
enum Expect {
    Notify { tier: String, also: Vec<String> },
    Quiet,
    NoData,
}

fn expect_of(policy: &BurnPolicy, burns: &WindowBurns) -> Expect {
    let tiers = policy.tiers();
    let fires = |t: &BurnTier| match (burns.get(t.long), burns.get(t.short)) {
        (Some(l), Some(s)) => l > t.threshold && s > t.threshold,
        _ => false,
    };
    let firing: Vec<&BurnTier> = tiers.iter().filter(|t| fires(t)).collect();
    let judged = tiers
        .iter()
        .any(|t| burns.get(t.long).is_some() && burns.get(t.short).is_some());
    let chosen = firing
        .iter()
        .find(|t| t.notification == Notification::Page)
        .or(firing.first());
    match chosen {
        Some(c) => Expect::Notify {
            tier: c.name.clone(),
            also: firing
                .iter()
                .filter(|t| t.name != c.name)
                .map(|t| t.name.clone())
                .collect(),
        },
        None if judged => Expect::Quiet,
        None => Expect::NoData,
    }
}

fn observed(v: &BurnDecision) -> Expect {
    match v {
        BurnDecision::Notify(a) => Expect::Notify {
            tier: a.tier.name.clone(),
            also: a.also_firing.clone(),
        },
        BurnDecision::Quiet => Expect::Quiet,
        BurnDecision::NoData => Expect::NoData,
    }
}

fn show(burns: &WindowBurns) -> String {
    let parts: Vec<String> = burns
        .iter()
        .map(|(w, b)| {
            format!(
                "{}: {}",
                span(w),
                b.map(|b| format!("{:.3}", b.to_f64()))
                    .unwrap_or("no data".into())
            )
        })
        .collect();
    parts.join(", ")
}

pub(super) fn evaluate_sends_one_notification() -> CheckResult {
    let policy = BurnPolicy::sre_workbook();
    let all = |b: Option<f64>| {
        policy
            .windows()
            .into_iter()
            .fold(WindowBurns::new(), |w, win| w.with(win, b))
    };
    // SLI 80% everywhere: every tier fires, one page goes out.
    let v = crate::evaluate(&policy, &all(Some(20.0)));
    ensure_eq!(
        observed(&v),
        Expect::Notify {
            tier: "page-1h".into(),
            also: vec!["page-6h".into(), "ticket-1d".into(), "ticket-3d".into()]
        },
        "a 20× burn in every window"
    );
    ensure_eq!(
        observed(&crate::evaluate(&policy, &all(None))),
        Expect::NoData,
        "no traffic in any window"
    );
    ensure_eq!(
        observed(&crate::evaluate(&policy, &all(Some(0.0)))),
        Expect::Quiet,
        "no errors in any window"
    );
    let slow_leak = all(Some(0.5))
        .with(days(1), Some(4.0))
        .with(hours(2), Some(4.0));
    ensure_eq!(
        observed(&crate::evaluate(&policy, &slow_leak)),
        Expect::Notify {
            tier: "ticket-1d".into(),
            also: vec![]
        },
        "burn 4 over 1d and 2h, 0.5 elsewhere"
    );
    let tickets_first = BurnPolicy::new(
        days(30),
        vec![
            BurnTier::new("leak", days(1), hours(2), 1.0, Notification::Ticket),
            BurnTier::new("fast", hours(1), minutes(5), 10.0, Notification::Page),
        ],
    )
    .map_err(|e| e.to_string())?;
    let burns = WindowBurns::new()
        .with(days(1), Some(12.0))
        .with(hours(2), Some(12.0))
        .with(hours(1), Some(12.0))
        .with(minutes(5), Some(12.0));
    ensure_eq!(
        observed(&crate::evaluate(&tickets_first, &burns)),
        Expect::Notify {
            tier: "fast".into(),
            also: vec!["leak".into()]
        },
        "a ticket tier listed before a page tier, both firing"
    );
    let mut rng = SimRng::seed(3105);
    for round in 0..400 {
        let policy = if round % 4 == 0 {
            BurnPolicy::sre_workbook()
        } else {
            random_policy(&mut rng)?
        };
        let mut burns = WindowBurns::new();
        for w in policy.windows() {
            let b = match rng.below(6) {
                0 => None,
                1 => policy
                    .tiers()
                    .iter()
                    .find(|t| t.long == w || t.short == w)
                    .map(|t| t.threshold),
                _ => Rate::from_f64(rng.unit() * 25.0),
            };
            burns.set_exact(w, b);
        }
        let want = expect_of(&policy, &burns);
        let got = crate::evaluate(&policy, &burns);
        ensure_eq!(
            observed(&got),
            want,
            "policy {:?}\n  burns {}",
            policy
                .tiers()
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>(),
            show(&burns)
        );
        if let BurnDecision::Notify(a) = &got {
            ensure!(
                a.long_burn >= a.tier.threshold.to_f64()
                    && a.short_burn >= a.tier.threshold.to_f64(),
                "the alert's tier {} does not exceed its threshold: {a}",
                a.tier.name
            );
        }
    }
    Ok(())
}

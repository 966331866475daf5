//! The burn-rate policy's decisions: below, at and above every tier
//! boundary, with missing data, with several tiers firing, and scaled to a
//! 28-day period.
#![cfg(feature = "solution")]

use incident::burn::{BurnDecision, BurnPolicy, BurnTier, Notification, WindowBurns};
use incident::window::{days, hours, minutes};
use incident::{budget_spent, burn_rate, evaluate, tier_fires, Counts, Rate, Slo};

fn workbook() -> BurnPolicy {
    BurnPolicy::sre_workbook()
}

/// Burns where every window is `base`, except the two windows of `tier`.
fn burns_for(
    policy: &BurnPolicy,
    base: Option<f64>,
    tier: &BurnTier,
    long: Option<Rate>,
    short: Option<Rate>,
) -> WindowBurns {
    let mut b = WindowBurns::new();
    for w in policy.windows() {
        b.set(w, base);
    }
    b.set_exact(tier.long, long);
    b.set_exact(tier.short, short);
    b
}

fn r(x: f64) -> Rate {
    Rate::from_f64(x).expect("a rate")
}

fn fired(v: &BurnDecision) -> Option<(String, Notification)> {
    v.alert().map(|a| (a.tier.name.clone(), a.notification()))
}

#[test]
fn the_default_tiers_are_the_workbook_ones() {
    let p = workbook();
    let got: Vec<(String, i64, i64, f64, Notification)> = p
        .tiers()
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.long.num_minutes(),
                t.short.num_minutes(),
                t.threshold.to_f64(),
                t.notification,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("page-1h".to_string(), 60, 5, 14.4, Notification::Page),
            ("page-6h".to_string(), 360, 30, 6.0, Notification::Page),
            (
                "ticket-1d".to_string(),
                1440,
                120,
                3.0,
                Notification::Ticket
            ),
            (
                "ticket-3d".to_string(),
                4320,
                360,
                1.0,
                Notification::Ticket
            ),
        ]
    );
    // Budget shares: 2% in an hour, 5% in six hours, 10% in a day and in three.
    let shares: Vec<Option<Rate>> = p.tiers().iter().map(|t| t.budget_share(days(30))).collect();
    let want = [(1, 50), (1, 20), (1, 10), (1, 10)].map(|(n, d)| Rate::new(n, d));
    assert_eq!(shares, want);
    // The short window is 1/12 of the long one.
    for t in p.tiers() {
        assert_eq!(
            t.long.num_seconds(),
            12 * t.short.num_seconds(),
            "{}",
            t.name
        );
    }
    assert_eq!(
        p.windows(),
        vec![
            minutes(5),
            minutes(30),
            hours(1),
            hours(2),
            hours(6),
            days(1),
            days(3)
        ]
    );
}

#[test]
fn every_tier_below_at_and_above_its_boundary() {
    let p = workbook();
    for tier in p.tiers() {
        let t = tier.threshold;
        let below = t.checked_mul(r(0.999)).expect("small");
        let above = t.checked_mul(r(1.001)).expect("small");
        let cases = [
            (Some(below), Some(below), false, "both below"),
            (Some(t), Some(t), false, "both exactly at"),
            (Some(t), Some(above), false, "long at, short above"),
            (Some(above), Some(t), false, "long above, short at"),
            (Some(above), Some(below), false, "long above, short below"),
            (Some(below), Some(above), false, "long below, short above"),
            (Some(above), Some(above), true, "both above"),
            (None, Some(above), false, "long missing"),
            (Some(above), None, false, "short missing"),
        ];
        for (long, short, fires, what) in cases {
            assert_eq!(tier_fires(t, long, short), fires, "{}: {what}", tier.name);
            // The same through the whole policy, with every other window quiet.
            let v = evaluate(&p, &burns_for(&p, Some(0.0), tier, long, short));
            let want = fires.then(|| (tier.name.clone(), tier.notification));
            assert_eq!(fired(&v), want, "{}: {what}", tier.name);
            if !fires {
                assert_eq!(v, BurnDecision::Quiet, "{}: {what}", tier.name);
            }
        }
    }
}

#[test]
fn missing_data_is_never_a_page() {
    let p = workbook();
    let none = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, None));
    assert_eq!(evaluate(&p, &none), BurnDecision::NoData);
    assert_eq!(
        evaluate(&p, &WindowBurns::new()),
        BurnDecision::NoData,
        "unmeasured windows are no data too"
    );
    // NaN (what 0/0 would give) is stored as no data.
    let nan = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(f64::NAN)));
    assert_eq!(evaluate(&p, &nan), BurnDecision::NoData);
    // Only 1h, 1d and 3d have data (6h is also the 3d tier's short window):
    // no tier has both of its windows, so nothing can be judged.
    let longs = [hours(1), days(1), days(3)]
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(100.0)));
    assert_eq!(evaluate(&p, &longs), BurnDecision::NoData);
    // One tier judged and quiet, the rest without data: quiet.
    let t = &p.tiers()[3];
    let one = WindowBurns::new()
        .with(t.long, Some(0.5))
        .with(t.short, Some(0.5));
    assert_eq!(evaluate(&p, &one), BurnDecision::Quiet);
    // A fast burn with no data in the 5m window pages through the 6h tier only.
    let gap = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(20.0)))
        .with(minutes(5), None);
    assert_eq!(
        fired(&evaluate(&p, &gap)),
        Some(("page-6h".to_string(), Notification::Page))
    );
}

#[test]
fn several_tiers_firing_make_one_notification() {
    let p = workbook();
    let all = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(20.0)));
    let BurnDecision::Notify(a) = evaluate(&p, &all) else {
        panic!("a 20x burn must notify")
    };
    assert_eq!(a.tier.name, "page-1h");
    assert_eq!(a.also_firing, vec!["page-6h", "ticket-1d", "ticket-3d"]);
    // Two tickets firing: the first one, as a ticket.
    let leak = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(4.0)));
    let BurnDecision::Notify(a) = evaluate(&p, &leak) else {
        panic!("a 4x burn must ticket")
    };
    assert_eq!(
        (a.tier.name.as_str(), a.notification()),
        ("ticket-1d", Notification::Ticket)
    );
    assert_eq!(a.also_firing, vec!["ticket-3d"]);
    // Burn 10: the 6h page and both tickets fire, the 1h page does not.
    let ten = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(10.0)));
    let BurnDecision::Notify(a) = evaluate(&p, &ten) else {
        panic!("a 10x burn must page")
    };
    assert_eq!((a.tier.name.as_str(), a.rank), ("page-6h", 1));
}

#[test]
fn the_worked_numbers() {
    let slo = Slo::course_default();
    assert!(
        (burn_rate(0.20, &slo) - 20.0).abs() < 1e-9,
        "SLI 80% vs SLO 99% is a 20x burn"
    );
    assert!(
        (budget_spent(&slo, 14.4, hours(1)) - 0.02).abs() < 1e-12,
        "14.4x for 1h spends 2%"
    );
    assert!(
        (budget_spent(&slo, 1.0, days(30)) - 1.0).abs() < 1e-12,
        "1x for the period spends it all"
    );
    // At a 20x burn a 30-day budget lasts 1.5 days.
    assert!((budget_spent(&slo, 20.0, hours(36)) - 1.0).abs() < 1e-12);
}

#[test]
fn a_28_day_period_scales_every_threshold() {
    let slo = Slo::new("availability", 0.999, days(28)).unwrap();
    let p = BurnPolicy::for_slo(&slo);
    assert_eq!(p.period(), days(28));
    let want = [
        14.4 * 28.0 / 30.0,
        6.0 * 28.0 / 30.0,
        3.0 * 28.0 / 30.0,
        28.0 / 30.0,
    ];
    for (t, w) in p.tiers().iter().zip(want) {
        assert!(
            (t.threshold.to_f64() - w).abs() < 1e-9,
            "{}: {} vs {w}",
            t.name,
            t.threshold
        );
    }
    // The budget shares stay the same.
    for (a, b) in p.tiers().iter().zip(workbook().tiers()) {
        assert!(
            a.budget_share(days(28)) == b.budget_share(days(30)),
            "{}",
            a.name
        );
        assert_eq!((a.long, a.short), (b.long, b.short));
    }
    // 14 sits between the 28-day threshold (13.44) and the 30-day one (14.4).
    let b = p
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |b, w| b.with(w, Some(0.0)));
    let b = b.with(hours(1), Some(14.0)).with(minutes(5), Some(14.0));
    assert_eq!(
        fired(&evaluate(&p, &b)),
        Some(("page-1h".to_string(), Notification::Page))
    );
    assert_eq!(evaluate(&workbook(), &b), BurnDecision::Quiet);
    // Scaling back gives the original thresholds.
    let back = p.scaled_to(days(30));
    for (a, b) in back.tiers().iter().zip(workbook().tiers()) {
        assert_eq!(a.threshold, b.threshold, "scaling is exact both ways");
    }
    // Exactly: 14.4 × 28/30 = 13.44, and 1 × 28/30 = 14/15.
    assert_eq!(p.tiers()[0].threshold, r(13.44));
    assert_eq!(p.tiers()[3].threshold, Rate::new(14, 15).expect("a rate"));
}

#[test]
fn a_burn_exactly_at_the_threshold_does_not_fire_at_any_target() {
    // The trap: in floating point 1 − 0.9999 is a little under 1e-4, so one
    // bad request in 10,000 would burn at 1.0000000000001101 and page.
    let target = std::hint::black_box(0.9999);
    assert!(
        1.0 / 10_000.0 / (1.0 - target) > 1.0,
        "the float trap is real"
    );
    let p = workbook();
    // (target, 1 / budget)
    for (target, inverse_budget) in [
        (0.99, 100u64),
        (0.999, 1000),
        (0.9999, 10_000),
        (0.99999, 100_000),
    ] {
        let slo = Slo::new("a", target, days(30)).unwrap();
        for tier in p.tiers() {
            // bad / valid = threshold × budget exactly: with threshold tn/td,
            // valid = td / budget and bad = tn.
            let (tn, td) = tier.threshold.parts();
            let (bad, valid) = (tn as u64, td as u64 * inverse_budget);
            let counts = Counts::new(valid - bad, bad);
            let burn = incident::burn::exact_burn(&slo, counts).unwrap();
            assert_eq!(
                burn, tier.threshold,
                "{target}: {} at {bad}/{valid}",
                tier.name
            );
            let b = burns_for(&p, Some(0.0), tier, Some(burn), Some(burn));
            assert_eq!(
                evaluate(&p, &b),
                BurnDecision::Quiet,
                "{target}: {}",
                tier.name
            );
            let one_more = incident::burn::exact_burn(&slo, Counts::new(valid - bad - 1, bad + 1));
            let b = burns_for(&p, Some(0.0), tier, one_more, one_more);
            assert_eq!(
                fired(&evaluate(&p, &b)).map(|f| f.0),
                Some(tier.name.clone())
            );
        }
    }
}

#[test]
fn malformed_policies_and_slos_are_refused() {
    assert!(BurnPolicy::new(days(30), vec![]).is_err());
    let bad_windows = BurnTier::new("x", minutes(5), hours(1), 2.0, Notification::Page);
    assert!(BurnPolicy::new(days(30), vec![bad_windows]).is_err());
    let bad_threshold = BurnTier::new("x", hours(1), minutes(5), f64::NAN, Notification::Page);
    assert!(BurnPolicy::new(days(30), vec![bad_threshold]).is_err());
    assert!(BurnPolicy::new(days(0), workbook().tiers().to_vec()).is_err());
    for target in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        let e = Slo::new("a", target, days(30)).unwrap_err();
        assert!(e.to_string().contains("strictly between 0 and 1"), "{e}");
    }
    assert!(Slo::new("a", 0.99, days(0)).is_err());
    assert!(Slo::new("a", 0.99, days(30)).is_ok());
}

#[test]
fn the_pager_sends_one_notification_per_problem() {
    use incident::{Pager, PagerEvent};
    let p = workbook();
    let all = |x: f64| {
        p.windows()
            .into_iter()
            .fold(WindowBurns::new(), |b, w| b.with(w, Some(x)))
    };
    let mut pager = Pager::new();
    assert_eq!(pager.observe(&evaluate(&p, &all(0.1))), None);
    assert!(
        matches!(pager.observe(&evaluate(&p, &all(4.0))), Some(PagerEvent::Fire(a)) if a.notification() == Notification::Ticket)
    );
    assert_eq!(
        pager.observe(&evaluate(&p, &all(4.0))),
        None,
        "same problem, no new ticket"
    );
    assert!(
        matches!(pager.observe(&evaluate(&p, &all(20.0))), Some(PagerEvent::Escalate(a)) if a.tier.name == "page-1h")
    );
    for _ in 0..60 {
        assert_eq!(
            pager.observe(&evaluate(&p, &all(20.0))),
            None,
            "a page an hour long is one page"
        );
    }
    assert_eq!(
        pager.observe(&BurnDecision::NoData),
        None,
        "a gap neither opens nor closes"
    );
    assert_eq!(pager.open(), Some(Notification::Page));
    assert_eq!(
        pager.observe(&evaluate(&p, &all(0.1))),
        Some(PagerEvent::Clear)
    );
    assert_eq!(pager.open(), None);
}

#[test]
fn a_steady_80_percent_sli_pages_at_sev1_through_the_fastest_tier() {
    let slo = Slo::course_default();
    let p = BurnPolicy::for_slo(&slo);
    let burn = burn_rate(0.20, &slo);
    let b = WindowBurns::steady(&p, Some(burn));
    assert_eq!(p.windows().len(), b.iter().count());
    let BurnDecision::Notify(a) = evaluate(&p, &b) else {
        panic!("a steady 20x burn must page")
    };
    assert_eq!((a.tier.name.as_str(), a.rank), ("page-1h", 0));
    assert_eq!(incident::severity_for(&a), incident::Severity::Sev1);
    assert_eq!(
        evaluate(&p, &WindowBurns::steady(&p, None)),
        BurnDecision::NoData
    );
}

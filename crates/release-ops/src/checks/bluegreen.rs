//! Checks of `starters/m33/release/bluegreen.rs`: the cut-over and its bake.

use crate::slots::{BakeStatus, BlueGreen, Color};
use crate::ReleaseError;
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

pub(super) fn cut_over_flips_to_a_healthy_slot() -> CheckResult {
    let mut rng = SimRng::seed(0xb5);
    for _ in 0..20 {
        let mut clock = SimClock::new();
        clock.advance(TimeDelta::seconds(rng.below(100_000) as i64));
        let period = TimeDelta::minutes(rng.between(1, 30) as i64);
        let (a, b) = (
            format!("v{}", rng.between(1, 50)),
            format!("v{}", rng.between(51, 99)),
        );
        let mut bg = BlueGreen::new(&a, period);
        let before = bg.clone();
        ensure_eq!(
            bg.cut_over(clock.now()).map(|_| ()),
            Err(ReleaseError::IdleSlotEmpty {
                slot: "green".into()
            }),
            "cut-over with nothing staged"
        );
        ensure_eq!(bg, before, "a refused cut-over changes nothing");
        bg.stage_idle(&b, false);
        let before = bg.clone();
        ensure_eq!(
            bg.cut_over(clock.now()).map(|_| ()),
            Err(ReleaseError::IdleUnhealthy {
                slot: "green".into(),
                release: b.clone()
            }),
            "cut-over to an unhealthy slot"
        );
        ensure_eq!(bg, before, "a refused cut-over changes nothing");
        bg.stage_idle(&b, true);
        let cut = bg
            .cut_over(clock.now())
            .map_err(|e| format!("cut-over to a healthy slot failed: {e}"))?;
        ensure_eq!(
            (cut.from, cut.to, cut.release.as_str()),
            (Color::Blue, Color::Green, b.as_str()),
            "the cut-over (from, to, release)"
        );
        ensure_eq!(
            cut.bake_until,
            clock.now() + period,
            "the bake ends one bake period after the flip"
        );
        ensure_eq!(
            (bg.live(), bg.live_release(), bg.flips()),
            (Color::Green, Some(b.as_str()), 1),
            "after one flip, users are on the new slot (live slot, live release, flips)"
        );
        let bake = bg.baking().ok_or("a cut-over starts a bake")?;
        ensure_eq!(
            (bake.previous, bake.started, bake.until),
            (Color::Blue, clock.now(), clock.now() + period),
            "the bake (previous slot, started, until)"
        );
        ensure_eq!(
            bg.slot(Color::Blue).release.as_deref(),
            Some(a.as_str()),
            "the old slot stays as it was, ready for a flip-back"
        );
        let before = bg.clone();
        clock.advance(TimeDelta::seconds(1));
        ensure_eq!(
            bg.cut_over(clock.now()).map(|_| ()),
            Err(ReleaseError::BakeInProgress),
            "a second cut-over while baking"
        );
        ensure_eq!(bg, before, "a refused cut-over changes nothing");
    }
    Ok(())
}

pub(super) fn bake_flips_back_on_alert() -> CheckResult {
    let mut rng = SimRng::seed(0xb6);
    let start = SimClock::new().now();
    let mut bg = BlueGreen::new("v1", TimeDelta::minutes(10));
    ensure_eq!(
        bg.observe(start, true),
        BakeStatus::Idle,
        "no bake running: an observation changes nothing"
    );
    ensure_eq!(
        (bg.live(), bg.flips()),
        (Color::Blue, 0),
        "no bake running: no flip (live slot, flips)"
    );
    for _ in 0..30 {
        let period_s = rng.between(60, 3600) as i64;
        let period = TimeDelta::seconds(period_s);
        let mut bg = BlueGreen::new("v1", period);
        bg.stage_idle("v2", true);
        let t0 = start + TimeDelta::seconds(rng.below(10_000) as i64);
        bg.cut_over(t0).map_err(|e| e.to_string())?;
        let quiet = rng.between(0, period_s as u64 - 1) as i64;
        ensure_eq!(
            bg.observe(t0 + TimeDelta::seconds(quiet), false),
            BakeStatus::Baking {
                remaining: TimeDelta::seconds(period_s - quiet)
            },
            "a quiet look {quiet}s into a {period_s}s bake"
        );
        if rng.chance(0.5) {
            let at = rng.between(quiet as u64, period_s as u64) as i64;
            ensure_eq!(
                bg.observe(t0 + TimeDelta::seconds(at), true),
                BakeStatus::FlippedBack { to: Color::Blue },
                "an alert {at}s into a {period_s}s bake"
            );
            ensure_eq!(
                (bg.live(), bg.live_release(), bg.flips(), bg.baking()),
                (Color::Blue, Some("v1"), 2, None),
                "after a flip-back: users on the old slot, bake over (live slot, live release, flips, bake)"
            );
            ensure!(
                bg.cut_over(t0 + TimeDelta::seconds(at + 1)).is_ok(),
                "after a flip-back a new cut-over is allowed"
            );
        } else {
            ensure_eq!(
                bg.observe(t0 + period, false),
                BakeStatus::Baked { live: Color::Green },
                "a quiet look exactly at the bake's end"
            );
            ensure_eq!(
                (bg.live(), bg.flips(), bg.baking()),
                (Color::Green, 1, None),
                "after the bake: users stay on the new slot (live slot, flips, bake)"
            );
            ensure_eq!(
                bg.observe(t0 + period + TimeDelta::seconds(1), true),
                BakeStatus::Idle,
                "an alert after the bake is over does not flip anything here"
            );
            ensure_eq!(bg.live(), Color::Green, "live after the bake is over");
        }
    }
    let mut bg = BlueGreen::new("v1", TimeDelta::minutes(10));
    bg.stage_idle("v2", true);
    bg.cut_over(start).map_err(|e| e.to_string())?;
    ensure_eq!(
        bg.observe(start + TimeDelta::minutes(10), true),
        BakeStatus::FlippedBack { to: Color::Blue },
        "an alert at the very end of the bake still flips back"
    );
    Ok(())
}

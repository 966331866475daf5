//! The windowed SLI against a brute-force count over the same events.

use chrono::{DateTime, TimeDelta, Utc};
use incident::window::{days, hours, minutes};
use incident::{BurnPolicy, Counts, IncidentError, WindowedSli};
use labkit::{SimClock, SimRng};

/// Counts of the events in the window of `n` one-minute buckets ending in
/// the bucket of `now`, by scanning all of them.
fn brute(
    events: &[(DateTime<Utc>, bool)],
    origin: DateTime<Utc>,
    now: DateTime<Utc>,
    window: TimeDelta,
) -> (u64, u64) {
    let bucket = |t: DateTime<Utc>| (t - origin).num_seconds().div_euclid(60);
    let n = window.num_minutes();
    let b_now = bucket(now);
    let (mut good, mut bad) = (0, 0);
    for (t, ok) in events {
        let b = bucket(*t);
        if b > b_now - n && b <= b_now {
            if *ok {
                good += 1
            } else {
                bad += 1
            }
        }
    }
    (good, bad)
}

#[test]
fn windows_match_a_brute_force_count() {
    let origin = SimClock::course_epoch();
    let windows = [minutes(5), minutes(30), hours(1), hours(2)];
    for seed in 0..6 {
        let mut rng = SimRng::seed(seed);
        let mut sli = WindowedSli::per_minute(origin, &windows).unwrap();
        let mut events = Vec::new();
        let mut t = origin;
        for i in 0..3000 {
            // Bursts, quiet gaps longer than some windows, many events per minute.
            let step = match rng.below(20) {
                0 => rng.between(60, 90 * 60),
                _ => rng.between(0, 20),
            };
            t += TimeDelta::seconds(step as i64);
            let ok = !rng.chance(0.1);
            sli.observe(t, ok).unwrap();
            events.push((t, ok));
            if i % 37 == 0 {
                let now = t + TimeDelta::seconds(rng.between(0, 600) as i64);
                let counts = sli.counts_at(now).unwrap();
                for w in windows {
                    let (g, b) = brute(&events, origin, now, w);
                    assert_eq!(
                        (counts[&w].good(), counts[&w].bad()),
                        (g, b),
                        "seed {seed}, window {w}, event {i}"
                    );
                }
                t = now;
            }
        }
    }
}

#[test]
fn order_and_origin_are_enforced() {
    let origin = SimClock::course_epoch();
    let mut sli = WindowedSli::per_minute(origin, &[minutes(5)]).unwrap();
    sli.record(origin + minutes(3), 1, 0).unwrap();
    // Same bucket, earlier second: fine.
    sli.record(origin + minutes(3), 1, 0).unwrap();
    assert!(matches!(
        sli.record(origin + minutes(2), 1, 0),
        Err(IncidentError::EventOutOfOrder { .. })
    ));
    assert!(matches!(
        sli.record(origin - minutes(1), 1, 0),
        Err(IncidentError::BeforeOrigin { .. })
    ));
    assert!(matches!(
        WindowedSli::new(origin, minutes(2), &[minutes(5)]),
        Err(IncidentError::WindowNotMultipleOfBucket { .. })
    ));
    assert!(WindowedSli::new(origin, minutes(0), &[minutes(5)]).is_err());
    assert!(WindowedSli::new(origin, minutes(1), &[minutes(-5)]).is_err());
}

#[test]
fn an_idle_window_has_no_events_and_memory_stays_bounded() {
    let origin = SimClock::course_epoch();
    let p = BurnPolicy::sre_workbook();
    let mut sli = WindowedSli::per_minute(origin, &p.windows()).unwrap();
    sli.record(origin, 10, 5).unwrap();
    let later = sli.counts_at(origin + days(4)).unwrap();
    assert!(later.values().all(|c| *c == Counts::default()), "{later:?}");
    let c = sli.counts_at(origin + days(4) + minutes(1)).unwrap();
    assert_eq!(c[&days(3)].valid(), 0);
}

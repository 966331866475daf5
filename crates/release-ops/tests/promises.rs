//! Issue 20: the gate refuses reports whose cases are not one set of unique
//! ids, and a rotation keeps every previous secret inside its grace window
//! or refuses, at millisecond resolution.
#![cfg(feature = "solution")]

use chrono::{DateTime, TimeDelta, Utc};
use labkit::{SimClock, SimRng};
use release_ops::eval::{repeated_cases, EvalReport, Score};
use release_ops::secrets::{Secret, SecretStore};
use release_ops::{judge, GatePolicy, GateReason, ReleaseError, Side};

fn ids(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

fn report(score: Score, cases: Vec<String>) -> EvalReport {
    EvalReport {
        version: "v".into(),
        score,
        by_topic: Default::default(),
        failed_regressions: vec![],
        cases,
    }
}

// ------------------------------------------------------------------ the gate

#[test]
fn a_case_listed_twice_is_refused_not_compared_as_a_set() {
    // The issue as written: live 1/2 on [a, b], candidate 3/3 on [a, a, b].
    let live = report(Score::new(1, 2), ids(&["a", "b"]));
    let cand = report(Score::new(3, 3), ids(&["a", "a", "b"]));
    let v = judge(&GatePolicy::default(), &live, &cand);
    assert!(!v.passed(), "{v}");
    assert_eq!(
        v.reasons,
        vec![GateReason::RepeatedCases {
            side: Side::Candidate,
            ids: ids(&["a"])
        }]
    );
    assert!(
        v.to_string()
            .contains("candidate lists 1 case id(s) more than once: a"),
        "{v}"
    );
    // The same on the live side, and on both.
    let v = judge(&GatePolicy::default(), &cand, &live);
    assert_eq!(
        v.reasons,
        vec![GateReason::RepeatedCases {
            side: Side::Live,
            ids: ids(&["a"])
        }]
    );
    let v = judge(&GatePolicy::default(), &cand, &cand);
    assert_eq!(v.reasons.len(), 2, "{v}");
    // The boundary: the same report without the repeat passes.
    let fixed = report(Score::new(2, 2), ids(&["a", "b"]));
    assert!(judge(&GatePolicy::default(), &live, &fixed).passed());
}

#[test]
fn repeats_are_found_wherever_they_are_and_named_once_each() {
    assert!(repeated_cases(&report(Score::new(1, 1), ids(&["a"]))).is_empty());
    assert!(repeated_cases(&report(Score::new(0, 0), vec![])).is_empty());
    let r = report(Score::new(6, 6), ids(&["c", "a", "b", "a", "c", "a"]));
    assert_eq!(repeated_cases(&r), ids(&["a", "c"]));
    // Seeded: a unique list plus one repeat at any position is refused for
    // exactly that id, whatever the scores; without it, never.
    let mut rng = SimRng::seed(20_05);
    for round in 0..500 {
        let n = rng.between(2, 60) as usize;
        let mut cases: Vec<String> = (0..n).map(|i| format!("ev-{i:04}")).collect();
        let live = report(
            Score::new(rng.between(1, n as u64), n as u64),
            cases.clone(),
        );
        let passed = rng.between(0, n as u64);
        let clean = report(Score::new(passed, n as u64), cases.clone());
        assert!(
            !judge(&GatePolicy::default(), &live, &clean)
                .reasons
                .iter()
                .any(|r| matches!(r, GateReason::RepeatedCases { .. })),
            "round {round}"
        );
        let dup = cases[rng.below(n as u64) as usize].clone();
        let at = rng.below(n as u64 + 1) as usize;
        cases.insert(at, dup.clone());
        let cand = report(Score::new(passed + 1, n as u64 + 1), cases);
        let v = judge(&GatePolicy::default(), &live, &cand);
        assert_eq!(
            v.reasons,
            vec![GateReason::RepeatedCases {
                side: Side::Candidate,
                ids: vec![dup]
            }],
            "round {round}"
        );
    }
}

// ---------------------------------------------------------------- rotation

const GRACE: TimeDelta = TimeDelta::minutes(15);

fn ms(n: i64) -> TimeDelta {
    TimeDelta::milliseconds(n)
}

#[test]
fn rotating_again_inside_the_grace_window_is_refused_and_changes_nothing() {
    let f1 = SimClock::new().now();
    let mut s = SecretStore::new(GRACE);
    let first = s.current();
    let second = s.rotate(f1).unwrap();
    // The issue as written: again 5 minutes into the 15-minute window.
    let before = s.clone();
    let refused = Err(ReleaseError::GraceWindowOpen {
        previous: first,
        until: f1 + GRACE,
    });
    assert_eq!(s.rotate(f1 + TimeDelta::minutes(5)), refused);
    assert_eq!(s, before, "a refused rotation changes nothing");
    let err = s.rotate(f1 + TimeDelta::minutes(5)).unwrap_err();
    assert!(err.to_string().contains("rotate at or after"), "{err}");
    // The first secret keeps its promise: accepted until F1 + 15 min, exclusive.
    assert!(s.accepts(first, f1 + TimeDelta::minutes(10)));
    assert!(s.accepts(first, f1 + GRACE - ms(1)));
    assert!(!s.accepts(first, f1 + GRACE));
    // The boundary in milliseconds: 1 ms before the window ends, refused;
    // at its end, allowed.
    assert_eq!(s.rotate(f1 + GRACE - ms(1)), refused);
    assert_eq!(s, before);
    let third = s.rotate(f1 + GRACE).unwrap();
    assert_eq!(
        (s.current(), s.previous().map(|p| p.secret)),
        (third, Some(second))
    );
    assert_eq!(s.previous().map(|p| p.until), Some(f1 + GRACE + GRACE));
    assert!(!s.accepts(first, f1 + GRACE));
}

#[test]
fn the_step_by_step_path_refuses_at_finish_and_keeps_the_rotation_resumable() {
    let f1 = SimClock::new().now();
    let mut s = SecretStore::new(GRACE);
    let first = s.current();
    s.rotate(f1).unwrap();
    let t = f1 + TimeDelta::minutes(5);
    // Creating, installing and testing a pending secret revokes nothing.
    let pending = s.create().unwrap();
    s.set().unwrap();
    s.test(t).unwrap();
    let before = s.clone();
    let refused = Err(ReleaseError::GraceWindowOpen {
        previous: first,
        until: f1 + GRACE,
    });
    assert_eq!(s.finish(t), refused);
    assert_eq!(s.finish(f1 + GRACE - ms(1)), refused);
    assert_eq!(s.resume(f1 + GRACE - ms(1)), refused);
    assert_eq!(s, before, "refused finishes change nothing");
    assert!(s.accepts(first, f1 + GRACE - ms(1)));
    assert_eq!(s.finish(f1 + GRACE), Ok(pending));
    // A rotation that is refused can also be aborted, as before.
    let mut s = SecretStore::new(GRACE);
    s.rotate(f1).unwrap();
    s.create().unwrap();
    assert!(s.resume(t).is_err());
    assert!(s.abort().is_ok());
    assert!(s.accepts(first, t));
}

#[test]
fn with_no_grace_window_back_to_back_rotations_are_allowed() {
    let t = SimClock::new().now();
    let mut s = SecretStore::new(TimeDelta::zero());
    s.rotate(t).unwrap();
    assert!(s.rotate(t).is_ok(), "a zero window is over as it opens");
}

/// The store as it is after every rotation attempt at or before `t`.
fn state_at(states: &[(DateTime<Utc>, SecretStore)], t: DateTime<Utc>) -> &SecretStore {
    let i = states.partition_point(|(at, _)| *at <= t);
    &states[i.saturating_sub(1)].1
}

/// The notes' promise, as written: with a grace window at least the slowest
/// refresh, no request fails whatever the phases, now also whatever the
/// rotation attempts (some refused). Seeded, at millisecond resolution.
#[test]
fn many_rotation_attempts_and_many_client_phases_never_fail_with_grace_at_least_refresh() {
    let mut rng = SimRng::seed(0x20c);
    let mut refused_total = 0;
    let mut finished_total = 0;
    let mut requests = 0u64;
    for round in 0..60 {
        let t0 = SimClock::new().now();
        let refresh_ms = rng.between(1_000, 900_000) as i64;
        let grace = ms(refresh_ms + rng.between(0, 3) as i64 * rng.between(0, 60_000) as i64);
        let mut store = SecretStore::new(grace);
        let mut states = vec![(t0 - TimeDelta::days(1), store.clone())];
        // Rotation attempts at random instants, often inside a window.
        let mut t = t0;
        for _ in 0..rng.between(2, 12) {
            t += ms(rng.between(1, 2 * refresh_ms as u64) as i64);
            // Every secret that became previous keeps its window: check
            // just before the attempt what the store promised.
            if let Some(p) = store.previous() {
                assert_eq!(store.accepts(p.secret, t), t < p.until, "round {round}");
            }
            match store.rotate(t) {
                Ok(_) => finished_total += 1,
                Err(ReleaseError::GraceWindowOpen { until, .. }) => {
                    assert!(t < until);
                    refused_total += 1;
                }
                Err(e) => panic!("round {round}: {e}"),
            }
            states.push((t, store.clone()));
        }
        let end = t + grace + ms(2 * refresh_ms);
        for _client in 0..8 {
            let phase = rng.below(refresh_ms as u64) as i64;
            let every = rng.between(1, 20_000) as i64;
            let mut q = t0 + ms(rng.below(every as u64) as i64);
            let first_read = t0 + ms(phase);
            while q < end {
                if q >= first_read {
                    // The client's latest read at or before q.
                    let k = (q - first_read).num_milliseconds() / refresh_ms;
                    let read = first_read + ms(k * refresh_ms);
                    let held: Secret = state_at(&states, read).current();
                    requests += 1;
                    assert!(
                        state_at(&states, q).accepts(held, q),
                        "round {round}: {held} read at {read}, refused at {q}"
                    );
                }
                q += ms(every);
            }
        }
    }
    assert!(
        refused_total > 20 && finished_total > 60,
        "{refused_total} refused, {finished_total} finished"
    );
    assert!(requests > 100_000, "{requests}");
}

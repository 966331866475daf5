//! Checks of `starters/m33/release/rotation.rs`: the grace window of a secret rotation.

use crate::secrets::{
    boundary_schedule, replay, run_drill, ClientSchedule, Interruption, RotationDrill,
    RotationStep, Secret, SecretStore,
};
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

pub(super) fn grace_window_keeps_clients_working() -> CheckResult {
    let mut rng = SimRng::seed(0xb7);
    let t0 = SimClock::new().now();
    for _ in 0..50 {
        let grace_s = rng.between(0, 3600) as i64;
        let mut s = SecretStore::new(TimeDelta::seconds(grace_s));
        let old = s.current();
        ensure!(s.accepts(old, t0), "the current secret is accepted");
        ensure!(!s.accepts(Secret(999), t0), "an unknown secret is refused");
        let new = s.create().map_err(|e| e.to_string())?;
        ensure!(
            !s.accepts(new, t0),
            "a pending secret not yet installed on the service is refused"
        );
        ensure!(
            s.accepts(old, t0),
            "during a rotation the current secret is still accepted"
        );
        s.set().map_err(|e| e.to_string())?;
        ensure!(
            s.accepts(new, t0),
            "a pending secret installed on the service is accepted (so it can be tested)"
        );
        let t = t0 + TimeDelta::seconds(rng.below(1000) as i64);
        s.finish(t).map_err(|e| e.to_string())?;
        ensure!(
            s.accepts(new, t) && s.accepts(new, t + TimeDelta::days(30)),
            "the new current secret is accepted"
        );
        let end = t + TimeDelta::seconds(grace_s);
        if grace_s > 0 {
            ensure!(
                s.accepts(old, t),
                "the previous secret is accepted as the grace window opens"
            );
            ensure!(
                s.accepts(old, end - TimeDelta::seconds(1)),
                "the previous secret is accepted 1 s before its {grace_s}s grace window ends"
            );
        }
        ensure!(!s.accepts(old, end), "the previous secret is refused once its {grace_s}s grace window has ended (the end is exclusive)");
        ensure!(
            !s.accepts(Secret(999), t),
            "an unknown secret is still refused"
        );
    }
    // The exact boundary, at millisecond resolution: a client whose refresh
    // interval equals the grace window, its read served 1 ms before finish.
    for _ in 0..40 {
        let refresh = TimeDelta::seconds(rng.between(60, 3600) as i64);
        let r = replay(&boundary_schedule(refresh, refresh));
        ensure!(
            r.sent == 4 && r.failed.is_empty(),
            "grace = refresh = {}s, read served 1 ms before finish: no request may fail, got {} of {} failed",
            refresh.num_seconds(),
            r.failed.len(),
            r.sent
        );
        let short = refresh - TimeDelta::seconds(1);
        let sched = boundary_schedule(refresh, short);
        let last_old = sched.first_read + refresh - TimeDelta::milliseconds(1);
        let r = replay(&sched);
        ensure_eq!(
            r.failed,
            vec![last_old],
            "grace one second shorter than the {}s refresh: exactly the last request signed with the old secret fails",
            refresh.num_seconds()
        );
        // Any phase: a read anywhere before finish, requests anywhere after it.
        let finish = t0 + TimeDelta::hours(2);
        let first_read = finish - TimeDelta::milliseconds(rng.between(1, 2 * 3_600_000) as i64);
        let mut requests: Vec<_> = (0..60)
            .map(|_| first_read + TimeDelta::milliseconds(rng.below(4 * 3_600_000) as i64))
            .collect();
        requests.sort();
        let grace = refresh + TimeDelta::milliseconds(rng.below(5000) as i64);
        let sched = ClientSchedule {
            finish,
            grace,
            refresh,
            first_read,
            requests,
        };
        ensure!(
            replay(&sched).failed.is_empty(),
            "grace {} ms >= refresh {} ms: no request may fail whatever the phase",
            grace.num_milliseconds(),
            refresh.num_milliseconds()
        );
    }
    // The drill: the same rule decides whether a rotation is an outage.
    for seed in 0..4u64 {
        let slowest = TimeDelta::minutes(rng.between(5, 20) as i64);
        let clients = rng.between(10, 40) as usize;
        let base = RotationDrill {
            seed,
            clients,
            slowest_refresh: slowest,
            grace: slowest,
            interruption: Interruption::None,
        };
        let r = run_drill(&base);
        ensure!(r.requests > 0 && r.failed == 0, "grace = slowest refresh ({} min), {clients} clients: expected 0 failed requests, got {}", slowest.num_minutes(), r.failed);
        let r = run_drill(&RotationDrill {
            grace: TimeDelta::zero(),
            ..base
        });
        ensure!(
            r.failed > 0,
            "no grace window: clients between refreshes must fail, got 0 failures"
        );
        let r = run_drill(&RotationDrill {
            interruption: Interruption::Resume {
                after: RotationStep::Set,
                delay: TimeDelta::minutes(7),
            },
            ..base
        });
        ensure!(
            r.failed == 0 && r.finished_at.is_some(),
            "an interrupted rotation, resumed: expected 0 failed requests, got {}",
            r.failed
        );
        let r = run_drill(&RotationDrill {
            grace: TimeDelta::zero(),
            interruption: Interruption::Abort {
                after: RotationStep::Tested,
                delay: TimeDelta::minutes(3),
            },
            ..base
        });
        ensure!(
            r.failed == 0 && r.finished_at.is_none(),
            "an interrupted rotation, aborted: expected 0 failed requests, got {}",
            r.failed
        );
    }
    Ok(())
}

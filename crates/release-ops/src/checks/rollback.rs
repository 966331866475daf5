//! Checks of `starters/m33/release/rollback.rs`: the rollback checklist, in order.

use crate::eval::EvalSet;
use crate::model::{ServingProfile, SimModel};
use crate::registry::{Registry, ReleaseSpec};
use crate::{ChecklistStep, ReleaseError, ReleaseManager};
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

const FULL: [&str; 8] = [
    "capture-state",
    "freeze-writers",
    "flip-pointer",
    "rotate-cache",
    "throttle-on",
    "watch",
    "throttle-off",
    "unfreeze-writers",
];

pub(super) fn rollback_follows_the_checklist() -> CheckResult {
    let mut rng = SimRng::seed(0xb4);
    for _ in 0..6 {
        let index = format!("idx-{}", rng.word(8));
        let mut m = ReleaseManager::course(EvalSet::generate(rng.next_u64(), 50), &index)
            .map_err(|e| e.to_string())?;
        m.deploy("v2").map_err(|e| e.to_string())?;
        let also_v3 = rng.chance(0.5);
        if also_v3 {
            m.deploy("v3").map_err(|e| e.to_string())?;
        }
        let from = if also_v3 { "v3" } else { "v2" };
        let manifest = m
            .registry()
            .manifest(from)
            .map_err(|e| e.to_string())?
            .clone();
        let ns_before = m.cache_namespace().to_string();
        let t0 = m.now();
        let r = m.rollback().map_err(|e| format!("rollback failed: {e}"))?;
        let red_watch = r
            .steps
            .iter()
            .any(|s| matches!(s, ChecklistStep::Watch(w) if w.green_at.is_none()));
        ensure!(
            !red_watch,
            "rolling {from} back to v1, the watch never turned green (steps: {:?}); v1 recovers \
             within the window, so is `from` the serving profile of the release rolled back \
             ({from}) and `to` that of the one coming back (v1)?",
            r.kinds()
        );
        ensure_eq!(r.kinds(), FULL.to_vec(), "the checklist's steps, in order");
        ensure_eq!(
            (r.from.as_str(), r.to.as_str()),
            (from, "v1"),
            "rollback goes to the last verified release, skipping unverified deploys (from, to)"
        );
        ensure_eq!(m.live(), Some("v1"), "live after rollback");
        ensure!(m.live_verified(), "a release rolled back to is verified");
        match &r.steps[0] {
            ChecklistStep::CaptureState(s) => {
                ensure_eq!(
                    (s.release.as_str(), s.build_id.as_str(), s.git_sha.as_str()),
                    (from, manifest.build_id.as_str(), manifest.commit.as_str()),
                    "captured state: the bad release's build and commit (release, build_id, git_sha)"
                );
                ensure_eq!(
                    (
                        s.model.as_str(),
                        s.prompt_version.as_str(),
                        s.index_hash.as_str()
                    ),
                    (
                        manifest.model.as_str(),
                        manifest.prompt_version.as_str(),
                        index.as_str()
                    ),
                    "captured state (model digest, prompt version, index hash)"
                );
                ensure_eq!(
                    s.cache_namespace,
                    ns_before,
                    "captured state: the cache namespace in use before the flip"
                );
            }
            other => return Err(format!("the first step must capture state, got {other:?}")),
        }
        ensure_eq!(
            r.steps[2],
            ChecklistStep::FlipPointer {
                from: from.to_string(),
                to: "v1".to_string()
            },
            "the pointer flip"
        );
        ensure_eq!(
            r.steps[3],
            ChecklistStep::RotateCache {
                from: ns_before.clone(),
                to: m.cache_namespace().to_string()
            },
            "the cache rotation (from the bad release's namespace to the new one)"
        );
        ensure!(
            m.cache_namespace().starts_with("cache/v1/"),
            "the new cache namespace belongs to v1, got {}",
            m.cache_namespace()
        );
        let ChecklistStep::Watch(w) = &r.steps[5] else {
            return Err("step 6 must be the watch".into());
        };
        let green = w
            .green_at
            .ok_or("v1 recovers within the window: the watch must reach green")?;
        ensure_eq!(
            m.now() - t0,
            TimeDelta::minutes(i64::from(green)),
            "the watch takes simulated time, one minute per reading"
        );
        ensure!(
            !m.writers_frozen() && !m.throttled(),
            "once green, writers are unfrozen and the throttle is off"
        );
        ensure_eq!(m.last_good(), None, "v1 was the only last-good release");
        let before = (
            m.live().map(str::to_string),
            m.cache_namespace().to_string(),
            m.now(),
        );
        ensure_eq!(
            m.rollback().map(|_| ()),
            Err(ReleaseError::NoRollbackTarget),
            "a second rollback has nowhere to go"
        );
        ensure_eq!(
            (
                m.live().map(str::to_string),
                m.cache_namespace().to_string(),
                m.now()
            ),
            before,
            "a refused rollback changes nothing (live, cache namespace, clock)"
        );
        ensure!(
            !m.writers_frozen(),
            "a refused rollback must not freeze writers"
        );
    }
    // A last-good release that is itself over the error target never turns green.
    let eval = EvalSet::generate(3, 50);
    let mut reg = Registry::course();
    let slow = SimModel::uniform(
        "v0",
        7,
        40,
        ServingProfile {
            bad_ppm: 6_000,
            p95_ms: 500,
        },
    );
    reg.publish(ReleaseSpec::for_model(slow, 100, "p6"), &eval)
        .map_err(|e| e.to_string())?;
    let mut m = ReleaseManager::new(reg, eval, "idx");
    m.install_first("v0").map_err(|e| e.to_string())?;
    m.deploy("v2").map_err(|e| e.to_string())?;
    let t0 = m.now();
    let r = m.rollback().map_err(|e| e.to_string())?;
    ensure_eq!(
        r.kinds(),
        FULL[..6].to_vec(),
        "without green, the rollback stops after the watch"
    );
    ensure!(
        m.writers_frozen() && m.throttled(),
        "without green, writers stay frozen and the throttle stays on (escalate)"
    );
    ensure_eq!(
        m.now() - t0,
        TimeDelta::minutes(10),
        "the watch lasts the whole ten-minute window"
    );
    ensure_eq!(m.live(), Some("v0"), "the pointer was still flipped");
    let mut none = ReleaseManager::new(Registry::course(), EvalSet::generate(1, 5), "idx");
    ensure_eq!(
        none.rollback().map(|_| ()),
        Err(ReleaseError::NothingLive),
        "rollback with nothing live"
    );
    Ok(())
}

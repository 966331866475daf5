//! Checks of `starters/m34/mitigate.rs`: executing a play, and what counts as a mitigation.

use super::t0;
use crate::ops::{Mitigation, Operations};
use crate::ShiftError;
use incident::Play;
use index_ops::Index;
use labkit::{ensure, ensure_eq, CheckResult, SimRng};
use release_ops::registry::{ReleaseSpec, BUILD_EVAL_SEED, BUILD_EVAL_SIZE};
use release_ops::{EvalSet, Registry, ReleaseError, ReleaseManager, SimModel};

fn ops_with(releases: ReleaseManager) -> Operations {
    Operations {
        releases,
        index: Index::new("docs_vA"),
        sources: Vec::new(),
    }
}

pub(super) fn rollback_play_runs_the_manager() -> CheckResult {
    // People's plays first: they must never touch a system.
    let mut rng = SimRng::seed(341);
    let course = || ReleaseManager::course(EvalSet::generate(1, 40), "idx-test");
    let mut ops = ops_with(course().map_err(|e| e.to_string())?);
    for play in [
        Play::PatchLiveConfig,
        Play::DiffAgainstLastGood,
        Play::CaptureState,
        Play::InspectSyncJob,
    ] {
        let got = crate::execute_play(play, &mut ops, t0());
        ensure!(
            matches!(got, Err(ShiftError::PlayNotAutomated(p)) if p == play),
            "play {play} is for a person: expected ShiftError::PlayNotAutomated, got {}",
            outcome(&got)
        );
        ensure_eq!(
            ops.releases.live(),
            Some("v1"),
            "a refused play changed live"
        );
    }
    for _ in 0..6 {
        let bad = *rng.pick(&["v2", "v3"]).unwrap_or(&"v2");
        let mut m = course().map_err(|e| e.to_string())?;
        m.deploy(bad).map_err(|e| e.to_string())?;
        let mut ops = ops_with(m);
        let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0())
            .map_err(|e| format!("rollback of {bad} refused: {e}"))?;
        let r = match got {
            Mitigation::Rollback(r) => r,
            other => {
                return Err(format!(
                    "expected Mitigation::Rollback, got {}",
                    outcome(&Ok(other))
                ))
            }
        };
        ensure_eq!(
            (r.from.as_str(), r.to.as_str()),
            (bad, "v1"),
            "the rollback (from, to)"
        );
        ensure!(
            r.recovered(),
            "the rollback report does not say it recovered"
        );
        ensure_eq!(ops.releases.live(), Some("v1"), "live after the rollback");
        ensure!(!ops.releases.writers_frozen(), "writers were left frozen");
    }
    // Nothing to roll back to: refused, and nothing changed.
    let mut m = ReleaseManager::new(Registry::course(), EvalSet::generate(2, 40), "idx-test");
    m.install_first("v2").map_err(|e| e.to_string())?;
    let mut ops = ops_with(m);
    let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0());
    ensure!(
        matches!(
            got,
            Err(ShiftError::Release(ReleaseError::NoRollbackTarget))
        ),
        "with no last-good release: expected the release manager's NoRollbackTarget, got {}",
        outcome(&got)
    );
    ensure_eq!(
        ops.releases.live(),
        Some("v2"),
        "a refused rollback changed live"
    );
    Ok(())
}

/// What `execute_play` returned, in the fields a check judges (a rollback's
/// whole report is a page of `Debug`): for a rollback, from and to, whether
/// it recovered, whether writers are still frozen at its end, and its steps.
fn outcome(got: &Result<Mitigation, ShiftError>) -> String {
    match got {
        Ok(Mitigation::Rollback(r)) => format!(
            "Ok(Mitigation::Rollback {{ from: {:?}, to: {:?}, recovered: {}, steps: [{}] }})",
            r.from,
            r.to,
            r.recovered(),
            r.kinds().join(", ")
        ),
        Ok(m @ Mitigation::Reindex(_)) => format!("Ok(Mitigation::Reindex: {})", m.summary()),
        Err(e) => format!("Err({e:?}): {e}"),
    }
}

pub(super) fn rollback_never_green_is_no_mitigation() -> CheckResult {
    // A last-good release whose own bad rate is above the exit target: the
    // watch never goes green.
    let mut registry = Registry::course();
    let mut m = SimModel::v1();
    m.version = "v0".into();
    m.serving.bad_ppm = 9_000;
    let build = EvalSet::generate(BUILD_EVAL_SEED, BUILD_EVAL_SIZE);
    registry
        .publish(ReleaseSpec::for_model(m, 100, "p6"), &build)
        .map_err(|e| e.to_string())?;
    let mut mgr = ReleaseManager::new(registry, EvalSet::generate(3, 40), "idx-test");
    mgr.install_first("v0").map_err(|e| e.to_string())?;
    mgr.deploy("v2").map_err(|e| e.to_string())?;
    let mut ops = ops_with(mgr);
    let got = crate::execute_play(Play::RollbackToLastGood, &mut ops, t0());
    ensure!(
        matches!(&got, Err(ShiftError::NotGreen { to }) if to == "v0"),
        "a rollback to v0 that never met the exit targets must be ShiftError::NotGreen {{ to: \"v0\" }}, got {}",
        outcome(&got)
    );
    ensure!(
        ops.releases.writers_frozen(),
        "writers must stay frozen until green"
    );
    Ok(())
}

//! Checks of `starters/m33/release/canary.rs`: scoring live and candidate alike.

use super::oracle_within;
use crate::eval::{incident_regression_case, EvalSet, Score};
use crate::model::{ServingProfile, SimModel};
use crate::registry::{Registry, ReleaseSpec};
use crate::{Decision, GateReason, ReleaseError, ReleaseManager};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

fn score_of(eval: &EvalSet, model: &SimModel) -> (Score, Vec<String>) {
    let mut s = Score::default();
    let mut failed = Vec::new();
    for c in eval.cases() {
        s.total += 1;
        if model.answer(c) == c.expected {
            s.passed += 1;
        } else if c.regression {
            failed.push(c.id.clone());
        }
    }
    (s, failed)
}

pub(super) fn canary_approves_only_a_good_build() -> CheckResult {
    let mut rng = SimRng::seed(0xb3);
    let mut saw = [false; 2];
    for round in 0..12 {
        let seed = rng.next_u64();
        let mut eval = EvalSet::generate(seed, rng.between(60, 300) as usize);
        if round % 3 == 1 {
            eval.add_regression(incident_regression_case("reg-001"))
                .map_err(|e| e.to_string())?;
        }
        let mut m = ReleaseManager::course(eval.clone(), "idx-check").map_err(|e| e.to_string())?;
        let miss = rng.between(20, 70) as u32;
        let v9 = SimModel::uniform(
            "v9",
            rng.next_u64(),
            miss,
            ServingProfile {
                bad_ppm: 500,
                p95_ms: 400,
            },
        );
        m.registry_mut()
            .publish(ReleaseSpec::for_model(v9.clone(), 109, "p9"), &eval)
            .map_err(|e| e.to_string())?;
        let (live_score, _) = score_of(&eval, &SimModel::v1());
        for (version, model) in [("v2", SimModel::v2()), ("v3", SimModel::v3()), ("v9", v9)] {
            let (cand_score, failed) = score_of(&eval, &model);
            let promote = oracle_within(live_score, cand_score, 2) && failed.is_empty();
            let r = m
                .canary(version)
                .map_err(|e| format!("canary({version}) failed: {e}"))?;
            ensure_eq!(
                r.live_report.score,
                live_score,
                "live v1's score on the current eval set ({} cases)",
                eval.len()
            );
            ensure_eq!(
                r.candidate_report.score,
                cand_score,
                "{version}'s score on the current eval set"
            );
            ensure_eq!(
                r.candidate_report.failed_regressions,
                failed,
                "{version}'s failed regression cases"
            );
            ensure_eq!(
                (r.live.as_str(), r.candidate.as_str()),
                ("v1", version),
                "the report names live and candidate (live, candidate)"
            );
            let expected = if promote {
                Decision::Promote
            } else {
                Decision::Rollback
            };
            ensure_eq!(r.decision, expected, "decision for {version}: {cand_score} vs live {live_score}, failed regression cases {failed:?}");
            ensure_eq!(
                r.verdict.passed(),
                promote,
                "the verdict agrees with the decision"
            );
            ensure_eq!(m.live(), Some("v1"), "a canary never changes live");
            ensure_eq!(
                m.approved(),
                promote.then_some(version),
                "after a {} decision for {version}, the approval",
                expected
            );
            saw[usize::from(promote)] = true;
        }
    }
    ensure!(saw[0] && saw[1], "the checks saw both decisions");
    // Approval is withdrawn by a later rollback decision; promote needs it.
    let eval = EvalSet::generate(5, 200);
    let mut m = ReleaseManager::course(eval, "idx").map_err(|e| e.to_string())?;
    let r = m.canary("v3").map_err(|e| e.to_string())?;
    ensure_eq!(r.decision, Decision::Promote, "v3 against v1");
    let r = m.canary("v2").map_err(|e| e.to_string())?;
    ensure_eq!(r.decision, Decision::Rollback, "v2 against v1");
    ensure_eq!(
        m.promote("v3"),
        Err(ReleaseError::NotApproved {
            candidate: "v3".into()
        }),
        "a rollback decision withdraws the earlier approval"
    );
    m.canary("v3").map_err(|e| e.to_string())?;
    ensure_eq!(m.promote("v3"), Ok(()), "promote after a promote decision");
    ensure_eq!(m.live(), Some("v3"), "live after promote");
    // Bad inputs: typed errors, live unchanged.
    ensure_eq!(
        m.canary("v7").map(|_| ()),
        Err(ReleaseError::UnknownVersion {
            version: "v7".into()
        }),
        "canary of an unknown version"
    );
    ensure_eq!(
        m.canary("v3").map(|_| ()),
        Err(ReleaseError::AlreadyLive {
            version: "v3".into()
        }),
        "canary of the live version"
    );
    ensure_eq!(m.live(), Some("v3"), "live after refused canaries");
    let mut empty = ReleaseManager::course(EvalSet::new(), "idx").map_err(|e| e.to_string())?;
    empty.approve("v3");
    let r = empty.canary("v3").map_err(|e| e.to_string())?;
    ensure_eq!(
        (r.decision, r.verdict.reasons.clone()),
        (
            Decision::Rollback,
            vec![
                GateReason::NoEvidence {
                    side: crate::verdict::Side::Live
                },
                GateReason::NoEvidence {
                    side: crate::verdict::Side::Candidate
                }
            ]
        ),
        "a canary on an empty eval set scores both on nothing: the gate blocks, and the report says why"
    );
    ensure_eq!(
        empty.approved(),
        None,
        "a rollback decision withdraws the earlier approval"
    );
    ensure_eq!(empty.live(), Some("v1"), "live after a blocked canary");
    let mut none = ReleaseManager::new(Registry::course(), EvalSet::generate(1, 50), "idx");
    ensure_eq!(
        none.canary("v3").map(|_| ()),
        Err(ReleaseError::NothingLive),
        "canary with nothing live"
    );
    Ok(())
}

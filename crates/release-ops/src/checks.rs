//! The lab checks of M33 Part B (`release-ops`), in guide order.
//!
//! Each check mixes fixed cases (the boundaries the guide talks about) with
//! seeded random inputs, and computes what it expects with its own oracle
//! (the arithmetic of the rule, a recount, a known construction), never with
//! the reference solution.
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions and methods; the check binary
//! (`src/bin/checks-m33-release`) only installs the learner's steps and runs
//! them (see `labkit::steps`).

use crate::edits;
use crate::eval::{incident_regression_case, EvalReport, EvalSet, Score};
use crate::model::{ServingProfile, SimModel};
use crate::registry::{Registry, ReleaseSpec};
use crate::secrets::{
    boundary_schedule, replay, run_drill, ClientSchedule, Interruption, RotationDrill,
    RotationStep, Secret, SecretStore,
};
use crate::slots::{BakeStatus, BlueGreen, Color};
use crate::traffic::{CandidateBehaviour, RampOutcome, RampPlan, RampStage, Traffic};
use crate::{ChecklistStep, Decision, GatePolicy, GateReason, ReleaseError, ReleaseManager};
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, Check, CheckResult, Plan, SimClock, SimRng};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m33.b.1",
        part: "B",
        guide_step: "within_tolerance",
        title: "the gate's tolerance: a drop of exactly 2% relative to live passes, more blocks, a score of nothing never passes",
        points: 2,
        plan: Plan::core(3),
        hint: "The drop is relative to the live score, and the boundary is inclusive. Scores are fractions (passed out of total): compare fractions exactly, in whole numbers; floats wobble at the boundary. A fraction over zero cases, or with more passed than run, is no evidence: fail closed.",
        edit: Some(edits::WITHIN_TOLERANCE),
        run: b1_within_tolerance,
    },
    Check {
        id: "m33.b.2",
        part: "B",
        guide_step: "judge",
        title: "the gate fails closed on missing or mismatched evidence, then lists the score drop and each failed regression case",
        points: 2,
        plan: Plan::core(5),
        hint: "Before comparing two scores, ask whether they are scores of the same thing: each side scored on at least one case, a believable count, the same case ids. Only then does a score drop mean anything. A regression case blocks on its own. Keep the order the doc comment gives.",
        edit: Some(edits::JUDGE),
        run: b2_judge,
    },
    Check {
        id: "m33.b.3",
        part: "B",
        guide_step: "canary",
        title: "a canary scores live and candidate on the same eval set, decides, and approves only a good build",
        points: 3,
        plan: Plan::core(6),
        hint: "Compare against the live baseline measured now, on the current eval set, not the build-time score. A rollback decision must withdraw any approval; live never changes in a canary.",
        edit: Some(edits::CANARY),
        run: b3_canary,
    },
    Check {
        id: "m33.b.4",
        part: "B",
        guide_step: "rollback",
        title: "one call returns to the last-good release by the rollback checklist, in order",
        points: 3,
        plan: Plan::core(5),
        hint: "The rollback checklist: capture, freeze, flip one pointer, rotate the cache namespace, throttle, watch the exit targets, and unfreeze only when green. Look everything up before the first change.",
        edit: Some(edits::ROLLBACK),
        run: b4_rollback,
    },
    Check {
        id: "m33.b.5",
        part: "B",
        guide_step: "cut_over",
        title: "blue/green: a healthy idle slot takes all traffic in one flip and starts its bake",
        points: 2,
        plan: Plan::after_class(8),
        hint: "Refuse before changing anything: a bake still running, an empty idle slot, a failed health check. The flip itself is one assignment of the live pointer.",
        edit: Some(edits::CUT_OVER),
        run: b5_cut_over,
    },
    Check {
        id: "m33.b.6",
        part: "B",
        guide_step: "observe",
        title: "blue/green: an alert during the bake flips back; a quiet bake becomes final at its end",
        points: 2,
        plan: Plan::after_class(6),
        hint: "An alert wins, even at the last instant. The bake is over when now has reached its end (inclusive).",
        edit: Some(edits::OBSERVE),
        run: b6_observe,
    },
    Check {
        id: "m33.b.7",
        part: "B",
        guide_step: "accepts",
        title: "secret rotation: the grace window keeps every client working through a rotation, down to the millisecond boundary",
        points: 3,
        plan: Plan::after_class(4),
        hint: "Three stages can be accepted: current always, pending once installed, previous only strictly before its grace window ends (the end is exclusive, at any time resolution).",
        edit: Some(edits::ACCEPTS),
        run: b7_accepts,
    },
    Check {
        id: "m33.b.8",
        part: "B",
        guide_step: "trace",
        title: "your Part B trace matches the reference trace",
        points: 2,
        plan: Plan::after_class(2),
        hint: "Run the story (`release_ops::story::part_b`) and compare line by line; the first differing line names the step to revisit.",
        edit: None,
        run: b8_trace,
    },
    Check {
        id: "m33.x.1",
        part: "X",
        guide_step: "walk_ramp",
        title: "the progressive canary stops at the first breach and reports its blast radius",
        points: 3,
        plan: Plan::after_class(10),
        hint: "Judge each stage on its own errors against the budget (a rate exactly at the budget is not a breach), stop at the first breach, and sum only the stages that ran.",
        edit: Some(edits::WALK_RAMP),
        run: x1_walk_ramp,
    },
    Check {
        id: "m33.x.2",
        part: "X",
        guide_step: "ramp trace",
        title: "your ramp trace matches the reference trace",
        points: 1,
        plan: Plan::after_class(2),
        hint: "Run `release_ops::story::ramp` and compare the stages and the blast radius line by line.",
        edit: None,
        run: x2_trace,
    },
];

// ---------------------------------------------------------------- oracles

/// `candidate` is within `d`% of `live`: 100·(c/ct − l/lt) ≥ −d·l/lt, times lt·ct.
fn oracle_within(live: Score, cand: Score, d: u32) -> bool {
    if live.total == 0 || cand.total == 0 || live.passed > live.total || cand.passed > cand.total {
        return false;
    }
    let (lp, lt, cp, ct) = (
        live.passed as i128,
        live.total as i128,
        cand.passed as i128,
        cand.total as i128,
    );
    100 * (cp * lt - lp * ct) + i128::from(d.min(100)) * lp * ct >= 0
}

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

// ---------------------------------------------------------------- B1

fn b1_within_tolerance() -> CheckResult {
    use crate::within_tolerance as w;
    let s = Score::new;
    ensure!(
        w(s(50, 50), s(49, 50), 2),
        "49/50 is exactly 2% below 50/50 and must pass (the boundary is inclusive)"
    );
    ensure!(
        !w(s(50, 50), s(48, 50), 2),
        "48/50 is 4% below 50/50 and must be blocked"
    );
    ensure!(
        w(s(90, 100), s(882, 1000), 2),
        "0.882 vs 0.90 is exactly a 2% drop and must pass (a float comparison gets this one wrong)"
    );
    ensure!(
        !w(s(90, 100), s(8819, 10000), 2),
        "0.8819 vs 0.90 is just over a 2% drop and must be blocked"
    );
    ensure!(
        w(s(80, 100), s(79, 100), 2),
        "0.79 vs 0.80 is a 1.25% drop (relative), within 2%"
    );
    ensure!(
        !w(s(40, 100), s(39, 100), 2),
        "0.39 vs 0.40 is a 2.5% drop relative to live, even though it is one point absolute"
    );
    ensure!(
        w(s(10, 20), s(500, 1000), 0),
        "equal scores pass a 0% tolerance, whatever the totals"
    );
    ensure!(
        !w(s(10, 20), s(499, 1000), 0),
        "any drop fails a 0% tolerance"
    );
    ensure!(w(s(3, 4), s(1000, 1000), 2), "an improvement always passes");
    ensure!(
        w(
            s(u32::MAX as u64, u32::MAX as u64),
            s(u32::MAX as u64 - 1, u32::MAX as u64),
            2
        ),
        "large totals must not overflow"
    );
    ensure!(
        !w(s(90, 100), s(0, 0), 2),
        "a candidate scored on nothing (0/0) is not within any tolerance: no evidence blocks"
    );
    ensure!(
        !w(s(0, 0), s(90, 100), 2),
        "a live release scored on nothing (0/0) gives nothing to compare with: block"
    );
    ensure!(
        !w(s(90, 100), s(101, 100), 2),
        "101/100 is not a score (more passed than run): block"
    );
    let mut rng = SimRng::seed(0xb1);
    for _ in 0..300 {
        // Scores of nothing and impossible scores, on either side, at any tolerance.
        let d = rng.between(0, 100) as u32;
        let t = rng.between(1, 5000);
        let good = s(rng.between(0, t), t);
        let bad = if rng.below(2) == 0 {
            s(0, 0)
        } else {
            s(t + rng.between(1, 50), t)
        };
        let (live, cand) = if rng.below(2) == 0 {
            (good, bad)
        } else {
            (bad, good)
        };
        ensure!(
            !w(live, cand, d),
            "within_tolerance(live {}/{}, candidate {}/{}, {d}%) must be false: one side is not a real score",
            live.passed,
            live.total,
            cand.passed,
            cand.total
        );
    }
    for _ in 0..3000 {
        let lt = rng.between(1, 5000);
        let lp = rng.between(0, lt);
        let ct = rng.between(1, 5000);
        let cp = rng.between(0, ct);
        let d = rng.between(0, 10) as u32;
        let (live, cand) = (s(lp, lt), s(cp, ct));
        ensure_eq!(
            w(live, cand, d),
            oracle_within(live, cand, d),
            "within_tolerance(live {lp}/{lt}, candidate {cp}/{ct}, {d}%)"
        );
    }
    for _ in 0..500 {
        // Built exactly on the boundary: candidate = (100 − d)% of live.
        let lt = rng.between(1, 3000);
        let lp = rng.between(1, lt);
        let d = rng.between(1, 10) as u32;
        let on = s(u64::from(100 - d) * lp, 100 * lt);
        let below = s(u64::from(100 - d) * lp - 1, 100 * lt);
        ensure!(
            w(s(lp, lt), on, d),
            "{}/{} is exactly {d}% below {lp}/{lt} and must pass",
            on.passed,
            on.total
        );
        ensure!(
            !w(s(lp, lt), below, d),
            "{}/{} is just over {d}% below {lp}/{lt} and must be blocked",
            below.passed,
            below.total
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- B2

fn ids(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|i| format!("ev-{i:04}")).collect()
}

fn report(version: &str, score: Score, failed: &[&str]) -> EvalReport {
    report_on(version, score, failed, ids(0..score.total))
}

fn report_on(version: &str, score: Score, failed: &[&str], cases: Vec<String>) -> EvalReport {
    EvalReport {
        version: version.to_string(),
        score,
        by_topic: Default::default(),
        failed_regressions: failed.iter().map(|f| f.to_string()).collect(),
        cases,
    }
}

/// The gate's rule, recomputed: evidence, then the eval sets, then the
/// score (only over the same cases), then each failed regression case.
fn oracle_reasons(d: u32, live: &EvalReport, cand: &EvalReport) -> Vec<GateReason> {
    use crate::verdict::Side;
    let mut out = Vec::new();
    for (side, r) in [(Side::Live, live), (Side::Candidate, cand)] {
        let listed = r.cases.len() as u64;
        let mut seen = std::collections::BTreeSet::new();
        let repeated: std::collections::BTreeSet<&String> =
            r.cases.iter().filter(|id| !seen.insert(*id)).collect();
        if r.score.total == 0 {
            out.push(GateReason::NoEvidence { side });
        } else if !repeated.is_empty() {
            out.push(GateReason::RepeatedCases {
                side,
                ids: repeated.into_iter().cloned().collect(),
            });
        } else if r.score.passed > r.score.total || r.score.total != listed {
            out.push(GateReason::InvalidScore {
                side,
                score: r.score,
                cases_listed: listed,
            });
        }
    }
    if out.is_empty() {
        let l: std::collections::BTreeSet<&String> = live.cases.iter().collect();
        let c: std::collections::BTreeSet<&String> = cand.cases.iter().collect();
        let only_live: Vec<String> = l.difference(&c).map(|x| x.to_string()).collect();
        let only_candidate: Vec<String> = c.difference(&l).map(|x| x.to_string()).collect();
        if !only_live.is_empty() || !only_candidate.is_empty() {
            out.push(GateReason::DifferentEvalSets {
                only_live,
                only_candidate,
            });
        }
    }
    if out.is_empty() && !oracle_within(live.score, cand.score, d) {
        out.push(GateReason::ScoreDrop {
            live: live.score,
            candidate: cand.score,
            max_drop_percent: d,
        });
    }
    out.extend(
        cand.failed_regressions
            .iter()
            .map(|n| GateReason::RegressionFailed { case: n.clone() }),
    );
    out
}

fn b2_judge() -> CheckResult {
    use crate::verdict::Side;
    let policy = GatePolicy::default();
    let live = report("v1", Score::new(96, 100), &[]);
    let v = crate::judge(&policy, &live, &report("v3", Score::new(97, 100), &[]));
    ensure!(
        v.passed() && v.reasons.is_empty(),
        "a better candidate with no failed regression case passes, got {:?}",
        v.reasons
    );
    ensure_eq!(
        (v.live, v.candidate),
        (Score::new(96, 100), Score::new(97, 100)),
        "the verdict carries both scores (live, candidate)"
    );
    let v = crate::judge(
        &policy,
        &live,
        &report("v9", Score::new(99, 100), &["reg-007"]),
    );
    ensure_eq!(
        v.reasons,
        vec![GateReason::RegressionFailed {
            case: "reg-007".into()
        }],
        "a failed regression case blocks even a better score"
    );
    ensure!(!v.passed(), "a failed regression case must block");
    let v = crate::judge(
        &policy,
        &report("v1", Score::new(90, 100), &[]),
        &report("v9", Score::new(0, 0), &[]),
    );
    ensure_eq!(
        v.reasons,
        vec![GateReason::NoEvidence { side: Side::Candidate }],
        "a candidate scored on nothing (0/0) against 90/100 must block with NoEvidence, not pass and not a score drop"
    );
    let v = crate::judge(
        &policy,
        &report("v1", Score::new(90, 100), &[]),
        &report_on("v9", Score::new(95, 100), &[], ids(1..101)),
    );
    ensure_eq!(
        v.reasons,
        vec![GateReason::DifferentEvalSets {
            only_live: vec!["ev-0000".into()],
            only_candidate: vec!["ev-0100".into()],
        }],
        "live and candidate scored on different case ids (same totals) must block with DifferentEvalSets"
    );
    // The issue-20 report: live 1/2 on [a, b], candidate 3/3 on [a, a, b].
    // As sets the ids agree and 3/3 beats 1/2; as a set of unique ids the
    // candidate's report is not a score of the eval set at all.
    let ab = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let v = crate::judge(
        &policy,
        &report_on("v1", Score::new(1, 2), &[], ab(&["a", "b"])),
        &report_on("v3", Score::new(3, 3), &[], ab(&["a", "a", "b"])),
    );
    ensure_eq!(
        v.reasons,
        vec![GateReason::RepeatedCases {
            side: Side::Candidate,
            ids: vec!["a".into()],
        }],
        "a candidate scored 3/3 on [a, a, b] against live 1/2 on [a, b] lists case `a` twice: block with RepeatedCases (repeated_cases), not pass"
    );
    let mut rng = SimRng::seed(0xb2);
    let mut kinds = [0usize; 5];
    for _ in 0..500 {
        let d = rng.between(0, 5) as u32;
        let n = rng.between(20, 400);
        let names: Vec<String> = (0..rng.below(4))
            .map(|i| format!("reg-{:03}", rng.below(900) + i * 1000))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let policy = GatePolicy {
            max_drop_percent: d,
        };
        let lp = rng.between(n / 2, n);
        let cp = rng.between(n / 2, n);
        let mut live = report("v1", Score::new(lp, n), &[]);
        let mut cand = report("vX", Score::new(cp, n), &refs);
        match rng.below(6) {
            0 => {
                // Scored on other cases: shift the candidate's ids.
                let shift = rng.between(1, 5);
                cand.cases = ids(shift..n + shift);
                kinds[1] += 1;
            }
            1 => {
                // A side scored on nothing.
                let r = if rng.below(2) == 0 {
                    &mut live
                } else {
                    &mut cand
                };
                r.score = Score::new(0, 0);
                r.cases.clear();
                kinds[2] += 1;
            }
            2 => {
                // An impossible score: more passed than run, or a total that
                // is not the number of cases listed.
                let r = if rng.below(2) == 0 {
                    &mut live
                } else {
                    &mut cand
                };
                if rng.below(2) == 0 {
                    r.score.passed = r.score.total + rng.between(1, 9);
                } else {
                    r.cases.truncate((n - rng.between(1, 9)) as usize);
                }
                kinds[3] += 1;
            }
            3 => {
                // A case listed twice in place of another, or on top: the
                // set of ids may still equal the other side's.
                let r = if rng.below(2) == 0 {
                    &mut live
                } else {
                    &mut cand
                };
                let k = rng.below(n) as usize;
                let other = (k + 1 + rng.below(n - 1) as usize) % n as usize;
                let copy = r.cases[other].clone();
                if rng.below(2) == 0 {
                    r.cases[k] = copy;
                } else {
                    r.cases.insert(k, copy);
                    r.score.total += 1;
                }
                kinds[4] += 1;
            }
            _ => kinds[0] += 1,
        }
        let expected = oracle_reasons(d, &live, &cand);
        let v = crate::judge(&policy, &live, &cand);
        ensure_eq!(v.reasons, expected, "judge(limit {d}%, live {}/{} over {} cases, candidate {}/{} over {} cases, failed regression cases {names:?})",
            live.score.passed, live.score.total, live.cases.len(), cand.score.passed, cand.score.total, cand.cases.len());
        ensure_eq!(
            v.passed(),
            expected.is_empty(),
            "passed() with reasons {:?}",
            v.reasons
        );
    }
    ensure!(
        kinds.iter().all(|&k| k > 0),
        "the random cases cover every kind of evidence"
    );
    Ok(())
}

// ---------------------------------------------------------------- B3

fn b3_canary() -> CheckResult {
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

// ---------------------------------------------------------------- B4

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

fn b4_rollback() -> CheckResult {
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

// ---------------------------------------------------------------- B5, B6

fn b5_cut_over() -> CheckResult {
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

fn b6_observe() -> CheckResult {
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

// ---------------------------------------------------------------- B7

fn b7_accepts() -> CheckResult {
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

// ---------------------------------------------------------------- traces

fn b8_trace() -> CheckResult {
    let trace = crate::story::part_b(crate::story::SEED);
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../tests/snapshots/trace__part_b.snap"),
    )
}

fn x2_trace() -> CheckResult {
    let trace = crate::story::ramp(crate::story::SEED);
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../tests/snapshots/trace__ramp.snap"),
    )
}

// ---------------------------------------------------------------- X1

fn x1_walk_ramp() -> CheckResult {
    use crate::walk_ramp;
    let never = Traffic {
        seed: 1,
        candidate: CandidateBehaviour::steady(0),
    };
    let plan = RampPlan::standard(1000, 5000);
    let r = walk_ramp(&plan, &never);
    ensure_eq!(
        r.outcome,
        RampOutcome::Completed,
        "a candidate that never fails completes the ramp"
    );
    ensure_eq!(
        (r.stages.len(), r.candidate_served, r.candidate_errors),
        (4, 10 + 100 + 500 + 1000, 0),
        "a clean ramp (stages, served, errors)"
    );
    let always = Traffic {
        seed: 1,
        candidate: CandidateBehaviour::steady(1_000_000),
    };
    let r = walk_ramp(&plan, &always);
    ensure_eq!(
        r.outcome,
        RampOutcome::RolledBack { stage: 1 },
        "a candidate that always fails is stopped at stage 1"
    );
    ensure_eq!(
        (r.stages.len(), r.candidate_served, r.candidate_errors),
        (1, 10, 10),
        "only stage 1 ran (stages, served, errors)"
    );
    let r = walk_ramp(&RampPlan::standard(1000, 1_000_000), &always);
    ensure_eq!(
        r.outcome,
        RampOutcome::Completed,
        "an error rate exactly at the budget (100% vs a 100% budget) is not a breach"
    );
    let mut rng = SimRng::seed(0x71);
    let mut outcomes = [0usize; 2];
    for _ in 0..40 {
        let n = rng.between(1, 6) as usize;
        let mut pcts: Vec<u32> = Vec::new();
        while pcts.len() < n {
            let p = rng.between(1, 99) as u32;
            if !pcts.contains(&p) {
                pcts.push(p);
            }
        }
        pcts.sort_unstable();
        if rng.below(2) == 0 {
            // Half the plans end at 100%, half in Flagger's form below it.
            pcts.pop();
            pcts.push(100);
        }
        let stages: Vec<RampStage> = pcts
            .iter()
            .map(|&percent| RampStage {
                percent,
                requests: rng.between(2000, 6000),
            })
            .collect();
        let budget_ppm = rng.between(1000, 20_000) as u32;
        let over = rng.between(1, 100) as u32;
        let traffic = Traffic {
            seed: rng.next_u64(),
            candidate: CandidateBehaviour {
                base_ppm: rng.between(0, 8000) as u32,
                overload_above_percent: Some(over),
                overload_ppm: rng.between(0, 40_000) as u32,
            },
        };
        let plan = RampPlan {
            stages: stages.clone(),
            budget_ppm,
        };
        // Oracle: recount every stage.
        let (mut served_sum, mut errors_sum, mut expected_stages, mut outcome) =
            (0u64, 0u64, Vec::new(), RampOutcome::Completed);
        for (i, s) in stages.iter().enumerate() {
            let served = s.requests * u64::from(s.percent) / 100;
            let errors = (0..served)
                .filter(|&k| traffic.candidate_fails(i, s.percent, k))
                .count() as u64;
            let breached = errors * 1_000_000 > served * u64::from(budget_ppm);
            expected_stages.push((i + 1, s.percent, served, errors, breached));
            served_sum += served;
            errors_sum += errors;
            if breached {
                outcome = RampOutcome::RolledBack { stage: i + 1 };
                break;
            }
        }
        let r = walk_ramp(&plan, &traffic);
        let got: Vec<_> = r
            .stages
            .iter()
            .map(|s| (s.stage, s.percent, s.served, s.errors, s.breached))
            .collect();
        ensure_eq!(got, expected_stages, "stages (stage, percent, served, errors, breached) for shares {pcts:?}, budget {budget_ppm} ppm");
        ensure_eq!(r.outcome, outcome, "outcome for shares {pcts:?}");
        ensure_eq!(
            (r.candidate_served, r.candidate_errors),
            (served_sum, errors_sum),
            "blast radius (served, errors)"
        );
        outcomes[usize::from(outcome == RampOutcome::Completed)] += 1;
    }
    ensure!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "the random ramps include both outcomes"
    );
    // Through the manager: a breach leaves live; a bad plan is refused up front.
    let mut m =
        ReleaseManager::course(EvalSet::generate(1, 20), "idx").map_err(|e| e.to_string())?;
    let r = m
        .ramp("v2", &RampPlan::standard(10_000, 5000), &always)
        .map_err(|e| e.to_string())?;
    ensure!(
        !r.completed() && m.live() == Some("v1"),
        "a ramp stopped at a breach leaves live on v1"
    );
    let bad = RampPlan {
        stages: vec![
            RampStage {
                percent: 10,
                requests: 100,
            },
            RampStage {
                percent: 5,
                requests: 100,
            },
        ],
        budget_ppm: 5000,
    };
    ensure_eq!(
        m.ramp("v3", &bad, &never).map(|_| ()),
        Err(ReleaseError::RampNotIncreasing {
            stage: 2,
            previous: 10,
            percent: 5
        }),
        "a decreasing plan"
    );
    let flagger = RampPlan::step_weights(&[5, 25, 80], 10_000, 5000);
    let r = m.ramp("v3", &flagger, &never).map_err(|e| e.to_string())?;
    ensure!(
        r.completed() && r.stages.len() == 3 && m.live() == Some("v3") && m.last_good() == Some("v1"),
        "a plan in Flagger's form (5% -> 25% -> 80%) whose last stage passes promotes the candidate; the old live becomes last-good"
    );
    Ok(())
}

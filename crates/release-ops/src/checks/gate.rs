//! Checks of `starters/m33/release/gate.rs`: the tolerance and the gate's judgement.

use super::{ids, oracle_within, report, report_on};
use crate::eval::{EvalReport, Score};
use crate::{GatePolicy, GateReason};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

pub(super) fn tolerance_is_two_percent_relative() -> CheckResult {
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
        w(s(90, 100), s(0, 100), 100),
        "a 100% tolerance allows any drop, down to 0/100"
    );
    ensure!(
        w(s(90, 100), s(1, 100), 150),
        "a tolerance above 100% allows any drop too (and `100 - 150` must not be computed in u32)"
    );
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

pub(super) fn gate_fails_closed() -> CheckResult {
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

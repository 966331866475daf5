//! Benchmark of Part B (not a test): a canary over a 10,000-case eval set,
//! and progressive ramps over one million simulated requests.
//!
//! `cargo run --release -p release-ops --features solution --example bench-release-ops`
// Wall-clock time is allowed here: a benchmark measures wall time.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use release_ops::eval::EvalSet;
use release_ops::traffic::{run_ramp, CandidateBehaviour, RampPlan, Traffic};
use release_ops::ReleaseManager;

fn main() {
    println!("| scenario | input | result | time |");
    println!("|---|---|---|---|");

    let t = Instant::now();
    let eval = EvalSet::generate(33, 10_000);
    let built = t.elapsed();
    println!(
        "| generate eval set | 10,000 cases | {} cases | {:.1} ms |",
        eval.len(),
        built.as_secs_f64() * 1e3
    );

    for candidate in ["v2", "v3"] {
        let mut m = ReleaseManager::course(eval.clone(), "idx-bench").expect("course setup");
        let t = Instant::now();
        let r = m.canary(candidate).expect("canary");
        let took = t.elapsed();
        println!(
            "| canary {candidate} vs v1 | 10,000 cases x 2 releases | {} ({} vs {}) | {:.1} ms |",
            r.decision,
            r.candidate_report.score,
            r.live_report.score,
            took.as_secs_f64() * 1e3
        );
    }

    let plan = RampPlan::standard(250_000, 5_000);
    for (label, behaviour) in [
        ("healthy (0.1% errors)", CandidateBehaviour::steady(1_000)),
        (
            "overloaded above 10%",
            CandidateBehaviour {
                base_ppm: 2_000,
                overload_above_percent: Some(10),
                overload_ppm: 30_000,
            },
        ),
    ] {
        let traffic = Traffic {
            seed: 33,
            candidate: behaviour,
        };
        let t = Instant::now();
        let r = run_ramp(&plan, &traffic).expect("ramp");
        let took = t.elapsed();
        println!(
            "| ramp 1->10->50->100%, {label} | 1,000,000 requests | {:?}, blast radius {} served / {} errors | {:.1} ms |",
            r.outcome,
            r.candidate_served,
            r.candidate_errors,
            took.as_secs_f64() * 1e3
        );
    }

    let big_bang = RampPlan {
        stages: vec![release_ops::traffic::RampStage {
            percent: 100,
            requests: 1_000_000,
        }],
        budget_ppm: 5_000,
    };
    let traffic = Traffic {
        seed: 33,
        candidate: CandidateBehaviour::steady(1_000),
    };
    let t = Instant::now();
    let r = run_ramp(&big_bang, &traffic).expect("ramp");
    let took = t.elapsed();
    println!(
        "| one stage at 100%, healthy | 1,000,000 candidate requests | {:?}, {} served / {} errors | {:.1} ms |",
        r.outcome,
        r.candidate_served,
        r.candidate_errors,
        took.as_secs_f64() * 1e3
    );
}

//! How long the whole shift takes: every stage, every module, one outage.
//! `cargo run --release -p capstone --features solution,reference-parts --example bench-capstone`
// Wall-clock time is allowed here: a benchmark measures wall time.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use capstone::{extension, shift, Scenario};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    println!("{:<28} {:>6} {:>12}", "run", "runs", "median ms");
    for scenario in Scenario::ALL {
        let times: Vec<f64> = (0..15)
            .map(|i| {
                let t = Instant::now();
                let (s, g) = shift::drill(shift::SEED + i, scenario);
                std::hint::black_box((s.trace.len(), g.exit_code));
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        println!(
            "{:<28} {:>6} {:>12.2}",
            scenario.name(),
            times.len(),
            median(times)
        );
    }
    let times: Vec<f64> = (0..15)
        .map(|i| {
            let t = Instant::now();
            std::hint::black_box(extension::run(extension::SEED + i).trace.len());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!(
        "{:<28} {:>6} {:>12.2}",
        "stale-index (extension)",
        times.len(),
        median(times)
    );
}

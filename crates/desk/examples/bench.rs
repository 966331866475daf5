//! How correlation cost grows with the size of the storm.
//!
//! `cargo run --release -p desk --features solution --example bench-desk`
//!
//! Inputs are deterministic (back-to-back course storms, seed 32); only the
//! timings come from the wall clock. If the cost grew quadratically, doubling
//! the records would quadruple the time; here it roughly doubles, and the
//! time per record stays flat (n log n at worst).
// Wall-clock time is allowed here: a benchmark measures wall time.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use desk::{correlate, storm, CorrelationConfig};

fn main() {
    let config = CorrelationConfig::default();
    let sizes = [12_500usize, 25_000, 50_000, 100_000, 200_000];
    println!(
        "{:>9} {:>8} {:>9} {:>10} {:>11} {:>12}",
        "records", "alerts", "incidents", "best ms", "ns/record", "x prev size"
    );
    let mut previous: Option<f64> = None;
    let mut ends: Vec<f64> = Vec::new();
    for n in sizes {
        let alerts = storm::many(32, n);
        let mut best = f64::INFINITY;
        let mut incidents = 0;
        let mut distinct = 0;
        for _ in 0..9 {
            let start = Instant::now();
            let c = correlate(&alerts, &config);
            let ms = start.elapsed().as_secs_f64() * 1e3;
            best = best.min(ms);
            incidents = c.incidents.len();
            distinct = c.alerts.len();
        }
        let growth = previous
            .map(|p| format!("{:.2}", best / p))
            .unwrap_or_else(|| "-".into());
        println!(
            "{n:>9} {distinct:>8} {incidents:>9} {best:>10.1} {:>11.0} {growth:>12}",
            best * 1e6 / n as f64
        );
        previous = Some(best);
        ends.push(best);
    }
    if let (Some(first), Some(last)) = (ends.first(), ends.last()) {
        println!(
            "16x the records took {:.1}x the time (linear: 16x, n log n: about 21x, quadratic: 256x)",
            last / first
        );
    }

    // For contrast: inhibition done the naive way, every alert against every
    // other, is quadratic — doubling the alerts quadruples the time.
    println!();
    println!(
        "{:>9} {:>10} {:>12}   (naive all-pairs inhibition, for contrast)",
        "alerts", "best ms", "x prev size"
    );
    let mut previous: Option<f64> = None;
    for n in [1_000usize, 2_000, 4_000] {
        let alerts: Vec<desk::Alert> = desk::dedup(&storm::many(32, n * 4))
            .into_iter()
            .take(n)
            .map(|d| d.alert)
            .collect();
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let start = Instant::now();
            let mut muted = 0usize;
            for (i, t) in alerts.iter().enumerate() {
                let hit = config.inhibit_rules.iter().any(|rule| {
                    alerts
                        .iter()
                        .enumerate()
                        .any(|(j, s)| j != i && desk::inhibits(rule, s, t))
                });
                muted += usize::from(hit);
            }
            std::hint::black_box(muted);
            best = best.min(start.elapsed().as_secs_f64() * 1e3);
        }
        let growth = previous
            .map(|p| format!("{:.2}", best / p))
            .unwrap_or_else(|| "-".into());
        println!("{n:>9} {best:>10.1} {growth:>12}");
        previous = Some(best);
    }
}

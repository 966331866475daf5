//! Benchmark: 10 million events through the windowed SLI and the burn-rate
//! policy.
//!
//! The events are one every 60 ms of simulated time (about 6.9 days), with
//! a bad hour (20% errors) on day 4 and a slow leak (4% errors for 12 hours)
//! on day 5, so the policy pages and tickets along the way. The policy is
//! evaluated once per simulated minute, as a real alerting loop would. The
//! stream is generated before the clock starts; only the SLI and the policy
//! are timed.
//!
//! Run: `cargo run --release -p incident --features solution --example bench-incident`
// Wall-clock time is allowed here: a benchmark measures wall time.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use chrono::TimeDelta;
use incident::{
    evaluate, BurnDecision, BurnPolicy, Pager, PagerEvent, Slo, WindowBurns, WindowedSli,
};
use labkit::{SimClock, SimRng};

const EVENTS: usize = 10_000_000;
const STEP_MS: i64 = 60;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slo = Slo::course_default();
    let policy = BurnPolicy::for_slo(&slo);
    let origin = SimClock::course_epoch();

    // The stream: good/bad per event, decided up front.
    let mut rng = SimRng::seed(31);
    let day_ms = 86_400_000i64;
    let good: Vec<bool> = (0..EVENTS)
        .map(|i| {
            let t = i as i64 * STEP_MS;
            let p_bad = if (4 * day_ms..4 * day_ms + 3_600_000).contains(&t) {
                0.20
            } else if (5 * day_ms..5 * day_ms + 12 * 3_600_000).contains(&t) {
                0.04
            } else {
                0.002
            };
            !rng.chance(p_bad)
        })
        .collect();

    let mut sli = WindowedSli::per_minute(origin, &policy.windows())?;
    let mut pager = Pager::new();
    let (mut evaluations, mut quiet, mut no_data, mut firing) = (0u64, 0u64, 0u64, 0u64);
    let mut events_out = Vec::new();
    let mut next_eval = origin + TimeDelta::minutes(1);
    let start = Instant::now();
    for (i, ok) in good.iter().enumerate() {
        let at = origin + TimeDelta::milliseconds(i as i64 * STEP_MS);
        while at >= next_eval {
            let counts = sli.counts_at(next_eval)?;
            let decision = evaluate(&policy, &WindowBurns::from_counts(&slo, &counts));
            evaluations += 1;
            match &decision {
                BurnDecision::Quiet => quiet += 1,
                BurnDecision::NoData => no_data += 1,
                BurnDecision::Notify(_) => firing += 1,
            }
            if let Some(e) = pager.observe(&decision) {
                events_out.push((next_eval, e));
            }
            next_eval += TimeDelta::minutes(1);
        }
        sli.observe(at, *ok)?;
    }
    let elapsed = start.elapsed().as_secs_f64();

    let span_h = (EVENTS as f64 * STEP_MS as f64) / 3_600_000.0;
    println!("| figure | value |");
    println!("|---|---|");
    println!("| events | {EVENTS} |");
    println!("| simulated span | {span_h:.1} h |");
    println!("| windows measured | {} |", policy.windows().len());
    println!("| policy evaluations (one per minute) | {evaluations} |");
    println!("| decisions: firing / quiet / no data | {firing} / {quiet} / {no_data} |");
    println!("| pager notifications | {} |", events_out.len());
    println!("| wall time | {:.3} s |", elapsed);
    println!(
        "| events per second | {:.1} million |",
        EVENTS as f64 / elapsed / 1e6
    );
    println!();
    for (t, e) in &events_out {
        let what = match e {
            PagerEvent::Fire(a) => format!("fire {a}"),
            PagerEvent::Escalate(a) => format!("escalate {a}"),
            PagerEvent::Clear => "clear".to_string(),
        };
        println!("{}  {what}", labkit::clock::stamp(*t));
    }
    Ok(())
}

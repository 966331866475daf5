//! Prints the burn-rate policy as a Prometheus rule file. Built by
//! `cargo xtask rules m31`: with the `solution` feature it is the reference
//! policy; without it (`--mine`), the learner's `tier_fires` decides the
//! comparison.
//!
//! Usage: `slo-rules [--target 0.99] [--period-days 30] [--slo NAME]
//! [--good COUNTER] [--valid COUNTER]`

use std::process::ExitCode;

use incident::burn::BurnPolicy;
use incident::window::days;
use incident::Slo;
use slo_rules::{render, Comparison, Counters};

fn value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn run(args: &[String]) -> Result<String, String> {
    let known = ["--target", "--period-days", "--slo", "--good", "--valid"];
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !known.contains(&a.as_str()) {
            return Err(format!(
                "unknown argument `{a}`; valid: {}",
                known.join(", ")
            ));
        }
        i += 2;
    }
    let target: f64 = match value(args, "--target") {
        Some(t) => t
            .parse()
            .map_err(|_| format!("--target {t}: not a number"))?,
        None => 0.99,
    };
    let period: i64 = match value(args, "--period-days") {
        Some(p) => p
            .parse()
            .map_err(|_| format!("--period-days {p}: not a whole number"))?,
        None => 30,
    };
    let name = value(args, "--slo").unwrap_or_else(|| "availability".to_string());
    let slo = Slo::new(&name, target, days(period)).map_err(|e| e.to_string())?;
    let mut counters = Counters::default();
    if let Some(g) = value(args, "--good") {
        counters.good = g;
    }
    if let Some(v) = value(args, "--valid") {
        counters.valid = v;
    }
    let policy = BurnPolicy::for_slo(&slo);
    let (comparison, source) = if cfg!(feature = "solution") {
        (Comparison::REFERENCE, "the reference policy")
    } else {
        // The learner's tier_fires may still be a todo!(): say so plainly.
        std::panic::set_hook(Box::new(|_| {}));
        let probed = std::panic::catch_unwind(|| Comparison::probe(incident::tier_fires));
        let _ = std::panic::take_hook();
        let c = probed.map_err(|_| {
            "your tier_fires (starters/m31/paging.rs) is not written yet, or panicked: \
             `cargo xtask lab m31` shows what it needs"
                .to_string()
        })?;
        (c, "your policy: the comparison is read off your tier_fires")
    };
    render(&policy, &slo, &counters, comparison, source).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

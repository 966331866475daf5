//! `evals`: the eval gate of the shift, the thing CI runs. Prints each
//! assertion by name with pass/fail and why, and exits 0 only when all hold
//! (1 when any fails, 2 for a bad command line).
//!
//! `--scenario <name>` breaks the shift on purpose; `--json` prints the
//! gate as JSON; `--extension` adds the stale-index check.

use std::process::ExitCode;

use anyhow::Result;
use capstone::{cli, extension, shift, Scenario};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("evals: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = cli::parse(
        &args,
        &["--seed", "--scenario", "--json", "--extension"],
        shift::SEED,
    )?;
    let ran = cli::guarded(move || {
        let s = shift::run(o.seed, o.scenario);
        let gate = if o.extension {
            extension::gate_with_extension(&s.report, &extension::run(extension::SEED).report)
        } else {
            shift::gate(&s.report)
        };
        (s, gate)
    });
    let (s, gate) = match ran {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("evals: {msg}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = String::new();
    if o.json {
        out.push_str(&gate.to_json());
        out.push('\n');
    } else {
        out.push_str(&gate.to_text());
        if o.scenario != Scenario::Clean {
            let expected: Vec<&str> = o.scenario.should_fail().iter().map(|c| c.name()).collect();
            let caught = gate.failed() == o.scenario.should_fail();
            out.push_str(&format!(
                "scenario {}: {}; it should fail {}: {}\n",
                o.scenario,
                o.scenario.describe(),
                expected.join(", "),
                if caught {
                    "the gate caught exactly that"
                } else {
                    "the gate did NOT fail exactly those"
                }
            ));
            out.push_str(&format!(
                "live at the end: {} ({})\n",
                s.report.live_at_end.as_deref().unwrap_or("none"),
                if s.report.live_verified_at_end {
                    "verified"
                } else {
                    "unverified: it never passed a canary"
                }
            ));
        }
    }
    cli::emit(&out)?;
    Ok(ExitCode::from(gate.exit_code))
}

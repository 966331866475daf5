//! `drill`: the on-call shift as a numbered trace, every line naming the
//! module that acted, stages intake to ship and then the gate's verdicts
//! (only once Part B is written: before that the trace stops before the
//! verify stage and says so). `--markdown` prints it as a table for posting;
//! `--scenario <name>` runs a break-on-purpose scenario; `--extension`
//! appends the stale-index outage.

use std::process::ExitCode;

use anyhow::Result;
use capstone::{cli, shift};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("drill: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = cli::parse(
        &args,
        &["--seed", "--scenario", "--markdown", "--extension"],
        shift::SEED,
    )?;
    let (trace, not_run) = match cli::drill_trace(&o) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("drill: {msg}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let code = if not_run.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    if o.markdown {
        cli::emit(&trace.to_markdown())?;
    } else {
        cli::emit(&trace.to_text())?;
    }
    for why in &not_run {
        eprintln!("drill: {why}");
    }
    Ok(code)
}

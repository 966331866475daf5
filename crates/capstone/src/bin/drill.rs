//! `drill`: the on-call shift as a numbered trace, every line naming the
//! module that acted. `--markdown` prints it as a table for posting;
//! `--scenario <name>` runs a break-on-purpose scenario; `--extension`
//! appends the stale-index outage.

use std::process::ExitCode;

use anyhow::Result;
use capstone::{cli, extension, shift};

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
    let trace = cli::guarded(move || {
        let (mut s, _gate) = shift::drill(o.seed, o.scenario);
        if o.extension {
            s.trace.extend(&extension::run(extension::SEED).trace);
        }
        s.trace
    });
    let trace = match trace {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("drill: {msg}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if o.markdown {
        cli::emit(&trace.to_markdown())?;
    } else {
        cli::emit(&trace.to_text())?;
    }
    Ok(ExitCode::SUCCESS)
}

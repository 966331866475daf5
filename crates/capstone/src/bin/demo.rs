//! `demo`: the on-call shift narrated for a person, with the numbers that
//! matter (`cargo xtask demo`). `--markdown` wraps it for posting.

use std::process::ExitCode;

use anyhow::Result;
use capstone::{cli, narrate, shift};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("demo: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = cli::parse(&args, &["--seed", "--scenario", "--markdown"], shift::SEED)?;
    let story = cli::guarded(move || {
        let s = shift::run(o.seed, o.scenario);
        let gate = shift::gate(&s.report);
        narrate::narrate(&s.report, &gate)
    });
    let story = match story {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("demo: {msg}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if o.markdown {
        // For posting: keep the terminal layout inside a fenced block.
        cli::emit(&format!("```text\n{story}```\n"))?;
    } else {
        cli::emit(&story)?;
    }
    Ok(ExitCode::SUCCESS)
}

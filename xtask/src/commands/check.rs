//! `cargo xtask check`: the learner's self-check of every module.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::Args;
use crate::{catalog, check_report, lab, root};

pub fn run(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    let root = root();
    let runs = lab::check_every_module(&root, super::variant(a))?;
    let integrity = catalog::integrity(&root)?;
    print!("{}", check_report::score_table(&runs, &integrity));
    let results = check_report::results(&runs, integrity);
    if let Some(file) = a.value("--json") {
        let json = serde_json::to_string_pretty(&results)? + "\n";
        std::fs::write(file, json).with_context(|| format!("writing {file}"))?;
        println!("results written to {file}");
    }
    Ok(if results.status == "pass" {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

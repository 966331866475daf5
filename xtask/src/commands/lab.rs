//! `cargo xtask lab [MODULE]`: build the learner's code for a module and run
//! its checks, once or on every save (the engine is [`crate::lab`]).

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cargo::Variant;
use crate::check_report::{self, Style};
use crate::cli::{usage, Args};
use crate::lab::{self, ModuleRun, Options};
use crate::modules::MODULES;
use crate::{root, watch};

pub fn run(a: &Args) -> Result<ExitCode> {
    let root = root();
    let variant = super::variant(a);
    let Some(name) = a.rest.first() else {
        let rows: Vec<_> = MODULES
            .iter()
            .map(|m| (m, lab::best_progress(&root, m, variant)))
            .collect();
        print!("{}", check_report::module_list(&rows));
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(extra) = a.rest.get(1) {
        return Err(usage(format!("`lab` takes one module, not also `{extra}`")));
    }
    let module = super::module_arg(name)?;
    if a.has("--reference-parts") && module.reference_parts_feature.is_none() {
        return Err(usage(
            "--reference-parts only applies to m34 (the capstone)",
        ));
    }
    let opts = Options {
        variant,
        reference_parts: lab::runs_on_reference_parts(module, variant, a.has("--reference-parts")),
        limits: super::limits(a)?,
        jobs: lab::jobs(),
        target_dir: None,
        clippy: a.has("--clippy"),
    };
    let style = Style::detect();
    let once = || -> Result<ModuleRun> {
        // A first build takes a while; say so, but only to a person.
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("building {} ({} variant)…", module.name, variant.name());
        }
        let built = lab::build_modules(&root, &[module], &opts)?;
        let mut runs = lab::run_modules(&root, &[module], &built, &opts)?;
        let run = runs.pop().context("no result for the module")?;
        lab::save_progress(&root, &run, opts.reference_parts);
        print!("{}", check_report::lab_report(&run, style));
        if module.reference_parts_feature.is_some() && !opts.reference_parts && !run.complete() {
            println!(
                "Tip: the capstone runs on your M31–M33; add --reference-parts to run it on the reference ones."
            );
        }
        Ok(run)
    };
    if a.has("--watch") {
        let dir = match variant {
            Variant::Starter => module.starters_dir(),
            Variant::Solution => module.solutions_dir(),
        };
        watch::watch(&root, &dir, style, || {
            if let Err(e) = once() {
                eprintln!("error: {e:#}");
            }
        });
    }
    let run = once()?;
    Ok(if run.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

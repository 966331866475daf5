//! # xtask — the course tool
//!
//! `cargo xtask <command>`; `cargo xtask help` lists them. Every command is
//! declared once, in [`flags::COMMANDS`] (name, arguments, flags, help: the
//! help text is generated from it), and runs from its own module of
//! [`commands`]. The commands stand on a few engines: [`lab`] builds modules
//! and runs their checks one contained process each ([`runner`]),
//! [`report`] prints what happened, [`grade`] grades a class on the
//! grader's own course, [`starters`] and [`codegen`] generate the learner's
//! files and each port's wiring, [`catalog`] keeps the committed check list
//! and integrity manifest, and [`verify`] proves the course itself is sound.

mod book;
mod cargo;
mod catalog;
mod check_report;
mod codegen;
mod commands;
mod flags;
mod grade;
mod guides;
mod lab;
mod layout;
mod loopbench;
mod modules;
mod rules;
mod runner;
mod soundness;
mod starters;
mod watch;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::process::ExitCode;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match flags::dispatch(&args) {
        Ok(code) => code,
        Err(e) => {
            if let Some(u) = e.downcast_ref::<flags::UsageError>() {
                eprintln!("error: {u}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

//! # xtask — the course tool
//!
//! `cargo xtask <command>`; `cargo xtask help` lists them. Every command is
//! declared once, in [`cli::COMMANDS`] (name, arguments, flags, help: the
//! help text is generated from it), and runs from its own module of
//! [`commands`]. The commands stand on a few engines: [`lab`] builds modules
//! and runs their checks one contained process each ([`runner`]),
//! [`check_report`] prints what happened, [`grade`] grades a class on the
//! grader's own course, [`starters`] and [`codegen`] generate the learner's
//! files and each port's wiring, [`catalog`] keeps the committed check list
//! and integrity manifest, and [`soundness`] proves the course itself is
//! sound (`verify`, `ci`). The map of the whole workspace is
//! `ARCHITECTURE.md` at its root.
// Wall-clock time is allowed here: the course tool measures and limits real processes: time limits, benchmarks, watch.
#![allow(clippy::disallowed_methods)]

mod book;
mod budgets;
mod cargo;
mod catalog;
mod check_report;
mod cli;
mod codegen;
mod commands;
mod estimates;
mod grade;
mod guides;
mod lab;
mod layout;
mod loopbench;
mod modules;
mod rules;
mod runner;
mod soundness;
mod stale_docs;
mod starters;
mod watch;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::process::ExitCode;

/// The course this run works on, found at run time (xtask lives one level
/// below the workspace root).
///
/// Cargo tells the process it runs which package it is (`CARGO_MANIFEST_DIR`,
/// set by `cargo run` and `cargo test`), so `cargo xtask` works on the
/// checkout it was typed in, even when two checkouts share one
/// `CARGO_TARGET_DIR` and so run one binary. Started by hand, the tool looks
/// for the course's catalogue from the current folder upwards; the folder
/// it was built in is the last resort.
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").filter(|d| !d.is_empty()) {
        let xtask = PathBuf::from(dir);
        if let Some(root) = xtask.parent().filter(|r| is_course(r)) {
            return root.to_path_buf();
        }
    }
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(root) = cwd.ancestors().find(|d| is_course(d)) {
            return root.to_path_buf();
        }
    }
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    built.parent().map(PathBuf::from).unwrap_or(built)
}

/// A folder holding this course: its catalogue and its tool.
fn is_course(dir: &std::path::Path) -> bool {
    dir.join("labs/catalog.json").is_file() && dir.join("xtask/Cargo.toml").is_file()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::dispatch(&args) {
        Ok(code) => code,
        Err(e) => {
            if let Some(u) = e.downcast_ref::<cli::UsageError>() {
                eprintln!("error: {u}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

//! # xtask — the course tool
//!
//! `cargo xtask <command>`; run `cargo xtask help` for the list. Each command
//! is a small function in its own module: [`lab`] builds a module and runs its
//! checks one process each, [`report`] prints what happened, [`starters`]
//! generates the learner's files from the reference, [`catalog`] keeps the
//! committed check list and integrity manifest, [`verify`] proves the course
//! itself is sound.

mod book;
mod cargo;
mod catalog;
mod cli;
mod lab;
mod layout;
mod loopbench;
mod modules;
mod report;
mod rules;
mod runner;
mod starters;
mod verify;
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

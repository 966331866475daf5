//! `cargo xtask book` and `cargo xtask report` (the engine is
//! [`crate::book`]).

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Args;
use crate::root;

pub fn book(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    crate::book::book(&root(), a.has("--serve"), a.has("--open"))
}

pub fn report(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    crate::book::report(&root(), a.has("--mine"))
}

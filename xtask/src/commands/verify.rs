//! `cargo xtask verify`, `catalog` and `ci`: the course proves itself (the
//! engine is [`crate::soundness`]).

use std::process::ExitCode;

use anyhow::Result;

use crate::flags::Args;
use crate::{catalog, root};

pub fn verify(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    crate::soundness::run(&root(), !a.has("--skip-lint"))
}

pub fn catalog(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    crate::soundness::write_catalog(&root())?;
    println!("wrote {} and {}", catalog::CATALOG, catalog::MANIFEST);
    Ok(ExitCode::SUCCESS)
}

pub fn ci(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    crate::soundness::ci(&root())
}

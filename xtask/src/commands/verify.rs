//! `cargo xtask verify`, `catalog` and `ci`: the course proves itself (the
//! engine is [`crate::soundness`]).

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Args;
use crate::{catalog, root};

pub fn verify(a: &Args) -> Result<ExitCode> {
    let only = match a.rest.as_slice() {
        [] => None,
        [name] => Some(super::module_arg(name)?),
        [_, extra, ..] => {
            return Err(crate::cli::usage(format!(
                "`verify` takes one module at most, not also `{extra}`"
            )))
        }
    };
    let root = root();
    // A function added to a learner file learners already have (compared
    // with the last release tag; without one there is nothing to compare).
    if let Some(release) = crate::grade::midterm::last_release(&root) {
        let files = crate::grade::learner_files(&root)?;
        for w in crate::grade::midterm::added_since(&root, &release, &files) {
            eprintln!("warning: {w}");
        }
    }
    crate::soundness::run(&root, !a.has("--skip-lint"), only)
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

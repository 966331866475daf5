//! `cargo xtask starters`: the learner's files from the reference, and each
//! port's wiring from its declaration.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Args;
use crate::{codegen, root, starters};

pub fn run(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    let root = root();
    if a.has("--check") {
        let mut problems = starters::drift(&root)?;
        problems.extend(codegen::drift(&root)?);
        if problems.is_empty() {
            println!("starters and wiring match what the generator makes");
            return Ok(ExitCode::SUCCESS);
        }
        for p in &problems {
            println!("{p}");
        }
        println!("run `cargo xtask starters` to regenerate them");
        return Ok(ExitCode::FAILURE);
    }
    for f in codegen::write(&root)? {
        println!("wrote {f} (from its port.rs)");
    }
    let done = starters::write(&root, a.has("--force"))?;
    for f in &done.written {
        println!("wrote {f}");
    }
    println!(
        "{} written, {} already up to date",
        done.written.len(),
        done.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

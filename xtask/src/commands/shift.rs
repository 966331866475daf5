//! `cargo xtask demo` and `drill`: the capstone's binaries of those names.
//! By default on the reference code, so they work before any lab is done;
//! `--mine` runs them on the learner's M31–M34.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cargo::Variant;
use crate::cli::{usage, Args};
use crate::modules;
use crate::root;

pub fn demo(a: &Args) -> Result<ExitCode> {
    shift(a, "demo")
}

pub fn drill(a: &Args) -> Result<ExitCode> {
    shift(a, "drill")
}

fn shift(a: &Args, bin: &str) -> Result<ExitCode> {
    a.no_positionals()?;
    let root = root();
    let src = root.join("crates/capstone/src/bin");
    if !src.join(format!("{bin}.rs")).exists() && !src.join(bin).join("main.rs").exists() {
        return Err(usage(format!("the capstone has no `{bin}` yet")));
    }
    let capstone = modules::find("m34").context("the course has an m34")?;
    let mut cmd = crate::cargo::command();
    cmd.current_dir(&root)
        .args(["run", "--quiet", "-p", "capstone", "--bin", bin]);
    if a.has("--mine") {
        cmd.arg("--target-dir")
            .arg(Variant::Starter.target_dir(&root));
    } else {
        let mut features = vec!["capstone/solution".to_string()];
        features.extend(capstone.reference_parts_feature.map(String::from));
        cmd.arg("--target-dir")
            .arg(Variant::Solution.target_dir(&root))
            .args(["--features", &features.join(",")]);
    }
    cmd.arg("--");
    if a.has("--markdown") {
        cmd.arg("--markdown");
    }
    let status = cmd.status().context("cannot run cargo")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

//! `cargo xtask rules m31`: the burn-rate policy as a Prometheus rule file.
//!
//! The rules are written by the `slo-rules` binary (crate `crates/slo-rules`),
//! built against the reference M31 (default) or the learner's (`--mine`, where
//! the learner's `tier_fires` decides the comparison). Neither build is part
//! of `cargo xtask lab`.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

use crate::cargo::Variant;

/// The flags the `slo-rules` binary takes, handed on as they are.
pub const PASSED_ON: [&str; 5] = ["--target", "--period-days", "--slo", "--good", "--valid"];

/// Runs `cargo xtask rules m31 …` (options as `crate::cli` declares them).
pub fn run(a: &crate::cli::Args) -> Result<ExitCode> {
    let root = crate::root();
    let mine = a.has("--mine");
    let out = a.value("--out").map(String::from);
    let mut passed: Vec<String> = Vec::new();
    for flag in PASSED_ON {
        if let Some(v) = a.value(flag) {
            passed.push(flag.to_string());
            passed.push(v.to_string());
        }
    }
    match a.rest.as_slice() {
        [m] if m == "m31" => {}
        [other] => bail!("`rules` writes the burn-rate policy of m31; `{other}` has none"),
        _ => bail!("usage: cargo xtask rules m31 [--mine] [--out FILE] (see --help)"),
    }
    let variant = if mine {
        Variant::Starter
    } else {
        Variant::Solution
    };
    let output = slo_rules(&root, variant, &passed)?;
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        return Ok(ExitCode::FAILURE);
    }
    match out {
        Some(file) => {
            std::fs::write(&file, &output.stdout).with_context(|| format!("writing {file}"))?;
            println!("wrote {file}");
        }
        None => print!("{}", String::from_utf8_lossy(&output.stdout)),
    }
    Ok(ExitCode::SUCCESS)
}

fn slo_rules(root: &Path, variant: Variant, args: &[String]) -> Result<std::process::Output> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["run", "--quiet", "-p", "slo-rules", "--bin", "slo-rules"])
        .arg("--target-dir")
        .arg(variant.target_dir(root));
    if variant == Variant::Solution {
        cmd.args(["--features", "solution"]);
    }
    cmd.arg("--").args(args);
    // cargo's own messages (a compile error in the learner's code) go to the terminal.
    cmd.stderr(std::process::Stdio::inherit());
    cmd.output().context("cannot run cargo")
}

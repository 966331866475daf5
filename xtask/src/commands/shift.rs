//! `cargo xtask demo`, `drill` and `evals`: the capstone's binaries of those
//! names. By default on the reference code, so they work before any lab is
//! done; `--mine` runs them on the learner's M31–M34, and `--mine
//! --reference-parts` on the learner's M34 over the reference M31–M33 (as
//! `cargo xtask lab m34 --reference-parts` judges it).
//!
//! `--mine` builds in the lab's own profile and target folder, so after a
//! `cargo xtask lab m34` only the capstone crate and the one binary are
//! compiled again, not every dependency in a second profile (a cold build
//! of minutes, measured in the M34 learner trial).

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

pub fn evals(a: &Args) -> Result<ExitCode> {
    shift(a, "evals")
}

/// The cargo arguments that run the capstone's `bin` (after `cargo`).
pub fn run_args(a: &Args, bin: &str, root: &std::path::Path) -> Result<Vec<String>> {
    let capstone = modules::find("m34").context("the course has an m34")?;
    let mine = a.has("--mine");
    if a.has("--reference-parts") && !mine {
        return Err(usage(
            "--reference-parts goes with --mine (without --mine the whole shift is the reference's)",
        ));
    }
    let mut args: Vec<String> = ["run", "--quiet", "--profile", "lab", "-p", "capstone"]
        .into_iter()
        .map(String::from)
        .collect();
    args.extend(["--bin".to_string(), bin.to_string()]);
    let variant = if mine {
        Variant::Starter
    } else {
        Variant::Solution
    };
    args.push("--target-dir".to_string());
    args.push(variant.target_dir(root).display().to_string());
    let mut features = Vec::new();
    if !mine {
        features.push("capstone/solution".to_string());
    }
    if !mine || a.has("--reference-parts") {
        features.extend(capstone.reference_parts_feature.map(String::from));
    }
    if !features.is_empty() {
        args.extend(["--features".to_string(), features.join(",")]);
    }
    args.push("--".to_string());
    for flag in ["--markdown", "--json", "--extension"] {
        if a.has(flag) {
            args.push(flag.to_string());
        }
    }
    if let Some(s) = a.value("--scenario") {
        args.extend(["--scenario".to_string(), s.to_string()]);
    }
    Ok(args)
}

fn shift(a: &Args, bin: &str) -> Result<ExitCode> {
    a.no_positionals()?;
    let root = root();
    let src = root.join("crates/capstone/src/bin");
    if !src.join(format!("{bin}.rs")).exists() && !src.join(bin).join("main.rs").exists() {
        return Err(usage(format!("the capstone has no `{bin}` yet")));
    }
    let args = run_args(a, bin, &root)?;
    let status = crate::cargo::command()
        .current_dir(&root)
        .args(&args)
        .status()
        .context("cannot run cargo")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::run_args;
    use crate::cli::{parse, COMMANDS};
    use std::path::Path;

    fn args_of(command: &str, args: &[&str]) -> anyhow::Result<Vec<String>> {
        let c = COMMANDS
            .iter()
            .find(|c| c.name == command)
            .expect("a command");
        let a = parse(c, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
        run_args(&a, command, Path::new("/course"))
    }

    /// What the guide's B4 runs: the learner's gate on the reference
    /// M31–M33, in the lab's profile and folder (no second cold build).
    #[test]
    fn mine_on_the_reference_parts_builds_where_the_lab_builds() {
        let got = args_of(
            "evals",
            &[
                "--mine",
                "--reference-parts",
                "--scenario",
                "no-rollback-target",
            ],
        )
        .expect("valid");
        let line = got.join(" ");
        assert!(line.contains("--profile lab"), "{line}");
        assert!(line.contains("--bin evals"), "{line}");
        assert!(
            line.contains("--features capstone/reference-parts --"),
            "{line}"
        );
        assert!(!line.contains("capstone/solution"), "{line}");
        assert!(line.ends_with("-- --scenario no-rollback-target"), "{line}");
        let dir = crate::cargo::Variant::Starter.target_dir(Path::new("/course"));
        assert!(
            line.contains(&format!("--target-dir {}", dir.display())),
            "{line}"
        );
    }

    #[test]
    fn the_reference_is_the_default_and_reference_parts_needs_mine() {
        let line = args_of("drill", &["--markdown"]).expect("valid").join(" ");
        assert!(
            line.contains("--features capstone/solution,capstone/reference-parts"),
            "{line}"
        );
        assert!(line.ends_with("-- --markdown"), "{line}");
        let mine = args_of("drill", &["--mine"]).expect("valid").join(" ");
        assert!(!mine.contains("--features"), "your own M31–M34: {mine}");
        let e = args_of("drill", &["--reference-parts"]).expect_err("refused");
        assert!(e.to_string().contains("goes with --mine"), "{e}");
    }
}

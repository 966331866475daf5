//! `cargo xtask refresh`: after staff change a solution, a check, a port or
//! a trace on purpose, bring every generated and recorded file in line with
//! it, in the one order that works, and say what changed.
//!
//! 1. the starters and each port's wiring (`cargo xtask starters`);
//! 2. `cargo fmt --all`;
//! 3. the catalogue, first time: the snapshot tests read it (the golden
//!    gradebook finds the learner files there), and one written before this
//!    change may no longer parse or may name the old checks;
//! 4. every insta snapshot, accepted as the code now makes it: each test
//!    target that records snapshots (the `source:` line of its `.snap`
//!    files) runs once with `INSTA_UPDATE=always`;
//! 5. the catalogue and the integrity manifest (`cargo xtask catalog`)
//!    again, last, since the manifest covers the snapshots.
//!
//! It then prints every file whose bytes changed, so the change can be read
//! (`git diff`) before it is committed: a snapshot that moved for a reason the
//! change does not explain is a bug, not a refresh. `cargo xtask verify`
//! afterwards proves the result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{ExitCode, Stdio};

use anyhow::{Context, Result};

use crate::cli::Args;
use crate::{codegen, root, starters};

pub fn run(a: &Args) -> Result<ExitCode> {
    a.no_positionals()?;
    let root = root();
    let before = file_digests(&root)?;
    let mut failed = Vec::new();

    println!("== starters and wiring");
    codegen::write(&root)?;
    starters::write(&root, false)?;

    println!("== cargo fmt --all");
    if !cargo(&root, &["fmt", "--all"], false)? {
        failed.push("cargo fmt --all".to_string());
    }

    println!("== catalogue, for the snapshot tests that read it");
    crate::soundness::write_catalog(&root)?;

    // xtask's own tests are slow (classes graded, scratch copies of the
    // course), and one of them runs this command: only those that record a
    // snapshot run here.
    let xtask_tests = snapshot_tests(&std::fs::read_to_string(root.join("xtask/src/tests.rs"))?);
    for (package, target) in snapshot_targets(&root)? {
        let args: Vec<&str> = match &target {
            Some(test) => vec![
                "test",
                "--quiet",
                "-p",
                &package,
                "--all-features",
                "--test",
                test,
            ],
            None => {
                let mut args = vec![
                    "test",
                    "--quiet",
                    "--profile",
                    "lab",
                    "-p",
                    &package,
                    "--bin",
                    &package,
                    "--",
                    "--exact",
                ];
                args.extend(xtask_tests.iter().map(String::as_str));
                args
            }
        };
        println!("== snapshots: INSTA_UPDATE=always cargo {}", args.join(" "));
        if !cargo(&root, &args, true)? {
            failed.push(format!("cargo {}", args.join(" ")));
        }
    }

    println!("== catalogue and integrity manifest");
    crate::soundness::write_catalog(&root)?;

    let after = file_digests(&root)?;
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .collect();
    println!();
    if changed.is_empty() {
        println!("refresh: nothing changed");
    } else {
        println!(
            "refresh: {} file(s) changed; read them with `git diff`:",
            changed.len()
        );
        for f in changed {
            let mark = match (before.contains_key(f), after.contains_key(f)) {
                (false, _) => "new",
                (_, false) => "gone",
                _ => "changed",
            };
            println!("  {mark:<8} {f}");
        }
    }
    if failed.is_empty() {
        println!("next: `cargo xtask verify`, then commit");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("these steps failed (their output is above):");
        for f in failed {
            println!("  - {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Runs cargo in `root`; with `snapshots`, accepting every snapshot as made.
fn cargo(root: &Path, args: &[&str], snapshots: bool) -> Result<bool> {
    let mut cmd = crate::cargo::command();
    cmd.current_dir(root).args(args).stdin(Stdio::null());
    if snapshots {
        // The golden gradebook is a slow test: asked for here.
        cmd.env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1")
            .env("RUN_SLOW_TESTS", "1");
    }
    let status = cmd
        .status()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    Ok(status.success())
}

/// The test targets that record snapshots, from each `.snap` file's
/// `source:` line: `(package, Some(test))` for `crates/<package>/tests/<test>.rs`,
/// `(package, None)` for a binary's own unit tests (`xtask/src/tests.rs`).
fn snapshot_targets(root: &Path) -> Result<BTreeSet<(String, Option<String>)>> {
    let mut out = BTreeSet::new();
    for file in tracked_files(root)? {
        if !file.ends_with(".snap") {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        let Some(source) = text.lines().find_map(|l| l.strip_prefix("source: ")) else {
            continue;
        };
        let parts: Vec<&str> = source.trim().split('/').collect();
        match parts.as_slice() {
            ["crates", package, "tests", test] => {
                let test = test.trim_end_matches(".rs");
                out.insert((package.to_string(), Some(test.to_string())));
            }
            [package, "src", ..] => {
                out.insert((package.to_string(), None));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The repository's files (tracked, and untracked but not ignored).
fn tracked_files(root: &Path) -> Result<Vec<String>> {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args(["ls-files", "-co", "--exclude-standard"])
        .stderr(Stdio::null())
        .output()
        .context("cannot run git ls-files: refresh needs the course as a git checkout")?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect())
}

/// Each file's SHA-256, to tell afterwards what a refresh changed.
fn file_digests(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for f in tracked_files(root)? {
        if let Ok(bytes) = std::fs::read(root.join(&f)) {
            out.insert(f, labkit::digest::sha256_hex(&bytes));
        }
    }
    Ok(out)
}

/// The tests in `source` (xtask's `tests.rs`) whose bodies record a snapshot,
/// as libtest's exact names (`tests::name`).
fn snapshot_tests(source: &str) -> Vec<String> {
    source
        .split("\n#[test]\nfn ")
        .skip(1)
        .filter(|body| body.contains("assert_snapshot!"))
        .filter_map(|body| body.split('(').next())
        .map(|name| format!("tests::{name}"))
        .collect()
}

#[cfg(test)]
mod tests {
    /// Every snapshot xtask records is recorded by a test `refresh` runs.
    #[test]
    fn refresh_runs_every_test_that_records_an_xtask_snapshot() {
        let source = include_str!("../tests.rs");
        let names = super::snapshot_tests(source);
        assert!(names.contains(&"tests::grading_a_class_reproduces_the_golden_gradebook".into()));
        assert!(!names.iter().any(|n| n.contains("recipe")), "{names:?}");
        let recorded = source.matches("insta::assert_snapshot!").count();
        let in_tests: usize = source
            .split("\n#[test]\nfn ")
            .skip(1)
            .map(|b| b.matches("insta::assert_snapshot!").count())
            .sum();
        assert_eq!(
            recorded, in_tests,
            "a snapshot recorded outside a #[test] body"
        );
    }
}

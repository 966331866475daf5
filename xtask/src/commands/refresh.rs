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
    let xtask_tests = xtask_snapshot_tests(&root.join("xtask/src"))?;
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
        let was = file_digests(&root)?;
        let mut passed = cargo(&root, &args, true)?;
        // A test may read another's snapshot (the LMS exports read the
        // golden gradebook) as it was when the tests were built, and pass
        // or fail on that old text: when a run rewrote a snapshot, one more
        // run reads the new one.
        if file_digests(&root)? != was {
            println!("== snapshots changed: once more, for the tests that read them");
            passed = cargo(&root, &args, true)?;
        }
        if !passed {
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

/// Every test of xtask, in any of its source files under `src`, that
/// records a snapshot, as libtest's exact names (`tests::name`,
/// `grade::lms::tests::name`).
fn xtask_snapshot_tests(src: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let Ok(rel) = file.strip_prefix(src) else {
            continue;
        };
        out.extend(snapshot_tests(&module_path(rel), &source));
    }
    Ok(out)
}

/// The module path of an xtask source file: `grade/lms.rs` is `grade::lms`,
/// `grade/mod.rs` is `grade`, `main.rs` the crate root (empty).
fn module_path(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "main") {
        parts.pop();
    }
    parts.join("::")
}

/// The tests in `source`, the file of module `module`, whose bodies record a
/// snapshot, as libtest's exact names. A test at the file's top level
/// (`#[test]` unindented: the file is a test module) is `module::name`; one
/// indented once is in the file's `mod tests`: `module::tests::name`.
fn snapshot_tests(module: &str, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (marker, inner) in [("\n#[test]\nfn ", ""), ("\n    #[test]\n    fn ", "tests")] {
        for body in source.split(marker).skip(1) {
            // A body ends where the next test starts.
            let body = body.split("#[test]").next().unwrap_or(body);
            if !body.contains("assert_snapshot!") {
                continue;
            }
            let Some(name) = body.split('(').next() else {
                continue;
            };
            let path: Vec<&str> = [module, inner, name]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            out.push(path.join("::"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// Every snapshot xtask records is recorded by a test `refresh` runs,
    /// whichever file holds it.
    #[test]
    fn refresh_runs_every_test_that_records_an_xtask_snapshot() {
        let src = crate::root().join("xtask/src");
        let names = super::xtask_snapshot_tests(&src).expect("xtask's sources");
        for wanted in [
            "tests::grading_a_class_reproduces_the_golden_gradebook",
            "grade::arrivals::a_class_as_it_arrives_is_graded_regraded_and_merged",
            "grade::lms::tests::golden_exports_of_the_golden_class",
        ] {
            assert!(names.contains(&wanted.to_string()), "{wanted} in {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("recipe")), "{names:?}");
        assert!(
            !names.iter().any(|n| n.starts_with("commands::refresh")),
            "this file's own tests record nothing: {names:?}"
        );
    }

    #[test]
    fn a_test_is_named_by_its_file_and_its_mod_tests() {
        // Spelled in two halves, so this test is not one that records.
        let snap = concat!("insta::assert_", "snapshot!");
        let top = format!(
            "//! x\n\n#[test]\nfn a() {{\n    {snap}(\"a\", 1);\n}}\n\n#[test]\nfn b() {{}}\n"
        );
        assert_eq!(super::snapshot_tests("grade::x", &top), ["grade::x::a"]);
        let inner = format!(
            "mod tests {{\n    #[test]\n    fn c() {{\n        {snap}(\"c\", 1);\n    }}\n}}\n"
        );
        assert_eq!(
            super::snapshot_tests("grade::lms", &inner),
            ["grade::lms::tests::c"]
        );
        assert_eq!(
            super::module_path(std::path::Path::new("grade/mod.rs")),
            "grade"
        );
        assert_eq!(
            super::module_path(std::path::Path::new("tests.rs")),
            "tests"
        );
    }
}

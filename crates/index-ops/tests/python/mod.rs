//! The Python references some tests compare the crate with (python-stdnum
//! and phonenumbers in `tests/references.rs`, langchain-core in
//! `tests/langchain_modes.rs`): finding a Python that can import them, and
//! running a reference script on the cases.
//!
//! A missing reference follows `labkit::tools`: run by hand the test says
//! it skipped; under `CI=true` it fails, so a green CI never hides a
//! comparison that did not run. `.ci/run` installs the pinned packages.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A Python that can import every one of `modules`: the one named by the
/// environment variable `env`, else `python3` on the `PATH`. `None` after
/// saying that `test` skipped (without Python, or without a module) and how
/// to `install` what is missing; under `CI=true` either one fails the test.
pub fn find_or_skip(test: &str, env: &str, modules: &[&str], install: &str) -> Option<PathBuf> {
    let python = labkit::tools::find_or_skip(test, env, &["python3"], install)?;
    let imports = format!("import {}", modules.join(", "));
    let ok = Command::new(&python)
        .args(["-c", &imports])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let missing = modules.join(" or ");
        assert!(
            !labkit::tools::required(),
            "{test}: {} cannot import {missing} ({install}); CI=true requires it",
            python.display()
        );
        eprintln!("{test}: SKIPPED, {missing} is not installed ({install})");
        return None;
    }
    Some(python)
}

/// Runs the reference `script` (a path under the crate) with `python`:
/// `input` as JSON on its standard input, its answer read as JSON from its
/// standard output. A script that fails or answers something else fails the
/// test with what it wrote to standard error.
pub fn run(python: &Path, script: &str, input: &serde_json::Value) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let mut child = Command::new(python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "{} cannot start {}: {e}",
                python.display(),
                script.display()
            )
        });
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.to_string().as_bytes())
        .expect("the cases are written");
    let out = child.wait_with_output().expect("the reference finishes");
    assert!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{} answered no JSON ({e}): {}",
            script.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

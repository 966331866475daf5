//! The real components some tests need (Chromium, Alertmanager, promtool,
//! actionlint): found the same way everywhere, and the same rule when one is
//! missing: a test run by hand says it skipped, while under `CI=true` a
//! missing component is a failure, so a green CI never hides a test that did
//! not run.

use std::path::PathBuf;

/// Whether this run must have every real component (`CI=true`).
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// A program: the path in the environment variable `env` when it is set,
/// else the first of `names` on the `PATH`.
pub fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// [`find`], or `None` after saying that `test` skipped; under `CI=true` a
/// missing program panics (fails the test) with how to install it.
pub fn find_or_skip(test: &str, env: &str, names: &[&str], install: &str) -> Option<PathBuf> {
    let found = find(env, names);
    if found.is_none() {
        let name = names.first().copied().unwrap_or("the program");
        assert!(
            !required(),
            "{test}: {name} is not installed ({install}); CI=true requires it"
        );
        eprintln!("{test}: SKIPPED, {name} is not installed ({install})");
    }
    found
}

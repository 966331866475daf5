//! Gradescope: this course as a Gradescope autograder.
//!
//! Gradescope grades each submission in a fresh container built from an
//! `autograder.zip` (its "Autograder Specifications", read at
//! gradescope-autograders.readthedocs.io/en/latest/specs/; not tested
//! against Gradescope itself):
//!
//! - the zip holds `setup.sh` and `run_autograder` at its root; Gradescope
//!   unpacks it into `/autograder/source`, runs `setup.sh` once as root when
//!   it builds the image, and copies `run_autograder` to
//!   `/autograder/run_autograder`;
//! - for each submission it puts the learner's files in
//!   `/autograder/submission`, runs `run_autograder` with `/autograder` as
//!   the working directory, and reads `/autograder/results/results.json`.
//!
//! Our zip adds the course under `course/`. `setup.sh` installs the Rust
//! toolchain this zip was built with, builds the tool and warms the grading
//! build on the untouched starters; `run_autograder` runs
//! `cargo xtask gradescope run`, which grades the submission exactly as
//! `cargo xtask grade` does (only the learner's files are taken, each check
//! contained the same way) and writes [`Report`].
//!
//! The root is `/autograder` unless [`ROOT_VAR`] says otherwise, so a test
//! lays the tree out in a temporary folder and runs `run_autograder` there.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;

/// The environment variable that moves the `/autograder` tree.
pub const ROOT_VAR: &str = "AUTOGRADER_ROOT";
/// The environment variable that moves the warm grading build (default
/// `<root>/work`, which `setup.sh` warms).
pub const WORK_VAR: &str = "OPSLOOP_GRADESCOPE_WORK";

/// The `/autograder` tree: where the submission is and results go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub root: PathBuf,
}

impl Tree {
    /// From [`ROOT_VAR`], else `/autograder`.
    pub fn from_env() -> Self {
        let root = std::env::var_os(ROOT_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/autograder"));
        Self { root }
    }
    pub fn submission(&self) -> PathBuf {
        self.root.join("submission")
    }
    pub fn results(&self) -> PathBuf {
        self.root.join("results/results.json")
    }
    /// The warm grading build: [`WORK_VAR`], else `<root>/work`.
    pub fn work(&self) -> PathBuf {
        std::env::var_os(WORK_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("work"))
    }
}

/// `setup.sh`, for the toolchain `toolchain` (`1.95.0`).
pub fn setup_sh(toolchain: &str) -> String {
    format!(
        r#"#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It installs the Rust toolchain the autograder was built and tested with,
# builds the course tool, and grades the untouched starters once so that
# each submission rebuilds only its own files.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq build-essential curl ca-certificates >/dev/null
if ! command -v cargo >/dev/null 2>&1; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
    | sh -s -- -y --profile minimal --default-toolchain {toolchain}
fi
# shellcheck disable=SC1091
. "$HOME/.cargo/env"
cd /autograder/source/course
cargo xtask gradescope warm
"#
    )
}

/// `run_autograder`: grades `/autograder/submission` (or the tree at
/// `$AUTOGRADER_ROOT`).
pub const RUN_AUTOGRADER: &str = r#"#!/usr/bin/env bash
# Gradescope runs this for each submission, in a fresh container, from
# /autograder. It grades /autograder/submission with the course in
# source/course and writes /autograder/results/results.json.
# AUTOGRADER_ROOT moves the whole tree (the course's own test uses it).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
export AUTOGRADER_ROOT="$ROOT"
if [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
cd "$ROOT/source/course"
exec cargo xtask gradescope run
"#;

/// One check, as Gradescope shows a test.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Test {
    /// `m31.a.1 the SLI of a window` (bonus checks start `(bonus)`).
    pub name: String,
    pub score: u32,
    /// The check's points; 0 for a bonus check, whose points come on top.
    pub max_score: u32,
    /// `passed` or `failed`.
    pub status: &'static str,
    /// What failed: the check's message (and, for a check that did not
    /// finish, what happened).
    pub output: String,
    pub visibility: &'static str,
}

/// `results.json` as Gradescope reads it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Points earned, bonus included.
    pub score: u32,
    /// The learner's `feedback.md`, shown above the tests.
    pub output: String,
    /// Learners see the results as soon as they are in.
    pub visibility: &'static str,
    /// The tool's own log (cargo's, the grader's) is for staff only.
    pub stdout_visibility: &'static str,
    pub tests: Vec<Test>,
}

/// The Gradescope report of a submission's `results.json` (the course's
/// format, version 2) and its `feedback.md`.
pub fn report(results: &Value, feedback: &str) -> Result<Report> {
    if results["version"] != 2 {
        bail!("results.json is not version 2: {}", results["version"]);
    }
    let num = |v: &Value, k: &str| -> Result<u32> {
        v[k].as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .with_context(|| format!("results.json: `{k}` is not a whole number"))
    };
    let mut tests = Vec::new();
    for t in results["tests"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let optional = t["optional"].as_bool().unwrap_or(false);
        let passed = t["status"] == "pass";
        let mut output = t["message"].as_str().unwrap_or("").to_string();
        if !passed && output.is_empty() {
            output = t["outcome"].as_str().unwrap_or("failed").replace('_', " ");
        }
        let name = t["name"].as_str().unwrap_or("").to_string();
        // Optional checks count on top: the challenge (part X) as bonus,
        // a part's extensions as after class.
        let challenge = t["part"] == "X";
        tests.push(Test {
            name: match (optional, challenge) {
                (false, _) => name,
                (true, true) => format!("(bonus) {name}"),
                (true, false) => format!("(after class) {name}"),
            },
            score: num(t, "points")?,
            max_score: if optional { 0 } else { num(t, "max_points")? },
            status: if passed { "passed" } else { "failed" },
            output,
            visibility: "visible",
        });
    }
    Ok(Report {
        // Extensions and the challenge never lower a score, and what they
        // earn comes on top of the core: the score is its tests' sum.
        score: num(results, "points")?
            + num(results, "bonus_points")?
            + results["after_class_points"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
        output: feedback.to_string(),
        visibility: "visible",
        stdout_visibility: "hidden",
        tests,
    })
}

/// Writes `report` where Gradescope reads it.
pub fn write(tree: &Tree, report: &Report) -> Result<()> {
    let path = tree.results();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&path, serde_json::to_string_pretty(report)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}

/// Reads a graded submission's outputs (in `dir`, as `grade` wrote them)
/// into a [`Report`].
pub fn report_of(dir: &Path) -> Result<Report> {
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("results.json"))
            .with_context(|| format!("reading {}/results.json", dir.display()))?,
    )
    .with_context(|| format!("{}/results.json is not JSON", dir.display()))?;
    let feedback = std::fs::read_to_string(dir.join("feedback.md")).unwrap_or_default();
    report(&results, &feedback)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Value {
        serde_json::json!({
            "version": 2, "status": "fail", "points": 5, "max_points": 9, "bonus_points": 2,
            "after_class_points": 3,
            "tests": [
                {"name": "m31.a.1 sli", "part": "A", "status": "pass", "message": null,
                 "outcome": "pass", "points": 5, "max_points": 5, "optional": false},
                {"name": "m31.a.2 burn", "part": "A", "status": "error", "message": null,
                 "outcome": "not_started", "points": 0, "max_points": 4, "optional": false},
                {"name": "m31.x.1 extra", "part": "X", "status": "pass", "message": null,
                 "outcome": "pass", "points": 2, "max_points": 2, "optional": true},
                {"name": "m31.b.6 trace", "part": "B", "status": "pass", "message": null,
                 "outcome": "pass", "points": 3, "max_points": 3, "optional": true}
            ]
        })
    }

    #[test]
    fn a_report_has_gradescopes_fields_and_bonus_points_on_top() {
        let r = report(&results(), "# Feedback\n").unwrap();
        // The core's 5, the challenge's 2 and the extension's 3, on top.
        assert_eq!(r.score, 10);
        let sum: u32 = r.tests.iter().map(|t| t.score).sum();
        assert_eq!(sum, r.score, "the score is its tests'");
        assert_eq!(r.output, "# Feedback\n");
        assert_eq!(r.tests.len(), 4);
        assert_eq!(r.tests[3].name, "(after class) m31.b.6 trace");
        assert_eq!(r.tests[0].status, "passed");
        assert_eq!((r.tests[1].status, r.tests[1].score), ("failed", 0));
        assert_eq!(r.tests[1].output, "not started");
        assert_eq!(r.tests[2].name, "(bonus) m31.x.1 extra");
        assert_eq!((r.tests[2].score, r.tests[2].max_score), (2, 0));
        let max: u32 = r.tests.iter().map(|t| t.max_score).sum();
        assert_eq!(max, 9, "the required checks' points");
        let json = serde_json::to_value(&r).unwrap();
        for k in [
            "score",
            "output",
            "visibility",
            "stdout_visibility",
            "tests",
        ] {
            assert!(json.get(k).is_some(), "{k}");
        }
        for k in [
            "name",
            "score",
            "max_score",
            "status",
            "output",
            "visibility",
        ] {
            assert!(json["tests"][0].get(k).is_some(), "{k}");
        }
    }

    #[test]
    fn a_foreign_results_file_is_refused() {
        assert!(report(&serde_json::json!({"version": 1}), "").is_err());
        let mut r = results();
        r["points"] = serde_json::json!(-1);
        assert!(report(&r, "").is_err());
    }
}

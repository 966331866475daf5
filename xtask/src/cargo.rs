//! Building a module's check binaries with cargo, and reading what cargo
//! says back: the binaries it made, and for a package that did not compile,
//! the compiler's first error as `file:line: message`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use labkit::check::normalize_path;
use serde::Deserialize;

/// A `cargo` command: the cargo that runs this tool (`$CARGO`), else the
/// one on the `PATH`.
pub fn command() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Which variant of the learner's files to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The learner's files (`starters/`).
    Starter,
    /// The reference files (`solutions/`).
    Solution,
}

impl Variant {
    /// Each variant has its own target directory, so swapping back and forth
    /// never rebuilds what the other one already built.
    /// The base is `CARGO_TARGET_DIR` when it is set, as cargo itself does.
    pub fn target_dir(self, root: &Path) -> PathBuf {
        let base = target_base(root);
        match self {
            Variant::Starter => base,
            Variant::Solution => base.join("solution"),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Variant::Starter => "starter",
            Variant::Solution => "solution",
        }
    }
}

/// Where the tool builds the course at `root`: `root/target`, or, when
/// `CARGO_TARGET_DIR` is set (relative to `root` if relative), a folder of
/// its own inside it, named after the course's path (`course-<hash>`).
/// Build output of the tool's own scratch work (benchmarks, the book, its
/// tests' copies) goes under it too.
///
/// The folder of its own is what keeps two checkouts apart: cargo names a
/// workspace's build units by their path *inside* the workspace and judges
/// them fresh by modification times, so a second checkout sharing a target
/// directory, whose files are older than the first one's build, would be
/// handed the first checkout's check binaries.
pub fn target_base(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(v) => root.join(PathBuf::from(v)).join(course_key(root)),
        None => root.join("target"),
    }
}

/// `course-` and 12 hex digits of the SHA-256 of the course's absolute
/// path: stable for one checkout, different for two.
fn course_key(root: &Path) -> String {
    let path = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let digest = labkit::digest::sha256_hex(path.to_string_lossy().as_bytes());
    format!("course-{}", &digest[..12])
}

/// A package that did not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// `file:line: message` of the first error.
    pub first: String,
    /// The compiler's full rendering of that error.
    pub rendered: String,
}

/// What a build produced.
#[derive(Debug, Default)]
pub struct Built {
    /// Binary name → path of the executable.
    pub binaries: BTreeMap<String, PathBuf>,
    /// Package name → its first compile error.
    pub errors: BTreeMap<String, CompileError>,
    /// What cargo printed on stderr when it failed for a reason other than a
    /// compile error (a broken manifest, a missing dependency…).
    pub cargo_stderr: Option<String>,
    /// Warnings in the learner's (or the reference's) files, as
    /// `file:line: message`, in the order the compiler gave them.
    pub warnings: Vec<String>,
}

/// What one cargo build asks for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub packages: Vec<&'a str>,
    pub bins: Vec<&'a str>,
    pub features: Vec<String>,
    pub variant: Variant,
    /// Overrides the variant's target dir.
    pub target_dir: Option<PathBuf>,
    /// `build`, or `clippy` for the learner's lints.
    pub action: &'static str,
}

#[derive(Deserialize)]
struct Line {
    reason: String,
    #[serde(default)]
    manifest_path: Option<String>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<String>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u64,
    is_primary: bool,
}

/// Runs one `cargo build` for the request from the workspace `root`.
/// `--keep-going` lets the packages that compile be built even when another
/// one does not, so one broken module never hides the others' results.
pub fn build(root: &Path, req: &Request<'_>) -> Result<Built> {
    let mut cmd = command();
    cmd.current_dir(root)
        .args([
            req.action,
            "--quiet",
            "--keep-going",
            "--message-format=json",
        ])
        .args(["--profile", "lab"])
        .arg("--target-dir")
        .arg(
            req.target_dir
                .clone()
                .unwrap_or_else(|| req.variant.target_dir(root)),
        );
    for p in &req.packages {
        cmd.args(["-p", p]);
    }
    for b in &req.bins {
        cmd.args(["--bin", b]);
    }
    let mut features = req.features.clone();
    if req.variant == Variant::Solution {
        features.extend(req.packages.iter().map(|p| format!("{p}/solution")));
    }
    if !features.is_empty() {
        cmd.arg("--features").arg(features.join(","));
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo: is the Rust toolchain installed and on PATH?")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut built = parse(root, &stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if built.errors.is_empty() {
            if stderr.is_empty() {
                bail!(
                    "cargo build failed without saying why (exit status {})",
                    out.status
                );
            }
            built.cargo_stderr = Some(stderr);
        }
    }
    Ok(built)
}

/// Reads cargo's JSON messages.
fn parse(root: &Path, stdout: &str) -> Built {
    let mut built = Built::default();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        match msg.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(exe), Some(target)) = (msg.executable, msg.target) {
                    built.binaries.insert(target.name, PathBuf::from(exe));
                }
            }
            "compiler-message" => {
                let Some(diag) = msg.message else { continue };
                let Some(span) = diag.spans.iter().find(|s| s.is_primary) else {
                    continue; // "aborting due to …" summaries have no span
                };
                if diag.level == "warning" {
                    let file = relative(root, &span.file_name);
                    let line = format!("{file}:{}: {}", span.line_start, diag.message);
                    let learners = file.starts_with("starters/") || file.starts_with("solutions/");
                    let unwritten = diag.message.starts_with("unused variable")
                        && in_unwritten_step(&root.join(&file), span.line_start);
                    if learners
                        && !unwritten
                        && !file.ends_with("/lib.rs")
                        && !built.warnings.contains(&line)
                    {
                        built.warnings.push(line);
                    }
                    continue;
                }
                if diag.level != "error" {
                    continue;
                }
                let package = msg
                    .manifest_path
                    .as_deref()
                    .and_then(package_of_manifest)
                    .unwrap_or_else(|| "(unknown package)".to_string());
                let file = relative(root, &span.file_name);
                built.errors.entry(package).or_insert(CompileError {
                    first: format!("{file}:{}: {}", span.line_start, diag.message),
                    rendered: tidy_rendered(&diag.rendered.unwrap_or_default()),
                });
            }
            _ => {}
        }
    }
    built
}

/// Whether line `line` (1-based) of a learner file lies in a function that
/// still holds a `todo!()`: its parameters are unused because the step is
/// not written yet, which is no news to the learner.
fn in_unwritten_step(file: &Path, line: u64) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else {
        return false;
    };
    let lines: Vec<&str> = text.lines().collect();
    let at = (line as usize).saturating_sub(1).min(lines.len());
    let starts_fn = |l: &str| {
        let t = l.trim_start();
        t.starts_with("fn ") || t.starts_with("pub fn ") || t.starts_with("pub(crate) fn ")
    };
    let start = (0..=at.min(lines.len().saturating_sub(1)))
        .rev()
        .find(|&i| lines.get(i).is_some_and(|l| starts_fn(l)))
        .unwrap_or(0);
    let end = (start + 1..lines.len())
        .find(|&i| starts_fn(lines[i]))
        .unwrap_or(lines.len());
    lines[start..end].iter().any(|l| l.contains("todo!("))
}

/// Every package of the workspace lives in a directory named after it.
fn package_of_manifest(manifest: &str) -> Option<String> {
    let dir = Path::new(manifest).parent()?.file_name()?.to_str()?;
    Some(dir.to_string())
}

/// A path as a learner would write it: relative to the workspace root, with
/// the `a/../` detours of `#[path]` includes taken out.
fn relative(root: &Path, file: &str) -> String {
    let p = Path::new(file);
    let rel = p.strip_prefix(root).unwrap_or(p);
    normalize_path(&rel.to_string_lossy().replace('\\', "/"))
}

/// The compiler's rendering with every `-->` / `:::` path normalized.
fn tidy_rendered(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.lines() {
        let marker = line
            .find("--> ")
            .map(|i| i + 4)
            .or_else(|| line.find("::: ").map(|i| i + 4));
        match marker {
            Some(at) if line[at..].contains("../") => {
                let rest = &line[at..];
                let end = rest.find(':').unwrap_or(rest.len());
                out.push_str(&line[..at]);
                out.push_str(&normalize_path(&rest[..end]));
                out.push_str(&rest[end..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_artifacts_and_first_errors() {
        let root = Path::new("/w");
        let out = r#"{"reason":"compiler-artifact","manifest_path":"/w/crates/desk/Cargo.toml","target":{"name":"checks-m32"},"executable":"/w/target/debug/checks-m32"}
{"reason":"compiler-message","manifest_path":"/w/crates/index-ops/Cargo.toml","target":{"name":"index_ops"},"message":{"level":"warning","message":"unused","rendered":"w","spans":[{"file_name":"x.rs","line_start":1,"is_primary":true}]}}
{"reason":"compiler-message","manifest_path":"/w/crates/index-ops/Cargo.toml","target":{"name":"index_ops"},"message":{"level":"error","message":"mismatched types","rendered":"error[E0308]: mismatched types","spans":[{"file_name":"crates/index-ops/src/../../../starters/m33/index/redact.rs","line_start":12,"is_primary":true}]}}
{"reason":"compiler-message","manifest_path":"/w/crates/index-ops/Cargo.toml","target":{"name":"index_ops"},"message":{"level":"error","message":"second","rendered":"","spans":[{"file_name":"a.rs","line_start":3,"is_primary":true}]}}
{"reason":"compiler-message","manifest_path":"/w/crates/index-ops/Cargo.toml","target":{"name":"index_ops"},"message":{"level":"error","message":"aborting due to 2 previous errors","rendered":"","spans":[]}}
not json at all
{"reason":"build-finished","success":false}"#;
        let b = parse(root, out);
        assert_eq!(
            b.binaries["checks-m32"],
            PathBuf::from("/w/target/debug/checks-m32")
        );
        assert_eq!(b.errors.len(), 1);
        assert_eq!(
            b.errors["index-ops"].first,
            "starters/m33/index/redact.rs:12: mismatched types"
        );
    }

    #[test]
    fn unused_parameters_of_an_unwritten_step_are_no_news() {
        let dir = std::env::temp_dir().join(format!("opsloop-unwritten-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("steps.rs");
        let text = "pub fn done(a: u8) -> u8 {\n    let unused = 3;\n    a\n}\n\n\
                    pub fn not_yet(b: u8) -> u8 {\n    todo!(\"not_yet: do it\")\n}\n";
        std::fs::write(&file, text).unwrap_or_default();
        assert!(
            !in_unwritten_step(&file, 2),
            "the written step's unused variable is news"
        );
        assert!(
            in_unwritten_step(&file, 6),
            "the unwritten step's parameter is not"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn include_detours_are_taken_out_of_paths() {
        assert_eq!(
            normalize_path("starters/m32/../../crates/desk/src/../../../starters/m32/priority.rs"),
            "starters/m32/priority.rs"
        );
        assert_eq!(normalize_path("../x/./y"), "../x/y");
        assert_eq!(
            tidy_rendered("error: x\n  --> crates/desk/../../starters/m32/a.rs:1:5\n   |\n"),
            "error: x\n  --> starters/m32/a.rs:1:5\n   |\n"
        );
    }
}

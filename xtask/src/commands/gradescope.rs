//! `cargo xtask gradescope`: this course as a Gradescope autograder (see
//! [`crate::grade::gradescope`]): `autograder.zip` by default; `run` and
//! `warm` are what the zip's scripts call inside Gradescope's container.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context, Result};

use crate::cli::{usage, Args};
use crate::grade::gradescope::{self, Tree};
use crate::grade::{self, Batch, Entry};

pub fn run(a: &Args) -> Result<ExitCode> {
    match a.rest.first().map(String::as_str) {
        None => build(a),
        Some("run") => grade_submission(),
        Some("warm") => warm(),
        Some(other) => Err(usage(format!(
            "unknown `gradescope` command `{other}`; valid: run, warm (or none, to build the zip)"
        ))),
    }
}

/// The toolchain this tool was built with, for `setup.sh` to install.
fn toolchain() -> Result<String> {
    let out = Command::new("rustc")
        .arg("--version")
        .output()
        .context("running rustc --version")?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.split_whitespace().nth(1) {
        Some(v) if out.status.success() => Ok(v.to_string()),
        _ => bail!("`rustc --version` said `{}`", text.trim()),
    }
}

/// Builds `autograder.zip` with the system `zip` (no zip crate is vendored
/// in this workspace).
fn build(a: &Args) -> Result<ExitCode> {
    let root = crate::root();
    let here = std::env::current_dir().context("reading the current directory")?;
    let out = a
        .value("--out")
        .map(|o| here.join(o))
        .unwrap_or_else(|| root.join("target/gradescope/autograder.zip"));
    let files = pack(&root, &out)?;
    println!(
        "{}: setup.sh, run_autograder and the course ({files} files); upload it as the assignment's autograder",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Lays out the zip's files in a staging folder beside `out` and packs
/// them; returns how many files the course has.
pub fn pack(root: &Path, out: &Path) -> Result<usize> {
    let zip = labkit::tools::find("ZIP", &["zip"]).context(
        "the `zip` command is not installed (Debian: apt-get install zip); \
         `gradescope` packs autograder.zip with it",
    )?;
    let dir = out.parent().unwrap_or(Path::new("."));
    let stage = dir.join("autograder-stage");
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage).with_context(|| format!("creating {}", stage.display()))?;
    write_script(
        &stage.join("setup.sh"),
        &gradescope::setup_sh(&toolchain()?),
    )?;
    write_script(&stage.join("run_autograder"), gradescope::RUN_AUTOGRADER)?;
    crate::layout::copy_course(root, &stage.join("course"))?;
    let _ = std::fs::remove_file(out);
    let abs: PathBuf = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    let status = Command::new(&zip)
        .current_dir(&stage)
        .args(["-q", "-r", "-X"])
        .arg(&abs)
        .args(["setup.sh", "run_autograder", "course"])
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("running {}", zip.display()))?;
    if !status.success() {
        bail!(
            "{} failed ({status}) packing {}",
            zip.display(),
            out.display()
        );
    }
    let files = count_files(&stage.join("course"));
    let _ = std::fs::remove_dir_all(&stage);
    Ok(files)
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        count_files(&p)
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn write_script(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", path.display()))
}

/// Grades one folder as `id` into `out`, with the warm build in `work`.
fn grade_into(submission: PathBuf, out: &Path, work: PathBuf) -> Result<Vec<grade::Graded>> {
    let _ = std::fs::remove_dir_all(out);
    let batch = Batch {
        submissions: vec![Entry {
            id: Some("submission".into()),
            path: submission,
        }],
        rev: None,
        before: None,
        out: out.to_path_buf(),
        work,
        shard: None,
        limits: grade::default_limits(),
        // Gradescope's container runs the autograder as root: each check
        // gets a user of its own, so grading is never refused there.
        unconfined: false,
    };
    grade::run(&crate::root(), &batch)
}

/// `gradescope run`: grades the tree's submission and writes Gradescope's
/// `results.json`. A tool failure writes nothing, so Gradescope reports
/// the autograder as failed instead of a grade of 0.
fn grade_submission() -> Result<ExitCode> {
    let tree = Tree::from_env();
    let out = tree.root.join("graded");
    let graded = grade_into(tree.submission(), &out, tree.work())?;
    print!("{}", grade::summary(&graded));
    let report = gradescope::report_of(&out.join("submission"))?;
    gradescope::write(&tree, &report)?;
    println!(
        "score {} written to {}",
        report.score,
        tree.results().display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `gradescope warm`: grades the untouched starters once, so the build a
/// submission reuses is warm (run by `setup.sh`).
fn warm() -> Result<ExitCode> {
    let tree = Tree::from_env();
    let scratch = tree.root.join("warm");
    let _ = std::fs::remove_dir_all(&scratch);
    let sub = scratch.join("submission");
    crate::layout::copy_tree(&crate::root().join("starters"), &sub.join("starters"))?;
    let graded = grade_into(sub, &scratch.join("out"), tree.work())?;
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "warm: the starters graded in {:.1} s; the build is in {}",
        graded.iter().map(|g| g.seconds).sum::<f64>(),
        tree.work().display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use serde_json::Value;

    use super::pack;
    use crate::grade::learner_files;

    fn tools(test: &str) -> Option<()> {
        labkit::tools::find_or_skip(test, "ZIP", &["zip"], "apt-get install zip")?;
        labkit::tools::find_or_skip(test, "UNZIP", &["unzip"], "apt-get install unzip")?;
        Some(())
    }

    /// The zip as Gradescope needs it and as `setup.sh` expects it: the two
    /// scripts executable at the root, the course under `course/` with the
    /// `cargo xtask` alias, every learner file, and no build output.
    #[test]
    fn the_autograder_zip_has_the_layout_setup_sh_expects() {
        if tools("the_autograder_zip_has_the_layout_setup_sh_expects").is_none() {
            return;
        }
        let root = crate::root();
        let base = crate::cargo::target_base(&root).join("gradescope-zip");
        let zip = base.join("autograder.zip");
        let files = pack(&root, &zip).expect("the zip is built");
        let list = Command::new("unzip").arg("-Z").arg(&zip).output().unwrap();
        let list = String::from_utf8_lossy(&list.stdout).to_string();
        let entries: Vec<(&str, &str)> = list
            .lines()
            .filter_map(|l| {
                let mode = l.split_whitespace().next()?;
                let name = l.split_whitespace().last()?;
                (mode.len() == 10).then_some((mode, name))
            })
            .collect();
        let mode = |n: &str| entries.iter().find(|e| e.1 == n).map(|e| e.0);
        assert_eq!(mode("setup.sh"), Some("-rwxr-xr-x"), "{list}");
        assert_eq!(mode("run_autograder"), Some("-rwxr-xr-x"), "{list}");
        for f in [
            "course/Cargo.toml",
            "course/Cargo.lock",
            "course/.cargo/config.toml",
            "course/xtask/src/main.rs",
            "course/labs/catalog.json",
        ] {
            assert!(mode(f).is_some(), "{f} missing:\n{list}");
        }
        for f in learner_files(&root).expect("the catalogue") {
            assert!(mode(&format!("course/{f}")).is_some(), "{f} missing");
        }
        assert_eq!(
            entries.iter().filter(|e| !e.0.starts_with('d')).count(),
            files + 2,
            "the scripts and the course's files, nothing else"
        );
        assert!(
            !entries
                .iter()
                .any(|e| e.1.split('/').any(|part| part == "target")),
            "build output packed"
        );
        // What the scripts rely on: setup.sh works in the unpacked course
        // and pins the toolchain; the course has the `cargo xtask` alias.
        let setup = Command::new("unzip")
            .arg("-p")
            .arg(&zip)
            .arg("setup.sh")
            .output()
            .unwrap();
        let setup = String::from_utf8_lossy(&setup.stdout).to_string();
        assert!(setup.contains("cd /autograder/source/course"), "{setup}");
        assert!(setup.contains(&format!(
            "--default-toolchain {}",
            super::toolchain().unwrap()
        )));
        let config = std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap();
        assert!(config.contains("xtask = \"run"), "{config}");
        let _ = std::fs::remove_dir_all(&base);
    }

    /// Gradescope emulated: the zip unpacked into `<tmp>/autograder/source`,
    /// `run_autograder` copied beside it, a submission in `submission/`, and
    /// `run_autograder` run with `AUTOGRADER_ROOT` there; the results.json
    /// it writes is checked against the documented fields for a passing
    /// (the reference) and a failing (the untouched starters) submission.
    #[test]
    fn run_autograder_grades_a_passing_and_a_failing_submission() {
        if tools("run_autograder_grades_a_passing_and_a_failing_submission").is_none() {
            return;
        }
        let root = crate::root();
        let base = crate::cargo::target_base(&root).join("gradescope-run");
        let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
        let tree = base.join("autograder");
        let _ = std::fs::remove_dir_all(&tree);
        let zip = base.join("autograder.zip");
        pack(&root, &zip).expect("the zip is built");
        std::fs::create_dir_all(tree.join("source")).unwrap();
        let ok = Command::new("unzip")
            .args(["-q", "-o"])
            .arg(&zip)
            .arg("-d")
            .arg(tree.join("source"))
            .status()
            .unwrap();
        assert!(ok.success());
        std::fs::copy(
            tree.join("source/run_autograder"),
            tree.join("run_autograder"),
        )
        .unwrap();
        let lay_out = |reference: bool| {
            let sub = tree.join("submission");
            let _ = std::fs::remove_dir_all(&sub);
            let _ = std::fs::remove_dir_all(tree.join("results"));
            crate::layout::copy_tree(&root.join("starters"), &sub.join("starters")).unwrap();
            if reference {
                for f in learner_files(&root).expect("the catalogue") {
                    let text = std::fs::read_to_string(root.join(f.replacen(
                        "starters/",
                        "solutions/",
                        1,
                    )))
                    .unwrap();
                    std::fs::write(sub.join(&f), text).unwrap();
                }
            }
        };
        let run = || -> Value {
            let out = Command::new(tree.join("run_autograder"))
                .current_dir(&tree)
                .env("AUTOGRADER_ROOT", &tree)
                .env(crate::grade::gradescope::WORK_VAR, base.join("work"))
                .env("CARGO_TARGET_DIR", base.join("target"))
                .output()
                .expect("run_autograder runs");
            let log = format!(
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{log}");
            let text = std::fs::read_to_string(tree.join("results/results.json"))
                .unwrap_or_else(|e| panic!("no results.json ({e}):\n{log}"));
            serde_json::from_str(&text).unwrap()
        };
        let documented = |r: &Value| {
            assert!(r["score"].is_u64(), "{r}");
            assert!(r["output"]
                .as_str()
                .is_some_and(|o| o.starts_with("# Feedback")));
            for k in ["visibility", "stdout_visibility"] {
                assert!(
                    ["hidden", "after_due_date", "after_published", "visible"]
                        .contains(&r[k].as_str().unwrap_or("")),
                    "{k}"
                );
            }
            let tests = r["tests"].as_array().expect("tests");
            assert!(!tests.is_empty());
            for t in tests {
                assert!(t["name"].as_str().is_some_and(|n| !n.is_empty()), "{t}");
                let (got, max) = (
                    t["score"].as_u64().unwrap(),
                    t["max_score"].as_u64().unwrap(),
                );
                // The challenge's and the extensions' points come on top.
                let on_top = t["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("(bonus)") || n.starts_with("(after class)"));
                assert!(got <= max || (on_top && max == 0), "{t}");
                assert!(
                    ["passed", "failed"].contains(&t["status"].as_str().unwrap()),
                    "{t}"
                );
                assert!(
                    t["output"].is_string() && t["visibility"] == "visible",
                    "{t}"
                );
            }
            let sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
            assert_eq!(sum, r["score"].as_u64().unwrap(), "the score is its tests'");
            tests.clone()
        };

        lay_out(true);
        let passing = run();
        let tests = documented(&passing);
        let max: u64 = tests.iter().map(|t| t["max_score"].as_u64().unwrap()).sum();
        assert!(
            tests.iter().all(|t| t["status"] == "passed"),
            "the reference passes every check: {passing}"
        );
        assert!(
            passing["score"].as_u64().unwrap() >= max && max > 0,
            "{passing}"
        );

        lay_out(false);
        let failing = run();
        let tests = documented(&failing);
        assert_eq!(failing["score"], 0, "{failing}");
        assert!(tests.iter().all(|t| t["status"] == "failed"));
        assert!(tests
            .iter()
            .any(|t| !t["output"].as_str().unwrap().is_empty()));
        let _ = std::fs::remove_dir_all(&tree);
    }
}

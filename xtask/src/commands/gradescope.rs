//! `cargo xtask gradescope`: this course as a Gradescope autograder (see
//! [`crate::grade::gradescope`]): `autograder.zip` by default; `run` and
//! `warm` are what the zip's scripts call inside Gradescope's container.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context, Result};

use crate::flags::{usage, Args};
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
    for item in crate::loopbench::COPY {
        let from = root.join(item);
        if from.exists() {
            crate::loopbench::copy_tree(&from, &stage.join("course").join(item))?;
        }
    }
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
        out: out.to_path_buf(),
        work,
        shard: None,
        limits: grade::default_limits(),
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
    crate::loopbench::copy_tree(&crate::root().join("starters"), &sub.join("starters"))?;
    let graded = grade_into(sub, &scratch.join("out"), tree.work())?;
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "warm: the starters graded in {:.1} s; the build is in {}",
        graded.iter().map(|g| g.seconds).sum::<f64>(),
        tree.work().display()
    );
    Ok(ExitCode::SUCCESS)
}

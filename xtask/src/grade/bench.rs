//! `cargo xtask bench grade N`: how long a class takes to grade.
//!
//! Grades N submissions made from the course (the reference, the untouched
//! starter, each step done alone, a copied reference, near-identical
//! learners, a compile error, in turn, so that consecutive submissions
//! always differ) and reports seconds per submission (median, max) and in
//! all, per quarter of the batch (flat quarters mean the total grows
//! linearly in N), against the **floor**: one `cargo xtask check` in a warm
//! checkout after every learner file was replaced, which is the least any
//! grader that builds and runs the checks can spend.

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use super::{corpus, Batch, Entry};

/// Runs of `check` the floor is the median of.
const FLOOR_RUNS: usize = 5;

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// The submissions the benchmark cycles through: every corpus entry that a
/// real class would hand in (no attacks, whose time is their time limit).
fn ordinary(all: &[String]) -> Vec<String> {
    all.iter()
        .filter(|e| {
            let name = e.rsplit('/').next().unwrap_or("");
            name.starts_with('a') && !name.contains("old-timestamps")
                || name.starts_with('b')
                || name.contains("copied-reference")
                || name.contains("near-identical")
                || name.contains("compile-error")
        })
        .cloned()
        .collect()
}

/// Copies the learner files of `from` into `ws`.
fn replace_learner_files(ws: &Path, from: &Path, files: &[String]) -> Result<()> {
    for f in files {
        let src = from.join(f);
        let text = std::fs::read(&src).or_else(|_| std::fs::read(ws.join(f)))?;
        std::fs::write(ws.join(f), text)?;
    }
    Ok(())
}

/// Empties `dir`, one of the benchmark's own folders under
/// `target/grade-bench` (nothing else is ever removed), and makes it again.
fn fresh_dir(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("emptying {}", dir.display())),
    }
    std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))
}

pub fn run(root: &Path, n: usize) -> Result<ExitCode> {
    if n == 0 {
        bail!("`bench grade` needs a number of submissions above 0");
    }
    let base = crate::cargo::target_base(root).join("grade-bench");
    let corpus_dir = base.join("corpus");
    let all = corpus::build(root, &corpus_dir)?;
    let pool = ordinary(&all);
    if pool.is_empty() {
        bail!("the corpus has no ordinary submissions");
    }
    let files = super::learner_files(root)?;

    // The floor: `check` in a warm checkout, learner files replaced.
    let ws = base.join("checkout");
    let _ = std::fs::remove_dir_all(&ws);
    crate::layout::copy_course(root, &ws)?;
    let check = |ws: &Path| -> Result<Duration> {
        let start = Instant::now();
        let status = crate::cargo::command()
            .current_dir(ws)
            .args(["xtask", "check"])
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("running cargo xtask check")?;
        if status.code().is_none_or(|c| c > 1) {
            bail!("cargo xtask check failed ({status})");
        }
        Ok(start.elapsed())
    };
    println!("grade benchmark: {n} submissions, floor = `cargo xtask check` in a warm checkout");
    check(&ws)?; // warm it
    let mut floor = Vec::new();
    for i in 0..FLOOR_RUNS {
        let entry = &pool[(i + 1) % pool.len()];
        replace_learner_files(&ws, Path::new(entry), &files)?;
        floor.push(seconds(check(&ws)?));
    }
    let floor = median(floor);
    println!("  floor: {floor:.2} s per submission (median of {FLOOR_RUNS})");

    // The batch, warm: the course copy is built once before timing. The
    // warm-up grades into a folder of its own and the batch into an empty
    // one, so the batch's figures and outputs are of this run alone (an
    // `--out` that holds results is a regrade in place, which keeps them).
    let work = base.join("work");
    let out = base.join("out");
    let warm_out = base.join("warm-out");
    let here = std::env::current_dir()?;
    fresh_dir(&warm_out)?;
    let warm = Batch {
        submissions: vec![Entry::parse(&pool[0], &here)],
        rev: None,
        before: None,
        out: warm_out,
        work: work.clone(),
        shard: None,
        limits: super::default_limits(),
        unconfined: false,
    };
    super::run(root, &warm)?;
    fresh_dir(&out)?;
    let submissions: Vec<Entry> = (0..n)
        .map(|i| Entry::parse(&format!("s{i:04}={}", pool[(i + 1) % pool.len()]), &here))
        .collect();
    let batch = Batch {
        submissions,
        out,
        ..warm
    };
    let started = Instant::now();
    let graded = super::run(root, &batch)?;
    let wall = seconds(started.elapsed());
    let (med, max, total) = super::timing(&graded);
    println!(
        "  grade: median {med:.2} s, max {max:.2} s per submission; {total:.1} s for {n} ({wall:.1} s wall with the outputs)"
    );
    println!(
        "  ratio: median / floor = {:.2} (target ≤ 1.2)",
        med / floor
    );
    let q = n.div_ceil(4);
    let quarters: Vec<String> = graded
        .chunks(q.max(1))
        .map(|c| {
            format!(
                "{:.2}",
                c.iter().map(|g| g.seconds).sum::<f64>() / c.len() as f64
            )
        })
        .collect();
    println!(
        "  per quarter of the batch, mean s per submission: {} (flat = linear in N)",
        quarters.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

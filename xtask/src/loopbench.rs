//! `cargo xtask bench loop <module>`: how long a learner waits.
//!
//! Measures the learner's loop — save a starter file, run `cargo xtask lab`,
//! read the result — on a scratch copy of the workspace (this tool never
//! writes to the real `starters/` except through `cargo xtask starters`). It
//! reports the cold time (fresh target dir to the first result), then the
//! median of several warm runs after a one-line edit, against the baseline of
//! `cargo test -p <crate>` after the same edit.

use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::catalog;
use crate::modules::Module;

const RUNS: usize = 7;

fn timed(dir: &Path, args: &[&str]) -> Result<Duration> {
    let start = Instant::now();
    let status = crate::cargo::command()
        .current_dir(dir)
        .args(args)
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    let took = start.elapsed();
    // A lab run on an untouched starter exits 1 (checks not started); only a
    // tool error (2) or a signal means the measurement is void.
    if status.code().is_none_or(|c| c > 1) {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(took)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Runs the measurement and prints the figures.
pub fn run(root: &Path, module: &Module) -> Result<ExitCode> {
    let ws: PathBuf = crate::cargo::target_base(root)
        .join("loop-bench")
        .join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    crate::layout::copy_course(root, &ws)?;
    let catalog = catalog::load(root)?;
    let file = module
        .units
        .iter()
        .filter_map(|u| catalog.get(u.bin))
        .flatten()
        .find_map(|c| c.file.clone())
        .context(
            "the catalogue names no learner file for this module (run `cargo xtask catalog`)",
        )?;
    let package = module.units.first().map(|u| u.package).unwrap_or_default();
    let edited = ws.join(&file);
    let original = std::fs::read_to_string(&edited).with_context(|| format!("reading {file}"))?;

    println!(
        "loop benchmark for {} (scratch copy in {})",
        module.name,
        ws.display()
    );
    let cold = timed(&ws, &["xtask", "lab", module.name])?;
    println!(
        "  cold: fresh target dir to the first lab result   {}",
        ms(cold)
    );
    // Warm the baseline's test build too, so both sides start even.
    timed(&ws, &["test", "-q", "-p", package])?;

    let mut lab = Vec::new();
    let mut test = Vec::new();
    for i in 0..RUNS {
        std::fs::write(&edited, format!("{original}// edit {i}\n"))?;
        lab.push(timed(&ws, &["xtask", "lab", module.name])?);
        std::fs::write(&edited, format!("{original}// edit {i}b\n"))?;
        test.push(timed(&ws, &["test", "-q", "-p", package])?);
    }
    std::fs::write(&edited, &original)?;
    println!("  warm: edit {file}, then");
    println!(
        "    cargo xtask lab {:<8}  median {} over {RUNS} runs",
        module.name,
        ms(median(lab))
    );
    println!(
        "    cargo test -p {package:<10} median {} over {RUNS} runs (baseline)",
        ms(median(test))
    );
    Ok(ExitCode::SUCCESS)
}

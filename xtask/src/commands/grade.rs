//! `cargo xtask grade` and `cargo xtask gradebook merge`: a class graded on
//! the grader's own course (the engine is [`crate::grade`]).

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::flags::{usage, Args};
use crate::grade::{self, Batch, Entry};
use crate::root;

pub fn run(a: &Args) -> Result<ExitCode> {
    if a.rest.is_empty() {
        return Err(usage(
            "`grade` needs at least one submission (a folder or a git repository)",
        ));
    }
    let root = root();
    let shard = match a.value("--shard") {
        Some(s) => Some(grade::parse_shard(s).ok_or_else(|| {
            usage(format!(
                "--shard takes I/N with 1 ≤ I ≤ N (for example 2/4), not `{s}`"
            ))
        })?),
        None => None,
    };
    let mut limits = grade::default_limits();
    limits.timeout = super::limits(a)?.timeout;
    let here = std::env::current_dir().context("reading the current directory")?;
    let batch = Batch {
        submissions: a.rest.iter().map(|p| Entry::parse(p, &here)).collect(),
        rev: a.value("--rev").map(String::from),
        out: a
            .value("--out")
            .map(|o| here.join(o))
            .unwrap_or_else(|| root.join("target/grade/out")),
        work: a
            .value("--work")
            .map(|w| here.join(w))
            .unwrap_or_else(|| root.join("target/grade")),
        shard,
        limits,
        unconfined: a.has("--unconfined"),
    };
    // Whatever a check orphans comes here, not to init (see grade::reaper).
    grade::reaper::become_subreaper().context("becoming a child subreaper")?;
    let graded = grade::run(&root, &batch)?;
    print!("{}", grade::summary(&graded));
    println!(
        "graded {} submission(s); results in {}",
        graded.len(),
        batch.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn gradebook(a: &Args) -> Result<ExitCode> {
    match a.rest.first().map(String::as_str) {
        Some("merge") => {}
        Some(other) => {
            return Err(usage(format!(
                "unknown `gradebook` command `{other}`; valid: merge"
            )))
        }
        None => return Err(usage("`gradebook` needs a command; valid: merge")),
    }
    let files = &a.rest[1..];
    if files.is_empty() {
        return Err(usage(
            "`gradebook merge` needs the gradebook.csv files to join",
        ));
    }
    let mut books = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).with_context(|| format!("reading {f}"))?;
        books.push((f.to_string(), text));
    }
    let merged = grade::gradebook::merge(&books)?;
    match a.value("--out") {
        Some(out) => {
            std::fs::write(out, &merged).with_context(|| format!("writing {out}"))?;
            println!("merged {} gradebooks into {out}", books.len());
        }
        None => print!("{merged}"),
    }
    Ok(ExitCode::SUCCESS)
}

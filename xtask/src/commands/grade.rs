//! `cargo xtask grade` and `cargo xtask gradebook merge`: a class graded on
//! the grader's own course (the engine is [`crate::grade`]).

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{usage, Args};
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
    let before = match a.value("--before") {
        Some(t) => {
            Some(grade::deadline::Deadline::parse(t).map_err(|e| usage(format!("--before: {e}")))?)
        }
        None => None,
    };
    let mut limits = grade::default_limits();
    limits.timeout = super::limits(a)?.timeout;
    let here = std::env::current_dir().context("reading the current directory")?;
    let batch = Batch {
        submissions: a.rest.iter().map(|p| Entry::parse(p, &here)).collect(),
        rev: a.value("--rev").map(String::from),
        before,
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
    // Not in the tool's own test binary, which runs this command beside
    // other tests: their processes are its children too, and the sweep
    // before the outputs would end them.
    if !cfg!(test) {
        grade::reaper::become_subreaper().context("becoming a child subreaper")?;
    }
    let roster = a
        .value("--roster")
        .map(|r| grade::roster::Roster::read(&here.join(r)))
        .transpose()?;
    let graded = grade::run(&root, &batch)?;
    if let Some(roster) = &roster {
        grade::roster::apply(&batch.out, roster)?;
    }
    print!("{}", grade::summary(&graded));
    let invalid = graded
        .iter()
        .filter(|g| g.status == grade::Status::Invalid)
        .count();
    let done = graded.len() - invalid;
    println!(
        "graded {done} submission(s), {invalid} could not be graded; results in {}",
        batch.out.display()
    );
    if done == 0 {
        eprintln!("error: nothing could be graded (each reason is above)");
        return Ok(ExitCode::from(grade::NOTHING_GRADED));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn gradebook(a: &Args) -> Result<ExitCode> {
    match a.rest.first().map(String::as_str) {
        Some("merge") => {}
        Some("export") => return super::lms::export(a),
        Some(other) => {
            return Err(usage(format!(
                "unknown `gradebook` command `{other}`; valid: merge, export"
            )))
        }
        None => return Err(usage("`gradebook` needs a command; valid: merge, export")),
    }
    let files = &a.rest[1..];
    if files.is_empty() {
        return Err(usage(
            "`gradebook merge` needs the shards' output folders (or their gradebook.csv files)",
        ));
    }
    if files.iter().all(|f| std::path::Path::new(f).is_dir()) {
        let Some(out) = a.value("--out") else {
            return Err(usage(
                "`gradebook merge FOLDER…` needs --out DIR, where the whole class is written",
            ));
        };
        let shards: Vec<std::path::PathBuf> = files.iter().map(std::path::PathBuf::from).collect();
        let class = grade::regrade::merge(&shards, std::path::Path::new(out))?;
        println!(
            "merged {} shard(s), {} submission(s), into {out} (gradebook.csv, class.html)",
            shards.len(),
            class.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut books = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).with_context(|| format!("reading {f}"))?;
        books.push((f.to_string(), text));
    }
    let merged = grade::gradebook::merge(&books)?;
    eprintln!(
        "note: rows joined as they are; give the shards' folders instead to flag \
         similar pairs across shards and draw the class report"
    );
    match a.value("--out") {
        Some(out) => {
            std::fs::write(out, &merged).with_context(|| format!("writing {out}"))?;
            println!("merged {} gradebooks into {out}", books.len());
        }
        None => print!("{merged}"),
    }
    Ok(ExitCode::SUCCESS)
}

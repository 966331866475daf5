//! `cargo xtask gradebook export --canvas|--moodle`: a class's gradebook as
//! an LMS imports it (the format is [`crate::grade::lms`]).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{usage, Args};
use crate::grade::lms::{self, Lms, MoodleKey};
use crate::grade::roster::Roster;

pub fn export(a: &Args) -> Result<ExitCode> {
    let lms = match (a.has("--canvas"), a.has("--moodle")) {
        (true, false) => Lms::Canvas,
        (false, true) => Lms::Moodle(
            MoodleKey::parse(a.value("--map-by").unwrap_or("email"))
                .map_err(|e| usage(e.to_string()))?,
        ),
        _ => {
            return Err(usage(
                "`gradebook export` needs one of --canvas or --moodle",
            ))
        }
    };
    let [book] = &a.rest[1..] else {
        return Err(usage(
            "`gradebook export` takes one gradebook.csv (for example grades/gradebook.csv)",
        ));
    };
    let Some(roster) = a.value("--roster") else {
        return Err(usage(format!(
            "`gradebook export` needs --roster FILE: {} knows learners by the ids and names a roster holds",
            lms.name()
        )));
    };
    let roster = Roster::read(Path::new(roster))?;
    let text = std::fs::read_to_string(book).with_context(|| format!("reading {book}"))?;
    let items = lms::items(&crate::root(), a.value("--assignment-ids"))
        .map_err(|e| usage(e.to_string()))?;
    let ex =
        lms::export(lms, &text, &roster, &items).with_context(|| format!("exporting {book}"))?;
    for line in ex.lines(lms) {
        eprintln!("{line}");
    }
    let written = ex
        .text
        .lines()
        .count()
        .saturating_sub(if lms == Lms::Canvas { 2 } else { 1 });
    match a.value("--out") {
        Some(out) => {
            std::fs::write(out, &ex.text).with_context(|| format!("writing {out}"))?;
            println!("{written} learner(s) written for {} to {out}", lms.name());
            if let Lms::Moodle(key) = lms {
                println!(
                    "at upload, map from `{}` to `{}`, and each module column to its grade item",
                    key.column(),
                    key.map_to()
                );
            }
        }
        None => print!("{}", ex.text),
    }
    Ok(ExitCode::SUCCESS)
}

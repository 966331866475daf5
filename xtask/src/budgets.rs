//! Time budgets: each part's core path fits its slot in the run of show.
//!
//! Every check carries a [`labkit::Plan`]: core or after class, and the
//! minutes it is given. A **step**'s budget is the sum over its checks (a
//! step is a learner function, or the guide's name for a story check: see
//! [`labkit::check::CheckKind`]).
//! `cargo xtask verify` fails when a part's core budgets add up to more than
//! its slot ([`crate::modules::Slot`]), when a check has no budget, or when a
//! check of the optional challenge (part `X`) is on the core path.
//!
//! The budgets' basis is measured, not guessed: [`table`] counts the lines a
//! learner writes for each step (the solution's `BEGIN SOLUTION` regions,
//! blank lines and comments left out) and the doc comment they read first
//! (the `///` lines above the step in the starter). `cargo xtask catalog`
//! writes that table into `docs/authoring.md`; `verify` fails when it is
//! stale.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use labkit::check::{CheckInfo, CheckKind, Track};

use crate::catalog::Catalog;
use crate::estimates;
use crate::modules::{Module, MODULES};

/// Where the table lives, and the lines around it.
pub const DOC: &str = "docs/authoring.md";
const BEGIN: &str = "<!-- BEGIN GENERATED budgets (cargo xtask catalog) -->";
const END: &str = "<!-- END GENERATED budgets -->";

/// Whether a check counts toward its part's slot.
fn core(c: &CheckInfo) -> bool {
    c.track == Track::Core && c.part != "X"
}

/// A module's checks from the catalogue, in guide order.
fn checks_of<'a>(module: &Module, catalog: &'a Catalog) -> Vec<&'a CheckInfo> {
    module
        .units
        .iter()
        .filter_map(|u| catalog.get(u.bin))
        .flatten()
        .collect()
}

/// The core minutes of each part of a module.
pub fn core_minutes(checks: &[&CheckInfo]) -> BTreeMap<String, u32> {
    let mut sums = BTreeMap::new();
    for c in checks.iter().filter(|c| core(c)) {
        *sums.entry(c.part.clone()).or_insert(0) += c.minutes;
    }
    sums
}

/// What is wrong with a module's budgets: empty when every part's core
/// path fits its slot.
pub fn problems(module: &Module, checks: &[&CheckInfo]) -> Vec<String> {
    let mut out = Vec::new();
    for c in checks {
        if c.minutes == 0 {
            out.push(format!("{}: no time budget (plan minutes 0)", c.id));
        }
        if c.part == "X" && c.track == Track::Core {
            out.push(format!(
                "{}: the optional challenge is after class, not core",
                c.id
            ));
        }
    }
    for (part, minutes) in core_minutes(checks) {
        match module.slots.iter().find(|s| s.part == part) {
            Some(slot) if minutes > slot.minutes => out.push(format!(
                "{} Part {part}: the core steps' budgets add up to {minutes} min, more than the \
                 part's {} min slot in the run of show: move a step after class, or give \
                 code that is not the lesson",
                module.name, slot.minutes
            )),
            Some(_) => {}
            None => out.push(format!(
                "{} Part {part}: core checks, but the run of show has no slot for this part",
                module.name
            )),
        }
    }
    out
}

/// Lines a learner writes per step: the non-blank, non-comment lines of
/// each `BEGIN SOLUTION <step>:` region of `source` (all regions of one
/// step added up).
pub fn lines_written(source: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("// BEGIN SOLUTION") {
            let rest = rest.trim();
            current = (!rest.starts_with("ONLY"))
                .then(|| rest.split(':').next().unwrap_or("").trim().to_string());
            if let Some(step) = &current {
                out.entry(step.clone()).or_insert(0);
            }
        } else if t.starts_with("// END SOLUTION") {
            current = None;
        } else if let Some(step) = &current {
            if !t.is_empty() && !t.starts_with("//") {
                *out.entry(step.clone()).or_insert(0) += 1;
            }
        }
    }
    out
}

/// The `///` lines right above `fn <name>` in `source`: what the learner
/// reads before writing the step.
pub fn doc_lines(source: &str, name: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let Some(at) = lines.iter().position(|l| {
        let t = l.trim_start();
        [format!("pub fn {name}("), format!("pub fn {name}<")]
            .iter()
            .any(|p| t.starts_with(p.as_str()))
    }) else {
        return 0;
    };
    lines[..at]
        .iter()
        .rev()
        .take_while(|l| {
            let t = l.trim_start();
            t.starts_with("///") || t.starts_with("#[")
        })
        .filter(|l| l.trim_start().starts_with("///"))
        .count()
}

/// One row of the table: a step of a part.
struct Row {
    part: String,
    step: String,
    track: Track,
    checks: Vec<String>,
    minutes: u32,
    written: Option<usize>,
    read: Option<usize>,
}

/// A module's steps in guide order, each with its checks, budget and
/// measured basis.
fn rows(root: &Path, m: &Module, catalog: &Catalog) -> Result<Vec<Row>> {
    let checks = checks_of(m, catalog);
    let mut rows: Vec<Row> = Vec::new();
    for c in &checks {
        let step = c.function.clone().unwrap_or_else(|| c.step.clone());
        let track = if core(c) {
            Track::Core
        } else {
            Track::AfterClass
        };
        match rows
            .iter_mut()
            .find(|r| r.part == c.part && r.step == step && r.track == track)
        {
            Some(r) => {
                r.checks.push(c.id.clone());
                r.minutes += c.minutes;
            }
            None => {
                let (written, read) = match (c.kind, &c.file) {
                    (CheckKind::Step, Some(file)) => {
                        let solution = file.replacen("starters/", "solutions/", 1);
                        let sol = std::fs::read_to_string(root.join(&solution))
                            .with_context(|| format!("reading {solution}"))?;
                        let starter = std::fs::read_to_string(root.join(file))
                            .with_context(|| format!("reading {file}"))?;
                        (
                            Some(lines_written(&sol).get(&step).copied().unwrap_or(0)),
                            Some(doc_lines(&starter, &step)),
                        )
                    }
                    _ => (None, None),
                };
                rows.push(Row {
                    part: c.part.clone(),
                    step,
                    track,
                    checks: vec![c.id.clone()],
                    minutes: c.minutes,
                    written,
                    read,
                });
            }
        }
    }
    Ok(rows)
}

/// What is wrong with the trial estimates of every module (see
/// [`crate::estimates`]): a core step without one, one that names no step
/// or no report, a part whose core cannot fit by the trial's own count.
pub fn estimate_problems(root: &Path, catalog: &Catalog) -> Result<Vec<String>> {
    let estimates = estimates::load(root)?;
    let mut out = Vec::new();
    for m in MODULES {
        let rows = rows(root, m, catalog)?;
        let steps: Vec<estimates::Step<'_>> = rows
            .iter()
            .map(|r| estimates::Step {
                part: &r.part,
                name: &r.step,
                core: r.track == Track::Core,
            })
            .collect();
        let slots: Vec<(&str, u32)> = m.slots.iter().map(|s| (s.part, s.minutes)).collect();
        out.extend(estimates::problems(
            root, m.name, &steps, &slots, &estimates,
        ));
    }
    Ok(out)
}

/// The budget table of every module, as Markdown, with each step's trial
/// estimate beside its budget.
pub fn table(root: &Path, catalog: &Catalog) -> Result<String> {
    let estimates = estimates::load(root)?;
    let mut out = String::new();
    for m in MODULES {
        let rows = rows(root, m, catalog)?;
        let estimate =
            |r: &Row| estimates.get(&(m.name.to_string(), r.part.clone(), r.step.clone()));
        let sums = core_minutes(&checks_of(m, catalog));
        let slots: Vec<String> = m
            .slots
            .iter()
            .map(|s| {
                let (mut low, mut high) = (0.0, 0.0);
                for e in rows
                    .iter()
                    .filter(|r| r.part == s.part && r.track == Track::Core)
                    .filter_map(estimate)
                {
                    low += e.low();
                    high += e.high();
                }
                format!(
                    "Part {} core {} of {} min, trial {}",
                    s.part,
                    sums.get(s.part).copied().unwrap_or(0),
                    s.minutes,
                    estimates::range(low, high)
                )
            })
            .collect();
        let _ = writeln!(out, "**{} · {}** ({})\n", m.name, m.title, slots.join("; "));
        out.push_str(
            "| part | step | track | checks | budget (min) | trial (min) | lines written | doc lines read |\n\
             |---|---|---|---|--:|--:|--:|--:|\n",
        );
        let mut reports: Vec<&str> = Vec::new();
        for r in &rows {
            let n = |x: Option<usize>| x.map_or("story".to_string(), |v| v.to_string());
            let trial = match estimate(r) {
                Some(e) => {
                    for t in &e.trials {
                        if !reports.contains(&t.report.as_str()) {
                            reports.push(&t.report);
                        }
                    }
                    e.range()
                }
                None => "–".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
                r.part,
                r.step,
                match r.track {
                    Track::Core => "core",
                    Track::AfterClass => "after class",
                },
                r.checks.join(", "),
                r.minutes,
                trial,
                n(r.written),
                n(r.read)
            );
        }
        if !reports.is_empty() {
            let _ = writeln!(out, "\nTrials: {}.", reports.join(", "));
        }
        out.push('\n');
    }
    Ok(out.trim_end().to_string() + "\n")
}

/// Where a guide's step list lives.
const GUIDE_BEGIN: &str = "<!-- BEGIN GENERATED steps (cargo xtask catalog) -->";
const GUIDE_END: &str = "<!-- END GENERATED steps -->";

/// A guide's step list, as Markdown: each step with where it is written,
/// its checks and its budget, the after-class ones marked, and each part's
/// core total against its slot.
pub fn guide_steps(module: &Module, catalog: &Catalog) -> String {
    let checks = checks_of(module, catalog);
    let mut rows: Vec<(String, String, String, Vec<String>, u32, bool)> = Vec::new();
    for c in &checks {
        let step = c.function.clone().unwrap_or_else(|| c.step.clone());
        let after = !core(c);
        let file = match (c.kind, c.file.as_deref()) {
            (CheckKind::Step, Some(f)) => format!("`{}`", f.rsplit('/').next().unwrap_or(f)),
            _ => "the story".to_string(),
        };
        match rows
            .iter_mut()
            .find(|r| r.0 == c.part && r.1 == step && r.5 == after)
        {
            Some(r) => {
                r.3.push(c.id.clone());
                r.4 += c.minutes;
            }
            None => rows.push((
                c.part.clone(),
                step,
                file,
                vec![c.id.clone()],
                c.minutes,
                after,
            )),
        }
    }
    let sums = core_minutes(&checks);
    let mut out =
        String::from("| part | step | in | checks | minutes | when |\n|---|---|---|---|--:|---|\n");
    for (part, step, file, ids, minutes, after) in &rows {
        let _ = writeln!(
            out,
            "| {part} | `{step}` | {file} | {} | {minutes} | {} |",
            ids.join(", "),
            if *after { "**after class**" } else { "core" }
        );
    }
    let totals: Vec<String> = module
        .slots
        .iter()
        .map(|s| {
            format!(
                "Part {} {} of {} min",
                s.part,
                sums.get(s.part).copied().unwrap_or(0),
                s.minutes
            )
        })
        .collect();
    let _ = writeln!(out, "\nCore budgets: {}.", totals.join(", "));
    out
}

/// `text` with the block between `begin` and `end` replaced by `table`.
fn with_block(text: &str, begin: &str, end: &str, table: &str) -> Option<String> {
    let start = text.find(begin)? + begin.len();
    let stop = text[start..].find(end)? + start;
    Some(format!("{}\n\n{table}\n{}", &text[..start], &text[stop..]))
}

/// `docs/authoring.md` with its budget table replaced by `table`.
pub fn with_table(doc: &str, table: &str) -> Option<String> {
    with_block(doc, BEGIN, END, table)
}

/// Every generated block: file, its text now, and its text as generated.
fn blocks(root: &Path, catalog: &Catalog) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let doc = std::fs::read_to_string(root.join(DOC)).with_context(|| format!("reading {DOC}"))?;
    let new = with_table(&doc, &table(root, catalog)?)
        .with_context(|| format!("{DOC} has no `{BEGIN}` … `{END}` block"))?;
    out.push((DOC.to_string(), doc, new));
    for m in MODULES {
        let guide = m.guide();
        let text = std::fs::read_to_string(root.join(&guide))
            .with_context(|| format!("reading {guide}"))?;
        let new = with_block(&text, GUIDE_BEGIN, GUIDE_END, &guide_steps(m, catalog))
            .with_context(|| format!("{guide} has no `{GUIDE_BEGIN}` … `{GUIDE_END}` block"))?;
        out.push((guide, text, new));
    }
    Ok(out)
}

/// Rewrites the budget table in `docs/authoring.md` and each guide's step
/// list (`cargo xtask catalog`).
pub fn write_doc(root: &Path, catalog: &Catalog) -> Result<()> {
    for (file, old, new) in blocks(root, catalog)? {
        if new != old {
            std::fs::write(root.join(&file), new).with_context(|| format!("writing {file}"))?;
        }
    }
    Ok(())
}

/// The files whose generated budget blocks differ from what the committed
/// catalogue and solutions give.
pub fn stale_docs(root: &Path, catalog: &Catalog) -> Result<Vec<String>> {
    Ok(blocks(root, catalog)?
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(file, _, _)| file)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_written_counts_code_in_the_regions_only() {
        let src = "fn a() {\n    // BEGIN SOLUTION a: do it\n    let x = 1;\n\n    // a comment\n    x\n    // END SOLUTION\n}\n\
                   // BEGIN SOLUTION ONLY\nfn helper() {}\n// END SOLUTION\n\
                   fn b() {\n    // BEGIN SOLUTION a: more\n    1\n    // END SOLUTION\n}\n";
        let got = lines_written(src);
        assert_eq!(got.get("a"), Some(&3));
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn doc_lines_are_the_comment_right_above_the_step() {
        let src = "/// other\nfn x() {}\n\n/// one\n/// two\n#[must_use]\npub fn step(a: u8) {}\n\
                   /// three\npub fn generic<'a>(a: &'a u8) {}\n";
        assert_eq!(doc_lines(src, "step"), 2);
        assert_eq!(doc_lines(src, "generic"), 1);
        assert_eq!(doc_lines(src, "missing"), 0);
    }

    fn info(id: &str, part: &str, track: Track, minutes: u32) -> CheckInfo {
        CheckInfo {
            id: id.into(),
            part: part.into(),
            step: "s".into(),
            kind: labkit::check::CheckKind::Story,
            title: "t".into(),
            points: 1,
            track,
            minutes,
            hint: "h".into(),
            file: None,
            function: None,
        }
    }

    #[test]
    fn a_part_over_its_slot_fails_and_extensions_do_not_count() {
        let m = crate::modules::find("m31").expect("m31");
        let a = info("m31.a.1", "A", Track::Core, 15);
        let b = info("m31.a.2", "A", Track::Core, 6);
        let ext = info("m31.a.3", "A", Track::AfterClass, 30);
        let over = problems(m, &[&a, &b, &ext]);
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].contains("21 min"), "{over:?}");
        let b = info("m31.a.2", "A", Track::Core, 5);
        assert!(problems(m, &[&a, &b, &ext]).is_empty());
    }

    #[test]
    fn a_challenge_on_the_core_path_and_a_missing_budget_are_refused() {
        let m = crate::modules::find("m33").expect("m33");
        let x = info("m33.x.1", "X", Track::Core, 3);
        let none = info("m33.a.1", "A", Track::Core, 0);
        let p = problems(m, &[&x, &none]);
        assert!(p.iter().any(|p| p.contains("optional challenge")), "{p:?}");
        assert!(p.iter().any(|p| p.contains("no time budget")), "{p:?}");
    }

    #[test]
    fn the_table_replaces_only_its_block() {
        let doc = format!("before\n{BEGIN}\nold\n{END}\nafter\n");
        let new = with_table(&doc, "| new |\n").expect("block");
        assert_eq!(new, format!("before\n{BEGIN}\n\n| new |\n\n{END}\nafter\n"));
        assert_eq!(with_table(&new, "| new |\n").as_deref(), Some(new.as_str()));
    }
}

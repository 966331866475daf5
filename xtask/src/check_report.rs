//! What the tool prints: the learner's report, the grader's table, and the
//! grader's JSON. Everything here is a pure function of the results, so it is
//! tested against golden files.

use std::fmt::Write as _;

use labkit::check::{Outcome, Track};
use labkit::stall::Stall;
use serde::Serialize;

use crate::cargo::Variant;
use crate::catalog::Integrity;
use crate::lab::{CheckRun, ModuleRun, Progress};
use crate::modules::Module;

/// Colours, used only on a terminal and never with `NO_COLOR` set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: std::io::stdout().is_terminal() && !no_color,
        }
    }
    #[cfg(test)]
    pub fn plain() -> Self {
        Self { color: false }
    }
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn outcome(&self, o: Outcome) -> String {
        let label = format!("{:<15}", label(o));
        match o {
            Outcome::Pass => self.paint("32", &label),
            Outcome::Fail | Outcome::Panicked | Outcome::Crashed | Outcome::TimedOut => {
                self.paint("31", &label)
            }
            Outcome::NotStarted => self.paint("33", &label),
            Outcome::DidNotCompile | Outcome::Tampered => self.paint("35", &label),
        }
    }
    /// The outcome's label, or *not run* for a check stopped at a step
    /// that had already failed to return.
    fn verdict(&self, v: &crate::runner::Verdict) -> String {
        match &v.stall {
            Some(Stall::NotRun { .. }) => self.paint("31", &format!("{:<15}", "not run")),
            _ => self.outcome(v.outcome),
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// The word a person reads for an outcome.
pub fn label(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::NotStarted => "not started",
        Outcome::Panicked => "panicked",
        Outcome::TimedOut => "timed out",
        Outcome::Crashed => "crashed",
        Outcome::DidNotCompile => "did not compile",
        Outcome::Tampered => "tampered",
    }
}

fn part_title(part: &str) -> String {
    if part == "X" {
        "Optional challenge".to_string()
    } else {
        format!("Part {part}")
    }
}

fn indent(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut out = String::new();
    for l in lines.iter().take(max_lines) {
        if l.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "        {l}");
        }
    }
    if lines.len() > max_lines {
        let _ = writeln!(out, "        … ({} more lines)", lines.len() - max_lines);
    }
    out
}

/// The learner's report for one module.
pub fn lab_report(run: &ModuleRun, style: Style) -> String {
    let m = run.module;
    let mut out = String::new();
    let whose = match run.variant {
        Variant::Starter => format!("your code in {}/", m.starters_dir()),
        Variant::Solution => format!("the reference in {}/", m.solutions_dir()),
    };
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!("{} · {} · {whose}", m.name, m.title))
    );
    if let Some(err) = &run.compile_error {
        let _ = writeln!(out, "\nThe code does not compile yet. The first error:\n");
        let _ = writeln!(out, "{}", indent(&err.first, 3).trim_end());
        if !err.rendered.trim().is_empty() {
            let _ = writeln!(out);
            out.push_str(&indent(&err.rendered, 30));
        }
    }
    let mut part = "";
    let width = run
        .checks
        .iter()
        .map(|c| c.info.title.chars().count())
        .max()
        .unwrap_or(0)
        .min(64);
    let mut after_class = false;
    for c in in_report_order(&run.checks) {
        if c.info.part != part {
            part = &c.info.part;
            after_class = false;
            let _ = writeln!(out, "\n{}", style.bold(&part_title(part)));
        }
        if c.extension() && !after_class {
            after_class = true;
            let _ = writeln!(
                out,
                "  {}",
                style.bold(&format!(
                    "after class: Part {part}'s extensions (not required)"
                ))
            );
        }
        let _ = writeln!(
            out,
            "  {} {:<8} {:<width$}  {}/{}",
            style.verdict(&c.verdict),
            c.info.id,
            c.info.title,
            c.earned(),
            c.info.points
        );
        if !c.passed() && c.verdict.outcome != Outcome::DidNotCompile {
            if let Some(msg) = &c.verdict.message {
                out.push_str(&indent(msg, 14));
            }
            if !c.verdict.output.trim().is_empty() && c.verdict.outcome != Outcome::NotStarted {
                let _ = writeln!(out, "        output:");
                out.push_str(&indent(&c.verdict.output, 10));
            }
        }
    }
    if !run.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!("Warnings in your code ({})", run.warnings.len()))
        );
        for w in run.warnings.iter().take(20) {
            let _ = writeln!(out, "  {w}");
        }
        if run.warnings.len() > 20 {
            let _ = writeln!(out, "  … and {} more", run.warnings.len() - 20);
        }
    }
    let _ = writeln!(out);
    let (bonus, bonus_max) = run.bonus();
    let bonus_text = if bonus_max > 0 {
        format!(" (optional challenge: {bonus}/{bonus_max} bonus points)")
    } else {
        String::new()
    };
    let ext = run.after_class();
    let after_class_text = if ext.total > 0 {
        format!(
            " · after class {}/{} ({}/{} points)",
            ext.passed, ext.total, ext.points, ext.max_points
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "Progress: core {}/{} checks pass, {}/{} points{after_class_text}{bonus_text}",
        run.passed(),
        run.total(),
        run.points(),
        run.max_points()
    );
    if let Some(err) = &run.compile_error {
        let _ = writeln!(
            out,
            "Next: make it compile — {}",
            err.first.lines().next().unwrap_or("")
        );
    } else if let Some(next) = next_check(run) {
        match blocker_elsewhere(run, next) {
            Some((step, place)) => {
                // `starters/m33/…` is M33's: name the module, its lab and
                // the way round it, since its own check's step is written.
                let owner = place
                    .strip_prefix("starters/")
                    .and_then(|rest| rest.split('/').next())
                    .filter(|m| crate::modules::find(m).is_some());
                let (whose, finish) = match owner {
                    Some(m) => (
                        format!("{}'s ", m.to_uppercase()),
                        format!("finish it (cargo xtask lab {m})"),
                    ),
                    None => (String::new(), "write it there".to_string()),
                };
                let _ = writeln!(
                    out,
                    "Next: {} waits on {whose}`{step}` in {place}, another module's step, not written yet: \
                     {finish}, or run with --reference-parts to use the reference one",
                    next.info.id
                );
            }
            None if matches!(
                next.verdict.stall,
                Some(Stall::LoopedIn { .. } | Stall::NotRun { .. })
            ) =>
            {
                let step = next.verdict.stall.as_ref().map(Stall::step);
                if let Some(step) = step {
                    let _ = writeln!(
                        out,
                        "Next: {} — your `{}` in {} did not return: look for a loop that never ends \
                         (or far too much work) there",
                        next.info.id, step.function, step.file
                    );
                }
            }
            None => {
                let site = match (&next.info.file, &next.info.function) {
                    // A step not started is to be written; one that
                    // fails, panics or crashes is written and to be fixed.
                    (Some(f), Some(func)) if next.verdict.outcome == Outcome::NotStarted => {
                        format!("write `{func}` in {f}")
                    }
                    (Some(f), Some(func)) => format!("fix `{func}` in {f}"),
                    // A step with no function of its own (a trace, a
                    // break-on-purpose): its name is its heading in the guide.
                    _ if !next.info.step.is_empty() => {
                        format!("the guide's step \"{}\" ({})", next.info.step, m.guide())
                    }
                    _ => "see the guide".to_string(),
                };
                if run.complete() {
                    // Everything the class needs passes: what is left is
                    // optional, and the learner should know they are done.
                    let _ = writeln!(
                        out,
                        "Core complete: every step of the class passes. After class (optional):"
                    );
                }
                let _ = writeln!(out, "Next: {} — {site}", next.info.id);
                let _ = writeln!(out, "  Hint: {}", next.info.hint);
            }
        }
    } else if run.variant == Variant::Starter {
        let _ = writeln!(
            out,
            "Every check passes. Compare your work with the reference: {}/ (diff -ru {} {})",
            m.solutions_dir(),
            m.starters_dir(),
            m.solutions_dir()
        );
    } else {
        let _ = writeln!(out, "Every check passes on the reference.");
    }
    let _ = writeln!(out, "Guide: {}", m.guide());
    out
}

/// When `check` is not started because it reached an unwritten step of
/// *another* module (the capstone runs the learner's M31–M33), that step
/// and where it is: the learner's real next move.
fn blocker_elsewhere(run: &ModuleRun, check: &CheckRun) -> Option<(String, String)> {
    if check.verdict.outcome != Outcome::NotStarted {
        return None;
    }
    // Which step held it up is a typed, sealed part of the verdict.
    let Some(Stall::Unwritten { step }) = &check.verdict.stall else {
        return None;
    };
    let own = run
        .module
        .units
        .iter()
        .any(|u| step.file.starts_with(&format!("{}/", u.starters)));
    (!own).then(|| (step.function.clone(), step.file.clone()))
}

/// The checks as the report lists them: part by part, in the order the
/// parts first appear, each part's core checks first and then its
/// extensions under their own heading (a part may plan an extension between
/// two core steps, as M33's canary sits between the gate and the rollback).
fn in_report_order(checks: &[CheckRun]) -> Vec<&CheckRun> {
    let mut parts: Vec<&str> = Vec::new();
    for c in checks {
        if !parts.contains(&c.info.part.as_str()) {
            parts.push(&c.info.part);
        }
    }
    let mut out = Vec::with_capacity(checks.len());
    for part in parts {
        for extension in [false, true] {
            out.extend(
                checks
                    .iter()
                    .filter(|c| c.info.part == part && c.extension() == extension),
            );
        }
    }
    out
}

/// The first required check that does not pass, then the first optional one.
pub fn next_check(run: &ModuleRun) -> Option<&CheckRun> {
    run.required()
        .find(|c| !c.passed())
        .or_else(|| run.checks.iter().find(|c| !c.passed()))
}

/// `cargo xtask lab` without a module: each module with its last progress.
pub fn module_list(rows: &[(&Module, Option<Progress>)]) -> String {
    let mut out =
        String::from("Modules (progress as of your last `cargo xtask lab <module>`):\n\n");
    for (m, progress) in rows {
        let (name, title) = (m.name, m.title);
        let p = match progress {
            Some(p) => {
                let done = if p.passed == p.total && p.total > 0 {
                    "  done"
                } else {
                    ""
                };
                format!(
                    "{}/{} checks, {}/{} points{done}",
                    p.passed, p.total, p.points, p.max_points
                )
            }
            None => "not run yet".to_string(),
        };
        let _ = writeln!(out, "  {name}  {title:<32} {p}");
    }
    // The first module not done yet, in course order.
    let next = rows
        .iter()
        .find(|(_, p)| !p.is_some_and(|p| p.passed == p.total && p.total > 0))
        .map(|(m, _)| m.name)
        .unwrap_or("m31");
    let _ = writeln!(
        out,
        "\nRun one: cargo xtask lab {next}   (add --watch to re-run on every save)"
    );
    out
}

/// The grader's table.
pub fn score_table(runs: &[ModuleRun], integrity: &Integrity) -> String {
    let mut out = String::from("module  checks   points   status\n");
    let (mut pts, mut max) = (0, 0);
    for r in runs {
        let status = if r.compile_error.is_some() {
            "did not compile".to_string()
        } else if r.complete() {
            "complete".to_string()
        } else {
            "incomplete".to_string()
        };
        let _ = writeln!(
            out,
            "{:<7} {:>3}/{:<4} {:>3}/{:<4} {status}",
            r.module.name,
            r.passed(),
            r.total(),
            r.points(),
            r.max_points()
        );
        if let Some(e) = &r.compile_error {
            let _ = writeln!(
                out,
                "        first error: {}",
                e.first.lines().next().unwrap_or("")
            );
        }
        pts += r.points();
        max += r.max_points();
    }
    let _ = writeln!(out, "total            {pts:>3}/{max}");
    let bonus: u32 = runs.iter().map(|r| r.bonus().0).sum();
    let (ext, ext_max) = runs.iter().fold((0, 0), |(e, m), r| {
        let a = r.after_class();
        (e + a.points, m + a.max_points)
    });
    if ext_max > 0 {
        let _ = writeln!(out, "after class      {ext:>3}/{ext_max}");
    }
    if bonus > 0 {
        let _ = writeln!(out, "bonus            {bonus:>3}");
    }
    if integrity.clean() {
        let _ = writeln!(
            out,
            "integrity: course files match labs/integrity.sha256 (self-reported: this checkout graded itself; a grade comes from `cargo xtask grade`)"
        );
    } else {
        let _ = writeln!(
            out,
            "integrity: WARNING, course files differ from labs/integrity.sha256 (self-reported; a grade comes from `cargo xtask grade`):"
        );
        for f in integrity
            .modified
            .iter()
            .chain(&integrity.missing)
            .chain(&integrity.added)
        {
            let _ = writeln!(out, "  {f}");
        }
    }
    out
}

/// `results.json`: Exercism's test-runner format, version 2, plus points.
#[derive(Debug, Serialize)]
pub struct Results {
    pub version: u32,
    /// `pass` (every required check passes), `fail`, or `error` (some
    /// module could not be built; its tests carry the compiler's first error).
    pub status: &'static str,
    pub message: Option<String>,
    pub points: u32,
    pub max_points: u32,
    pub bonus_points: u32,
    /// Points earned in the extensions of parts A and B (after class;
    /// never required, not counted in `points` or `bonus_points`).
    pub after_class_points: u32,
    /// Points available in those extensions.
    pub after_class_max_points: u32,
    pub modules: Vec<ModuleResult>,
    pub tests: Vec<TestResult>,
    pub integrity: Integrity,
}

#[derive(Debug, Serialize)]
pub struct ModuleResult {
    pub name: &'static str,
    pub title: &'static str,
    pub status: &'static str,
    pub message: Option<String>,
    pub passed: usize,
    pub total: usize,
    pub points: u32,
    pub max_points: u32,
    /// Extension checks (after class) passed, of how many, and their
    /// points: apart from `passed`/`total`/`points`, which are the core.
    pub after_class_passed: usize,
    pub after_class_total: usize,
    pub after_class_points: u32,
    pub after_class_max_points: u32,
}

#[derive(Debug, Serialize)]
pub struct TestResult {
    pub name: String,
    /// Exercism's status: `pass`, `fail` (a wrong answer) or `error` (it
    /// could not finish: not started, panicked, timed out, crashed, did not
    /// compile).
    pub status: &'static str,
    pub message: Option<String>,
    pub output: Option<String>,
    pub id: String,
    pub module: &'static str,
    pub part: String,
    pub step: String,
    /// The finer outcome: pass, fail, not_started, panicked, timed_out,
    /// crashed, did_not_compile.
    pub outcome: &'static str,
    pub points: u32,
    pub max_points: u32,
    pub optional: bool,
    /// `core` or `after_class` (an extension, or the optional challenge).
    pub track: &'static str,
    /// The check's time budget in minutes, from its plan.
    pub minutes: u32,
    /// For a check that did not finish: the learner step it was stuck in
    /// (`looped_in`) or was stopped at because an earlier check was stuck
    /// there (`not_run`), as the sealed verdict says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stall: Option<Stall>,
}

/// Builds `results.json` from the runs.
pub fn results(runs: &[ModuleRun], integrity: Integrity) -> Results {
    let mut tests = Vec::new();
    let mut modules = Vec::new();
    for r in runs {
        let status = if r.compile_error.is_some() {
            "error"
        } else if r.complete() {
            "pass"
        } else {
            "fail"
        };
        modules.push(ModuleResult {
            name: r.module.name,
            title: r.module.title,
            status,
            message: r.compile_error.as_ref().map(|e| e.first.clone()),
            passed: r.passed(),
            total: r.total(),
            points: r.points(),
            max_points: r.max_points(),
            after_class_passed: r.after_class().passed,
            after_class_total: r.after_class().total,
            after_class_points: r.after_class().points,
            after_class_max_points: r.after_class().max_points,
        });
        for c in &r.checks {
            tests.push(TestResult {
                name: format!("{} {}", c.info.id, c.info.title),
                status: match c.verdict.outcome {
                    Outcome::Pass => "pass",
                    Outcome::Fail => "fail",
                    _ => "error",
                },
                message: c.verdict.message.clone(),
                output: Some(c.verdict.output.clone()).filter(|o| !o.is_empty()),
                id: c.info.id.clone(),
                module: r.module.name,
                part: c.info.part.clone(),
                step: c.info.step.clone(),
                outcome: c.verdict.outcome.as_str(),
                points: c.earned(),
                max_points: c.info.points,
                optional: c.optional(),
                track: if c.optional() {
                    Track::AfterClass.as_str()
                } else {
                    Track::Core.as_str()
                },
                minutes: c.info.minutes,
                stall: c.verdict.stall.clone(),
            });
        }
    }
    let broken: Vec<&str> = modules
        .iter()
        .filter(|m| m.status == "error")
        .map(|m| m.name)
        .collect();
    let status = if !broken.is_empty() {
        "error"
    } else if modules.iter().all(|m| m.status == "pass") {
        "pass"
    } else {
        "fail"
    };
    Results {
        version: 2,
        status,
        message: (!broken.is_empty()).then(|| format!("did not compile: {}", broken.join(", "))),
        points: modules.iter().map(|m| m.points).sum(),
        max_points: modules.iter().map(|m| m.max_points).sum(),
        bonus_points: runs.iter().map(|r| r.bonus().0).sum(),
        after_class_points: runs.iter().map(|r| r.after_class().points).sum(),
        after_class_max_points: runs.iter().map(|r| r.after_class().max_points).sum(),
        modules,
        tests,
        integrity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::CheckRun;
    use crate::runner::Verdict;
    use labkit::check::{CheckInfo, CheckKind};

    fn run(id: &str, part: &str, track: Track) -> CheckRun {
        CheckRun {
            bin: "b",
            info: CheckInfo {
                id: id.into(),
                part: part.into(),
                step: "s".into(),
                kind: CheckKind::Step,
                title: "t".into(),
                points: 1,
                track,
                minutes: 1,
                hint: "h".into(),
                file: None,
                function: None,
            },
            verdict: Verdict {
                outcome: Outcome::Pass,
                message: None,
                output: String::new(),
                stall: None,
            },
        }
    }

    #[test]
    fn a_core_check_after_an_extension_is_still_listed_with_the_core() {
        let checks = [
            run("m.a.1", "A", Track::Core),
            run("m.b.1", "B", Track::Core),
            run("m.b.2", "B", Track::AfterClass),
            run("m.b.3", "B", Track::Core),
            run("m.x.1", "X", Track::AfterClass),
        ];
        let ids: Vec<&str> = in_report_order(&checks)
            .iter()
            .map(|c| c.info.id.as_str())
            .collect();
        assert_eq!(ids, ["m.a.1", "m.b.1", "m.b.3", "m.b.2", "m.x.1"]);
    }
}

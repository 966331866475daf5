//! Command-line parsing and the commands themselves.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cargo::Variant;
use crate::lab::{self, ModuleRun, Options};
use crate::modules::{self, Module, MODULES};
use crate::report::{self, Style};
use crate::runner::Limits;
use crate::{catalog, root, starters, verify, watch};

/// A mistake in how the tool was called: printed as one line, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

pub const HELP: &str = "\
cargo xtask — the opsloop course tool

Learners
  lab [MODULE]            build MODULE (m31, m32, m33, m34) from your starters and run its
                          checks; without MODULE, list the modules and your progress
      --watch             re-run whenever a file under starters/MODULE changes
      --solution          run the reference solution instead of your code (for m34:
                          on the reference M31–M33 too)
      --reference-parts   (m34) run the capstone on the reference M31–M33
      --timeout SECS      time limit per check (default 10)
The shift (M34)
  demo                    the on-call shift narrated for a person (reference code)
  drill                   the shift as a numbered trace (--markdown to post it)
      --mine              run it on your own code instead of the reference
  report                  the shift in pictures: one HTML file, target/report/shift.html
      --mine              draw your own run beside the reference
The book
  book                    the course book (guides, pictures, API docs) in target/book/html
      --serve             serve it on 127.0.0.1 and open it
      --open              open it in your browser
Graders
  check                   grade every module: a score table; exit 0 only if all pass
      --json FILE         also write results in Exercism's results.json v2 form (+ points)
      --solution          grade the reference solutions
Teaching staff
  verify                  every solution passes, every starter fails as not started, hints,
                          starters match the generator, catalogue current, fmt and clippy
      --skip-lint         leave out fmt and clippy
  starters                regenerate starters/ from solutions/ (refuses to overwrite edits)
      --check             only compare, and fail with a diff when they drift
      --force             overwrite starters even where they hold edits
  catalog                 rewrite labs/catalog.json and labs/integrity.sha256
  bench MODULE            run the module's benchmarks (release build)
  bench loop MODULE       time the learner's edit → result loop (on a scratch copy)
  ci                      what CI runs: fmt, clippy, all tests in both variants, verify
";

struct Args<'a> {
    rest: Vec<&'a str>,
    flags: Vec<&'a str>,
    values: Vec<(&'a str, &'a str)>,
}

/// Splits arguments into positionals, known flags and known `--key value`s;
/// anything else is a usage error naming what is valid.
fn parse<'a>(args: &'a [String], flags: &[&str], valued: &[&str], cmd: &str) -> Result<Args<'a>> {
    let mut out = Args {
        rest: Vec::new(),
        flags: Vec::new(),
        values: Vec::new(),
    };
    let mut it = args.iter().map(String::as_str);
    while let Some(a) = it.next() {
        if a.starts_with("--") {
            if flags.contains(&a) {
                out.flags.push(a);
            } else if valued.contains(&a) {
                let v = it
                    .next()
                    .ok_or_else(|| usage(format!("{a} needs a value")))?;
                out.values.push((a, v));
            } else {
                let mut valid: Vec<&str> = flags.iter().chain(valued).copied().collect();
                valid.sort();
                let valid = if valid.is_empty() {
                    "none".to_string()
                } else {
                    valid.join(", ")
                };
                return Err(usage(format!(
                    "unknown flag `{a}` for `{cmd}`; valid flags: {valid}"
                )));
            }
        } else {
            out.rest.push(a);
        }
    }
    Ok(out)
}

impl Args<'_> {
    fn has(&self, f: &str) -> bool {
        self.flags.contains(&f)
    }
    fn value(&self, k: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| *v)
    }
}

/// Runs the command named by `args`.
pub fn dispatch(args: &[String]) -> Result<ExitCode> {
    let Some(cmd) = args.first() else {
        print!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "lab" => cmd_lab(rest),
        "check" => cmd_check(rest),
        "verify" => {
            let a = parse(rest, &["--skip-lint"], &[], "verify")?;
            no_positionals(&a, "verify")?;
            verify::run(&root(), !a.has("--skip-lint"))
        }
        "starters" => cmd_starters(rest),
        "catalog" => {
            let a = parse(rest, &[], &[], "catalog")?;
            no_positionals(&a, "catalog")?;
            verify::write_catalog(&root())?;
            println!("wrote {} and {}", catalog::CATALOG, catalog::MANIFEST);
            Ok(ExitCode::SUCCESS)
        }
        "bench" => cmd_bench(rest),
        "demo" => cmd_shift(rest, "demo"),
        "drill" => cmd_shift(rest, "drill"),
        "book" => {
            let a = parse(rest, &["--serve", "--open"], &[], "book")?;
            no_positionals(&a, "book")?;
            crate::book::book(&root(), a.has("--serve"), a.has("--open"))
        }
        "report" => {
            let a = parse(rest, &["--mine"], &[], "report")?;
            no_positionals(&a, "report")?;
            crate::book::report(&root(), a.has("--mine"))
        }
        "rules" => crate::rules::run(rest),
        "ci" => {
            let a = parse(rest, &[], &[], "ci")?;
            no_positionals(&a, "ci")?;
            verify::ci(&root())
        }
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(usage(format!(
            "unknown command `{other}`; valid commands: lab, check, demo, drill, report, book, verify, starters, catalog, bench, ci, help"
        ))),
    }
}

fn no_positionals(a: &Args<'_>, cmd: &str) -> Result<()> {
    match a.rest.first() {
        Some(p) => Err(usage(format!("`{cmd}` takes no argument `{p}`"))),
        None => Ok(()),
    }
}

pub fn module_arg(name: &str) -> Result<&'static Module> {
    modules::find(name).ok_or_else(|| {
        usage(format!(
            "unknown module `{name}`; valid modules: {}",
            modules::names()
        ))
    })
}

fn limits(a: &Args<'_>) -> Result<Limits> {
    let mut l = Limits::default();
    if let Some(v) = a.value("--timeout") {
        let secs: u64 = v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
            usage(format!(
                "--timeout takes a whole number of seconds above 0, not `{v}`"
            ))
        })?;
        l.timeout = Duration::from_secs(secs);
    }
    Ok(l)
}

fn jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

fn cmd_lab(rest: &[String]) -> Result<ExitCode> {
    let a = parse(
        rest,
        &["--watch", "--solution", "--reference-parts"],
        &["--timeout"],
        "lab",
    )?;
    let root = root();
    let variant = if a.has("--solution") {
        Variant::Solution
    } else {
        Variant::Starter
    };
    let Some(name) = a.rest.first() else {
        let rows: Vec<_> = MODULES
            .iter()
            .map(|m| (m, lab::load_progress(&root, m.name, variant)))
            .collect();
        print!("{}", report::module_list(&rows));
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(extra) = a.rest.get(1) {
        return Err(usage(format!("`lab` takes one module, not also `{extra}`")));
    }
    let module = module_arg(name)?;
    if a.has("--reference-parts") && module.name != "m34" {
        return Err(usage(
            "--reference-parts only applies to m34 (the capstone)",
        ));
    }
    let opts = Options {
        variant,
        reference_parts: runs_on_reference_parts(module, variant, a.has("--reference-parts")),
        limits: limits(&a)?,
        jobs: jobs(),
    };
    let style = Style::detect();
    let once = || -> Result<ModuleRun> {
        // A first build takes a while; say so, but only to a person.
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("building {} ({} variant)…", module.name, variant.name());
        }
        let built = lab::build_modules(&root, &[module], &opts)?;
        let mut runs = lab::run_modules(&root, &[module], &built, &opts)?;
        let run = runs.pop().context("no result for the module")?;
        lab::save_progress(&root, &run);
        print!("{}", report::lab_report(&run, style));
        if module.name == "m34" && !opts.reference_parts && !run.complete() {
            println!(
                "Tip: the capstone runs on your M31–M33; add --reference-parts to run it on the reference ones."
            );
        }
        Ok(run)
    };
    if a.has("--watch") {
        let dir = match variant {
            Variant::Starter => module.starters_dir(),
            Variant::Solution => module.solutions_dir(),
        };
        watch::watch(&root, &dir, style, || {
            if let Err(e) = once() {
                eprintln!("error: {e:#}");
            }
        });
    }
    let run = once()?;
    Ok(if run.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Whether `lab` runs the capstone on the reference M31–M33: when asked
/// to, and with `--solution`, since the reference capstone is the whole
/// reference course.
pub fn runs_on_reference_parts(module: &Module, variant: Variant, asked: bool) -> bool {
    module.name == "m34" && (asked || variant == Variant::Solution)
}

/// Builds and runs every module for grading. M34 is graded on the reference
/// M31–M33, so each module's score reflects that module's work alone; it is
/// built in its own cargo call because its features would otherwise switch
/// the other modules to the reference too.
pub fn grade(root: &Path, variant: Variant) -> Result<Vec<ModuleRun>> {
    let opts = Options {
        variant,
        reference_parts: true,
        limits: Limits::default(),
        jobs: jobs(),
    };
    let (parts, capstone): (Vec<&'static Module>, Vec<&'static Module>) =
        MODULES.iter().partition(|m| m.name != "m34");
    let mut runs = Vec::new();
    for group in [parts, capstone] {
        let built = lab::build_modules(root, &group, &opts)?;
        runs.extend(lab::run_modules(root, &group, &built, &opts)?);
    }
    Ok(runs)
}

fn cmd_check(rest: &[String]) -> Result<ExitCode> {
    let a = parse(rest, &["--solution"], &["--json"], "check")?;
    no_positionals(&a, "check")?;
    let root = root();
    let variant = if a.has("--solution") {
        Variant::Solution
    } else {
        Variant::Starter
    };
    let runs = grade(&root, variant)?;
    let integrity = catalog::integrity(&root)?;
    print!("{}", report::score_table(&runs, &integrity));
    let results = report::results(&runs, integrity);
    if let Some(file) = a.value("--json") {
        let json = serde_json::to_string_pretty(&results)? + "\n";
        std::fs::write(file, json).with_context(|| format!("writing {file}"))?;
        println!("results written to {file}");
    }
    Ok(if results.status == "pass" {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn cmd_starters(rest: &[String]) -> Result<ExitCode> {
    let a = parse(rest, &["--check", "--force"], &[], "starters")?;
    no_positionals(&a, "starters")?;
    let root = root();
    if a.has("--check") {
        let problems = starters::drift(&root)?;
        if problems.is_empty() {
            println!("starters match what the generator makes");
            return Ok(ExitCode::SUCCESS);
        }
        for p in &problems {
            println!("{p}");
        }
        println!("run `cargo xtask starters` to regenerate them");
        return Ok(ExitCode::FAILURE);
    }
    let done = starters::write(&root, a.has("--force"))?;
    for f in &done.written {
        println!("wrote {f}");
    }
    println!(
        "{} written, {} already up to date",
        done.written.len(),
        done.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

fn cmd_bench(rest: &[String]) -> Result<ExitCode> {
    let a = parse(rest, &[], &[], "bench")?;
    let name = a.rest.first().ok_or_else(|| {
        usage(format!(
            "`bench` needs a module; valid modules: {}",
            modules::names()
        ))
    })?;
    let root = root();
    if *name == "loop" {
        let m = a.rest.get(1).ok_or_else(|| {
            usage(format!(
                "`bench loop` needs a module; valid modules: {}",
                modules::names()
            ))
        })?;
        return crate::loopbench::run(&root, module_arg(m)?);
    }
    let module = module_arg(name)?;
    let mut ok = true;
    for u in module.units {
        if !root
            .join("crates")
            .join(u.package)
            .join("examples")
            .join("bench.rs")
            .exists()
        {
            println!("{}: no benchmark yet", u.package);
            continue;
        }
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .args(["run", "--quiet", "--release", "-p", u.package, "--example"])
            .arg(format!("bench-{}", u.package))
            .arg("--features")
            .arg(if u.package == "capstone" {
                "capstone/solution,capstone/reference-parts".to_string()
            } else {
                format!("{}/solution", u.package)
            })
            .arg("--target-dir")
            .arg(Variant::Solution.target_dir(&root))
            .status()
            .context("cannot run cargo")?;
        ok &= status.success();
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `demo` and `drill`: run the capstone's binary of that name. By default on
/// the reference code, so it works before any lab is done; `--mine` runs it
/// on the learner's M31–M34.
fn cmd_shift(rest: &[String], bin: &str) -> Result<ExitCode> {
    let a = parse(rest, &["--mine", "--markdown"], &[], bin)?;
    no_positionals(&a, bin)?;
    let root = root();
    let src = root.join("crates/capstone/src/bin");
    if !src.join(format!("{bin}.rs")).exists() && !src.join(bin).join("main.rs").exists() {
        return Err(usage(format!("the capstone has no `{bin}` yet")));
    }
    let (variant, features) = if a.has("--mine") {
        (Variant::Starter, "")
    } else {
        (
            Variant::Solution,
            "capstone/solution,capstone/reference-parts",
        )
    };
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root)
        .args(["run", "--quiet", "-p", "capstone", "--bin", bin])
        .arg("--target-dir")
        .arg(variant.target_dir(&root));
    if !features.is_empty() {
        cmd.args(["--features", features]);
    }
    cmd.arg("--");
    if a.has("--markdown") {
        cmd.arg("--markdown");
    }
    let status = cmd.status().context("cannot run cargo")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

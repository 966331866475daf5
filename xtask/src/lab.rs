//! Building a module and running its checks: the engine behind `lab`,
//! `check` and `verify`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use labkit::check::{CheckInfo, Outcome, Track};

use crate::cargo::{self, Built, CompileError, Request, Variant};
use crate::catalog;
use crate::grade::judges::{self, Judges};
use crate::modules::Module;
use crate::runner::{self, Limits, Verdict};

/// One check and how it ended.
#[derive(Debug, Clone)]
pub struct CheckRun {
    /// The check binary that holds it.
    pub bin: &'static str,
    pub info: CheckInfo,
    pub verdict: Verdict,
}

impl CheckRun {
    /// After-class checks (extensions, and every check of the optional
    /// challenge, part `X`) are graded apart and are not needed for a
    /// module to be complete.
    pub fn optional(&self) -> bool {
        self.info.track == Track::AfterClass || self.challenge()
    }
    /// A check of the optional challenge (part `X`): its points are bonus.
    pub fn challenge(&self) -> bool {
        self.info.part == "X"
    }
    /// An extension of a part (`A`, `B`): after class, not the challenge.
    pub fn extension(&self) -> bool {
        self.optional() && !self.challenge()
    }
    pub fn passed(&self) -> bool {
        self.verdict.outcome == Outcome::Pass
    }
    pub fn earned(&self) -> u32 {
        if self.passed() {
            self.info.points
        } else {
            0
        }
    }
}

/// Everything known about one module after a run.
#[derive(Debug, Clone)]
pub struct ModuleRun {
    pub module: &'static Module,
    pub variant: Variant,
    pub checks: Vec<CheckRun>,
    /// The first compile error, when some of the module did not compile.
    pub compile_error: Option<CompileError>,
    /// The compiler's (and, when asked, clippy's) warnings in the learner's
    /// files, `file:line: message`.
    pub warnings: Vec<String>,
}

impl ModuleRun {
    pub fn required(&self) -> impl Iterator<Item = &CheckRun> {
        self.checks.iter().filter(|c| !c.optional())
    }
    pub fn passed(&self) -> usize {
        self.required().filter(|c| c.passed()).count()
    }
    pub fn total(&self) -> usize {
        self.required().count()
    }
    pub fn points(&self) -> u32 {
        self.required().map(CheckRun::earned).sum()
    }
    pub fn max_points(&self) -> u32 {
        self.required().map(|c| c.info.points).sum()
    }
    /// Points of the optional challenge (part `X`): earned, available.
    pub fn bonus(&self) -> (u32, u32) {
        tally(self.checks.iter().filter(|c| c.challenge()))
    }
    /// The extensions of parts A and B, for after class: checks passed,
    /// checks, points earned, points available.
    pub fn after_class(&self) -> AfterClass {
        let ext: Vec<&CheckRun> = self.checks.iter().filter(|c| c.extension()).collect();
        let (points, max_points) = tally(ext.iter().copied());
        AfterClass {
            passed: ext.iter().filter(|c| c.passed()).count(),
            total: ext.len(),
            points,
            max_points,
        }
    }
    /// Complete when every required check passes.
    pub fn complete(&self) -> bool {
        self.compile_error.is_none()
            && !self.checks.is_empty()
            && self.required().all(|c| c.passed())
    }
}

/// Earned and available points of some checks.
fn tally<'a>(checks: impl Iterator<Item = &'a CheckRun>) -> (u32, u32) {
    checks.fold((0, 0), |(e, m), c| (e + c.earned(), m + c.info.points))
}

/// Progress on a module's extensions (after class), kept apart from its
/// core progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AfterClass {
    pub passed: usize,
    pub total: usize,
    pub points: u32,
    pub max_points: u32,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub variant: Variant,
    /// Run the capstone on the reference M31–M33.
    pub reference_parts: bool,
    pub limits: Limits,
    pub jobs: usize,
    /// Where to build, when not the variant's usual target dir (`grade`
    /// builds every submission in one warm dir of its own).
    pub target_dir: Option<PathBuf>,
    /// Also run clippy on the learner's files and show its warnings.
    pub clippy: bool,
}

/// Checks run at once: one per core.
pub fn jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Whether `lab` runs the capstone on the reference M31–M33: when asked
/// to, and with `--solution`, since the reference capstone is the whole
/// reference course.
pub fn runs_on_reference_parts(module: &Module, variant: Variant, asked: bool) -> bool {
    module.reference_parts_feature.is_some() && (asked || variant == Variant::Solution)
}

/// Builds every module and runs its checks, each module scored on its own
/// (what `check`, `verify`, `catalog` and each submission of `grade` do;
/// `lab` runs one module for a learner). A module that runs on the others
/// (the capstone) runs on the reference M31–M33, so each score reflects
/// that module's work alone, in a cargo call of its own.
pub fn check_every_module(root: &Path, variant: Variant) -> Result<Vec<ModuleRun>> {
    check_every_module_in(root, variant, None, Limits::default())
}

/// [`check_every_module`] for some of the modules only (`cargo xtask verify m33`).
pub fn check_some_modules(
    root: &Path,
    variant: Variant,
    modules: &[&'static Module],
) -> Result<Vec<ModuleRun>> {
    check_modules(root, variant, modules, None, Limits::default())
}

/// [`check_every_module`], building in `target_dir` (or the variant's own) with `limits`.
pub fn check_every_module_in(
    root: &Path,
    variant: Variant,
    target_dir: Option<PathBuf>,
    limits: Limits,
) -> Result<Vec<ModuleRun>> {
    let all: Vec<&'static Module> = crate::modules::MODULES.iter().collect();
    check_modules(root, variant, &all, target_dir, limits)
}

fn check_modules(
    root: &Path,
    variant: Variant,
    modules: &[&'static Module],
    target_dir: Option<PathBuf>,
    limits: Limits,
) -> Result<Vec<ModuleRun>> {
    let opts = Options {
        variant,
        reference_parts: true,
        limits,
        jobs: jobs(),
        target_dir,
        clippy: false,
    };
    let (parts, on_parts): (Vec<&'static Module>, Vec<&'static Module>) = modules
        .iter()
        .partition(|m| m.reference_parts_feature.is_none());
    let mut runs = Vec::new();
    for group in [parts, on_parts] {
        if group.is_empty() {
            continue;
        }
        let built = build_modules(root, &group, &opts)?;
        // Pinned before any check runs; put back after the last.
        let judges = Judges::pin(built.binaries.values()).context("reading the check binaries")?;
        let mut graded = run_modules_judged(root, &group, &built, &opts, &judges)?;
        let changed = judges.restore().context("restoring the check binaries")?;
        judges::condemn(&mut graded, &changed, &built.binaries);
        runs.extend(graded);
    }
    Ok(runs)
}

/// Features a module's build needs beyond its variant.
fn features(module: &Module, opts: &Options) -> Vec<String> {
    let mut f: Vec<String> = module.lab_features.iter().map(|s| s.to_string()).collect();
    if opts.reference_parts {
        f.extend(module.reference_parts_feature.map(String::from));
    }
    f
}

/// Builds the given modules in one cargo invocation (modules whose features
/// would unify differently must be built in separate calls).
pub fn build_modules(root: &Path, modules: &[&'static Module], opts: &Options) -> Result<Built> {
    let mut req = Request {
        packages: Vec::new(),
        bins: Vec::new(),
        features: Vec::new(),
        variant: opts.variant,
        target_dir: opts.target_dir.clone(),
        action: "build",
    };
    for m in modules {
        for u in m.units {
            req.packages.push(u.package);
            req.bins.push(u.bin);
        }
        req.features.extend(features(m, opts));
    }
    let mut built = cargo::build(root, &req)?;
    if opts.clippy && built.errors.is_empty() {
        let lints = cargo::build(
            root,
            &Request {
                action: "clippy",
                ..req
            },
        )?;
        for w in lints.warnings {
            if !built.warnings.contains(&w) {
                built.warnings.push(w);
            }
        }
    }
    Ok(built)
}

/// Runs every check of the modules that `built` holds binaries for, and
/// reports those whose binaries are missing as not compiling.
pub fn run_modules(
    root: &Path,
    modules: &[&'static Module],
    built: &Built,
    opts: &Options,
) -> Result<Vec<ModuleRun>> {
    run_modules_judged(root, modules, built, opts, &Judges::none())
}

/// [`run_modules`], each binary verified against `judges` before a spawn.
fn run_modules_judged(
    root: &Path,
    modules: &[&'static Module],
    built: &Built,
    opts: &Options,
    judges: &Judges,
) -> Result<Vec<ModuleRun>> {
    let scratch = root
        .join("target")
        .join("opsloop")
        .join(format!("run-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let catalog = catalog::load(root)?;

    let mut runs = Vec::new();
    let mut jobs: Vec<(PathBuf, String)> = Vec::new();
    let mut slots: Vec<(usize, usize)> = Vec::new(); // (module run, check index)
    for m in modules {
        let dirs: Vec<String> = m.units.iter().map(|u| format!("{}/", u.starters)).collect();
        let mut run = ModuleRun {
            module: m,
            variant: opts.variant,
            checks: Vec::new(),
            compile_error: None,
            warnings: built
                .warnings
                .iter()
                .filter(|w| {
                    dirs.iter().any(|d| w.starts_with(d.as_str()))
                        || w.starts_with(&format!("{}/", m.solutions_dir()))
                })
                .cloned()
                .collect(),
        };
        for u in m.units {
            match built.binaries.get(u.bin) {
                Some(bin) => {
                    let infos = runner::list(bin).map_err(anyhow::Error::msg)?;
                    for info in infos {
                        slots.push((runs.len(), run.checks.len()));
                        jobs.push((bin.clone(), info.id.clone()));
                        run.checks.push(CheckRun {
                            bin: u.bin,
                            info,
                            verdict: Verdict {
                                outcome: Outcome::Crashed,
                                message: None,
                                output: String::new(),
                                stall: None,
                            },
                        });
                    }
                }
                None => {
                    let error = built
                        .errors
                        .get(u.package)
                        .or_else(|| built.errors.values().next())
                        .cloned()
                        .unwrap_or_else(|| CompileError {
                            first: built
                                .cargo_stderr
                                .clone()
                                .unwrap_or_else(|| format!("cargo did not build {}", u.bin)),
                            rendered: String::new(),
                        });
                    for info in catalog.get(u.bin).cloned().unwrap_or_default() {
                        run.checks.push(CheckRun {
                            bin: u.bin,
                            info,
                            verdict: Verdict {
                                outcome: Outcome::DidNotCompile,
                                message: Some(error.first.clone()),
                                output: String::new(),
                                stall: None,
                            },
                        });
                    }
                    run.compile_error.get_or_insert(error);
                }
            }
        }
        runs.push(run);
    }
    let readable = [
        root.to_path_buf(),
        opts.target_dir
            .clone()
            .unwrap_or_else(|| root.join("target")),
    ];
    let verdicts =
        runner::run_all_reading(&jobs, &scratch, opts.limits, opts.jobs, judges, &readable);
    for ((r, c), v) in slots.into_iter().zip(verdicts) {
        runs[r].checks[c].verdict = v;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(runs)
}

/// Where the progress of each module's last lab run is kept, for `cargo xtask
/// lab` without a module. A run on the reference parts keeps its own, so a
/// run without the flag never overwrites what was earned with it.
fn progress_file(root: &Path, module: &str, variant: Variant, reference_parts: bool) -> PathBuf {
    let on = if reference_parts {
        "-reference-parts"
    } else {
        ""
    };
    root.join("target")
        .join("opsloop")
        .join("progress")
        .join(format!("{module}-{}{on}.json", variant.name()))
}

/// A module's progress as of its last lab run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    pub passed: usize,
    pub total: usize,
    pub points: u32,
    pub max_points: u32,
}

/// Saves a module's progress (checks and points).
pub fn save_progress(root: &Path, run: &ModuleRun, reference_parts: bool) {
    let p = progress_file(root, run.module.name, run.variant, reference_parts);
    let progress = Progress {
        passed: run.passed(),
        total: run.total(),
        points: run.points(),
        max_points: run.max_points(),
    };
    if let (Some(dir), Ok(json)) = (p.parent(), serde_json::to_string(&progress)) {
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(p, json);
    }
}

/// The progress saved by a module's last lab run, if any.
pub fn load_progress(
    root: &Path,
    module: &str,
    variant: Variant,
    reference_parts: bool,
) -> Option<Progress> {
    let text =
        std::fs::read_to_string(progress_file(root, module, variant, reference_parts)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The better of a module's saved progress with and without the reference
/// parts (only the capstone has both).
pub fn best_progress(root: &Path, module: &Module, variant: Variant) -> Option<Progress> {
    let own = load_progress(root, module.name, variant, false);
    let on_parts = module
        .reference_parts_feature
        .and_then(|_| load_progress(root, module.name, variant, true));
    match (own, on_parts) {
        (Some(a), Some(b)) => Some(if b.points > a.points { b } else { a }),
        (a, b) => a.or(b),
    }
}

//! `cargo xtask grade`: grading a class the grader can stand behind.
//!
//! The learner's own `cargo xtask check` is a self-check: it grades whatever
//! the learner's checkout holds, checks included. `grade` trusts nothing a
//! submission holds but its learner files:
//!
//! 1. [`discover`] finds the submissions in what was given (folders, git
//!    repositories, zips, LMS download-alls) and names each learner;
//!    [`submission`] reads each (a directory, or a git revision: see
//!    [`deadline`] and [`provenance`]) and takes only the files under
//!    `starters/` that the catalogue names; everything else it changed is
//!    listed as ignored.
//! 2. [`course`] puts those files into a scratch copy of the grader's own
//!    course ([`midterm`] fills in functions added since the hand-in), with
//!    fresh timestamps, and one warm target dir builds them all.
//! 3. The checks run as in `lab`, each in its own contained process, and a
//!    verdict counts only when the harness sealed it (`labkit::seal`).
//! 4. [`flags`] and [`similarity`] mark what a person should look at; the
//!    outputs are written by [`gradebook`], [`feedback`] and [`class`];
//!    [`regrade`] keeps what a regrade or a merge of shards redraws from.
//!
//! Exit code 0 when at least one submission was graded, whatever the
//! scores; [`NOTHING_GRADED`] (3) when grading ran but no submission could
//! be graded; 2 when grading could not run.

#[cfg(test)]
mod arrivals;
#[cfg(test)]
mod attacks;
pub mod bench;
pub mod class;
pub mod containment;
pub mod corpus;
pub mod course;
pub mod deadline;
pub mod discover;
pub mod feedback;
pub mod flags;
pub mod gradebook;
pub mod gradescope;
pub mod judges;
pub mod lms;
pub mod midterm;
#[cfg(test)]
mod ordinary_grader;
pub mod provenance;
pub mod reaper;
pub mod regrade;
pub mod restore;
pub mod roster;
pub mod similarity;
pub mod submission;
pub mod tokens;
#[cfg(test)]
mod workflow;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use labkit::check::Outcome;
use labkit::digest::sha256_hex;
use serde::Serialize;

use crate::cargo::Variant;
use crate::check_report;
use crate::lab::ModuleRun;
use crate::modules::MODULES;
use crate::runner::Limits;
use course::CourseCopy;
use flags::Flag;
use submission::{CourseView, LearnerFile, Submission};

/// The exit code of a batch where no submission could be graded.
pub const NOTHING_GRADED: u8 = 3;

/// Two submissions at least this alike are flagged.
pub const SIMILAR_AT: f64 = 0.9;
/// Fingerprints each side needs before similarity means anything (two
/// barely started submissions are alike only in having done nothing).
const MIN_FINGERPRINTS: usize = 20;

/// How a batch is graded.
#[derive(Debug, Clone)]
pub struct Batch {
    pub submissions: Vec<Entry>,
    /// Grade this revision of every submission that is a git repository.
    pub rev: Option<String>,
    /// Grade, in every git repository, the newest commit at or before this
    /// time (committer date); later commits are listed as late.
    pub before: Option<deadline::Deadline>,
    /// Where results go.
    pub out: PathBuf,
    /// Where the course copy and its target dir live (kept warm).
    pub work: PathBuf,
    /// `(i, n)`: grade only the i-th of n shards (1-based).
    pub shard: Option<(usize, usize)>,
    pub limits: Limits,
    /// Grade even when neither a user per check nor Landlock can contain
    /// the checks (see [`containment`]).
    pub unconfined: bool,
}

/// A submission as given: `PATH`, or `ID=PATH` to name it (a roster's
/// user name, say). Without an id, the folder's name is the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Option<String>,
    pub path: PathBuf,
}

impl Entry {
    /// Reads `PATH` or `ID=PATH`, relative to `here`. The part before the
    /// first `=` is an id, kept as given (an e-mail, a name with spaces),
    /// unless the whole text is an existing path, the id would be empty
    /// or hold a `/` or a control character.
    pub fn parse(text: &str, here: &Path) -> Self {
        if let Some((id, path)) = text.split_once('=') {
            let is_id = !id.trim().is_empty()
                && !id.contains('/')
                && !id.chars().any(char::is_control)
                && !here.join(text).exists();
            if is_id && !path.is_empty() {
                return Self {
                    id: Some(id.to_string()),
                    path: here.join(path),
                };
            }
        }
        Self {
            id: None,
            path: here.join(text),
        }
    }
}

/// How a submission ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every required check passes.
    Pass,
    /// Graded; some required check does not pass.
    Fail,
    /// Some module did not compile (the others were graded).
    Error,
    /// A verdict was not sealed by the harness.
    Tampered,
    /// Could not be graded at all (see the reason).
    Invalid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Tampered => "tampered",
            Status::Invalid => "invalid",
        }
    }
}

/// One learner file as graded.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileRecord {
    pub path: String,
    /// SHA-256 of the submission's file, when it was taken.
    pub sha256: Option<String>,
    /// `taken`, or why not (the untouched starter was graded instead).
    pub status: String,
}

/// One submission, graded.
#[derive(Debug, Clone)]
pub struct Graded {
    pub id: String,
    pub source: String,
    /// The commit graded and its date, the late commits, a dirty tree.
    pub provenance: provenance::Provenance,
    pub status: Status,
    /// Why it could not be graded, for [`Status::Invalid`].
    pub reason: Option<String>,
    pub runs: Vec<ModuleRun>,
    pub files: Vec<FileRecord>,
    pub ignored: Vec<String>,
    /// Changed files that cannot affect a grade (docs, book, workflows).
    pub ignored_docs: Vec<String>,
    pub flags: Vec<Flag>,
    /// Per learner file, the winnowed fingerprints of the learner's own
    /// code (the starter's removed).
    pub fingerprints: BTreeMap<String, BTreeSet<u64>>,
    /// Seconds spent on this submission (not written to any output that
    /// must be the same on every run).
    pub seconds: f64,
    /// How its checks were contained (`None` in a record written before
    /// the grader said so).
    pub sandbox: Option<containment::Containment>,
}

impl Graded {
    pub fn points(&self) -> u32 {
        self.runs.iter().map(ModuleRun::points).sum()
    }
    pub fn max_points(&self) -> u32 {
        self.runs.iter().map(ModuleRun::max_points).sum()
    }
    pub fn bonus(&self) -> u32 {
        self.runs.iter().map(|r| r.bonus().0).sum()
    }
    /// Points earned in the extensions (after class), apart from the core.
    pub fn after_class(&self) -> u32 {
        self.runs.iter().map(|r| r.after_class().points).sum()
    }
    /// Points of one module, 0 when it was not graded.
    pub fn module_points(&self, name: &str) -> u32 {
        self.runs
            .iter()
            .find(|r| r.module.name == name)
            .map(ModuleRun::points)
            .unwrap_or(0)
    }
}

/// The course's learner files: every file under `starters/` that a check
/// of the catalogue names, in order.
pub fn learner_files(root: &Path) -> Result<Vec<String>> {
    let mut out: Vec<String> = crate::catalog::load(root)?
        .values()
        .flatten()
        .filter_map(|c| c.file.clone())
        .filter(|f| f.starts_with("starters/"))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The reference file of a learner file.
fn solution_of(file: &str) -> String {
    file.replacen("starters/", "solutions/", 1)
}

/// What grading needs to know about the course, read once per batch.
struct Course {
    view: CourseView,
    starters: BTreeMap<String, String>,
    solutions: BTreeMap<String, String>,
    /// Fingerprints of each starter and its reference: code that sharing
    /// it explains (the reference is in every learner's checkout; copying
    /// it is flagged on its own, as `reference-copy`).
    base: BTreeMap<String, BTreeSet<u64>>,
}

impl Course {
    fn read(root: &Path) -> Result<Self> {
        let files = learner_files(root)?;
        if files.is_empty() {
            bail!(
                "the course's catalogue ({}) names no learner files",
                crate::catalog::CATALOG
            );
        }
        let mut starters = BTreeMap::new();
        let mut solutions = BTreeMap::new();
        let mut base = BTreeMap::new();
        for f in &files {
            let s =
                std::fs::read_to_string(root.join(f)).with_context(|| format!("reading {f}"))?;
            let mut given = similarity::fingerprints(&s);
            starters.insert(f.clone(), s);
            if let Ok(sol) = std::fs::read_to_string(root.join(solution_of(f))) {
                given.extend(similarity::fingerprints(&sol));
                solutions.insert(f.clone(), sol);
            }
            base.insert(f.clone(), given);
        }
        let view = CourseView::new(root, files).context("reading the course")?;
        Ok(Self {
            view,
            starters,
            solutions,
            base,
        })
    }
}

/// Grades a batch and writes every output into `batch.out`.
pub fn run(grader: &Path, batch: &Batch) -> Result<Vec<Graded>> {
    if batch.submissions.is_empty() {
        bail!("no submissions given");
    }
    let containment = containment::Containment::of_this_machine(batch.unconfined);
    if let Some(refusal) = containment.refusal() {
        bail!(refusal);
    }
    let limits = containment.limits(batch.limits);
    let mut course = Course::read(grader)?;
    let copy = CourseCopy::prepare(grader, &batch.work)?;
    course.view.work = Some(batch.work.clone());
    let mut guard = restore::Guard::new(&copy, &course.view)?;
    let scratch = batch.work.join("unpacked");
    std::fs::create_dir_all(&batch.out)
        .with_context(|| format!("creating {}", batch.out.display()))?;

    let mut entries = batch.submissions.clone();
    entries.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
    // Zips are unpacked here, and kept until the batch is graded.
    let handins = batch.work.join("handins");
    let _ = std::fs::remove_dir_all(&handins);
    let mut chosen = discover::find(&entries, &handins);
    chosen.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some((i, n)) = batch.shard {
        chosen = chosen
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % n == i - 1)
            .map(|(_, c)| c)
            .collect();
    }

    let mut graded = Vec::new();
    for found in &chosen {
        let started = Instant::now();
        let read = match &found.problem {
            Some(problem) => Err(submission::Invalid {
                id: found.id.clone(),
                source: found.source.clone(),
                reason: problem.clone(),
            }),
            None => submission::read(
                &found.path,
                submission::Wanted {
                    rev: batch.rev.as_deref(),
                    before: batch.before,
                },
                &course.view,
                found.id.clone(),
                &scratch,
            ),
        };
        let mut g = match read {
            Err(invalid) => {
                println!("{}: not graded: {}", invalid.id, invalid.reason);
                Graded {
                    id: invalid.id,
                    source: invalid.source,
                    provenance: Default::default(),
                    status: Status::Invalid,
                    reason: Some(invalid.reason),
                    runs: Vec::new(),
                    files: Vec::new(),
                    ignored: Vec::new(),
                    ignored_docs: Vec::new(),
                    flags: Vec::new(),
                    fingerprints: BTreeMap::new(),
                    seconds: 0.0,
                    sandbox: None,
                }
            }
            Ok(sub) => {
                let (mut g, placed) = grade_one(&course, &copy, sub, limits)?;
                guard.after_checks(grader, &batch.work, &copy, &course.view, &placed, &mut g)?;
                g
            }
        };
        if found.source != found.path.display().to_string() {
            g.source = found.source.clone(); // inside a zip: name the zip
        }
        g.seconds = started.elapsed().as_secs_f64();
        graded.push(g);
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let _ = std::fs::remove_dir_all(&handins);
    let drift = copy.drift(&course.view);
    if !drift.is_empty() {
        bail!(
            "the grader's course copy was modified during grading ({}): results not written",
            drift.join(", ")
        );
    }
    let integrity = crate::catalog::integrity(&copy.root)?;
    // Every check of the batch has ended; nothing it started may be alive
    // when the outputs are written.
    reaper::sweep();
    let contained = containment.as_run();
    for g in &mut graded {
        g.sandbox = Some(contained.clone());
    }
    // Earlier results in `out` are kept; see `regrade`.
    regrade::write_in_place(&batch.out, graded, &integrity)
}

fn grade_one(
    course: &Course,
    copy: &CourseCopy,
    sub: Submission,
    limits: Limits,
) -> Result<(Graded, BTreeMap<String, String>)> {
    let mut flags = Vec::new();
    let mut texts = BTreeMap::new();
    let mut files = Vec::new();
    let mut fingerprints = BTreeMap::new();
    for (path, found) in &sub.files {
        let starter = course.starters.get(path).cloned().unwrap_or_default();
        match found {
            LearnerFile::Taken(text) => {
                files.push(FileRecord {
                    path: path.clone(),
                    sha256: Some(sha256_hex(text.as_bytes())),
                    status: "taken".into(),
                });
                if let Some(sol) = course.solutions.get(path) {
                    if similarity::normal_form(text) == similarity::normal_form(sol) {
                        flags.push(Flag::ReferenceCopy { file: path.clone() });
                    }
                }
                flags.extend(flags::suspicious(path, text));
                let base = course.base.get(path).cloned().unwrap_or_default();
                let own: BTreeSet<u64> = similarity::fingerprints(text)
                    .difference(&base)
                    .copied()
                    .collect();
                fingerprints.insert(path.clone(), own);
                let (placed, added) = midterm::fill_missing(text, &starter);
                if !added.is_empty() {
                    flags.push(Flag::AddedLater {
                        file: path.clone(),
                        functions: added,
                    });
                }
                texts.insert(path.clone(), placed);
            }
            LearnerFile::Refused(problem) => {
                files.push(FileRecord {
                    path: path.clone(),
                    sha256: None,
                    status: problem.flag().to_string(),
                });
                flags.push(Flag::File {
                    file: path.clone(),
                    problem: problem.flag().to_string(),
                    detail: problem.describe(),
                });
                texts.insert(path.clone(), starter);
            }
        }
    }
    if !sub.ignored.is_empty() {
        flags.push(Flag::ChangedOutside {
            count: sub.ignored.len(),
        });
    }
    if sub.provenance.dirty {
        flags.push(Flag::Dirty);
    }
    if !sub.provenance.late.is_empty() {
        flags.push(Flag::Late {
            commits: sub.provenance.late.len(),
        });
    }
    copy.place(&texts)?;
    // What each learner file holds in the copy now (with any function the
    // course added since filled in): what the checks must leave as it is.
    let placed: BTreeMap<String, String> = texts
        .iter()
        .map(|(path, text)| (path.clone(), sha256_hex(text.as_bytes())))
        .collect();
    let runs = crate::lab::check_every_module_in(
        &copy.root,
        Variant::Starter,
        Some(copy.target.clone()),
        limits,
    )?;

    let ids_where = |o: Outcome| -> Vec<String> {
        runs.iter()
            .flat_map(|r| &r.checks)
            .filter(|c| c.verdict.outcome == o)
            .map(|c| c.info.id.clone())
            .collect()
    };
    let tampered = ids_where(Outcome::Tampered);
    let timed_out = ids_where(Outcome::TimedOut);
    let over_memory: Vec<String> = runs
        .iter()
        .flat_map(|r| &r.checks)
        .filter(|c| {
            c.verdict.outcome == Outcome::Crashed
                && c.verdict
                    .message
                    .as_deref()
                    .is_some_and(|m| m.contains("over its memory limit"))
        })
        .map(|c| c.info.id.clone())
        .collect();
    for r in &runs {
        if let Some(e) = &r.compile_error {
            flags.push(Flag::DidNotCompile {
                module: r.module.name.to_string(),
                error: e.first.lines().next().unwrap_or("").to_string(),
            });
        }
    }
    if !timed_out.is_empty() {
        flags.push(Flag::TimedOut { checks: timed_out });
    }
    if !over_memory.is_empty() {
        flags.push(Flag::OverMemory {
            checks: over_memory,
        });
    }
    let status = if !tampered.is_empty() {
        Status::Tampered
    } else if runs.iter().any(|r| r.compile_error.is_some()) {
        Status::Error
    } else if runs.iter().all(ModuleRun::complete) {
        Status::Pass
    } else {
        Status::Fail
    };
    if !tampered.is_empty() {
        flags.insert(0, Flag::Tampered { checks: tampered });
    }
    let graded = Graded {
        id: sub.id,
        source: sub.source.describe(),
        provenance: sub.provenance,
        status,
        reason: None,
        runs,
        files,
        ignored: sub.ignored,
        ignored_docs: sub.ignored_docs,
        flags,
        fingerprints,
        seconds: 0.0,
        sandbox: None,
    };
    Ok((graded, placed))
}

/// Flags each pair of submissions whose own code is nearly the same.
fn flag_similar(graded: &mut [Graded]) {
    let all =
        |g: &Graded| -> BTreeSet<u64> { g.fingerprints.values().flatten().copied().collect() };
    let sets: Vec<BTreeSet<u64>> = graded.iter().map(all).collect();
    let mut found: Vec<(usize, Flag)> = Vec::new();
    for i in 0..graded.len() {
        for j in i + 1..graded.len() {
            if sets[i].len() < MIN_FINGERPRINTS || sets[j].len() < MIN_FINGERPRINTS {
                continue;
            }
            let score = similarity::similarity(&sets[i], &sets[j]);
            if score < SIMILAR_AT {
                continue;
            }
            let files: Vec<String> = graded[i]
                .fingerprints
                .iter()
                .filter(|(f, a)| {
                    graded[j].fingerprints.get(*f).is_some_and(|b| {
                        !a.is_empty() && similarity::similarity(a, b) >= SIMILAR_AT
                    })
                })
                .map(|(f, _)| f.clone())
                .collect();
            let score = (score * 100.0).round() / 100.0;
            found.push((
                i,
                Flag::Similar {
                    other: graded[j].id.clone(),
                    score,
                    files: files.clone(),
                },
            ));
            found.push((
                j,
                Flag::Similar {
                    other: graded[i].id.clone(),
                    score,
                    files,
                },
            ));
        }
    }
    for (i, f) in found {
        graded[i].flags.push(f);
    }
}

/// `results.json` of one submission: version 2 as `check` writes it, plus
/// the `submission` block.
#[derive(Debug, Serialize)]
pub struct SubmissionResults {
    #[serde(flatten)]
    pub results: check_report::Results,
    pub submission: SubmissionBlock,
}

#[derive(Debug, Serialize)]
pub struct SubmissionBlock {
    pub id: String,
    pub source: String,
    /// The commit graded (none for a folder, a zip or a dirty work tree).
    pub commit: Option<String>,
    /// Its committer date, UTC.
    pub committed: Option<String>,
    /// A git work tree with uncommitted changes, graded as the tree.
    pub dirty: bool,
    /// Commits after the `--before` deadline: not graded.
    pub late: Vec<deadline::Commit>,
    /// Notes on what was graded (a deadline that does not apply…).
    pub notes: Vec<String>,
    pub status: Status,
    pub reason: Option<String>,
    pub files: Vec<FileRecord>,
    /// Files outside the learner's that differ from the grader's course:
    /// changed outside the learner's files (ignored).
    pub ignored: Vec<String>,
    /// Changed files that cannot affect a grade (docs, the book,
    /// workflows, Markdown): listed, not flagged.
    pub ignored_docs: Vec<String>,
    pub flags: Vec<Flag>,
    /// How the checks were contained.
    pub sandbox: Option<containment::Containment>,
}

/// Writes one learner's `results.json` and `feedback.md`; returns their
/// folder.
fn write_learner(out: &Path, g: &Graded, integrity: &crate::catalog::Integrity) -> Result<PathBuf> {
    {
        let dir = out.join(discover::file_name(&g.id));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut results = check_report::results(&g.runs, integrity.clone());
        match g.status {
            Status::Tampered => {
                results.status = "error";
                results.message =
                    Some("tampered: some verdicts were not sealed by the check harness".into());
            }
            Status::Invalid => {
                results.status = "error";
                results.message = g.reason.clone();
            }
            _ => {}
        }
        let doc = SubmissionResults {
            results,
            submission: SubmissionBlock {
                id: g.id.clone(),
                source: g.source.clone(),
                commit: g.provenance.commit.as_ref().map(|c| c.commit.clone()),
                committed: g.provenance.commit.as_ref().map(|c| c.date.clone()),
                dirty: g.provenance.dirty,
                late: g.provenance.late.clone(),
                notes: g.provenance.notes.clone(),
                status: g.status,
                reason: g.reason.clone(),
                files: g.files.clone(),
                ignored: g.ignored.clone(),
                ignored_docs: g.ignored_docs.clone(),
                flags: g.flags.clone(),
                sandbox: g.sandbox.clone(),
            },
        };
        std::fs::write(
            dir.join("results.json"),
            serde_json::to_string_pretty(&doc)? + "\n",
        )?;
        std::fs::write(dir.join("feedback.md"), feedback::feedback(g))?;
        Ok(dir)
    }
}

/// Writes the class's `gradebook.csv` and `class.html`.
fn write_class(out: &Path, graded: &[Graded]) -> Result<()> {
    std::fs::write(out.join(gradebook::FILE), gradebook::csv(graded))?;
    std::fs::write(out.join("class.html"), class::html(graded))?;
    std::fs::write(out.join(class::FAILURES), class::failures_csv(graded))?;
    Ok(())
}

/// The table printed when a batch is done.
pub fn summary(graded: &[Graded]) -> String {
    use std::fmt::Write as _;
    let width = graded
        .iter()
        .map(|g| g.id.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut s = format!("{:<width$}", "submission");
    for m in MODULES {
        let _ = write!(s, " {:>7}", m.name);
    }
    let _ = writeln!(s, " {:>8}  {:<9} flags", "total", "status");
    for g in graded {
        let _ = write!(s, "{:<width$}", g.id);
        for m in MODULES {
            let cell = match g.runs.iter().find(|r| r.module.name == m.name) {
                Some(r) => format!("{}/{}", r.points(), r.max_points()),
                None => "-".into(),
            };
            let _ = write!(s, " {cell:>7}");
        }
        let total = if g.runs.is_empty() {
            "-".to_string()
        } else {
            format!("{}/{}", g.points(), g.max_points())
        };
        let names: Vec<String> = gradebook::flag_names(g);
        let _ = writeln!(
            s,
            " {total:>8}  {:<9} {}",
            g.status.as_str(),
            names.join(" ")
        );
    }
    s
}

/// Parses `--shard I/N`.
pub fn parse_shard(text: &str) -> Option<(usize, usize)> {
    let (i, n) = text.split_once('/')?;
    let (i, n): (usize, usize) = (i.parse().ok()?, n.parse().ok()?);
    (n >= 1 && (1..=n).contains(&i)).then_some((i, n))
}

/// Seconds per submission over a batch: (median, max, total).
pub fn timing(graded: &[Graded]) -> (f64, f64, f64) {
    let mut s: Vec<f64> = graded.iter().map(|g| g.seconds).collect();
    s.sort_by(f64::total_cmp);
    let total: f64 = s.iter().sum();
    let median = s.get(s.len() / 2).copied().unwrap_or(0.0);
    let max = s.last().copied().unwrap_or(0.0);
    (median, max, total)
}

/// The limit per check `grade` uses unless told otherwise.
pub fn default_limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(10),
        ..Limits::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_one_based_and_in_range() {
        assert_eq!(parse_shard("1/4"), Some((1, 4)));
        assert_eq!(parse_shard("4/4"), Some((4, 4)));
        assert_eq!(parse_shard("0/4"), None);
        assert_eq!(parse_shard("5/4"), None);
        assert_eq!(parse_shard("1/0"), None);
        assert_eq!(parse_shard("x"), None);
    }

    #[test]
    fn ids_are_kept_as_given_and_unique_in_order() {
        let here = Path::new("/nonexistent-here");
        let p = |s: &str| Entry::parse(s, here);
        let found = discover::find(
            &[p("/a/alice"), p("/b/alice"), p("/c/bob"), p("zed=/c/bob")],
            Path::new("/nonexistent-scratch"),
        );
        let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["alice", "alice-2", "bob", "zed"]);
        assert_eq!(p("x=y").path, PathBuf::from("/nonexistent-here/y"));
        assert_eq!(p("Kim Lee=c").id.as_deref(), Some("Kim Lee"));
        assert_eq!(
            p("kim@uni.example=c").id.as_deref(),
            Some("kim@uni.example")
        );
        assert_eq!(p("=c").id, None);
        assert_eq!(p("a/b=c").id, None);
        // A folder whose name holds `=` is a path, not an id.
        let here = crate::cargo::target_base(&crate::root()).join("entry-test");
        std::fs::create_dir_all(here.join("kim=2")).unwrap();
        let e = Entry::parse("kim=2", &here);
        assert_eq!((e.id, e.path), (None, here.join("kim=2")));
    }
}

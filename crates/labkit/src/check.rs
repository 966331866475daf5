//! Lab checks: the registry, the outcomes, and the protocol between a
//! module's check binary and the course tool.
//!
//! A **check** judges one piece of a learner's work. It has an id
//! (`m33.a.2`: module, lab part, number), belongs to a part and a step of the
//! lab guide, is worth some points, carries a hint that points at the concept,
//! and names where the learner edits ([`Edit`]: file and function). Its body
//! returns [`CheckResult`]: `Err` with a message a learner can act on when the
//! work falls short. Write bodies with [`ensure!`](crate::ensure) and
//! [`ensure_eq!`](crate::ensure_eq) rather than `assert!`, so that a failed
//! expectation reads as a *fail* and a panic in learner code as a *panic*.
//!
//! A check is of one of two [`CheckKind`]s: a **step** check judges one learner
//! function, and a **story** check runs the module's whole story, every step
//! together (a storm correlated, a shift run); most story checks compare the
//! story's printed **trace** with the reference trace. The kind is a field of
//! the check, listed with it and written to the catalogue, so the course tool
//! never guesses it from a step's name or a message.
//!
//! Each module crate has a small binary whose `main` is [`main`]: it lists its
//! checks (`list`, as JSON) or runs exactly one (`run <id>`), writing the
//! result to the file named by `LABKIT_RESULT`. The course tool starts one
//! process per check with a time limit, so nothing a learner writes can take
//! the tool down: a `todo!()` becomes *not started*, a panic *panicked*, an
//! endless loop *timed out*, a stack overflow or `process::exit` *crashed*.
//! The verdict is sealed with a key the tool hands over on standard input
//! before learner code runs ([`crate::confine`], [`crate::seal`]); a verdict
//! without a valid seal is *tampered*.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::confine::RunRequest;
use crate::seal;
use crate::stall::{self, Stall, StoppedAt};

/// What a check body returns: `Ok(())` when the work is right, otherwise a
/// message that says what was expected and what was found.
pub type CheckResult = Result<(), String>;

/// Where the learner edits to make a check pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    /// Path from the workspace root, e.g. `starters/m33/index/redact.rs`.
    pub file: &'static str,
    /// The function to write, e.g. `redact`.
    pub function: &'static str,
}

/// Where a step sits in the class's run of show.
///
/// A module is a class of about an hour: a reading slot, then about twenty
/// minutes of lab per part. The **core** path of a part is what fits that
/// slot and carries the idea the guide's "Today you will" promises; a module
/// is complete when its core checks pass. An **after class** step (an
/// extension, and every step of the optional challenge, part `X`) deepens
/// the idea: it is graded apart and never makes a module fail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// On the path that fits the class.
    #[default]
    Core,
    /// An extension: for after class, graded apart, never required.
    AfterClass,
}

impl Track {
    /// The snake_case name used in JSON: `core` or `after_class`.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Core => "core",
            Track::AfterClass => "after_class",
        }
    }
}

/// A check's share of the run of show: its track, and the minutes a learner
/// who knows Rust basics is given for the work it judges (reading the step,
/// writing it, running the check). A step's budget is the sum over its
/// checks; `cargo xtask verify` fails when a part's core budgets add up to
/// more than the part's slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub track: Track,
    pub minutes: u32,
}

impl Plan {
    /// On the core path, with a budget of `minutes`.
    pub const fn core(minutes: u32) -> Self {
        Self {
            track: Track::Core,
            minutes,
        }
    }
    /// An extension for after class, with a budget of `minutes`.
    pub const fn after_class(minutes: u32) -> Self {
        Self {
            track: Track::AfterClass,
            minutes,
        }
    }
}

/// What a check judges: one learner step, or the whole story.
///
/// A **step** check is about one function the learner writes, named by its
/// [`Edit`]; on an untouched starter it must reach that step's `todo!()`
/// (*not started*). A **story** check runs every step together, on inputs
/// no step check watches (a storm, the bad hour, a whole shift), and has no
/// edit site of its own: its report points at the first unwritten step it
/// reached. Most story checks compare the story's **trace** (the numbered
/// lines it prints) with the reference trace; `cargo xtask story` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Judges one learner step: the check has an [`Edit`].
    Step,
    /// Runs the whole story, every step together: the check has no [`Edit`].
    Story,
}

impl CheckKind {
    /// The snake_case name used in JSON: `step` or `story`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Step => "step",
            CheckKind::Story => "story",
        }
    }
}

/// What is wrong with a table of checks as the course tool reads it: each
/// step check names its edit site and no story check does. A check binary
/// refuses to list a table with a problem, so the catalogue cannot hold one.
pub fn table_problems(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter_map(|c| match (c.kind, c.edit) {
            (CheckKind::Step, None) => Some(format!(
                "{}: a step check names the learner's edit site (`edit: Some(edits::…)`)",
                c.id
            )),
            (CheckKind::Story, Some(e)) => Some(format!(
                "{}: a story check runs every step and names no edit site (it names `{}`)",
                c.id, e.function
            )),
            _ => None,
        })
        .collect()
}

/// One lab check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Stable id: `m<module>.<part>.<n>`, e.g. `m33.a.2`.
    pub id: &'static str,
    /// Lab part letter as the guide names it: `A`, `B`, or `X` for the
    /// optional challenge.
    pub part: &'static str,
    /// The step of the lab guide this check belongs to, as the guide names
    /// it: the learner's function for a step check (`burn_rate`), or the
    /// guide's name for a story check (`trace`, `storm`). A name for people:
    /// what kind of check it is, is [`Check::kind`]; the function a check's
    /// report points at is [`Check::edit`].
    pub guide_step: &'static str,
    /// A step check or a story check.
    pub kind: CheckKind,
    /// One line saying what is checked.
    pub title: &'static str,
    /// Points the check is worth.
    pub points: u32,
    /// Core or after class, and the check's time budget.
    pub plan: Plan,
    /// Where to look when stuck: the concept, not the answer.
    pub hint: &'static str,
    /// The learner's edit site: `Some` for a step check, `None` for a story
    /// check ([`table_problems`] holds the two together).
    pub edit: Option<Edit>,
    /// The check body.
    pub run: fn() -> CheckResult,
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The work does what the check expects.
    Pass,
    /// The work runs but gives a wrong answer.
    Fail,
    /// The code reached a `todo!()`: this step has not been started.
    NotStarted,
    /// Learner code panicked (an `unwrap` on `None`, an index out of range…).
    Panicked,
    /// The check did not finish within its time limit (an endless loop?).
    TimedOut,
    /// The process died without reporting: a stack overflow, an abort, or a
    /// call to `std::process::exit`.
    Crashed,
    /// The module did not compile, so nothing could run.
    DidNotCompile,
    /// The verdict was not sealed by the check harness: the code under test
    /// wrote a result, or printed something shaped like one. Worth nothing.
    Tampered,
}

impl Outcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [Outcome; 8] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::NotStarted,
        Outcome::Panicked,
        Outcome::TimedOut,
        Outcome::Crashed,
        Outcome::DidNotCompile,
        Outcome::Tampered,
    ];

    /// The snake_case name used in JSON and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotStarted => "not_started",
            Outcome::Panicked => "panicked",
            Outcome::TimedOut => "timed_out",
            Outcome::Crashed => "crashed",
            Outcome::DidNotCompile => "did_not_compile",
            Outcome::Tampered => "tampered",
        }
    }
}

/// A check's metadata as the check binary lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInfo {
    pub id: String,
    pub part: String,
    pub step: String,
    /// A step check or a story check.
    pub kind: CheckKind,
    pub title: String,
    pub points: u32,
    /// Core or after class (older catalogues without it read as core).
    #[serde(default)]
    pub track: Track,
    /// The check's time budget in minutes (0 in older catalogues).
    #[serde(default)]
    pub minutes: u32,
    pub hint: String,
    pub file: Option<String>,
    pub function: Option<String>,
}

impl From<&Check> for CheckInfo {
    fn from(c: &Check) -> Self {
        Self {
            id: c.id.to_string(),
            part: c.part.to_string(),
            step: c.guide_step.to_string(),
            kind: c.kind,
            title: c.title.to_string(),
            points: c.points,
            track: c.plan.track,
            minutes: c.plan.minutes,
            hint: c.hint.to_string(),
            file: c.edit.map(|e| e.file.to_string()),
            function: c.edit.map(|e| e.function.to_string()),
        }
    }
}

/// What a check process reports about the one check it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildReport {
    pub outcome: Outcome,
    pub message: Option<String>,
    /// The learner step a check that did not finish was stuck in, or the
    /// step that kept it from running: typed, and covered by the seal, so
    /// the tool never reads it out of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall: Option<Stall>,
    /// HMAC-SHA256 of the check id, outcome and message under the key the
    /// tool handed over ([`crate::seal`]); `None` when run by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// Environment variable naming the file a check process writes its
/// [`ChildReport`] to.
pub const RESULT_ENV: &str = "LABKIT_RESULT";

/// Fails the check with a formatted message unless `cond` holds.
///
/// ```
/// fn body(x: u32) -> labkit::CheckResult {
///     labkit::ensure!(x > 2, "expected more than 2, got {x}");
///     Ok(())
/// }
/// assert!(body(3).is_ok());
/// assert_eq!(body(1).unwrap_err(), "expected more than 2, got 1");
/// ```
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Fails the check unless `got == expected`, showing both values.
///
/// ```
/// fn body(got: u32) -> labkit::CheckResult {
///     labkit::ensure_eq!(got, 4, "2 + 2");
///     Ok(())
/// }
/// assert!(body(5).unwrap_err().contains("expected: 4"));
/// ```
#[macro_export]
macro_rules! ensure_eq {
    ($got:expr, $expected:expr, $($msg:tt)+) => {
        match (&$got, &$expected) {
            (got, expected) => {
                if got != expected {
                    return Err(format!(
                        "{}\n  expected: {:?}\n       got: {:?}",
                        format!($($msg)+),
                        expected,
                        got
                    ));
                }
            }
        }
    };
}

/// A story's reference trace (the text of an insta `.snap` file), declared
/// before the story runs. A trace check makes it first and compares last:
///
/// ```ignore
/// let reference = Reference::of(include_str!("../../tests/snapshots/trace__x.snap"));
/// let trace = crate::story::run(SEED);
/// reference.compare(&trace.to_text())
/// ```
///
/// Declared first, it is known even when the story stops early at a step
/// the learner has not written: `cargo xtask story` then says whether the
/// lines so far are the reference's.
#[derive(Debug, Clone, Copy)]
pub struct Reference(&'static str);

impl Reference {
    /// The reference in `snap_file`, noted as the one the running story
    /// check compares with.
    pub fn of(snap_file: &'static str) -> Self {
        if let Ok(mut r) = LAST_REFERENCE.lock() {
            *r = Some(snap_file);
        }
        Self(snap_file)
    }

    /// Compares `actual` with the reference: [`compare_with_snapshot`].
    pub fn compare(&self, actual: &str) -> CheckResult {
        compare_with_snapshot(actual, self.0)
    }
}

/// The lines of a trace's text that a comparison looks at: without the
/// `# title` line and without the line numbers.
fn compared_lines(text: &str) -> Vec<&str> {
    text.trim_end()
        .lines()
        .filter(|l| !l.starts_with("# "))
        .map(without_number)
        .collect()
}

/// What `story` says of a story that stopped early, against its reference:
/// that the lines so far are the reference's, or how they differ.
fn so_far_against(snap_file: &str, so_far: &str) -> String {
    let reference = compared_lines(snapshot_body(snap_file));
    let mine = compared_lines(so_far);
    let same = mine.len() <= reference.len() && reference[..mine.len()] == mine[..];
    if same {
        format!(
            "-- lines 1–{} are the same as the reference's (the reference goes on to line {})",
            mine.len(),
            reference.len()
        )
    } else {
        let upto = mine.len().min(reference.len());
        let diff = crate::diff::diff_lines(&reference[..upto].join("\n"), &mine.join("\n"), 2);
        format!("-- how the lines so far differ from the reference's:\n{diff}")
    }
}

/// Compares a trace the learner's code produced with the reference snapshot
/// (the text of an insta `.snap` file) and fails with a readable diff.
///
/// Lines are compared without their numbers (` 9. ` → ``): a line more or
/// less renumbers everything after it, and a trace that grows past nine
/// lines re-pads every number before the tenth; neither is a difference
/// worth showing, and either would hide the one that is.
pub fn compare_with_snapshot(actual: &str, snap_file: &str) -> CheckResult {
    let expected = snapshot_body(snap_file);
    let unpad = |t: &str| -> String {
        t.trim_end()
            .lines()
            .map(without_number)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let diff = crate::diff::diff_lines(&unpad(expected), &unpad(actual), 2);
    if let Ok(mut last) = LAST_COMPARISON.lock() {
        *last = Some((actual.to_string(), diff.clone()));
    }
    if diff.is_empty() {
        Ok(())
    } else {
        let origin = first_difference_origin(&unpad(expected), &unpad(actual))
            .map(|step| {
                format!(
                    "\nThe first differing line came from (or right after) your `{}` in {}: start there.",
                    step.function, step.file
                )
            })
            .unwrap_or_default();
        Err(format!(
            "your trace differs from the reference trace:\n{diff}{origin}"
        ))
    }
}

/// The learner step that made the first line of `actual` that differs from
/// `expected`; when `actual` stops short, the step that made its last line.
fn first_difference_origin(expected: &str, actual: &str) -> Option<stall::StepRef> {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .or_else(|| (e.len() != a.len()).then(|| e.len().min(a.len())))?;
    let line = a.get(at).or_else(|| a.last())?;
    crate::trace::made_by(line)
}

/// A trace line without its leading `  12. ` number.
fn without_number(line: &str) -> &str {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    match t[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest,
        _ => t,
    }
}

/// The content of an insta `.snap` file without its `---` header.
pub fn snapshot_body(snap_file: &str) -> &str {
    if let Some(rest) = snap_file.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    snap_file
}

static LAST_PANIC: Mutex<Option<LastPanic>> = Mutex::new(None);

/// What the panic hook saw: the message, where, and the learner step
/// running then (its `todo!()`, if the message is one).
type LastPanic = (String, Option<String>, Option<crate::stall::StepRef>);

/// The last trace compared with a snapshot, and the diff: what `story`
/// prints.
static LAST_COMPARISON: Mutex<Option<(String, String)>> = Mutex::new(None);

/// The reference the running story check declared ([`Reference::of`]).
static LAST_REFERENCE: Mutex<Option<&'static str>> = Mutex::new(None);

/// `story`: each story check run in this process, printing the learner's
/// trace (as far as it got) and how it differs from the reference. A story
/// check that compares no trace (the storm) says whether its story holds.
fn tell_stories(checks: &[Check]) -> ExitCode {
    let mut all_match = true;
    for check in checks.iter().filter(|c| c.kind == CheckKind::Story) {
        if let Ok(mut last) = LAST_COMPARISON.lock() {
            *last = None;
        }
        if let Ok(mut r) = LAST_REFERENCE.lock() {
            *r = None;
        }
        crate::trace::start_capture();
        let report = run_in_process(check);
        let so_far = crate::trace::stop_capture();
        let when = match check.plan.track {
            Track::Core => "",
            Track::AfterClass => " · after class",
        };
        println!("== {} · {}{when}", check.id, check.title);
        let compared = LAST_COMPARISON.lock().ok().and_then(|mut l| l.take());
        match (report.outcome, compared) {
            (Outcome::Pass, Some((trace, _))) => {
                print!("{trace}");
                println!("-- the same as the reference trace\n");
            }
            (_, Some((trace, diff))) if !diff.is_empty() => {
                all_match = false;
                print!("{trace}");
                println!("-- how it differs from the reference trace:\n{diff}\n");
            }
            (Outcome::Pass, None) => {
                println!("-- this story prints no trace; it holds (the check passes)\n");
            }
            (outcome, _) => {
                // A story that stops at an after-class step has told all a
                // learner on the core path has written: that is not a
                // failure of theirs.
                let after_class = stopped_after_class(checks, outcome, report.message.as_deref());
                all_match &= after_class.is_some();
                // One numbered list per trace the check started (a check
                // may run its story twice, as M34's runs two shifts).
                let reference = LAST_REFERENCE.lock().ok().and_then(|mut r| r.take());
                for (n, trace) in so_far.iter().enumerate() {
                    let title = match trace.title() {
                        "" => "your story so far".to_string(),
                        t => format!("your story so far: {t}"),
                    };
                    let trace = crate::trace::Trace::from_lines(title, trace.lines().to_vec());
                    let text = trace.to_text();
                    print!("{text}");
                    // The reference is the first story's; a second one (a
                    // check may run its story twice) has none to show.
                    if let (0, Some(snap)) = (n, reference) {
                        println!("{}", so_far_against(snap, &text));
                    }
                }
                match after_class {
                    Some(step) if so_far.iter().all(|t| t.lines().is_empty()) => println!(
                        "-- this story stops at `{step}`, an after-class step, before it tells \
                         anything: the core path's lines are in the other stories\n"
                    ),
                    Some(step) => println!(
                        "-- the story stops at `{step}`, an after-class step: the lines above are \
                         as far as the core path goes\n"
                    ),
                    None => println!(
                        "-- the story stops here ({}): {}\n",
                        outcome.as_str(),
                        report.message.unwrap_or_default()
                    ),
                }
            }
        }
    }
    if all_match {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The after-class step a story stopped at, when it stopped at one: its
/// check ended `not started` at the `todo!()` of a step that `checks` plan
/// after class. `None` for any other ending.
fn stopped_after_class<'m>(
    checks: &[Check],
    outcome: Outcome,
    message: Option<&'m str>,
) -> Option<&'m str> {
    let step = message
        .filter(|_| outcome == Outcome::NotStarted)
        .and_then(todo_step)?;
    checks
        .iter()
        .any(|c| {
            c.plan.track == Track::AfterClass
                && c.edit.is_some_and(|e| is_step_of(e.function, step))
        })
        .then_some(step)
}

fn is_todo(message: &str) -> bool {
    message.starts_with("not yet implemented") || message.starts_with("not implemented")
}

/// The step a starter's `todo!("<step>: what to do")` names, read back from
/// the panic message: `plan_sync` in `not yet implemented: plan_sync: diff
/// by id…`. `None` for any other message.
pub fn todo_step(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("not yet implemented: ")?;
    let (step, _) = rest.split_once(':')?;
    let step = step.trim();
    let is_name = !step.is_empty()
        && step
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    is_name.then_some(step)
}

/// Whether the learner function named `function` (maybe with its type,
/// `Index::sweep_expired`) is the step `step`.
pub fn is_step_of(function: &str, step: &str) -> bool {
    function == step || function.rsplit("::").next() == Some(step)
}

/// Removes `.` and `x/..` pairs from a `/`-separated path, lexically (the
/// file need not exist). The compiler writes a file included with `#[path]`
/// as `crates/x/src/bin/y/../../../../../starters/…`; this gives back the
/// path a learner knows, `starters/…`.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" if !parts.is_empty() => {}
            ".." if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// What a *not started* check adds to its message when the `todo!()` it
/// reached is not the step it is about: which unfinished step it waits on,
/// and where that is. A learner who wrote the check's own step first then
/// knows why it still says *not started*.
fn waits_on(edit: Option<&Edit>, message: &str, location: Option<&str>) -> Option<String> {
    let step = todo_step(message)?;
    let at = location
        .map(|l| format!(" ({})", normalize_path(l)))
        .unwrap_or_default();
    match edit {
        Some(e) if is_step_of(e.function, step) => None,
        Some(_) => Some(format!(
            "this check also runs your `{step}`{at}, which is not written yet"
        )),
        None => Some(format!(
            "this check runs all your steps; the first unwritten one it reached is `{step}`{at}"
        )),
    }
}

/// The step whose `todo!()` a check reached. Usually the innermost learner
/// step this binary's port entered; but a step of a crate built without a
/// port in this build (M33's `rollback`, reached through M34's
/// `execute_play` when the capstone runs the learner's M31–M33) is not on
/// that stack. Then the `todo!()` names another function than the innermost
/// step, and its own place (`starters/m33/…`) says where it is: that step,
/// not the one that called it, is what the learner must write.
fn unwritten_step(
    message: &str,
    location: Option<&str>,
    innermost: Option<crate::stall::StepRef>,
) -> Option<crate::stall::StepRef> {
    let named = todo_step(message);
    let elsewhere = match (&innermost, named) {
        (Some(inner), Some(todo)) => !is_step_of(&inner.function, todo),
        (None, Some(_)) => true,
        _ => false,
    };
    if !elsewhere {
        return innermost;
    }
    let file = location.map(|l| {
        let path = normalize_path(l);
        // `file:line` (the panic hook's form): keep the file.
        match path.rsplit_once(':') {
            Some((file, line)) if line.bytes().all(|b| b.is_ascii_digit()) => file.to_string(),
            _ => path,
        }
    });
    match (named, file) {
        (Some(function), Some(file)) if file.starts_with("starters/") => {
            Some(crate::stall::StepRef {
                function: function.to_string(),
                file,
            })
        }
        _ => innermost,
    }
}

/// Runs one check in this process and classifies how it ended. A panic is
/// caught here; only the process-level failures (stack overflow, exit, time
/// limit) need the parent.
pub fn run_in_process(check: &Check) -> ChildReport {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        if payload.is::<StoppedAt>() {
            return; // not the learner's panic: the harness stopping the check
        }
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with a non-text payload".to_string());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        eprintln!(
            "panicked at {}: {message}",
            location.as_deref().unwrap_or("an unknown place")
        );
        // The hook runs before unwinding: the step that panicked is still
        // the innermost one entered.
        let step = crate::stall::innermost();
        if let Ok(mut slot) = LAST_PANIC.lock() {
            *slot = Some((message, location, step));
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(check.run));
    panic::set_hook(previous);
    match result {
        Ok(Ok(())) => ChildReport {
            outcome: Outcome::Pass,
            message: None,
            stall: None,
            seal: None,
        },
        Ok(Err(message)) => ChildReport {
            outcome: Outcome::Fail,
            message: Some(message),
            stall: None,
            seal: None,
        },
        Err(payload) if payload.is::<StoppedAt>() => {
            let step = match payload.downcast::<StoppedAt>() {
                Ok(stopped) => stopped.0,
                Err(_) => unreachable!("checked by the guard"),
            };
            ChildReport {
                outcome: Outcome::TimedOut,
                message: Some(format!(
                    "not run: `{}` did not return in an earlier check ({}); \
                     this check needs it, so it was stopped there instead of waiting",
                    step.function, step.file
                )),
                stall: Some(Stall::NotRun { step }),
                seal: None,
            }
        }
        Err(_) => {
            let (message, location, step) = LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut s| s.take())
                .unwrap_or_else(|| ("panicked".to_string(), None, None));
            if is_todo(&message) {
                let message = match waits_on(check.edit.as_ref(), &message, location.as_deref()) {
                    Some(note) => format!("{message}\n{note}"),
                    None => message,
                };
                let step = unwritten_step(&message, location.as_deref(), step);
                ChildReport {
                    outcome: Outcome::NotStarted,
                    message: Some(message),
                    stall: step.map(|step| Stall::Unwritten { step }),
                    seal: None,
                }
            } else {
                let at = location.map(|l| format!(" (at {l})")).unwrap_or_default();
                ChildReport {
                    outcome: Outcome::Panicked,
                    message: Some(format!("{message}{at}")),
                    stall: None,
                    seal: None,
                }
            }
        }
    }
}

/// Runs one check on a thread of its own and waits at most `watchdog` for
/// it. A check still running then is reported *timed out*, naming the
/// innermost learner step it was in ([`Stall::LoopedIn`]); the caller seals
/// that verdict and the process ends with the loop still spinning on its
/// thread. `limit` is the tool's time limit, the one the message quotes.
///
/// The thread gets the main thread's usual 8 MiB of stack, so a deep but
/// finite recursion behaves as it would in `main`; an endless one still
/// overflows and crashes the process, as before.
pub fn run_with_watchdog(
    check: Check,
    watchdog: std::time::Duration,
    limit: std::time::Duration,
) -> ChildReport {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("check {}", check.id))
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(run_in_process(&check));
        });
    if spawned.is_err() {
        // No thread to spare (a process limit): run here, unguarded; the
        // tool's own limit still ends a loop.
        return run_in_process(&check);
    }
    match rx.recv_timeout(watchdog) {
        Ok(report) => report,
        Err(_) => timed_out(stall::innermost(), limit),
    }
}

/// The verdict of a check the watchdog stopped while `step` was running.
fn timed_out(step: Option<stall::StepRef>, limit: std::time::Duration) -> ChildReport {
    let secs = limit.as_secs_f64();
    let within = if limit.subsec_millis() == 0 {
        format!("{} s", limit.as_secs())
    } else {
        format!("{secs:.1} s")
    };
    let message = match &step {
        Some(step) => format!(
            "no result within {within}: your `{}` ({}) did not return — an endless loop, \
             or far too much work? Checks that need it are not run.",
            step.function, step.file
        ),
        None => {
            format!("no result within {within}: an endless loop, or far too much work?")
        }
    };
    ChildReport {
        outcome: Outcome::TimedOut,
        message: Some(message),
        stall: step.map(|step| Stall::LoopedIn { step }),
        seal: None,
    }
}

/// How a check process that could not be contained says so on stderr
/// (the tool reports the check as crashed, with this line).
pub const NOT_CONTAINED: &str = "labkit: not contained:";

/// Writes `text` to a file beside `path`, then renames it to `path`.
fn write_whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, path)
}

/// The `main` of a module's check binary.
///
/// - `list` prints every check's [`CheckInfo`] as a JSON array.
/// - `run <id>` runs one check and writes its [`ChildReport`] as JSON to the
///   file named by `LABKIT_RESULT` (or to stdout when it is unset).
///
/// Before anything else it reads the tool's [`RunRequest`] from standard
/// input, so the key that seals the verdict is in hand before any learner
/// code can run, and is kept in this function's own variable.
pub fn main(checks: &[Check]) -> ExitCode {
    let request = RunRequest::from_stdin();
    if let Some(r) = &request {
        if r.warden && !crate::warden::is_warded() {
            return crate::warden::run(r);
        }
        for problem in r.confine() {
            eprintln!("labkit: {problem}");
        }
        if let Some(plan) = &r.sandbox {
            if let Err(e) = crate::sandbox::apply(plan) {
                // No learner code runs uncontained when containment was asked.
                eprintln!("{NOT_CONTAINED} {e}");
                return ExitCode::from(3);
            }
        }
        if r.seccomp {
            if let Err(e) = crate::seccomp::apply() {
                eprintln!("{NOT_CONTAINED} {e}");
                return ExitCode::from(3);
            }
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] => {
            let problems = table_problems(checks);
            if !problems.is_empty() {
                eprintln!("the checks table is not sound:\n{}", problems.join("\n"));
                return ExitCode::FAILURE;
            }
            let infos: Vec<CheckInfo> = checks.iter().map(CheckInfo::from).collect();
            match serde_json::to_string_pretty(&infos) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("cannot list checks: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        ["story"] => tell_stories(checks),
        ["run", id] => {
            let Some(check) = checks.iter().find(|c| c.id == *id) else {
                let ids: Vec<&str> = checks.iter().map(|c| c.id).collect();
                eprintln!("no check `{id}`; this binary has: {}", ids.join(", "));
                return ExitCode::from(2);
            };
            let mut report = match stall::limit_from_env() {
                Some(limit) => run_with_watchdog(*check, stall::watchdog(limit), limit),
                None => run_in_process(check),
            };
            if let Some(r) = &request {
                report.seal = Some(seal::seal_with_stall(
                    &r.key,
                    check.id,
                    report.outcome,
                    report.message.as_deref(),
                    report.stall.as_ref(),
                ));
            }
            let json = match serde_json::to_string(&report) {
                Ok(j) => j,
                Err(e) => {
                    eprintln!("cannot encode the result: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let _ = std::io::stdout().flush();
            match std::env::var_os(RESULT_ENV) {
                // Written whole, then renamed: the tool never reads half a
                // verdict, even from a process killed while writing it.
                Some(path) => match write_whole(std::path::Path::new(&path), &json) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("cannot write the result to {}: {e}", path.to_string_lossy());
                        ExitCode::FAILURE
                    }
                },
                None => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
            }
        }
        _ => {
            eprintln!(
                "usage: {} list | run <check-id> | story\n(the course tool runs this for you: cargo xtask lab <module>, cargo xtask story <module>)",
                std::env::args().next().unwrap_or_else(|| "checks".into())
            );
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNAP: &str = "---\nsource: t\n---\n# the story\n 1. a\n 2. b\n 3. c\n";

    #[test]
    fn a_story_that_stops_at_an_after_class_step_is_not_a_failure() {
        let step = |function: &'static str, track| Check {
            plan: Plan { track, minutes: 1 },
            edit: Some(Edit {
                file: "starters/m/x.rs",
                function,
            }),
            ..check(|| Ok(()))
        };
        let checks = [
            step("core_step", Track::Core),
            step("later", Track::AfterClass),
        ];
        let todo =
            |f: &str| format!("not yet implemented: {f}: do it\nthis check runs all your steps");
        let later = todo("later");
        assert_eq!(
            stopped_after_class(&checks, Outcome::NotStarted, Some(later.as_str())),
            Some("later")
        );
        let core = todo("core_step");
        assert_eq!(
            stopped_after_class(&checks, Outcome::NotStarted, Some(core.as_str())),
            None
        );
        assert_eq!(
            stopped_after_class(&checks, Outcome::Fail, Some(later.as_str())),
            None
        );
        assert_eq!(
            stopped_after_class(&checks, Outcome::NotStarted, Some("boom")),
            None
        );
    }

    #[test]
    fn a_story_that_stopped_early_is_compared_with_the_reference_so_far() {
        let same = so_far_against(SNAP, "# your story so far: the story\n1. a\n2. b\n");
        assert_eq!(
            same,
            "-- lines 1–2 are the same as the reference's (the reference goes on to line 3)"
        );
        let other = so_far_against(SNAP, "# your story so far\n1. a\n2. x\n");
        assert!(
            other.starts_with("-- how the lines so far differ from the reference's:"),
            "{other}"
        );
        assert!(other.contains('x') && other.contains('b'), "{other}");
        let longer = so_far_against(SNAP, "1. a\n2. b\n3. c\n4. d\n");
        assert!(
            longer.contains("differ"),
            "a story longer than the reference: {longer}"
        );
    }

    fn check(run: fn() -> CheckResult) -> Check {
        Check {
            id: "t.a.1",
            part: "A",
            guide_step: "s",
            kind: CheckKind::Story,
            title: "t",
            points: 1,
            plan: crate::check::Plan::core(1),
            hint: "h",
            edit: None,
            run,
        }
    }

    /// A learner step, entered through the port as a lab build does, that
    /// is not written yet.
    fn unwritten_step() -> CheckResult {
        let _running = crate::stall::enter("plan_sync", "starters/t/sync.rs");
        todo!("plan_sync: diff the sources by id")
    }

    /// Which step's `todo!()` a check reached is part of the verdict, typed:
    /// the step that was running, not words read back from the message.
    #[test]
    fn the_unwritten_step_a_check_reached_is_typed() {
        let r = run_in_process(&check(unwritten_step));
        assert_eq!(r.outcome, Outcome::NotStarted);
        assert_eq!(
            r.stall,
            Some(Stall::Unwritten {
                step: crate::stall::StepRef {
                    function: "plan_sync".into(),
                    file: "starters/t/sync.rs".into(),
                }
            })
        );
        // A written step that calls an unwritten one: the inner one is named.
        let r = run_in_process(&check(|| {
            let _outer = crate::stall::enter("sync", "starters/t/index.rs");
            unwritten_step()
        }));
        assert_eq!(
            r.stall.as_ref().map(|s| s.step().function.as_str()),
            Some("plan_sync")
        );
    }

    #[test]
    fn classifies_in_process_outcomes() {
        assert_eq!(run_in_process(&check(|| Ok(()))).outcome, Outcome::Pass);
        let r = run_in_process(&check(|| Err("nope".into())));
        assert_eq!(
            (r.outcome, r.message.as_deref()),
            (Outcome::Fail, Some("nope"))
        );
        let r = run_in_process(&check(|| todo!("redact: find the e-mails")));
        assert_eq!(r.outcome, Outcome::NotStarted);
        assert!(r
            .message
            .unwrap_or_default()
            .contains("redact: find the e-mails"));
        let r = run_in_process(&check(|| {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            let _ = v[i];
            Ok(())
        }));
        assert_eq!(r.outcome, Outcome::Panicked);
        assert!(r
            .message
            .unwrap_or_default()
            .contains("index out of bounds"));
    }

    static SPIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

    /// A learner step that loops until the test lets it go.
    fn spinning_step() -> CheckResult {
        let _running = crate::stall::enter("spin_step", "starters/t/spin.rs");
        while SPIN.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Ok(())
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // reason: the watchdog runs on the wall clock; the bounds are
                                         // generous (4× the watchdog, and 3 s against a 5 s limit) and prove it does not wait out a limit
    fn a_loop_is_reported_in_the_step_it_is_in_and_later_checks_stop_there() {
        use crate::stall::StepRef;
        use std::time::{Duration, Instant};
        let started = Instant::now();
        let r = run_with_watchdog(
            check(spinning_step),
            Duration::from_millis(300),
            Duration::from_millis(500),
        );
        SPIN.store(false, std::sync::atomic::Ordering::SeqCst);
        assert!(started.elapsed() < Duration::from_secs(2));
        let step = StepRef {
            function: "spin_step".into(),
            file: "starters/t/spin.rs".into(),
        };
        assert_eq!(r.outcome, Outcome::TimedOut);
        assert_eq!(r.stall, Some(Stall::LoopedIn { step: step.clone() }));
        let msg = r.message.unwrap_or_default();
        assert!(
            msg.contains("no result within 0.5 s") && msg.contains("`spin_step`"),
            "{msg}"
        );
        // The next check that reaches the same step stops there at once.
        crate::stall::set_stalled(vec![step.clone()]);
        let started = Instant::now();
        let r = run_with_watchdog(
            check(|| {
                let _running = crate::stall::enter("spin_step", "starters/t/spin.rs");
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }),
            Duration::from_secs(5),
            Duration::from_secs(6),
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(r.outcome, Outcome::TimedOut);
        assert_eq!(r.stall, Some(Stall::NotRun { step }));
        assert!(r
            .message
            .unwrap_or_default()
            .starts_with("not run: `spin_step` did not return"),);
        // A check that never reaches it runs as usual.
        let r = run_with_watchdog(
            check(|| Err("nope".into())),
            Duration::from_secs(5),
            Duration::from_secs(6),
        );
        assert_eq!((r.outcome, r.stall), (Outcome::Fail, None));
        crate::stall::set_stalled(vec![]);
    }

    #[test]
    fn a_todo_names_its_step() {
        let m = "not yet implemented: plan_sync: diff by id: then plan";
        assert_eq!(todo_step(m), Some("plan_sync"));
        assert_eq!(todo_step("not yet implemented"), None);
        assert_eq!(todo_step("not yet implemented: just do it"), None);
        assert_eq!(todo_step("index out of bounds: the len is 0"), None);
        assert!(is_step_of("Index::sweep_expired", "sweep_expired"));
        assert!(is_step_of("flip", "flip"));
        assert!(!is_step_of("rollback", "flip"));
        assert!(!is_step_of("reflip", "flip"));
    }

    #[test]
    fn a_check_stopped_by_another_step_says_which_and_where() {
        let own = Edit {
            file: "starters/m31/learn.rs",
            function: "to_eval_case",
        };
        let at = "crates/incident/src/bin/checks-m31/../../../../../starters/m31/respond.rs:40";
        let mine = "not yet implemented: to_eval_case: turn it into a case";
        assert_eq!(waits_on(Some(&own), mine, Some(at)), None);
        let other = "not yet implemented: transition: refuse, then move";
        assert_eq!(
            waits_on(Some(&own), other, Some(at)).as_deref(),
            Some(
                "this check also runs your `transition` (starters/m31/respond.rs:40), \
                 which is not written yet"
            )
        );
        let whole = waits_on(None, other, None).unwrap_or_default();
        assert!(
            whole.contains("all your steps") && whole.contains("`transition`"),
            "{whole}"
        );
        assert_eq!(waits_on(Some(&own), "not yet implemented", Some(at)), None);
        assert_eq!(normalize_path("a/b/../../c/./d.rs:3"), "c/d.rs:3");
        assert_eq!(normalize_path("../x.rs:1"), "../x.rs:1");
    }

    /// M34's `execute_play` (its port's step) calls M33's `rollback`,
    /// which a lab build of M34 on the learner's M31–M33 compiles without a
    /// port: its `todo!()` is the step to write, not `execute_play`.
    #[test]
    fn a_todo_of_a_step_outside_the_port_is_the_unwritten_step() {
        use crate::stall::StepRef;
        let play = StepRef {
            function: "execute_play".into(),
            file: "starters/m34/mitigate.rs".into(),
        };
        let at = "crates/release-ops/src/../../../starters/m33/release/rollback.rs:23";
        let rollback = "not yet implemented: rollback: run the checklist";
        assert_eq!(
            super::unwritten_step(rollback, Some(at), Some(play.clone())),
            Some(StepRef {
                function: "rollback".into(),
                file: "starters/m33/release/rollback.rs".into(),
            })
        );
        // Its own todo: the port's step, as before.
        let own = "not yet implemented: execute_play: match on the play";
        let here = "crates/capstone/src/bin/checks-m34/../../../../../starters/m34/mitigate.rs:30";
        assert_eq!(
            super::unwritten_step(own, Some(here), Some(play.clone())),
            Some(play.clone())
        );
        // A todo outside the learner's files names nothing new.
        assert_eq!(
            super::unwritten_step(rollback, Some("crates/x/src/lib.rs:3"), Some(play.clone())),
            Some(play.clone())
        );
        // No port step entered: the todo's own place.
        assert_eq!(
            super::unwritten_step(rollback, Some(at), None).map(|s| s.function),
            Some("rollback".to_string())
        );
    }

    #[test]
    fn a_renumbered_trace_shows_only_the_real_difference() {
        let lines: Vec<String> = (1..=9).map(|i| format!("step {i}")).collect();
        let trace = |ls: &[String]| {
            let w = ls.len().to_string().len();
            ls.iter()
                .enumerate()
                .map(|(i, l)| format!("{:>w$}. {l}\n", i + 1))
                .collect::<String>()
        };
        let snap = format!("---\nsource: x\n---\n{}", trace(&lines));
        let mut mine = lines.clone();
        mine.insert(3, "an extra step".into());
        mine[8] = "step 8, changed".into();
        let err = compare_with_snapshot(&trace(&mine), &snap).unwrap_err();
        let changed: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("- ") || l.starts_with("+ "))
            .collect();
        assert_eq!(
            changed,
            vec!["+ an extra step", "- step 8", "+ step 8, changed"],
            "{err}"
        );
    }

    #[test]
    fn snapshot_header_is_stripped() {
        let snap = "---\nsource: x.rs\nexpression: t\n---\nline 1\nline 2\n";
        assert_eq!(snapshot_body(snap), "line 1\nline 2\n");
        assert!(compare_with_snapshot("line 1\nline 2", snap).is_ok());
        let err = compare_with_snapshot("line 1\nline two", snap).unwrap_err();
        assert!(
            err.contains("- line 2") && err.contains("+ line two"),
            "{err}"
        );
    }

    /// A check's kind is a field, not a reading of its step's name: a step
    /// check called `trace` is still a step check, and a table whose kinds
    /// and edit sites disagree is refused before the tool can list it.
    #[test]
    fn the_kind_of_a_check_is_typed_and_held_to_its_edit_site() {
        let site = Edit {
            file: "starters/t/trace.rs",
            function: "trace",
        };
        let step_named_trace = Check {
            guide_step: "trace",
            kind: CheckKind::Step,
            edit: Some(site),
            ..check(|| Ok(()))
        };
        let story = Check {
            id: "t.a.2",
            guide_step: "storm",
            ..check(|| Ok(()))
        };
        assert!(table_problems(&[step_named_trace, story]).is_empty());
        assert_eq!(CheckInfo::from(&step_named_trace).kind, CheckKind::Step);
        assert_eq!(CheckInfo::from(&story).kind, CheckKind::Story);
        let json = serde_json::to_string(&CheckInfo::from(&story)).unwrap_or_default();
        assert!(json.contains(r#""kind":"story""#), "{json}");

        let step_without_site = Check {
            id: "t.a.3",
            kind: CheckKind::Step,
            ..check(|| Ok(()))
        };
        let story_with_site = Check {
            id: "t.a.4",
            edit: Some(site),
            ..check(|| Ok(()))
        };
        let problems = table_problems(&[step_without_site, story_with_site]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("t.a.3: a step check"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("t.a.4: a story check"),
            "{problems:?}"
        );
        assert!(problems[1].contains("`trace`"), "{problems:?}");
    }
}

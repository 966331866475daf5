//! Running checks, one process each, contained and with a time limit.
//!
//! The check binary runs exactly one check per process (`<bin> run <id>`) and
//! writes its verdict to a result file. Everything that can go wrong in
//! learner code is classified here, never propagated:
//!
//! - a process that runs past its limit is killed with **its whole process
//!   group** (*timed out*), and the tool stops reading its output at once,
//!   so a `sleep 100000` it left behind holding the pipe cannot stall a run;
//! - one that dies without a verdict *crashed* (a stack overflow, an abort,
//!   `std::process::exit`, an allocation over its memory limit);
//! - a verdict without the harness's seal, or a verdict-shaped line in the
//!   output, is *tampered* (see `labkit::seal`);
//! - its output is kept up to a cap, however much it prints.
//!
//! Each process gets a fresh key and its limits on standard input
//! (`labkit::confine`), a clean environment, and its own process group. When
//! the tool runs as root (as CI does) each worker also runs its checks as a
//! user of its own with no other processes, so the process limit holds, the
//! check cannot read the tool's memory or write the course's files, and
//! whatever it started is killed when it ends.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use labkit::check::{CheckInfo, ChildReport, Outcome, RESULT_ENV};
use labkit::confine::RunRequest;
use labkit::seal::{self, Key};
use labkit::stall::{self, Stall, StepRef};

use crate::grade::judges::Judges;

/// Limits on one check's process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock limit for one check.
    pub timeout: Duration,
    /// Bytes of output kept per stream; the rest is counted and dropped.
    pub max_output: usize,
    /// Address space a check process may map, in bytes.
    pub memory: u64,
    /// Processes and threads a check may start beyond what its user
    /// already runs.
    pub processes: u64,
    /// Run checks under the tool's own user even as root, and without
    /// Landlock or the seccomp filter: as they run when an ordinary user
    /// grades on a machine without them (the grading tests use it to prove
    /// the judges hold on their own).
    pub same_user: bool,
    /// Run each check under a warden that ends everything it started
    /// (`labkit::warden`; grading).
    pub warden: bool,
    /// Confine each check with Landlock (`labkit::sandbox`; grading).
    pub landlock: bool,
    /// Install the seccomp filter in each check (`labkit::seccomp`;
    /// grading).
    pub seccomp: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_output: 16 * 1024,
            memory: 2 << 30,
            processes: 64,
            same_user: false,
            warden: false,
            landlock: false,
            seccomp: false,
        }
    }
}

/// The verdict on one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The failure, panic or crash message.
    pub message: Option<String>,
    /// What the check printed (stdout, then stderr), capped.
    pub output: String,
    /// The learner step a check that did not finish was stuck in, or that
    /// kept it from running (sealed by the harness; see `labkit::stall`).
    pub stall: Option<Stall>,
}

impl Verdict {
    fn new(outcome: Outcome, message: impl Into<String>, output: String) -> Self {
        Self {
            outcome,
            message: Some(message.into()),
            output,
            stall: None,
        }
    }
}

/// Lists the checks a binary holds.
pub fn list(bin: &Path) -> Result<Vec<CheckInfo>, String> {
    let out = Command::new(bin)
        .arg("list")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} list failed: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "{} list printed something that is not a check list: {e}",
            bin.display()
        )
    })
}

/// Who a worker's check processes run as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sandbox {
    /// The tool's own user: process group, limits and seal only.
    SameUser,
    /// A user of the worker's own (the tool runs as root).
    OwnUser(u32),
}

/// The first user id handed to workers when the tool runs as root: far above
/// any account a system creates.
const SANDBOX_UID_BASE: u32 = 0x6f70_0000;
/// Workers of one process that may be alive at once, each with its own id.
const SLOTS_PER_PROCESS: u32 = 16;

/// Numbers the workers of this process, so that two batches running at the
/// same time (two tests, say) never share a user: ending one check kills
/// every process of its user.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

/// A slot for a new worker.
pub fn new_slot() -> usize {
    NEXT_SLOT.fetch_add(1, Ordering::SeqCst)
}

impl Sandbox {
    /// The sandbox for worker `slot`: a user id made of this process's id
    /// and the slot, so no other worker, here or in another process of the
    /// tool, has it.
    pub fn for_slot(slot: usize) -> Self {
        if is_root() && !own_users_refused() {
            let pid = std::process::id() & 0x3f_ffff; // pid_max is at most 2^22
            let uid = SANDBOX_UID_BASE + pid * SLOTS_PER_PROCESS + slot as u32 % SLOTS_PER_PROCESS;
            Sandbox::OwnUser(uid)
        } else {
            Sandbox::SameUser
        }
    }
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Set when starting a check as its own user failed (a user namespace that
/// maps no such user, a course directory that user cannot reach); from then
/// on checks run as the tool's user.
static OWN_USERS_REFUSED: OnceLock<String> = OnceLock::new();

fn own_users_refused() -> bool {
    OWN_USERS_REFUSED.get().is_some()
}

/// Why checks could not run as users of their own, if they could not.
pub fn sandbox_note() -> Option<String> {
    OWN_USERS_REFUSED.get().cloned()
}

/// How many processes a user runs now (from `/proc`).
fn processes_of(uid: u32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let real_uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|u| u.parse::<u32>().ok());
        if real_uid == Some(uid) {
            out.push(pid);
        }
    }
    out
}

/// Kills every process of a sandbox user, until none is left (bounded: a
/// fork bomb is held to its process limit, so a few rounds suffice).
fn kill_user(uid: u32) {
    use rustix::process::{kill_process, Pid, Signal};
    for _ in 0..200 {
        let pids = processes_of(uid);
        if pids.is_empty() {
            return;
        }
        for pid in pids {
            if let Some(pid) = Pid::from_raw(pid) {
                let _ = kill_process(pid, Signal::KILL);
            }
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// Kills the process group the check leads, with everything in it.
fn kill_group(child: &Child) {
    use rustix::process::{kill_process_group, Pid, Signal};
    let pid = Pid::from_child(child);
    let _ = kill_process_group(pid, Signal::KILL);
}

/// Ends everything a check process left running.
fn contain(child: &mut Child, sandbox: Sandbox) {
    kill_group(child);
    let _ = child.kill();
    let _ = child.wait();
    if let Sandbox::OwnUser(uid) = sandbox {
        kill_user(uid);
    }
}

/// What a check process is told about the run it is part of: the time
/// limit (for the harness's watchdog) and the steps that already did not
/// return (see `labkit::stall`).
#[derive(Debug, Clone, Default)]
pub struct RunContext {
    pub stalled: Vec<StepRef>,
    /// What a confined check may read beyond the system's directories
    /// (the course copy and its build).
    pub readable: Vec<PathBuf>,
}

fn spawn(
    bin: &Path,
    id: &str,
    result_file: &Path,
    sandbox: Sandbox,
    limits: Limits,
    context: &RunContext,
) -> std::io::Result<Child> {
    let tmp = result_file.with_file_name("tmp");
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(bin);
    let stalled: Vec<String> = context.stalled.iter().map(StepRef::key).collect();
    cmd.args(["run", id])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env(RESULT_ENV, result_file)
        .env(stall::LIMIT_ENV, limits.timeout.as_millis().to_string())
        .env(stall::STALLED_ENV, stalled.join(" "))
        .env("RUST_BACKTRACE", "0")
        .env("TMPDIR", &tmp)
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Sandbox::OwnUser(uid) = sandbox {
        cmd.uid(uid).gid(uid);
    }
    cmd.spawn()
}

/// A directory of the check's own, which its user can write its result
/// and temporary files into (and, confined, nothing else).
fn result_dir(scratch: &Path, sandbox: Sandbox, slot: usize, id: &str) -> std::io::Result<PathBuf> {
    let dir = scratch.join(format!("slot-{slot}")).join(id);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tmp"))?;
    if let Sandbox::OwnUser(uid) = sandbox {
        for d in [dir.parent().unwrap_or(&dir), &dir, &dir.join("tmp")] {
            std::os::unix::fs::chown(d, Some(uid), Some(uid))?;
        }
    }
    Ok(dir)
}

/// Runs one check in its own process, as worker `slot`, telling it which
/// steps already did not return in this run.
pub fn run(
    bin: &Path,
    id: &str,
    scratch: &Path,
    limits: Limits,
    slot: usize,
    context: &RunContext,
) -> Verdict {
    let mut sandbox = if limits.same_user {
        Sandbox::SameUser
    } else {
        Sandbox::for_slot(slot)
    };
    let attempt = |sandbox: Sandbox| -> std::io::Result<(Child, PathBuf)> {
        let dir = result_dir(scratch, sandbox, slot, id)?;
        let result_file = dir.join("result.json");
        let _ = std::fs::remove_file(&result_file);
        Ok((
            spawn(bin, id, &result_file, sandbox, limits, context)?,
            result_file,
        ))
    };
    let spawned = match attempt(sandbox) {
        Err(e) if sandbox != Sandbox::SameUser => {
            let _ = OWN_USERS_REFUSED.set(format!(
                "checks run under the grader's user: starting one as a user of its own failed ({e})"
            ));
            sandbox = Sandbox::SameUser;
            attempt(sandbox)
        }
        other => other,
    };
    let (mut child, result_file) = match spawned {
        Ok(c) => c,
        Err(e) => {
            return Verdict::new(
                Outcome::Crashed,
                format!("could not start the check process: {e}"),
                String::new(),
            )
        }
    };
    let Ok(key) = Key::random() else {
        contain(&mut child, sandbox);
        return Verdict::new(
            Outcome::Crashed,
            "could not read /dev/urandom for the verdict key",
            String::new(),
        );
    };
    let processes = match sandbox {
        Sandbox::OwnUser(_) => limits.processes,
        Sandbox::SameUser => {
            processes_of(rustix::process::getuid().as_raw()).len() as u64 + limits.processes
        }
    };
    let own_dir = result_file.parent().map(Path::to_path_buf);
    let request = RunRequest {
        key: key.clone(),
        memory: Some(limits.memory),
        processes: Some(processes),
        warden: limits.warden,
        sandbox: limits.landlock.then(|| labkit::sandbox::Plan {
            read: context.readable.clone(),
            write: own_dir.iter().cloned().collect(),
        }),
        seccomp: limits.seccomp,
    };
    let mut stdin = child.stdin.take();
    if let Some(pipe) = stdin.as_mut() {
        // A process that died at once cannot read it: that is its verdict.
        let _ = pipe.write_all(request.to_line().as_bytes());
        let _ = pipe.flush();
    }
    if !limits.warden {
        drop(stdin.take());
    }
    let out_reader = child.stdout.take().map(|s| capture(s, limits.max_output));
    let err_reader = child.stderr.take().map(|s| capture(s, limits.max_output));

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= limits.timeout => break None,
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    // A warden ends what the check started when its input closes.
    drop(stdin);
    if status.is_none() && limits.warden {
        let deadline = Instant::now() + Duration::from_secs(1);
        while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(2));
        }
    }
    contain(&mut child, sandbox);
    // Whatever is still holding the pipes is dead or outside the group;
    // give the readers a moment to drain, then stop waiting.
    let grace = Duration::from_millis(500);
    let stdout = out_reader.map(|r| r.finish(grace)).unwrap_or_default();
    let stderr = err_reader.map(|r| r.finish(grace)).unwrap_or_default();
    let output = join_output(&stdout, &stderr);

    let report = std::fs::read_to_string(&result_file).ok();
    let _ = std::fs::remove_file(&result_file);
    if let Some(dir) = &own_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    let Some(status) = status else {
        return Verdict::new(
            Outcome::TimedOut,
            format!(
                "no result within {} s: an endless loop, or far too much work?",
                limits.timeout.as_secs()
            ),
            output,
        );
    };
    judge(
        id,
        &key,
        report.as_deref(),
        status,
        &stdout,
        &stderr,
        limits,
        output,
    )
}

/// Turns what a finished check process left behind into a verdict.
#[allow(clippy::too_many_arguments)]
fn judge(
    id: &str,
    key: &Key,
    report: Option<&str>,
    status: ExitStatus,
    stdout: &str,
    stderr: &str,
    limits: Limits,
    output: String,
) -> Verdict {
    if let Some(line) = imitation(stdout) {
        return Verdict::new(
            Outcome::Tampered,
            format!(
                "the check printed a verdict of its own (`{}`): only the harness reports a result",
                shorten(line, 80)
            ),
            output,
        );
    }
    let Some(text) = report else {
        return Verdict::new(
            Outcome::Crashed,
            crash_reason(status, stderr, limits),
            output,
        );
    };
    let Ok(r) = serde_json::from_str::<ChildReport>(text) else {
        // Not a verdict at all (the process died while writing one, or
        // wrote something else): nothing claims a result, so it crashed.
        return Verdict::new(
            Outcome::Crashed,
            format!(
                "{} (and left a result file that is not a verdict)",
                crash_reason(status, stderr, limits)
            ),
            output,
        );
    };
    let sealed = r.seal.as_deref().is_some_and(|mac| {
        seal::verify_with_stall(
            key,
            id,
            r.outcome,
            r.message.as_deref(),
            r.stall.as_ref(),
            mac,
        )
    });
    match r {
        r if sealed && r.outcome != Outcome::Tampered => Verdict {
            outcome: r.outcome,
            message: r.message,
            output,
            stall: r.stall,
        },
        _ => Verdict::new(
            Outcome::Tampered,
            "the result file holds a verdict the check harness did not seal: \
             the code under test wrote it",
            output,
        ),
    }
}

/// A line of output shaped like the harness's verdict, if any.
fn imitation(stdout: &str) -> Option<&str> {
    stdout.lines().map(str::trim).find(|line| {
        line.starts_with('{')
            && line.contains("outcome")
            && serde_json::from_str::<ChildReport>(line).is_ok()
    })
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).collect::<String>() + "…"
    }
}

fn crash_reason(status: ExitStatus, stderr: &str, limits: Limits) -> String {
    if let Some(line) = stderr
        .lines()
        .find(|l| l.starts_with(labkit::check::NOT_CONTAINED))
    {
        return format!(
            "the check could not be contained, so it did not run: {}",
            line[labkit::check::NOT_CONTAINED.len()..].trim()
        );
    }
    if stderr.contains("has overflowed its stack") {
        return "stack overflow: a recursion that never reaches its base case?".into();
    }
    if let Some(line) = stderr
        .lines()
        .find(|l| l.contains("memory allocation of") && l.contains("failed"))
    {
        return format!(
            "over its memory limit ({} MiB): {}",
            limits.memory >> 20,
            line.trim()
        );
    }
    match status.code() {
        Some(code) => format!(
            "the process exited with code {code} before the check finished (does the code call std::process::exit?)"
        ),
        None => {
            use std::os::unix::process::ExitStatusExt;
            if let Some(sig) = status.signal() {
                return format!("the process was killed by signal {sig} before the check finished");
            }
            "the process ended before the check finished".into()
        }
    }
}

/// A stream being read on a thread of its own.
struct Capture(mpsc::Receiver<String>);

impl Capture {
    /// What was read, waiting at most `grace` for the stream to end; a
    /// stream held open by a stray process is given up on, not waited for.
    fn finish(self, grace: Duration) -> String {
        self.0
            .recv_timeout(grace)
            .unwrap_or_else(|_| "[output still open when the check ended; not read]\n".into())
    }
}

fn capture<R: Read + Send + 'static>(mut stream: R, cap: usize) -> Capture {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut dropped = 0usize;
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    dropped += n - n.min(room);
                }
            }
        }
        let mut s = String::from_utf8_lossy(&kept).into_owned();
        if dropped > 0 {
            s.push_str(&format!("\n[… {dropped} more bytes of output not kept]\n"));
        }
        let _ = tx.send(s);
    });
    Capture(rx)
}

fn join_output(stdout: &str, stderr: &str) -> String {
    match (stdout.trim().is_empty(), stderr.trim().is_empty()) {
        (true, true) => String::new(),
        (false, true) => stdout.to_string(),
        (true, false) => stderr.to_string(),
        (false, false) => format!("{stdout}\n{stderr}"),
    }
}

/// [`run_all_reading`] with nothing readable beyond the system (the
/// tool's own tests).
#[cfg(test)]
pub fn run_all(
    jobs_list: &[(PathBuf, String)],
    scratch: &Path,
    limits: Limits,
    jobs: usize,
    judges: &Judges,
) -> Vec<Verdict> {
    run_all_reading(jobs_list, scratch, limits, jobs, judges, &[])
}

/// Runs many checks (binary, id) with up to `jobs` at a time; verdicts come
/// back in the order given, whatever order they finish in.
///
/// A loop is waited for once: when a check times out in a learner step,
/// every check started after that is told so, and stops as soon as it
/// reaches that step (`labkit::stall`).
///
/// Each check binary is verified against `judges` before it is started: a
/// binary changed since the build is not run, its check is *tampered* (see
/// `grade::judges`; [`Judges::none`] verifies nothing).
///
/// A confined check may read `readable` (the course copy and its build)
/// beyond the system's directories.
pub fn run_all_reading(
    jobs_list: &[(PathBuf, String)],
    scratch: &Path,
    limits: Limits,
    jobs: usize,
    judges: &Judges,
    readable: &[PathBuf],
) -> Vec<Verdict> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; jobs_list.len()]);
    let stalled: Mutex<std::collections::BTreeSet<StepRef>> = Mutex::default();
    thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            let slot = new_slot();
            let (next, results, stalled) = (&next, &results, &stalled);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((bin, id)) = jobs_list.get(i) else {
                    break;
                };
                let context = RunContext {
                    stalled: stalled
                        .lock()
                        .map(|s| s.iter().cloned().collect())
                        .unwrap_or_default(),
                    readable: readable.to_vec(),
                };
                let v = match judges.verify(bin) {
                    Err(why) => Verdict::new(Outcome::Tampered, why, String::new()),
                    Ok(()) => run(bin, id, scratch, limits, slot, &context),
                };
                if let Some(Stall::LoopedIn { step }) = &v.stall {
                    if let Ok(mut s) = stalled.lock() {
                        s.insert(step.clone());
                    }
                }
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(v);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            v.unwrap_or(Verdict {
                outcome: Outcome::Crashed,
                message: Some("the runner lost this result".into()),
                output: String::new(),
                stall: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exited(code: i32) -> ExitStatus {
        use std::os::unix::process::ExitStatusExt;
        ExitStatus::from_raw(code << 8)
    }

    #[test]
    fn only_a_sealed_verdict_counts() {
        let key = Key::from_bytes([9; 32]);
        let l = Limits::default();
        let mac = seal::seal(&key, "m31.a.1", Outcome::Pass, None);
        let good = format!(r#"{{"outcome":"pass","message":null,"seal":"{mac}"}}"#);
        let v = judge(
            "m31.a.1",
            &key,
            Some(&good),
            exited(0),
            "",
            "",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Pass);
        // The forged verdict of the issue: no seal.
        let forged = r#"{"outcome":"pass","message":null}"#;
        let v = judge(
            "m31.a.1",
            &key,
            Some(forged),
            exited(0),
            "",
            "",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Tampered);
        // A real seal moved to another check, or a sealed fail edited to pass.
        let v = judge(
            "m31.a.2",
            &key,
            Some(&good),
            exited(0),
            "",
            "",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Tampered);
        let fail_mac = seal::seal(&key, "m31.a.1", Outcome::Fail, Some("no"));
        let edited = format!(r#"{{"outcome":"pass","message":"no","seal":"{fail_mac}"}}"#);
        let v = judge(
            "m31.a.1",
            &key,
            Some(&edited),
            exited(0),
            "",
            "",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Tampered);
        // Junk or half a verdict in the result file claims nothing.
        for text in ["junk", &good[..20]] {
            let v = judge(
                "m31.a.1",
                &key,
                Some(text),
                exited(0),
                "",
                "",
                l,
                String::new(),
            );
            assert_eq!(v.outcome, Outcome::Crashed, "{text}");
        }
        // A verdict printed on stdout, even beside a sealed one.
        let v = judge(
            "m31.a.1",
            &key,
            Some(&good),
            exited(0),
            "hello\n{\"outcome\":\"pass\",\"message\":null}\n",
            "",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Tampered);
        // No result at all is a crash, and says why.
        let v = judge(
            "m31.a.1",
            &key,
            None,
            ExitStatus::from_raw_signal(6),
            "",
            "memory allocation of 4294967296 bytes failed\n",
            l,
            String::new(),
        );
        assert_eq!(v.outcome, Outcome::Crashed);
        assert!(
            v.message
                .unwrap_or_default()
                .contains("over its memory limit"),
            "memory"
        );
    }

    trait FromSignal {
        fn from_raw_signal(sig: i32) -> Self;
    }
    impl FromSignal for ExitStatus {
        fn from_raw_signal(sig: i32) -> Self {
            use std::os::unix::process::ExitStatusExt;
            ExitStatus::from_raw(sig)
        }
    }
}

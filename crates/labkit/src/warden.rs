//! The warden: while grading, nothing a check starts outlives the check.
//!
//! A process group is not enough to end what learner code starts: a
//! `setsid`, a double fork or `nohup` leaves the group, and the orphan is
//! adopted by `init`, out of the tool's reach, free to rewrite the
//! gradebook once grading is done. So under `cargo xtask grade` the check
//! binary first becomes a **warden**, before any learner code runs:
//!
//! 1. it makes itself a child subreaper (`PR_SET_CHILD_SUBREAPER`): every
//!    process that is orphaned below it, however it left its group or
//!    session, becomes its child instead of `init`'s;
//! 2. it starts itself again (`/proc/self/exe`, the binary it was started
//!    from, whatever the path now holds) as the confined check, hands it
//!    the run request, and waits;
//! 3. when the check ends, or the tool closes the warden's standard input
//!    (the time limit is up), it kills every child it has, again and again
//!    until none is left, reaps them, and only then exits, with the check's
//!    own status.
//!
//! The check runs in a Landlock domain ([`crate::sandbox`]) the warden is
//! outside of, so learner code can neither signal nor trace the warden.

use std::io::{Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::check::NOT_CONTAINED;
use crate::confine::RunRequest;

/// Set in the environment of the check a warden starts.
pub const CHILD_ENV: &str = "LABKIT_WARDED";

/// Whether this process is the check a warden started.
pub fn is_warded() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// Rounds of killing (a millisecond apart, at least) before the warden
/// gives up: a fork bomb is held to its process limit, so a few suffice.
/// Counted rather than timed: labkit never reads the wall clock.
const ROUNDS: usize = 5000;

/// Runs the check as described in the module doc; returns the exit code
/// the warden ends with (it may instead end by the check's own signal).
#[cfg(target_os = "linux")]
pub fn run(request: &RunRequest) -> ExitCode {
    use rustix::process::{set_child_subreaper, set_dumpable_behavior, DumpableBehavior};
    let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    if let Err(e) = set_child_subreaper(Some(rustix::process::getpid())) {
        eprintln!("{NOT_CONTAINED} cannot become a child subreaper: {e}");
        return ExitCode::from(3);
    }
    let mut child = match Command::new("/proc/self/exe")
        .args(std::env::args_os().skip(1))
        .env(CHILD_ENV, "1")
        .stdin(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{NOT_CONTAINED} cannot start the check: {e}");
            return ExitCode::from(3);
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(request.to_line().as_bytes());
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        // The tool closes our standard input when the check's time is up.
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut sink = [0u8; 64];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            stop.store(true, Ordering::SeqCst);
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if stop.load(Ordering::SeqCst) => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    end_descendants();
    exit_as(status)
}

/// Elsewhere the check runs in this process, uncontained.
#[cfg(not(target_os = "linux"))]
pub fn run(_request: &RunRequest) -> ExitCode {
    eprintln!("{NOT_CONTAINED} a warden needs Linux");
    ExitCode::from(3)
}

/// Kills and reaps every child of this process until it has none: a
/// subreaper's children are all of its living descendants' ancestors, so
/// when none is left, no descendant is.
#[cfg(target_os = "linux")]
pub fn end_descendants() {
    use rustix::process::{kill_process, wait, Pid, Signal, WaitOptions};
    let me = std::process::id() as i32;
    for _ in 0..ROUNDS {
        // `wait`, not `waitpid(None)`: an orphan from another process group
        // or session is a child all the same.
        while let Ok(Some(_)) = wait(WaitOptions::NOHANG) {}
        let children = children_of(me);
        if children.is_empty() {
            return;
        }
        for pid in children {
            if let Some(pid) = Pid::from_raw(pid) {
                let _ = kill_process(pid, Signal::KILL);
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The processes whose parent is `parent` (zombies included), from `/proc`.
pub fn children_of(parent: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if parent_of(pid) == Some(parent) {
            out.push(pid);
        }
    }
    out
}

/// The parent of `pid`, from `/proc/<pid>/stat` (the field after the
/// command name, which may itself hold spaces and parentheses).
pub fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Ends this process as the check ended: the same exit code, or the same
/// signal (so the tool still reports a stack overflow as a crash by signal).
#[cfg(target_os = "linux")]
fn exit_as(status: Option<std::process::ExitStatus>) -> ExitCode {
    use std::os::unix::process::ExitStatusExt;
    let Some(status) = status else {
        return ExitCode::from(124);
    };
    if let Some(code) = status.code() {
        return ExitCode::from(code.clamp(0, 255) as u8);
    }
    if let Some(signal) = status.signal() {
        if let Some(sig) = rustix::process::Signal::from_named_raw(signal) {
            let _ = std::io::stderr().flush();
            // Twice: the standard library's SIGSEGV handler (there for stack
            // overflows) swallows the first one and restores the default.
            for _ in 0..2 {
                let _ = rustix::process::kill_process(rustix::process::getpid(), sig);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        return ExitCode::from((128 + signal).clamp(0, 255) as u8);
    }
    ExitCode::FAILURE
}

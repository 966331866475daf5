//! Running checks, one process each, with a time limit.
//!
//! The check binary runs exactly one check per process (`<bin> run <id>`) and
//! writes its verdict to a result file. Everything that can go wrong in
//! learner code is classified here, never propagated: a process that runs
//! past its limit is killed (*timed out*); one that dies without writing a
//! verdict *crashed* (a stack overflow, an abort, `std::process::exit`); its
//! output is kept up to a cap, however much it prints.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use labkit::check::{CheckInfo, ChildReport, Outcome, RESULT_ENV};

/// Limits on one check's process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock limit for one check.
    pub timeout: Duration,
    /// Bytes of output kept per stream; the rest is counted and dropped.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_output: 16 * 1024,
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

/// Runs one check in its own process.
pub fn run(bin: &Path, id: &str, scratch: &Path, limits: Limits) -> Verdict {
    let result_file = scratch.join(format!("{id}.json"));
    let _ = std::fs::remove_file(&result_file);
    let spawned = Command::new(bin)
        .args(["run", id])
        .env(RESULT_ENV, &result_file)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return Verdict {
                outcome: Outcome::Crashed,
                message: Some(format!("could not start the check process: {e}")),
                output: String::new(),
            }
        }
    };
    let out_reader = child.stdout.take().map(|s| capture(s, limits.max_output));
    let err_reader = child.stderr.take().map(|s| capture(s, limits.max_output));

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= limits.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let stdout = out_reader.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err_reader.and_then(|h| h.join().ok()).unwrap_or_default();
    let output = join_output(&stdout, &stderr);

    let Some(status) = status else {
        return Verdict {
            outcome: Outcome::TimedOut,
            message: Some(format!(
                "no result within {} s: an endless loop, or far too much work?",
                limits.timeout.as_secs()
            )),
            output,
        };
    };
    let report = std::fs::read_to_string(&result_file)
        .ok()
        .and_then(|t| serde_json::from_str::<ChildReport>(&t).ok());
    let _ = std::fs::remove_file(&result_file);
    match report {
        Some(r) => Verdict {
            outcome: r.outcome,
            message: r.message,
            output,
        },
        None => Verdict {
            outcome: Outcome::Crashed,
            message: Some(crash_reason(status, &stderr)),
            output,
        },
    }
}

fn crash_reason(status: std::process::ExitStatus, stderr: &str) -> String {
    if stderr.contains("has overflowed its stack") {
        return "stack overflow: a recursion that never reaches its base case?".into();
    }
    match status.code() {
        Some(code) => format!(
            "the process exited with code {code} before the check finished (does the code call std::process::exit?)"
        ),
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                if let Some(sig) = status.signal() {
                    return format!("the process was killed by signal {sig} before the check finished");
                }
            }
            "the process ended before the check finished".into()
        }
    }
}

fn capture<R: Read + Send + 'static>(mut stream: R, cap: usize) -> thread::JoinHandle<String> {
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
        s
    })
}

fn join_output(stdout: &str, stderr: &str) -> String {
    match (stdout.trim().is_empty(), stderr.trim().is_empty()) {
        (true, true) => String::new(),
        (false, true) => stdout.to_string(),
        (true, false) => stderr.to_string(),
        (false, false) => format!("{stdout}\n{stderr}"),
    }
}

/// Runs many checks (binary, id) with up to `jobs` at a time; verdicts come
/// back in the order given, whatever order they finish in.
pub fn run_all(
    jobs_list: &[(PathBuf, String)],
    scratch: &Path,
    limits: Limits,
    jobs: usize,
) -> Vec<Verdict> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; jobs_list.len()]);
    thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((bin, id)) = jobs_list.get(i) else {
                    break;
                };
                let v = run(bin, id, scratch, limits);
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
            })
        })
        .collect()
}

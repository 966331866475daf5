//! What the course tool tells a check process before it runs any learner
//! code, and the limits the process puts on itself.
//!
//! The tool starts `<checks> run <id>` and writes one line to its standard
//! input, then closes it:
//!
//! ```text
//! opsloop-run v1 key=<64 hex> memory=<bytes> processes=<count>
//! ```
//!
//! While grading, the line also says `warden=1` (the process first becomes
//! a [`crate::warden`], so nothing it starts outlives it) and names what
//! the check may touch, each path hex-encoded so that any byte fits:
//! `read=<hex>` and `write=<hex>`, once per path (a Landlock
//! [`Plan`]), and `seccomp=1` asks for the
//! [`crate::seccomp`] filter. In that case the tool keeps standard
//! input open while the check may run, and closes it to stop the warden.
//!
//! The harness reads that line first thing. The key seals the verdict (see
//! [`crate::seal`]); it lives in a local variable of the harness, never in
//! the environment, the arguments or a file. The limits bound what learner
//! code can take: `memory` is the address space (a memory bomb fails its
//! allocation and the tool reports *over its memory limit*), `processes` the
//! number of processes and threads its user may have (a fork bomb stalls and
//! is cut at the time limit). Both are hard limits, so learner code cannot
//! raise them again. The harness also marks itself not dumpable, which on
//! Linux makes `/proc/self/mem` and friends unreadable to an unprivileged
//! process, its own code included.

use std::path::PathBuf;

use crate::digest::to_hex;
use crate::sandbox::Plan;
use crate::seal::Key;

/// The first word of the line; anything else on standard input is ignored.
const MAGIC: &str = "opsloop-run";
const VERSION: &str = "v1";

/// What one check process is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRequest {
    /// The key that seals this process's verdict.
    pub key: Key,
    /// Address-space limit in bytes.
    pub memory: Option<u64>,
    /// Limit on the processes (and threads) the check's user may run.
    pub processes: Option<u64>,
    /// Start the check under a warden (grading only).
    pub warden: bool,
    /// Confine the check with Landlock (grading only).
    pub sandbox: Option<Plan>,
    /// Install the [`crate::seccomp`] filter (grading only).
    pub seccomp: bool,
}

impl RunRequest {
    /// The line the tool writes.
    pub fn to_line(&self) -> String {
        let mut line = format!("{MAGIC} {VERSION} key={}", self.key.to_hex());
        if let Some(m) = self.memory {
            line.push_str(&format!(" memory={m}"));
        }
        if let Some(p) = self.processes {
            line.push_str(&format!(" processes={p}"));
        }
        if self.warden {
            line.push_str(" warden=1");
        }
        if let Some(plan) = &self.sandbox {
            for (name, paths) in [("read", &plan.read), ("write", &plan.write)] {
                for path in paths {
                    line.push_str(&format!(" {name}={}", hex_path(path)));
                }
            }
            if plan.read.is_empty() && plan.write.is_empty() {
                line.push_str(" sandbox=1");
            }
        }
        if self.seccomp {
            line.push_str(" seccomp=1");
        }
        line.push('\n');
        line
    }

    /// Reads the line back; `None` when it is not a run request (a person
    /// running the check binary by hand).
    pub fn parse(text: &str) -> Option<Self> {
        let line = text.lines().next()?;
        let mut words = line.split_whitespace();
        if words.next()? != MAGIC || words.next()? != VERSION {
            return None;
        }
        let (mut key, mut memory, mut processes) = (None, None, None);
        let (mut warden, mut sandbox, mut seccomp) = (false, None::<Plan>, false);
        for word in words {
            let (name, value) = word.split_once('=')?;
            match name {
                "key" => key = Some(Key::from_hex(value)?),
                "memory" => memory = Some(value.parse().ok()?),
                "processes" => processes = Some(value.parse().ok()?),
                "warden" => warden = value == "1",
                "seccomp" => seccomp = value == "1",
                "sandbox" => {
                    sandbox.get_or_insert_with(Plan::default);
                }
                "read" => sandbox
                    .get_or_insert_with(Plan::default)
                    .read
                    .push(unhex_path(value)?),
                "write" => sandbox
                    .get_or_insert_with(Plan::default)
                    .write
                    .push(unhex_path(value)?),
                _ => {} // a newer tool's field: not ours to judge
            }
        }
        Some(Self {
            key: key?,
            memory,
            processes,
            warden,
            sandbox,
            seccomp,
        })
    }

    /// Reads the request, its first line only, from standard input (the
    /// tool may keep the input open after it: see the module doc). An
    /// interactive terminal or an empty input means no request.
    pub fn from_stdin() -> Option<Self> {
        use std::io::{BufRead, IsTerminal, Read};
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return None;
        }
        let mut text = String::new();
        let _ = stdin.lock().take(64 * 1024).read_line(&mut text);
        Self::parse(&text)
    }

    /// Puts the limits on this process. Returns what could not be applied,
    /// for the harness to say on stderr (the check still runs).
    pub fn confine(&self) -> Vec<String> {
        confine(self.memory, self.processes)
    }
}

/// A path as hex of its bytes: a line of words holds any path so.
fn hex_path(path: &std::path::Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    to_hex(&bytes)
}

fn unhex_path(text: &str) -> Option<PathBuf> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    let bytes = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    #[cfg(unix)]
    let path =
        PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes));
    #[cfg(not(unix))]
    let path = PathBuf::from(String::from_utf8(bytes).ok()?);
    Some(path)
}

#[cfg(target_os = "linux")]
fn confine(memory: Option<u64>, processes: Option<u64>) -> Vec<String> {
    use rustix::process::{set_dumpable_behavior, setrlimit, DumpableBehavior, Resource, Rlimit};
    let mut problems = Vec::new();
    if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
        problems.push(format!("cannot mark the process not dumpable: {e}"));
    }
    for (resource, limit, name) in [
        (Resource::As, memory, "memory"),
        (Resource::Nproc, processes, "processes"),
    ] {
        if let Some(n) = limit {
            let hard = Rlimit {
                current: Some(n),
                maximum: Some(n),
            };
            if let Err(e) = setrlimit(resource, hard) {
                problems.push(format!("cannot limit {name} to {n}: {e}"));
            }
        }
    }
    problems
}

#[cfg(not(target_os = "linux"))]
fn confine(memory: Option<u64>, processes: Option<u64>) -> Vec<String> {
    let mut problems = Vec::new();
    if memory.is_some() || processes.is_some() {
        problems.push("process limits are only applied on Linux".to_string());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_and_anything_else_is_none() {
        let r = RunRequest {
            key: Key::from_bytes([3; 32]),
            memory: Some(1 << 30),
            processes: Some(64),
            warden: false,
            sandbox: None,
            seccomp: false,
        };
        assert_eq!(RunRequest::parse(&r.to_line()), Some(r.clone()));
        let bare = RunRequest {
            memory: None,
            processes: None,
            ..r.clone()
        };
        assert_eq!(RunRequest::parse(&bare.to_line()), Some(bare));
        assert_eq!(RunRequest::parse(""), None);
        assert_eq!(RunRequest::parse("hello\n"), None);
        assert_eq!(RunRequest::parse("opsloop-run v2 key=00\n"), None);
        assert_eq!(RunRequest::parse("opsloop-run v1 memory=5\n"), None);
        let bad_key = format!("opsloop-run v1 key={}\n", "x".repeat(64));
        assert_eq!(RunRequest::parse(&bad_key), None);
        let newer = format!("{} colour=blue\n", r.to_line().trim_end());
        assert_eq!(RunRequest::parse(&newer), Some(r.clone()));
        let graded = RunRequest {
            warden: true,
            seccomp: true,
            sandbox: Some(Plan {
                read: vec!["/work/a course".into(), "/t".into()],
                write: vec!["/tmp/x=y\nz".into()],
            }),
            ..r.clone()
        };
        let line = graded.to_line();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.contains(" seccomp=1"), "{line}");
        assert_eq!(RunRequest::parse(&line), Some(graded));
        let bare_sandbox = RunRequest {
            sandbox: Some(Plan::default()),
            ..r.clone()
        };
        assert_eq!(
            RunRequest::parse(&bare_sandbox.to_line()),
            Some(bare_sandbox)
        );
        assert_eq!(
            RunRequest::parse(&format!("{} read=abc\n", r.to_line().trim_end())),
            None
        );
    }
}

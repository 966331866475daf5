//! Containment of a check process while it is graded, with what the Linux
//! kernel gives any process: Landlock.
//!
//! The seal ([`crate::seal`]) makes a forged verdict worthless, but learner
//! code still runs with every right of the user who grades: it could read
//! other submissions, write into the grader's outputs or open a connection.
//! Under `cargo xtask grade` the tool asks the check process (in its
//! [`RunRequest`](crate::confine::RunRequest)) to give those rights up
//! before any learner code runs. The process then may
//!
//! - read and execute beneath the system's own directories (libraries,
//!   `/etc`, `/proc`, `/dev`) and the paths the tool names (the course copy
//!   and its build);
//! - write only beneath the paths the tool names for writing (its own
//!   result file and temporary directory), and to `/dev/null`;
//! - neither connect nor bind a TCP socket (Landlock ABI 4 and later), nor
//!   signal a process or reach an abstract unix socket outside its own
//!   sandbox (ABI 6 and later).
//!
//! A Landlock domain is kept across `fork` and `exec`, and no process of it
//! can lift it: whatever the check starts is held the same. Landlock needs
//! no privilege, so an ordinary user, a CI runner and root are held alike.
//! What Landlock leaves open (UDP, unix sockets by path, io_uring, ptrace
//! of a process in the same domain) the [`crate::seccomp`] filter, installed
//! right after, closes. `lab` and `check` on a learner's machine never ask
//! for any of this.

use std::path::PathBuf;

/// The system directories every process reads: the dynamic loader, the
/// C library, `/etc` (time zone, users), `/proc` and `/sys` (the standard
/// library asks them how many cores it has), `/dev`.
pub const SYSTEM_READ: &[&str] = &[
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev",
];

/// What a check process may touch while it is graded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Paths it may read and execute beneath, beyond [`SYSTEM_READ`].
    pub read: Vec<PathBuf>,
    /// Paths it may read and write beneath.
    pub write: Vec<PathBuf>,
}

/// What held once a [`Plan`] was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The Landlock ABI the kernel enforced (1 and up).
    pub abi: u8,
    /// Whether TCP connect and bind are refused (ABI 4 and later).
    pub network_denied: bool,
    /// Whether every right asked for is enforced, or only those the
    /// kernel knows.
    pub fully: bool,
}

/// Applies `plan` to this process (it must still be single-threaded: a
/// Landlock domain binds the calling thread and the threads it starts).
/// An error says why nothing was applied; the caller must then run no
/// learner code.
#[cfg(target_os = "linux")]
pub fn apply(plan: &Plan) -> Result<Held, String> {
    use landlock::{
        path_beneath_rules, Access, AccessFs, AccessNet, LandlockStatus, Ruleset, RulesetAttr,
        RulesetCreatedAttr, RulesetStatus, Scope, ABI,
    };
    let abi = ABI::V6;
    let read = AccessFs::from_read(abi);
    let all = AccessFs::from_all(abi);
    let problem = |e: landlock::RulesetError| format!("Landlock refused the rules: {e}");
    let readable = SYSTEM_READ
        .iter()
        .map(PathBuf::from)
        .chain(plan.read.iter().cloned());
    let status = Ruleset::default()
        .handle_access(all)
        .map_err(problem)?
        .handle_access(AccessNet::from_all(abi))
        .map_err(problem)?
        .scope(Scope::from_all(abi))
        .map_err(problem)?
        .create()
        .map_err(problem)?
        .add_rules(path_beneath_rules(readable, read))
        .map_err(problem)?
        .add_rules(path_beneath_rules(
            ["/dev/null"],
            AccessFs::ReadFile | AccessFs::WriteFile,
        ))
        .map_err(problem)?
        .add_rules(path_beneath_rules(&plan.write, all))
        .map_err(problem)?
        .restrict_self()
        .map_err(problem)?;
    let enforced_abi = match status.landlock {
        LandlockStatus::Available { effective_abi, .. } => effective_abi as u8,
        LandlockStatus::NotEnabled => return Err("Landlock is built in but not enabled".into()),
        LandlockStatus::NotImplemented => return Err("this kernel has no Landlock".into()),
    };
    match status.ruleset {
        RulesetStatus::NotEnforced => Err("the kernel enforced none of the Landlock rules".into()),
        s => Ok(Held {
            abi: enforced_abi,
            network_denied: enforced_abi >= 4,
            fully: s == RulesetStatus::FullyEnforced,
        }),
    }
}

/// Elsewhere there is no Landlock: nothing is applied.
#[cfg(not(target_os = "linux"))]
pub fn apply(_plan: &Plan) -> Result<Held, String> {
    Err("Landlock exists only on Linux".into())
}

/// The Landlock ABI this kernel enforces, if any. Found by confining a
/// thread started for the purpose (a domain binds only its thread), so the
/// calling process keeps all its rights.
#[cfg(target_os = "linux")]
pub fn probe() -> Option<u8> {
    std::thread::spawn(|| {
        use landlock::{Access, AccessFs, LandlockStatus, Ruleset, RulesetAttr, ABI};
        let status = Ruleset::default()
            .handle_access(AccessFs::from_all(ABI::V1))
            .ok()?
            .create()
            .ok()?
            .restrict_self()
            .ok()?;
        match status.landlock {
            LandlockStatus::Available { effective_abi, .. } => Some(effective_abi as u8),
            _ => None,
        }
    })
    .join()
    .ok()
    .flatten()
}

/// Elsewhere there is no Landlock.
#[cfg(not(target_os = "linux"))]
pub fn probe() -> Option<u8> {
    None
}

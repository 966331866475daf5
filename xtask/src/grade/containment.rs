//! What holds a check while it is graded, on this machine, and whether that
//! is enough to grade at all.
//!
//! Four things contain a check, and which of them the machine allows
//! depends on who grades:
//!
//! - **own users**: as root, each worker runs its checks as a user id of its
//!   own ([`crate::runner::Sandbox`]), which owns no file and no process;
//! - **Landlock** (any user, Linux 5.13 and later): the check may read the
//!   course copy, its build and the system, write only its own directory,
//!   and (ABI 4 and later) neither connect nor bind (`labkit::sandbox`);
//! - **a seccomp filter** (any user, Linux on x86_64 or aarch64): the check
//!   may create no socket of any family and may make none of the calls
//!   that reach past Landlock or into other processes (`labkit::seccomp`);
//! - **a subreaper**: every check runs under a warden that adopts whatever
//!   it orphans and ends it with the check (`labkit::warden`); `grade`
//!   itself is one too ([`super::reaper`]).
//!
//! Without own users and without Landlock a check can write everything the
//! grader can, outputs included: `grade` refuses then, unless told
//! `--unconfined`, which every result records.

use serde::{Deserialize, Serialize};

use crate::runner::{self, Limits, Sandbox};

/// Whether a check can reach the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// No socket can be made (the seccomp filter), or at least TCP
    /// connect and bind are refused (Landlock ABI 4 and later).
    Denied,
    /// Nothing stops a check from opening a connection.
    Open,
}

/// The containment of a batch, as `results.json` gives it in `sandbox`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Containment {
    /// Each worker's checks ran as a user id of their own (root only).
    pub own_users: bool,
    /// The Landlock ABI each check was confined with, if any.
    pub landlock_abi: Option<u8>,
    /// Each check ran under the seccomp filter: no sockets of any family,
    /// no io_uring, ptrace, bpf, keyrings or namespaces (`false` in a
    /// record written before the grader had it).
    #[serde(default)]
    pub seccomp: bool,
    /// Whether a check could open a TCP connection.
    pub network: Network,
    /// Every check ran under a warden that is a child subreaper, so nothing
    /// it started outlived it.
    pub subreaper: bool,
    /// The grader allowed grading without containment (`--unconfined`).
    pub unconfined: bool,
    /// The same in a sentence.
    pub summary: String,
}

impl Containment {
    /// What this machine allows, with `--unconfined` or without (which
    /// only lets grading go on without containment: whatever the machine
    /// allows is still used).
    pub fn of_this_machine(unconfined: bool) -> Self {
        Self::from_parts(
            matches!(Sandbox::for_slot(0), Sandbox::OwnUser(_)),
            labkit::sandbox::probe(),
            labkit::seccomp::probe(),
            unconfined,
        )
    }

    /// The containment made of what is available.
    pub fn from_parts(
        own_users: bool,
        landlock_abi: Option<u8>,
        seccomp: bool,
        unconfined: bool,
    ) -> Self {
        let network = if seccomp || landlock_abi.is_some_and(|abi| abi >= 4) {
            Network::Denied
        } else {
            Network::Open
        };
        let mut parts = vec![
            "each check in its own process group under a warden that ends all it starts"
                .to_string(),
        ];
        parts.push(if own_users {
            "under a user of its own".into()
        } else {
            "under the grader's user".into()
        });
        if let Some(abi) = landlock_abi {
            parts.push(format!("confined by Landlock ABI {abi}"));
        }
        if seccomp {
            parts.push("with no sockets (seccomp filter)".into());
        }
        if network == Network::Open {
            parts.push("with network access".into());
        }
        if unconfined {
            parts.push("graded with --unconfined".into());
        }
        Self {
            own_users,
            landlock_abi,
            seccomp,
            network,
            subreaper: true,
            unconfined,
            summary: parts.join(", "),
        }
    }

    /// Why grading must not go on, in one line: neither own users nor
    /// Landlock, and no `--unconfined`.
    pub fn refusal(&self) -> Option<String> {
        (!self.own_users && self.landlock_abi.is_none() && !self.unconfined).then(|| {
            "cannot contain the checks: not root (no user per check) and no Landlock in this \
             kernel; grade as root, on Linux 5.13 or later, or pass --unconfined"
                .to_string()
        })
    }

    /// `limits` with this containment switched on.
    pub fn limits(&self, limits: Limits) -> Limits {
        Limits {
            warden: true,
            // `same_user` is grading as an ordinary user on a machine
            // without Landlock: the judges must hold on their own.
            landlock: self.landlock_abi.is_some() && !limits.same_user,
            seccomp: self.seccomp && !limits.same_user,
            ..limits
        }
    }

    /// The containment as it turned out: starting checks as users of their
    /// own can still fail in the middle of a batch (see
    /// [`runner::sandbox_note`]).
    pub fn as_run(&self) -> Self {
        match runner::sandbox_note() {
            Some(note) if self.own_users => {
                let mut c =
                    Self::from_parts(false, self.landlock_abi, self.seccomp, self.unconfined);
                c.summary = format!("{}; {note}", c.summary);
                c
            }
            _ => self.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grading_is_refused_only_when_nothing_contains_the_checks() {
        let refused = Containment::from_parts(false, None, false, false);
        let line = refused.refusal().expect("refused");
        assert!(!line.contains('\n'));
        assert!(
            line.contains("--unconfined") && line.contains("Landlock"),
            "{line}"
        );
        assert_eq!(refused.network, Network::Open);
        for ok in [
            Containment::from_parts(true, None, false, false),
            Containment::from_parts(false, Some(6), false, false),
            Containment::from_parts(false, None, false, true),
        ] {
            assert_eq!(ok.refusal(), None, "{ok:?}");
        }
        let held = Containment::from_parts(false, Some(6), false, false);
        assert_eq!(held.network, Network::Denied);
        assert!(held.summary.contains("Landlock ABI 6"), "{}", held.summary);
        assert_eq!(
            Containment::from_parts(false, Some(3), false, false).network,
            Network::Open
        );
        let l = held.limits(Limits::default());
        assert!(l.warden && l.landlock);
        let l = Containment::from_parts(true, None, false, false).limits(Limits::default());
        assert!(l.warden && !l.landlock);
        let json = serde_json::to_value(&held).unwrap_or_default();
        assert_eq!(json["landlock_abi"], 6);
        assert_eq!(json["network"], "denied");
        assert_eq!(json["subreaper"], true);
        assert_eq!(json["unconfined"], false);
        assert_eq!(json["seccomp"], false);

        let filtered = Containment::from_parts(false, Some(3), true, false);
        assert_eq!(filtered.network, Network::Denied, "no socket at all");
        assert!(
            filtered.summary.contains("no sockets (seccomp filter)"),
            "{}",
            filtered.summary
        );
        let l = filtered.limits(Limits::default());
        assert!(l.seccomp && l.landlock);
        let l = filtered.limits(Limits {
            same_user: true,
            ..Limits::default()
        });
        assert!(
            !l.seccomp && !l.landlock,
            "same_user is a machine with neither"
        );
        let json = serde_json::to_value(&filtered).unwrap_or_default();
        assert_eq!(json["seccomp"], true);
        // A record written before the field existed reads as no filter.
        let mut old = json.clone();
        old.as_object_mut().map(|o| o.remove("seccomp"));
        let read: Containment = serde_json::from_value(old).expect("an older record");
        assert!(!read.seccomp);
    }
}

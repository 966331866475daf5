//! An unprivileged user made for one test, and the commands it runs.
//!
//! CI runs as root, so a test of what an ordinary user can do makes that
//! user itself (`useradd`), runs as it with `setpriv`, and removes it after
//! (its processes first: only this user's, which only the test started).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Gives `path` the permission bits `mode` (the test's own files only).
pub fn open_to_all(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// An unprivileged user made for one test and removed after it.
pub struct TestUser {
    pub name: String,
    pub uid: u32,
    setpriv: PathBuf,
}

impl TestUser {
    /// A user named `opsloop-<tag><pid>` (the tag keeps two tests of one
    /// test binary apart); `None`, after saying so, when none can be made
    /// here or `setpriv` is missing. Under `CI=true` that fails the test.
    pub fn create(test: &str, tag: &str) -> Option<Self> {
        let setpriv = labkit::tools::find_or_skip(
            test,
            "SETPRIV",
            &["setpriv"],
            "apt-get install util-linux",
        )?;
        let name = format!("opsloop-{tag}{}", std::process::id());
        let made = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
            ])
            .arg(&name)
            .output();
        let uid = Command::new("id")
            .args(["-u", &name])
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok());
        match uid {
            Some(uid) => Some(Self { name, uid, setpriv }),
            None => {
                let why = format!("cannot create an unprivileged user ({made:?})");
                assert!(
                    !labkit::tools::required(),
                    "{test}: {why}; CI=true requires it"
                );
                eprintln!("{test}: SKIPPED as an ordinary user: {why}");
                None
            }
        }
    }

    /// `program` as this user (its own user and group ids, no other group).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(&self.setpriv);
        c.arg(format!("--reuid={}", self.uid))
            .arg(format!("--regid={}", self.uid))
            .args(["--clear-groups", "--"])
            .arg(program);
        c
    }

    /// Makes `path` this user's (a folder the test made for it).
    pub fn own(&self, path: &Path) {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.uid)).expect("chown");
    }

    /// This user's living processes, as `pid: command line`: whatever the
    /// test started as it and is still running.
    pub fn processes(&self) -> Vec<String> {
        super::procs::living()
            .into_iter()
            .filter(|p| p.uid == Some(self.uid))
            .map(|p| format!("{}: {}", p.pid, p.cmdline))
            .collect()
    }

    /// Ends every process of this user (by pid).
    fn end_processes(&self) {
        for p in super::procs::living() {
            if p.uid != Some(self.uid) {
                continue;
            }
            if let Some(pid) = rustix::process::Pid::from_raw(p.pid) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
    }
}

impl Drop for TestUser {
    fn drop(&mut self) {
        self.end_processes();
        let _ = Command::new("userdel").arg(&self.name).output();
    }
}

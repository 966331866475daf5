//! What judges cannot be changed by what is judged: the check binaries.
//!
//! A check runs learner code in the check binary's own process, so that
//! code knows where the binary is (`std::env::current_exe()`). Where the
//! check may write there (grading under the grader's own user, with no
//! other containment), it can rename a script over the binary, and every
//! later check of the module would run that script instead of the harness.
//!
//! So the binaries are *pinned* right after the build, before any check
//! runs: their bytes are kept in the grader's memory, with what identifies
//! the file on disk (device, inode, size, modification and change times).
//! Before each spawn the file is looked at again: a rename gives another
//! inode, a write in place a new change time (which no process but the
//! kernel sets), and either has its bytes compared with the kept ones
//! (their SHA-256 names both in the verdict). Keeping the bytes rather than
//! a digest costs no hashing on the grading path: pinning is one read of
//! files the build just wrote, from the page cache. A changed binary is
//! never run: the check is `tampered`. After the last
//! check every binary is verified once more (a change racing a spawn is
//! caught there) and put back from the kept bytes, so the next submission
//! is graded by the binary that was built, whatever cargo thinks is fresh.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use labkit::check::Outcome;
use labkit::digest::sha256_hex;

use crate::lab::ModuleRun;

/// What identifies a file on disk without reading it: a rename gives
/// another inode, any write a new change time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Identity {
    pub fn of(path: &Path) -> std::io::Result<Self> {
        let m = std::fs::metadata(path)?;
        Ok(Self {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// One check binary as it was built.
#[derive(Debug)]
struct Pinned {
    bytes: Vec<u8>,
    identity: Identity,
}

/// The check binaries of one build, pinned.
#[derive(Debug, Default)]
pub struct Judges {
    pinned: BTreeMap<PathBuf, Pinned>,
    /// Binaries found changed so far.
    changed: Mutex<BTreeSet<PathBuf>>,
}

impl Judges {
    /// Nothing pinned: every binary is run as it is (`lab` and `check` on
    /// the learner's own machine).
    pub fn none() -> Self {
        Self::default()
    }

    /// Pins every binary: reads it and keeps its bytes.
    pub fn pin<'a>(binaries: impl IntoIterator<Item = &'a PathBuf>) -> std::io::Result<Self> {
        let mut pinned = BTreeMap::new();
        for path in binaries {
            let identity = Identity::of(path)?;
            let bytes = std::fs::read(path)?;
            pinned.insert(path.clone(), Pinned { bytes, identity });
        }
        Ok(Self {
            pinned,
            changed: Mutex::default(),
        })
    }

    /// Whether `bin` still holds what was built; the reason when not.
    /// Binaries that were not pinned pass.
    pub fn verify(&self, bin: &Path) -> Result<(), String> {
        let Some(want) = self.pinned.get(bin) else {
            return Ok(());
        };
        if Identity::of(bin).ok() == Some(want.identity) {
            return Ok(());
        }
        let got = match std::fs::read(bin) {
            Ok(bytes) if bytes == want.bytes => return Ok(()),
            Ok(bytes) => sha256_hex(&bytes),
            Err(e) => format!("unreadable ({e})"),
        };
        if let Ok(mut c) = self.changed.lock() {
            c.insert(bin.to_path_buf());
        }
        Err(format!(
            "the check binary {} was changed after it was built (SHA-256 {} then, {} now): \
             a check of this submission rewrote it, so it was not run",
            file_name(bin),
            short(&sha256_hex(&want.bytes)),
            short(&got)
        ))
    }

    /// Verifies every binary once more and puts back each one that changed;
    /// returns every binary found changed during the run.
    pub fn restore(&self) -> std::io::Result<BTreeSet<PathBuf>> {
        for bin in self.pinned.keys() {
            let _ = self.verify(bin);
        }
        let changed = self.changed.lock().map(|c| c.clone()).unwrap_or_default();
        for bin in &changed {
            let Some(want) = self.pinned.get(bin) else {
                continue;
            };
            // A new file: whatever is at the path (a script, a symlink, a
            // folder) is removed, never written through.
            match std::fs::symlink_metadata(bin) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(bin)?,
                Ok(_) => std::fs::remove_file(bin)?,
                Err(_) => {}
            }
            std::fs::write(bin, &want.bytes)?;
            std::fs::set_permissions(bin, std::fs::Permissions::from_mode(0o755))?;
        }
        Ok(changed)
    }
}

/// Marks every check that ran from a changed binary `tampered`: nothing a
/// binary reported after it could be rewritten is believed.
pub fn condemn(
    runs: &mut [ModuleRun],
    changed: &BTreeSet<PathBuf>,
    built: &BTreeMap<String, PathBuf>,
) {
    let names: BTreeSet<&str> = built
        .iter()
        .filter(|(_, p)| changed.contains(*p))
        .map(|(n, _)| n.as_str())
        .collect();
    for check in runs.iter_mut().flat_map(|r| r.checks.iter_mut()) {
        if names.contains(check.bin) && check.verdict.outcome != Outcome::Tampered {
            check.verdict.outcome = Outcome::Tampered;
            check.verdict.message = Some(format!(
                "the check binary {} was changed while this submission's checks ran: \
                 none of its verdicts is believed",
                check.bin
            ));
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn short(digest: &str) -> &str {
    digest.get(..12).unwrap_or(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attack, on a stand-in binary: a script renamed over it, then a
    /// write in place. Each is refused before the spawn and put back after.
    #[test]
    fn a_binary_replaced_or_rewritten_is_refused_and_put_back() {
        let dir = std::env::temp_dir().join(format!("opsloop-judges-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let bin = dir.join("checks");
        std::fs::write(&bin, b"\x7fELF the real harness").unwrap();
        let judges = Judges::pin([&bin]).unwrap();
        assert_eq!(judges.verify(&bin), Ok(()));
        assert_eq!(judges.verify(&dir.join("not-pinned")), Ok(()));

        // Renamed over, as `std::fs::rename(script, current_exe())` does.
        let script = dir.join("script");
        std::fs::write(&script, b"#!/bin/sh\necho pass\n").unwrap();
        std::fs::rename(&script, &bin).unwrap();
        let why = judges.verify(&bin).unwrap_err();
        assert!(
            why.contains("checks was changed after it was built"),
            "{why}"
        );
        let changed = judges.restore().unwrap();
        assert_eq!(changed, BTreeSet::from([bin.clone()]));
        assert_eq!(std::fs::read(&bin).unwrap(), b"\x7fELF the real harness");

        // Rewritten in place with the same length: the change time moves.
        let judges = Judges::pin([&bin]).unwrap();
        std::fs::write(&bin, b"\x7fELF the fake harness").unwrap();
        assert!(judges.verify(&bin).is_err());
        // Touched but the same bytes: still the binary that was built.
        let judges = Judges::pin([&bin]).unwrap();
        std::fs::write(&bin, b"\x7fELF the fake harness").unwrap();
        assert_eq!(judges.verify(&bin), Ok(()));
        assert!(judges.restore().unwrap().is_empty());

        // Replaced by a folder: refused, and a file again after.
        let judges = Judges::pin([&bin]).unwrap();
        std::fs::remove_file(&bin).unwrap();
        std::fs::create_dir_all(bin.join("inside")).unwrap();
        assert!(judges.verify(&bin).is_err());
        assert_eq!(judges.restore().unwrap().len(), 1);
        assert_eq!(std::fs::read(&bin).unwrap(), b"\x7fELF the fake harness");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Runs unit tests of the grading module again as an ordinary user: as
/// root (as CI is), this test runs its own test binary under a user id that
/// owns nothing but a temporary folder (`setpriv`), so the attacks those
/// tests perform — a binary renamed over and rewritten, the course copy
/// written — are performed by a process that is not root; run by an
/// ordinary user, they already are.
#[cfg(test)]
mod as_an_ordinary_user {
    use std::process::Command;

    const TESTS: &[&str] = &[
        "grade::judges::tests::a_binary_replaced_or_rewritten_is_refused_and_put_back",
        "grade::restore::tests::every_write_into_the_copy_is_seen_and_undone",
    ];

    #[test]
    fn the_judges_and_the_copy_hold_when_an_ordinary_user_grades() {
        const NAME: &str = "the_judges_and_the_copy_hold_when_an_ordinary_user_grades";
        if !rustix::process::geteuid().is_root() {
            eprintln!("{NAME}: already an ordinary user; the tests it names run as one");
            return;
        }
        let Some(setpriv) = labkit::tools::find_or_skip(
            NAME,
            "SETPRIV",
            &["setpriv"],
            "apt-get install util-linux",
        ) else {
            return;
        };
        let pid = std::process::id();
        let uid = 0x6f6a_0000 + (pid & 0xffff);
        let home = std::env::temp_dir().join(format!("opsloop-ordinary-{pid}"));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).expect("a folder for the user");
        std::os::unix::fs::chown(&home, Some(uid), Some(uid)).expect("chown");
        let root = crate::root();
        let exe = std::env::current_exe().expect("the test binary");
        for test in TESTS {
            let out = Command::new(&setpriv)
                .args(["--reuid", &uid.to_string(), "--regid", &uid.to_string()])
                .args(["--clear-groups", "--"])
                .arg(&exe)
                .args([test, "--exact", "--test-threads=1", "--nocapture"])
                .current_dir(&root)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", &home)
                .env("TMPDIR", &home)
                .env("CARGO_TARGET_DIR", &home)
                .output()
                .expect("setpriv runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.status.success() && text.contains("test result: ok. 1 passed"),
                "{test} as uid {uid}:\n{text}"
            );
        }
        let _ = std::fs::remove_dir_all(&home);
    }
}

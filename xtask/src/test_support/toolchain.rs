//! A Rust toolchain an ordinary user made by a test can build with, without
//! changing the machine.
//!
//! rustup puts the toolchain and cargo's download cache under the installing
//! user's home; as root that is `/root`, mode 0700, out of any other user's
//! reach. Where the test's own folder is on the same filesystem, it gets a
//! hard-linked copy of both: the active toolchain's sysroot
//! (`rustc --print sysroot`), run directly rather than through the rustup
//! proxy, and the registry of `CARGO_HOME` (index, downloaded crates and
//! their sources), for builds that never reach the network. Linking costs
//! no space and no copying of gigabytes; the links are root's files, which
//! the user can read and not write, so nothing it does reaches the
//! originals. Only the folders are new, and only they are made the user's.
//! A file that is not readable by everyone (some crates ship files 0600)
//! is copied instead, never re-moded: a link shares its mode with the
//! original.
//!
//! Where links are impossible (another filesystem), the toolchain is used
//! in place if the user can already run it; otherwise the test is failed
//! under `CI=true` and skipped by hand (`labkit::tools` conventions).

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::user::TestUser;

/// How the user reaches the toolchain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Hard-linked copies in the test's folder.
    Linked,
    /// The originals, already readable by the user.
    InPlace,
}

/// A toolchain the user can run.
#[derive(Debug)]
pub struct UserToolchain {
    /// The sysroot's `bin` (holds `cargo` and `rustc`).
    pub bin: PathBuf,
    /// The user's own `CARGO_HOME`, with the registry in it.
    pub cargo_home: PathBuf,
    pub reach: Reach,
}

impl UserToolchain {
    /// The toolchain this test runs with, made reachable for `user` under
    /// `dir` (the test's own folder, removed by the test). `None` after
    /// saying why, when the user cannot be given one; under `CI=true` that
    /// fails the test.
    pub fn for_user(test: &str, user: &TestUser, dir: &Path) -> Option<Self> {
        match Self::make(user, dir) {
            Ok(t) => Some(t),
            Err(why) => {
                assert!(
                    !labkit::tools::required(),
                    "{test}: no toolchain for an ordinary user: {why}; CI=true requires one"
                );
                eprintln!("{test}: SKIPPED, no toolchain for an ordinary user: {why}");
                None
            }
        }
    }

    fn make(user: &TestUser, dir: &Path) -> Result<Self, String> {
        let sysroot = sysroot()?;
        let registry = cargo_home().join("registry");
        if !registry.is_dir() {
            return Err(format!("no cargo registry at {}", registry.display()));
        }
        let cargo_home = dir.join("cargo-home");
        std::fs::create_dir_all(&cargo_home).map_err(|e| e.to_string())?;
        user.own(&cargo_home);
        let linked = dir.join("toolchain");
        let tried = link_tree(&sysroot, &linked, None)
            .and_then(|()| link_tree(&registry, &cargo_home.join("registry"), Some(user)));
        let made = match tried {
            Ok(()) => Self {
                bin: linked.join("bin"),
                cargo_home,
                reach: Reach::Linked,
            },
            Err(e) => {
                eprintln!(
                    "cannot hard-link the toolchain into {} ({e}): using it in place",
                    dir.display()
                );
                let _ = std::fs::remove_dir_all(&linked);
                let _ = std::fs::remove_dir_all(cargo_home.join("registry"));
                std::os::unix::fs::symlink(&registry, cargo_home.join("registry"))
                    .map_err(|e| e.to_string())?;
                Self {
                    bin: sysroot.join("bin"),
                    cargo_home,
                    reach: Reach::InPlace,
                }
            }
        };
        made.runs_as(user)?;
        Ok(made)
    }

    /// `cargo` and `rustc` answer when the user runs them, and the
    /// registry's sources are readable to it.
    fn runs_as(&self, user: &TestUser) -> Result<(), String> {
        let registry = self.cargo_home.join("registry");
        let probes = [
            (self.bin.join("cargo"), vec!["--version".to_string()]),
            (self.bin.join("rustc"), vec!["--version".to_string()]),
            (
                PathBuf::from("ls"),
                vec![registry.join("src").display().to_string()],
            ),
        ];
        for (program, args) in probes {
            let out = user
                .command(&program)
                .args(&args)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .output()
                .map_err(|e| format!("{}: {e}", program.display()))?;
            if !out.status.success() {
                return Err(format!(
                    "{} {} as {}: {}",
                    program.display(),
                    args.join(" "),
                    user.name,
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        Ok(())
    }

    /// The environment a build as the user needs: this toolchain's cargo
    /// and rustc (no rustup), its own cargo home, and no network.
    pub fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let mut path = std::ffi::OsString::from(self.bin.as_os_str());
        path.push(":/usr/local/bin:/usr/bin:/bin");
        vec![
            ("PATH", path),
            ("CARGO", self.bin.join("cargo").into()),
            ("RUSTC", self.bin.join("rustc").into()),
            ("CARGO_HOME", self.cargo_home.clone().into()),
            ("CARGO_NET_OFFLINE", "true".into()),
        ]
    }
}

/// The sysroot of the `rustc` this test runs with (`$RUSTC`, else the
/// `PATH`'s, which may be rustup's proxy: it answers for the active
/// toolchain).
fn sysroot() -> Result<PathBuf, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc --print sysroot: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || text.is_empty() {
        return Err(format!(
            "rustc --print sysroot: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(text))
}

/// `CARGO_HOME`, else `~/.cargo`, as cargo finds it.
fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME").filter(|v| !v.is_empty()) {
        Some(h) => PathBuf::from(h),
        None => {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo")
        }
    }
}

/// Makes `to` a tree of hard links to the files of `from`: new folders
/// (0755, `owner`'s when given), symlinks made again, and files linked —
/// or copied, when everyone may not read (or run) the original. Fails on
/// the first file that cannot be linked (another filesystem: `EXDEV`).
fn link_tree(from: &Path, to: &Path, owner: Option<&TestUser>) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755))?;
    if let Some(user) = owner {
        std::os::unix::fs::chown(to, Some(user.uid), Some(user.uid))?;
    }
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let meta = std::fs::symlink_metadata(&src)?;
        let kind = meta.file_type();
        if kind.is_dir() {
            link_tree(&src, &dst, owner)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &dst)?;
        } else if kind.is_file() {
            let mode = meta.mode();
            let readable = mode & 0o004 != 0;
            let runnable = mode & 0o100 == 0 || mode & 0o001 != 0;
            if readable && runnable {
                std::fs::hard_link(&src, &dst)?;
            } else {
                std::fs::copy(&src, &dst)?;
                let exec = if mode & 0o100 != 0 { 0o111 } else { 0 };
                std::fs::set_permissions(
                    &dst,
                    std::fs::Permissions::from_mode((mode & 0o755) | 0o444 | exec),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether everyone may enter every folder above `path` and `path`.
    fn reachable_by_all(path: &Path) -> bool {
        path.ancestors().all(|a| {
            std::fs::metadata(a)
                .map(|m| m.mode() & 0o001 != 0)
                .unwrap_or(false)
        })
    }

    /// Into a folder on another filesystem (`/dev/shm`, a tmpfs) nothing
    /// can be hard-linked: the toolchain is then used in place exactly when
    /// the user can reach it, and otherwise refused with who could not run
    /// what (root's toolchain under `/root`, mode 0700, here).
    #[test]
    fn on_another_filesystem_the_toolchain_is_used_in_place_only_if_the_user_reaches_it() {
        const NAME: &str =
            "on_another_filesystem_the_toolchain_is_used_in_place_only_if_the_user_reaches_it";
        if !rustix::process::geteuid().is_root() {
            eprintln!("{NAME}: not root: no user to make");
            return;
        }
        let shm = Path::new("/dev/shm");
        let sysroot = sysroot().expect("the sysroot");
        let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if dev(shm).is_none() || dev(shm) == dev(&sysroot) {
            eprintln!("{NAME}: no other filesystem at /dev/shm here");
            return;
        }
        let dir = shm.join(format!("opsloop-toolchain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let made = {
            let Some(user) = TestUser::create(NAME, "l") else {
                let _ = std::fs::remove_dir_all(&dir);
                return;
            };
            UserToolchain::make(&user, &dir).map_err(|e| (e, user.name.clone()))
        };
        let _ = std::fs::remove_dir_all(&dir);
        let reachable = reachable_by_all(&sysroot) && reachable_by_all(&cargo_home());
        match made {
            Ok(t) => {
                assert!(reachable, "{t:?}");
                assert_eq!(t.reach, Reach::InPlace);
                assert_eq!(t.bin, sysroot.join("bin"));
            }
            Err((why, name)) => {
                eprintln!("{NAME}: refused: {why}");
                assert!(!reachable, "{why}");
                assert!(why.contains(&format!("as {name}")), "{why}");
            }
        }
    }
}

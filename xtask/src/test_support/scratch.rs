//! The scratch folders of the slow tests, and when they go.
//!
//! A slow test copies the course and builds it (a class graded, a module
//! broken on purpose, an autograder unpacked): each copy's build is 300 to
//! 600 MB, and a dozen of them fill a CI runner's disk before the suite ends.
//! So each test holds its folder in a [`Scratch`], dropped when the test
//! ends, however it ends (a failed assertion unwinds through it too):
//!
//! - [`Scratch::temporary`] removes the folder, always;
//! - [`Scratch::build_cache`] removes it too, unless a developer asks to
//!   keep it (`OPSLOOP_KEEP_SCRATCH=1`), so that the next run of the test
//!   rebuilds only what changed; under `CI=true` it goes regardless.

use std::path::PathBuf;

/// A test's scratch folder; see the module's doc for when it is removed.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Scratch {
    /// A folder removed when the test ends.
    pub fn temporary(path: PathBuf) -> Self {
        Self { path, keep: false }
    }

    /// A folder kept between runs as a build cache when
    /// `OPSLOOP_KEEP_SCRATCH=1` (never under `CI=true`), else removed.
    pub fn build_cache(path: PathBuf) -> Self {
        Self {
            path,
            keep: keep_asked() && !labkit::tools::required(),
        }
    }
}

/// Whether the developer asked to keep build caches (`OPSLOOP_KEEP_SCRATCH=1`).
fn keep_asked() -> bool {
    std::env::var("OPSLOOP_KEEP_SCRATCH").is_ok_and(|v| v == "1")
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_folder_is_gone_even_when_its_test_panics() {
        let dir = std::env::temp_dir().join(format!("scratch-unit-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("target/debug")).expect("scratch");
        std::fs::write(dir.join("target/debug/big"), b"x").expect("file");
        let held = dir.clone();
        let outcome = std::panic::catch_unwind(move || {
            let _scratch = Scratch::temporary(held);
            panic!("a failed assertion");
        });
        assert!(outcome.is_err());
        assert!(!dir.exists(), "{} is still there", dir.display());
    }

    #[test]
    fn a_build_cache_is_kept_only_when_asked_and_never_on_ci() {
        let dir = std::env::temp_dir().join(format!("scratch-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch");
        drop(Scratch::build_cache(dir.clone()));
        assert_eq!(dir.exists(), keep_asked() && !labkit::tools::required());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

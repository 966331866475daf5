//! The grader's own course, copied once per batch, where each submission's
//! learner files are put in turn (nbgrader's *autograde*: the instructor's
//! tests go back in before anything runs).
//!
//! Everything that judges — checks, reference snapshots, manifests,
//! `Cargo.toml`, lints, the tool — comes from the grader's checkout. Only
//! the learner files are written, and each is written fresh: cargo decides
//! what to rebuild by comparing timestamps, so a submitted file must never
//! keep its own (a hand-in unpacked with timestamps older than the last
//! build would otherwise be graded as the previous submission's binary).
//! One target directory beside the copy serves the whole batch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};

use super::submission::CourseView;

/// The scratch copy of the course.
#[derive(Debug)]
pub struct CourseCopy {
    /// Root of the copy (a workspace).
    pub root: PathBuf,
    /// The warm target directory every submission builds in.
    pub target: PathBuf,
}

impl CourseCopy {
    /// Brings `work/course` up to date with the grader's course: files that
    /// differ are rewritten, files the course no longer has are removed,
    /// the rest (and the target dir) are left warm.
    pub fn prepare(grader: &Path, work: &Path) -> Result<Self> {
        let root = work.join("course");
        let target = work.join("target");
        std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
        for item in crate::layout::COURSE_FILES {
            sync(&grader.join(item), &root.join(item))
                .with_context(|| format!("copying {item} into {}", root.display()))?;
        }
        Ok(Self { root, target })
    }

    /// Puts one submission's learner files in place: `files` maps each
    /// learner file to its text (the submission's, or the starter's where
    /// the submission's was not taken). Returns how many were rewritten.
    pub fn place(&self, files: &BTreeMap<String, String>) -> Result<usize> {
        let mut written = 0;
        let now = SystemTime::now();
        for (rel, text) in files {
            let path = self.root.join(rel);
            if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
                continue; // the same bytes: what is built is still right
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            // Fresh, whatever the submission's files said: see the module doc.
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(now))
                .with_context(|| format!("touching {}", path.display()))?;
            written += 1;
        }
        Ok(written)
    }

    /// Files of the copy, other than the learner files, that no longer
    /// match the grader's course: empty unless something wrote where no
    /// submission may.
    pub fn drift(&self, course: &CourseView) -> Vec<String> {
        let mut out = Vec::new();
        for (rel, want) in &course.digests {
            let got = std::fs::read(self.root.join(rel))
                .map(|b| labkit::digest::sha256_hex(&b))
                .unwrap_or_default();
            if &got != want {
                out.push(rel.clone());
            }
        }
        out
    }
}

/// Makes `to` hold what `from` holds (no `target` folders, no symlinks).
fn sync(from: &Path, to: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(from) {
        Ok(m) => m,
        Err(_) => {
            remove(to);
            return Ok(());
        }
    };
    if meta.is_dir() {
        if to.is_file() {
            remove(to);
        }
        std::fs::create_dir_all(to)?;
        let mut keep = Vec::new();
        for e in std::fs::read_dir(from)? {
            let e = e?;
            let name = e.file_name();
            if name == "target" {
                continue;
            }
            sync(&e.path(), &to.join(&name))?;
            keep.push(name);
        }
        for e in std::fs::read_dir(to)? {
            let e = e?;
            if !keep.contains(&e.file_name()) {
                remove(&e.path());
            }
        }
    } else if meta.is_file() {
        if to.is_dir() {
            remove(to);
        }
        let same = std::fs::read(to).ok() == Some(std::fs::read(from)?);
        if !same {
            std::fs::copy(from, to)?;
        }
    }
    Ok(())
}

fn remove(p: &Path) {
    if p.is_dir() {
        let _ = std::fs::remove_dir_all(p);
    } else {
        let _ = std::fs::remove_file(p);
    }
}

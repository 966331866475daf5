//! The shape every module crate must keep so that a learner's editor
//! understands the learner's files (see `docs/authoring.md`): the crate root
//! is a shim beside the starters, and learner files are included with
//! `#[cfg]`-selected `#[path]` modules, never `#[cfg_attr(…, path = …)]`,
//! which rust-analyzer does not follow. And what a copy of the course is
//! made of ([`COURSE_FILES`]): the grader's own copy, the copy a submission
//! is compared with, and every scratch copy the tool makes.

use std::path::Path;

use anyhow::{Context, Result};

use crate::modules::MODULES;

/// What a working copy of the course is made of: what the grader copies
/// into its own course, what a scratch copy (benchmarks, the book, the
/// tool's own tests) holds, and what `grade` compares a submission with.
pub const COURSE_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "ARCHITECTURE.md",
    "docs",
    ".ci",
    ".github",
    ".cargo",
    "clippy.toml",
    "crates",
    "starters",
    "solutions",
    "labs",
    "xtask",
];

/// Copies the course at `root` to `to`: every item of [`COURSE_FILES`]
/// that exists, without build output.
pub fn copy_course(root: &Path, to: &Path) -> Result<()> {
    for item in COURSE_FILES {
        let from = root.join(item);
        if from.exists() {
            copy_tree(&from, &to.join(item))?;
        }
    }
    Ok(())
}

/// Copies a file or a folder (without any `target` folder inside it).
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for e in std::fs::read_dir(from)? {
            let e = e?;
            if e.file_name() == "target" {
                continue;
            }
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        }
    } else {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    }
    Ok(())
}

/// Every way the module crates under `root` depart from that shape.
pub fn problems(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for m in MODULES {
        for u in m.units {
            let manifest = format!("crates/{}/Cargo.toml", u.package);
            let Ok(toml) = std::fs::read_to_string(root.join(&manifest)) else {
                continue; // a crate not on disk is a different, louder failure
            };
            let want = format!("path = \"../../{}/lib.rs\"", u.starters);
            if !toml.lines().any(|l| l.trim() == want) {
                out.push(format!(
                    "{manifest}: [lib] path must be \"../../{}/lib.rs\"",
                    u.starters
                ));
            }
            let shim = format!("{}/lib.rs", u.starters);
            if !root.join(&shim).exists() {
                out.push(format!("{shim} is missing (the crate root shim)"));
            }
            // A crate with a port (learner steps as a table) is built with
            // it in lab builds, and only then: the two go together.
            let port = root.join(format!("crates/{}/src/port.rs", u.package));
            let feature = format!("{}/external-steps", u.package);
            let listed = m.lab_features.contains(&feature.as_str());
            if port.exists() != listed {
                out.push(format!(
                    "crates/{}: a src/port.rs and the lab feature `{feature}` in xtask/src/modules.rs go together",
                    u.package
                ));
            }
            let lib = format!("crates/{}/src/lib.rs", u.package);
            let text = std::fs::read_to_string(root.join(&lib)).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.contains("cfg_attr(") && line.contains("path =") {
                    out.push(format!(
                        "{lib}:{}: a cfg_attr path; rust-analyzer cannot follow it, use a #[cfg] + #[path] pair",
                        i + 1
                    ));
                }
            }
        }
    }
    out
}

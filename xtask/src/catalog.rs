//! The course's check catalogue and integrity manifest, both committed under
//! `labs/` and kept current by `cargo xtask catalog` (verify fails when they
//! are stale).
//!
//! - `labs/catalog.json` lists every check of every module as its binary
//!   reports it. The tool falls back on it to name the checks of a module that
//!   does not compile, so a grader still sees what each is worth.
//! - `labs/integrity.sha256` holds the SHA-256 of every file that judges or
//!   wires a learner's work (the module crates with their checks and reference
//!   snapshots, the crate-root shims, the workspace manifest, the catalogue).
//!   `cargo xtask check` reports any that differ, so a grader can tell if a
//!   learner edited anything but their own step files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use labkit::check::CheckInfo;
use labkit::digest::sha256_hex;

pub const CATALOG: &str = "labs/catalog.json";
pub const MANIFEST: &str = "labs/integrity.sha256";

/// Check binary name → its checks.
pub type Catalog = BTreeMap<String, Vec<CheckInfo>>;

/// The committed catalogue.
///
/// A missing file, or one of another shape (written by an older tool, or
/// hand-edited), is an error that says to run `cargo xtask catalog`: read
/// as empty, it would make every learner file unknown, and a grading run
/// or a snapshot test would go on with no steps to judge.
pub fn load(root: &Path) -> Result<Catalog> {
    let path = root.join(CATALOG);
    let text = fs::read_to_string(&path)
        .with_context(|| format!("reading {CATALOG}: run `cargo xtask catalog` to write it"))?;
    serde_json::from_str(&text).with_context(|| {
        format!("{CATALOG} is not a catalogue this tool reads: run `cargo xtask catalog`")
    })
}

/// The catalogue's text for a set of lists.
pub fn catalog_text(catalog: &Catalog) -> Result<String> {
    Ok(serde_json::to_string_pretty(catalog)? + "\n")
}

/// The files the manifest covers: everything that judges or wires a
/// learner's work — the module crates (checks, scaffolding, reference
/// snapshots, manifests), the crate-root shims in `starters/`, the workspace
/// manifest and the check catalogue. A learner edits only their step files.
pub fn judged_files(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    walk(&root.join("crates"), &mut out)?;
    for m in crate::modules::MODULES {
        for u in m.units {
            out.push(root.join(u.starters).join("lib.rs"));
        }
    }
    for f in ["Cargo.toml", ".cargo/config.toml", CATALOG] {
        out.push(root.join(f));
    }
    let mut rel: Vec<String> = out
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.ends_with(".snap.new") && !p.ends_with(".pending-snap"))
        .collect();
    rel.sort();
    rel.dedup();
    Ok(rel)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Ok(());
    };
    for e in rd {
        let p = e?.path();
        if p.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// The manifest's text for the files as they are now.
pub fn manifest_text(root: &Path) -> Result<String> {
    let mut s = String::from(
        "# SHA-256 of every file that judges or wires a learner's work; a learner edits none of them.\n\
         # Written by `cargo xtask catalog`; `cargo xtask check` reports files that differ.\n",
    );
    for f in judged_files(root)? {
        let bytes = fs::read(root.join(&f)).with_context(|| format!("reading {f}"))?;
        s.push_str(&format!("{}  {f}\n", sha256_hex(&bytes)));
    }
    Ok(s)
}

/// What differs from the committed manifest.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Integrity {
    /// SHA-256 of the committed manifest itself, to compare with the
    /// course's published one.
    pub manifest_sha256: String,
    pub modified: Vec<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
}

impl Integrity {
    pub fn clean(&self) -> bool {
        self.modified.is_empty() && self.missing.is_empty() && self.added.is_empty()
    }
}

/// Compares the judged files with the committed manifest.
pub fn integrity(root: &Path) -> Result<Integrity> {
    let committed = fs::read_to_string(root.join(MANIFEST)).unwrap_or_default();
    let want: BTreeMap<&str, &str> = committed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p, h))
        .collect();
    let mut out = Integrity {
        manifest_sha256: sha256_hex(committed.as_bytes()),
        ..Default::default()
    };
    let files = judged_files(root)?;
    for f in &files {
        match want.get(f.as_str()) {
            None => out.added.push(f.clone()),
            Some(h) => {
                let bytes = fs::read(root.join(f))?;
                if sha256_hex(&bytes) != *h {
                    out.modified.push(f.clone());
                }
            }
        }
    }
    for p in want.keys() {
        if !files.iter().any(|f| f == p) {
            out.missing.push(p.to_string());
        }
    }
    Ok(out)
}

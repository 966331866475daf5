//! Regrades in place, and shards joined into one class.
//!
//! Each learner's folder in a batch's output holds, beside `results.json`
//! and `feedback.md`, a `graded.json`: the whole graded submission as the
//! grader needs it again (scores, verdicts, flags and the winnowed
//! fingerprints of the learner's own code). With it:
//!
//! - grading some learners into an existing `--out` replaces exactly their
//!   records; `gradebook.csv` and `class.html` are redrawn from every
//!   record there, and similarity is measured again across all of them;
//! - `cargo xtask gradebook merge` joins shards graded apart (each its own
//!   `--out`) into the class as if it had been graded at once: a copied
//!   pair split across two shards is flagged, and the class report covers
//!   everyone.
//!
//! A record is only read back by the same course tool: one whose module
//! the course no longer has is an error naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use labkit::check::CheckInfo;
use labkit::stall::Stall;
use serde::{Deserialize, Serialize};

use super::containment::Containment;
use super::flags::Flag;
use super::provenance::Provenance;
use super::{FileRecord, Graded, Status};
use crate::cargo::{CompileError, Variant};
use crate::catalog::Integrity;
use crate::lab::{CheckRun, ModuleRun};
use crate::modules::MODULES;
use crate::runner::Verdict;

/// The record's name in each learner's folder.
pub const FILE: &str = "graded.json";
/// The record's format; a change that old records cannot be read as bumps it.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    version: u32,
    id: String,
    source: String,
    provenance: Provenance,
    status: Status,
    reason: Option<String>,
    runs: Vec<RunRecord>,
    files: Vec<FileRecord>,
    ignored: Vec<String>,
    ignored_docs: Vec<String>,
    flags: Vec<Flag>,
    fingerprints: BTreeMap<String, BTreeSet<u64>>,
    /// The course's integrity when this submission was graded.
    integrity: Integrity,
    /// How its checks were contained.
    #[serde(default)]
    sandbox: Option<Containment>,
}

#[derive(Debug, Serialize, Deserialize)]
struct RunRecord {
    module: String,
    checks: Vec<CheckRecord>,
    compile_error: Option<(String, String)>,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CheckRecord {
    bin: String,
    info: CheckInfo,
    outcome: labkit::check::Outcome,
    message: Option<String>,
    output: String,
    stall: Option<Stall>,
}

impl Record {
    fn of(g: &Graded, integrity: &Integrity) -> Self {
        Self {
            version: VERSION,
            id: g.id.clone(),
            source: g.source.clone(),
            provenance: g.provenance.clone(),
            status: g.status,
            reason: g.reason.clone(),
            runs: g
                .runs
                .iter()
                .map(|r| RunRecord {
                    module: r.module.name.to_string(),
                    checks: r
                        .checks
                        .iter()
                        .map(|c| CheckRecord {
                            bin: c.bin.to_string(),
                            info: c.info.clone(),
                            outcome: c.verdict.outcome,
                            message: c.verdict.message.clone(),
                            output: c.verdict.output.clone(),
                            stall: c.verdict.stall.clone(),
                        })
                        .collect(),
                    compile_error: r
                        .compile_error
                        .as_ref()
                        .map(|e| (e.first.clone(), e.rendered.clone())),
                    warnings: r.warnings.clone(),
                })
                .collect(),
            files: g.files.clone(),
            ignored: g.ignored.clone(),
            ignored_docs: g.ignored_docs.clone(),
            flags: g.flags.clone(),
            fingerprints: g.fingerprints.clone(),
            integrity: integrity.clone(),
            sandbox: g.sandbox.clone(),
        }
    }

    fn into_graded(self, file: &Path) -> Result<(Graded, Integrity)> {
        if self.version != VERSION {
            bail!(
                "{}: record version {}, this tool reads {VERSION}",
                file.display(),
                self.version
            );
        }
        let mut runs = Vec::new();
        for r in self.runs {
            let Some(module) = MODULES.iter().find(|m| m.name == r.module) else {
                bail!(
                    "{}: module `{}` is not in this course",
                    file.display(),
                    r.module
                );
            };
            let mut checks = Vec::new();
            for c in r.checks {
                let Some(bin) = module.units.iter().map(|u| u.bin).find(|b| *b == c.bin) else {
                    bail!(
                        "{}: check binary `{}` is not in module {}",
                        file.display(),
                        c.bin,
                        module.name
                    );
                };
                checks.push(CheckRun {
                    bin,
                    info: c.info,
                    verdict: Verdict {
                        outcome: c.outcome,
                        message: c.message,
                        output: c.output,
                        stall: c.stall,
                    },
                });
            }
            runs.push(ModuleRun {
                module,
                variant: Variant::Starter,
                checks,
                compile_error: r
                    .compile_error
                    .map(|(first, rendered)| CompileError { first, rendered }),
                warnings: r.warnings,
            });
        }
        let g = Graded {
            id: self.id,
            source: self.source,
            provenance: self.provenance,
            status: self.status,
            reason: self.reason,
            runs,
            files: self.files,
            ignored: self.ignored,
            ignored_docs: self.ignored_docs,
            flags: self.flags,
            fingerprints: self.fingerprints,
            seconds: 0.0,
            sandbox: self.sandbox,
        };
        Ok((g, self.integrity))
    }
}

/// Every record under `dir` (one level: `dir/*/graded.json`), in id order;
/// a record that cannot be read is an error naming its file.
pub fn load(dir: &Path) -> Result<Vec<(Graded, Integrity)>> {
    let (records, problems) = load_lenient(dir);
    if let Some(p) = problems.into_iter().next() {
        bail!("{p}");
    }
    Ok(records)
}

/// Every record under `dir` that can be read, and one line per record
/// that cannot.
fn load_lenient(dir: &Path) -> (Vec<(Graded, Integrity)>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (out, problems);
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path().join(FILE))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for f in files {
        let read = std::fs::read_to_string(&f)
            .with_context(|| format!("reading {}", f.display()))
            .and_then(|text| {
                serde_json::from_str::<Record>(&text)
                    .with_context(|| format!("{}: not a grading record", f.display()))
            })
            .and_then(|r| r.into_graded(&f));
        match read {
            Ok(g) => out.push(g),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    out.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    (out, problems)
}

/// Similarity measured again over `class`: old `similar` flags dropped,
/// pairs flagged across everyone.
fn reflag(class: &mut [Graded]) {
    for g in class.iter_mut() {
        g.flags.retain(|f| !matches!(f, Flag::Similar { .. }));
    }
    super::flag_similar(class);
}

/// Writes one learner's outputs and record.
fn write_learner(out: &Path, g: &Graded, integrity: &Integrity) -> Result<()> {
    let dir = super::write_learner(out, g, integrity)?;
    let record = serde_json::to_string(&Record::of(g, integrity))?;
    std::fs::write(dir.join(FILE), record + "\n")
        .with_context(|| format!("writing {}", dir.join(FILE).display()))
}

/// Writes `graded` (just graded) into `out`, where earlier results may be:
/// the records of the same ids are replaced, the others kept; similarity
/// is measured across all; the class's `gradebook.csv` and `class.html`
/// are drawn from all. Returns `graded` with its flags as written.
pub fn write_in_place(
    out: &Path,
    graded: Vec<Graded>,
    integrity: &Integrity,
) -> Result<Vec<Graded>> {
    let fresh: BTreeSet<String> = graded.iter().map(|g| g.id.clone()).collect();
    // A record that cannot be read is said and left out: what was just
    // graded is written whatever earlier runs left.
    let (earlier, problems) = load_lenient(out);
    for p in problems {
        println!("earlier result not kept: {p}");
    }
    let kept: Vec<(Graded, Integrity)> = earlier
        .into_iter()
        .filter(|(g, _)| !fresh.contains(&g.id))
        .collect();
    if !kept.is_empty() {
        println!(
            "kept {} earlier result(s) in {} beside the {} just graded (a regrade in place; \
             a new class wants a fresh --out)",
            kept.len(),
            out.display(),
            graded.len()
        );
    }
    let n = graded.len();
    let mut class: Vec<(Graded, Integrity)> = graded
        .into_iter()
        .map(|g| (g, integrity.clone()))
        .chain(kept)
        .collect();
    let before: Vec<Vec<Flag>> = class.iter().map(|(g, _)| g.flags.clone()).collect();
    let mut all: Vec<Graded> = class.iter().map(|(g, _)| g.clone()).collect();
    reflag(&mut all);
    for (i, g) in all.iter().enumerate() {
        class[i].0.flags = g.flags.clone();
        // The just graded, and a kept learner whose similar flags changed.
        if i < n || before[i] != g.flags {
            write_learner(out, g, &class[i].1)?;
        }
    }
    super::write_class(out, &all)?;
    Ok(class.into_iter().take(n).map(|(g, _)| g).collect())
}

/// Joins the output folders of shards into `out`: every learner once
/// (an id in two shards is an error naming both), similarity measured
/// across the whole class, the class's gradebook and report drawn from
/// all. Returns the class, in id order.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<Vec<Graded>> {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut class = Vec::new();
    for dir in shards {
        let records = load(dir)?;
        if records.is_empty() {
            bail!(
                "{}: no {FILE} records (graded by an older tool, or not a shard's output folder)",
                dir.display()
            );
        }
        for (g, integrity) in records {
            if let Some(other) = seen.get(&g.id) {
                bail!(
                    "submission `{}` is in both {} and {}",
                    g.id,
                    other.display(),
                    dir.display()
                );
            }
            seen.insert(g.id.clone(), dir.clone());
            class.push((g, integrity));
        }
    }
    class.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut all: Vec<Graded> = class.iter().map(|(g, _)| g.clone()).collect();
    reflag(&mut all);
    for (g, (_, integrity)) in all.iter().zip(&class) {
        write_learner(out, g, integrity)?;
    }
    super::write_class(out, &all)?;
    Ok(all)
}

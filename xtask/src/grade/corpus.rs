//! A class of synthetic submissions made from the course itself: what the
//! grader's own tests grade (against a golden gradebook) and what
//! `cargo xtask bench grade` times.
//!
//! Every kind of learner and every attack the grader defends against is
//! here: the reference, the untouched starter, each step done alone, a
//! compile error, an endless loop, a check process that leaves a sleeper
//! behind, a memory bomb, a fork bomb, a forged verdict and a printed one,
//! checks rewritten to pass with a regenerated manifest, a copied
//! reference, two near-identical learners, a symlink, a huge file, a file
//! that is not UTF-8, timestamps older than the last build, a hand-in
//! without `starters/`, an empty folder, a missing file, a change outside
//! the learner's files, and the grader's own checkout.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use super::learner_files;
use crate::starters;

/// One learner step: the file that holds it and its marker's name.
#[derive(Debug, Clone)]
pub struct Step {
    pub file: String,
    pub name: String,
}

/// Every learner step of the course, in file order.
pub fn steps(root: &Path) -> Result<Vec<Step>> {
    let mut out = Vec::new();
    for file in learner_files(root)? {
        let sol = std::fs::read_to_string(root.join(super::solution_of(&file)))
            .with_context(|| format!("reading the reference of {file}"))?;
        for line in sol.lines() {
            let Some(rest) = line.trim_start().strip_prefix("// BEGIN SOLUTION ") else {
                continue;
            };
            if let Some((name, _)) = rest.split_once(':') {
                out.push(Step {
                    file: file.clone(),
                    name: name.trim().to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// Each learner step with the name of the corpus's hand-in that writes it
/// alone (`b01-sli`, `b02-burn_rate`…), numbered in file order: a step
/// added or given renumbers the ones after it.
pub fn step_hand_ins(root: &Path) -> Result<Vec<(Step, String)>> {
    let mut steps = steps(root)?;
    steps.dedup_by(|a, b| a.file == b.file && a.name == b.name);
    Ok(steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let name = format!("b{:02}-{}", i + 1, step.name.replace("::", "-"));
            (step, name)
        })
        .collect())
}

/// How the golden gradebook's class is graded, by root and by an ordinary
/// user alike: the corpus's `entries` (relative to `here`), contained
/// (never `--unconfined`), four seconds a check (the endless loop and the
/// sleepers time out quickly; everything else ends well within it).
#[cfg(test)]
pub fn golden_batch(entries: &[String], here: &Path, out: &Path, work: &Path) -> super::Batch {
    super::Batch {
        submissions: entries
            .iter()
            .map(|e| super::Entry::parse(e, here))
            .collect(),
        rev: None,
        before: None,
        out: out.to_path_buf(),
        work: work.to_path_buf(),
        shard: None,
        limits: crate::runner::Limits {
            timeout: Duration::from_secs(4),
            ..crate::runner::Limits::default()
        },
        unconfined: false,
    }
}

/// Builds submissions from the course at `root`.
struct Maker<'a> {
    root: &'a Path,
    dir: PathBuf,
    made: Vec<PathBuf>,
}

impl Maker<'_> {
    /// A fresh submission folder holding a copy of the course's `starters/`.
    fn hand_in(&mut self, name: &str) -> Result<PathBuf> {
        let sub = self.dir.join(name);
        crate::layout::copy_tree(&self.root.join("starters"), &sub.join("starters"))?;
        self.made.push(sub.clone());
        Ok(sub)
    }

    /// A fresh submission folder holding a whole copy of the course.
    fn clone_of_course(&mut self, name: &str) -> Result<PathBuf> {
        let sub = self.dir.join(name);
        crate::layout::copy_course(self.root, &sub)?;
        self.made.push(sub.clone());
        Ok(sub)
    }

    fn reference(&self, file: &str) -> Result<String> {
        std::fs::read_to_string(self.root.join(super::solution_of(file)))
            .with_context(|| format!("reading the reference of {file}"))
    }

    fn starter(&self, file: &str) -> Result<String> {
        std::fs::read_to_string(self.root.join(file)).with_context(|| format!("reading {file}"))
    }

    /// Puts the reference of every learner file into `sub`.
    fn all_reference(&self, sub: &Path) -> Result<()> {
        for f in learner_files(self.root)? {
            write(sub, &f, &self.reference(&f)?)?;
        }
        Ok(())
    }
}

fn write(sub: &Path, file: &str, text: &str) -> Result<()> {
    let p = sub.join(file);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))
}

/// `text` with `code` put first in the body of `fn name(`.
pub(super) fn at_start_of(text: &str, name: &str, code: &str) -> String {
    let Some(at) = text.find(&format!("fn {name}(")) else {
        return text.to_string();
    };
    let Some(open) = text[at..].find("{\n") else {
        return text.to_string();
    };
    let cut = at + open + 2;
    format!("{}{code}\n{}", &text[..cut], &text[cut..])
}

const BUDGET: &str = "starters/m31/budget.rs";

/// What a learner puts first in `sli` to attack the grader, by name.
const ATTACKS: &[(&str, &str, bool)] = &[
    // (name, code, on the reference rather than the starter)
    ("endless-loop", "    loop { std::hint::black_box(0u8); }", false),
    (
        "sleeper",
        "    let _ = std::process::Command::new(\"sleep\").arg(\"120\").spawn();\n    loop { std::hint::black_box(0u8); }",
        false,
    ),
    (
        "memory-bomb",
        "    let mut hoard: Vec<Vec<u8>> = Vec::new();\n    loop { hoard.push(Vec::with_capacity(256 << 20)); std::hint::black_box(&hoard); }",
        false,
    ),
    (
        "fork-bomb",
        "    loop { let _ = std::process::Command::new(\"sleep\").arg(\"100000\").spawn(); }",
        false,
    ),
    (
        "forged-verdict",
        "    if let Some(path) = std::env::var_os(\"LABKIT_RESULT\") {\n        let _ = std::fs::write(path, r#\"{\"outcome\":\"pass\",\"message\":null}\"#);\n    }\n    std::process::exit(0);",
        false,
    ),
    (
        "printed-verdict",
        "    println!(r#\"{{\"outcome\":\"pass\",\"message\":null}}\"#);",
        true,
    ),
];

/// Writes the corpus into `dir` (emptied first) and returns the
/// submissions as `cargo xtask grade` takes them (`id=path`), in id order.
pub fn build(root: &Path, dir: &Path) -> Result<Vec<String>> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let mut m = Maker {
        root,
        dir: dir.to_path_buf(),
        made: Vec::new(),
    };
    let files = learner_files(root)?;

    let sub = m.hand_in("a01-reference")?;
    m.all_reference(&sub)?;
    m.hand_in("a02-untouched")?;
    // Older than anything built so far, and the reference's content: cargo
    // would call the previous build fresh if the grader kept these times.
    let sub = m.hand_in("a03-old-timestamps")?;
    m.all_reference(&sub)?;
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for f in &files {
        std::fs::File::options()
            .write(true)
            .open(sub.join(f))
            .and_then(|h| h.set_modified(old))?;
    }

    for (step, name) in step_hand_ins(root)? {
        let step = &step;
        let sub = m.hand_in(&name)?;
        let done =
            starters::with_steps_done(&step.file, &m.reference(&step.file)?, &|s| s == step.name)?;
        write(&sub, &step.file, &done)?;
    }

    let sub = m.hand_in("c01-compile-error")?;
    let f = "starters/m32/triage.rs";
    write(
        &sub,
        f,
        &format!(
            "{}\npub fn broken_on_purpose() -> u8 {{\n    \"not a number\"\n}}\n",
            m.reference(f)?
        ),
    )?;
    for (i, (name, code, on_reference)) in ATTACKS.iter().enumerate() {
        let sub = m.hand_in(&format!("c{:02}-{name}", i + 2))?;
        let base = if *on_reference {
            m.reference(BUDGET)?
        } else {
            m.starter(BUDGET)?
        };
        write(&sub, BUDGET, &at_start_of(&base, "sli", code))?;
    }

    // The checks rewritten to pass anything, and the manifest regenerated
    // to match, as `cargo xtask catalog` would.
    let sub = m.clone_of_course("d01-tampered-checks")?;
    let checks = sub.join("crates/incident/src/checks.rs");
    let text = std::fs::read_to_string(&checks)?;
    let rewritten: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("run: ") && t.ends_with(',') {
                format!("{}run: || Ok(()),", &l[..l.len() - t.len()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&checks, rewritten + "\n")?;
    std::fs::write(
        sub.join(crate::catalog::MANIFEST),
        crate::catalog::manifest_text(&sub)?,
    )?;

    // The reference again, comments reworded and layout changed.
    let sub = m.hand_in("d02-copied-reference")?;
    for f in &files {
        let disguised: String = m
            .reference(f)?
            .lines()
            .map(|l| {
                let t = l.trim_start();
                let indent = (l.len() - t.len()) / 4;
                let t = if let Some(c) = t.strip_prefix("//") {
                    format!("// mine:{c}")
                } else {
                    t.to_string()
                };
                format!("{}{t}\n\n", "\t".repeat(indent))
            })
            .collect();
        write(&sub, f, &disguised)?;
    }

    // Two learners with the same M31 code but for a name and a comment.
    for (name, var, note) in [
        ("d03-near-identical-a", "_mine", "// worked this out myself"),
        ("d04-near-identical-b", "_ours", "// we did this together"),
    ] {
        let sub = m.hand_in(name)?;
        for f in files.iter().filter(|f| f.starts_with("starters/m31/")) {
            let text: String = m
                .reference(f)?
                .lines()
                .map(|l| {
                    if l.trim_start().starts_with("// BEGIN SOLUTION") {
                        let indent = &l[..l.len() - l.trim_start().len()];
                        format!("{l}\n{indent}{note}\n{indent}let {var} = 0;\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            write(&sub, f, &text)?;
        }
    }

    let sub = m.hand_in("e01-symlink")?;
    m.all_reference(&sub)?;
    let _ = std::fs::remove_file(sub.join(BUDGET));
    std::os::unix::fs::symlink(root.join(super::solution_of(BUDGET)), sub.join(BUDGET))?;

    let sub = m.hand_in("e02-huge-file")?;
    m.all_reference(&sub)?;
    let f = "starters/m31/paging.rs";
    let padding = "// padding\n".repeat(200_000);
    write(&sub, f, &format!("{}{padding}", m.reference(f)?))?;

    let sub = m.hand_in("e03-not-utf8")?;
    m.all_reference(&sub)?;
    let f = "starters/m32/correlation.rs";
    let mut bytes = m.reference(f)?.into_bytes();
    bytes.extend_from_slice(b"\n// \xff\xfe\n");
    std::fs::write(sub.join(f), bytes)?;

    let sub = m.hand_in("e04-missing-file")?;
    m.all_reference(&sub)?;
    std::fs::remove_file(sub.join("starters/m33/release/gate.rs"))?;

    let sub = dir.join("e05-no-starters");
    std::fs::create_dir_all(&sub)?;
    std::fs::write(sub.join("README.md"), "my lab, somewhere else\n")?;
    m.made.push(sub);

    let sub = dir.join("e06-empty");
    std::fs::create_dir_all(&sub)?;
    m.made.push(sub);

    let sub = m.clone_of_course("e07-changed-outside")?;
    m.all_reference(&sub)?;
    std::fs::write(sub.join("labs/m31/README.md"), "rewritten\n")?;
    std::fs::write(sub.join("crates/incident/src/extra.rs"), "// mine\n")?;

    let mut out: Vec<String> = m.made.iter().map(|p| p.display().to_string()).collect();
    // The grader's own checkout, under a fixed id so the gradebook does not
    // depend on where the course is cloned.
    out.push(format!("e08-own-checkout={}", root.display()));
    out.sort();
    Ok(out)
}

//! `cargo xtask starters`: generate the learner's files from the reference.
//!
//! Each solution file marks the learner's part of it:
//!
//! ```text
//!     // BEGIN SOLUTION burn_rate: divide the observed error ratio by the error budget
//!     error_ratio / (1.0 - slo_target)
//!     // END SOLUTION
//! ```
//!
//! The starter gets `todo!("burn_rate: divide …")` at the marker's
//! indentation instead: `todo!("…");` with a semicolon when given code
//! follows the region in the same block (the learner's part sits between
//! given lines), and without one when the region ends its block (it is the
//! block's value). `// BEGIN SOLUTION ONLY` removes a region without a
//! `todo!`. Staff never edit a starter by hand; `--check` proves the
//! committed starters are exactly what this generator makes.
//!
//! A learner's work is never lost: `starters/.generated` records the hash of
//! every file as last generated, and a file whose content no longer matches
//! it (the learner edited it) is not overwritten unless `--force` is given.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use labkit::digest::sha256_hex;

/// The file recording what the generator last wrote.
pub const RECORD: &str = "starters/.generated";

const BEGIN: &str = "// BEGIN SOLUTION";
const END: &str = "// END SOLUTION";

/// Turns one solution file into its starter. `name` is used in errors.
pub fn transform(name: &str, source: &str) -> Result<String> {
    transform_with(name, source, &|_| false, false)
}

/// The starter with the steps for which `done` holds left as the
/// reference wrote them (and every `ONLY` region kept, as a learner who
/// wrote those helpers would have): a learner who has done just those
/// steps. The grader's own tests build submissions with it.
pub fn with_steps_done(name: &str, source: &str, done: &dyn Fn(&str) -> bool) -> Result<String> {
    transform_with(name, source, done, true)
}

fn transform_with(
    name: &str,
    source: &str,
    done: &dyn Fn(&str) -> bool,
    keep_only: bool,
) -> Result<String> {
    let mut out = String::with_capacity(source.len());
    let mut region: Option<usize> = None; // line number where the open region began
    let mut keep = false; // whether the open region's lines are kept
    let lines: Vec<&str> = source.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        let lineno = i + 1;
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(BEGIN) {
            if let Some(open) = region {
                bail!("{name}:{lineno}: a region opens inside the region begun at line {open}");
            }
            region = Some(lineno);
            let rest = rest.trim();
            if rest == "ONLY" {
                keep = keep_only;
                continue;
            }
            let Some((step, what)) = rest.split_once(':') else {
                bail!("{name}:{lineno}: expected `{BEGIN} <step>: <what to do>` or `{BEGIN} ONLY`");
            };
            let (step, what) = (step.trim(), what.trim());
            if step.is_empty() || what.is_empty() {
                bail!("{name}:{lineno}: the marker needs a step name and what to do");
            }
            keep = done(step);
            if keep {
                continue;
            }
            let indent = &line[..line.len() - trimmed.len()];
            let message = format!("{step}: {what}")
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('{', "{{")
                .replace('}', "}}");
            let end = if given_code_follows(&lines[i + 1..]) {
                ";"
            } else {
                ""
            };
            out.push_str(&format!("{indent}todo!(\"{message}\"){end}\n"));
        } else if trimmed.starts_with(END) {
            if region.take().is_none() {
                bail!("{name}:{lineno}: `{END}` without a region to close");
            }
        } else if region.is_none() || keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(open) = region {
        bail!("{name}:{open}: this region is never closed with `{END}`");
    }
    Ok(out)
}

/// Whether code follows the region that starts `rest` (the lines after its
/// marker) in the same block: the first line after its `END` that is neither
/// blank nor a comment is not a closing brace.
fn given_code_follows(rest: &[&str]) -> bool {
    let Some(end) = rest.iter().position(|l| l.trim_start().starts_with(END)) else {
        return false;
    };
    rest[end + 1..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .is_some_and(|l| !l.starts_with('}'))
}

/// Every starter file the generator makes, keyed by its path under `root`.
pub fn generate(root: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut files = Vec::new();
    collect(&root.join("solutions"), &mut files)?;
    files.sort();
    let mut out = BTreeMap::new();
    for path in files {
        let rel = path
            .strip_prefix(root.join("solutions"))
            .context("solution path outside solutions/")?;
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = format!("solutions/{}", rel.display());
        out.insert(Path::new("starters").join(rel), transform(&name, &text)?);
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The record file's text for a set of generated files.
pub fn record_text(files: &BTreeMap<PathBuf, String>) -> String {
    let mut s = String::from(
        "# Written by `cargo xtask starters`: the SHA-256 of each starter as generated.\n\
         # A starter whose content differs from its line here holds a learner's work.\n",
    );
    for (path, text) in files {
        s.push_str(&format!(
            "{}  {}\n",
            sha256_hex(text.as_bytes()),
            unix(path)
        ));
    }
    s
}

fn unix(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_record(root: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(root.join(RECORD)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect()
}

/// Differences between the committed starters and what the generator makes.
pub fn drift(root: &Path) -> Result<Vec<String>> {
    let files = generate(root)?;
    let mut problems = Vec::new();
    for (path, want) in &files {
        let have = fs::read_to_string(root.join(path)).unwrap_or_default();
        if &have != want {
            problems.push(format!(
                "{} differs from what the generator makes:\n{}",
                unix(path),
                labkit::diff::diff_lines(want, &have, 2)
            ));
        }
    }
    let record = fs::read_to_string(root.join(RECORD)).unwrap_or_default();
    if record != record_text(&files) {
        problems.push(format!("{RECORD} is out of date"));
    }
    Ok(problems)
}

/// What `cargo xtask starters` did.
#[derive(Debug, Default)]
pub struct Written {
    pub written: Vec<String>,
    pub unchanged: usize,
}

/// Writes the starters. Files holding a learner's edits are refused (the
/// error lists them) unless `force`.
pub fn write(root: &Path, force: bool) -> Result<Written> {
    let files = generate(root)?;
    let record = read_record(root);
    let mut edited = Vec::new();
    for (path, want) in &files {
        let key = unix(path);
        let Ok(have) = fs::read_to_string(root.join(path)) else {
            continue; // missing: nothing to lose
        };
        if &have == want {
            continue;
        }
        let as_generated = record
            .get(&key)
            .is_some_and(|h| *h == sha256_hex(have.as_bytes()));
        if !as_generated {
            edited.push(key);
        }
    }
    if !edited.is_empty() && !force {
        bail!(
            "refusing to overwrite starters that hold edits (a learner's work?):\n  {}\n\
             nothing was written; re-run with --force to discard those edits",
            edited.join("\n  ")
        );
    }
    let mut done = Written::default();
    for (path, want) in &files {
        let full = root.join(path);
        if fs::read_to_string(&full).ok().as_deref() == Some(want.as_str()) {
            done.unchanged += 1;
            continue;
        }
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&full, want).with_context(|| format!("writing {}", full.display()))?;
        done.written.push(unix(path));
    }
    fs::write(root.join(RECORD), record_text(&files))?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_become_todos_at_their_indentation() {
        let src = "fn f(x: u8) -> u8 {\n    // BEGIN SOLUTION f: double it, keep {x}\n    x * 2\n    // END SOLUTION\n}\n";
        assert_eq!(
            transform("s.rs", src).unwrap(),
            "fn f(x: u8) -> u8 {\n    todo!(\"f: double it, keep {{x}}\")\n}\n"
        );
    }

    #[test]
    fn a_region_between_given_lines_becomes_a_statement() {
        let src = "fn f(v: &mut Vec<u8>) -> usize {\n    v.push(1);\n    // BEGIN SOLUTION f: push two\n    v.push(2);\n    // END SOLUTION\n    // given\n    v.len()\n}\n";
        assert_eq!(
            transform("s.rs", src).unwrap(),
            "fn f(v: &mut Vec<u8>) -> usize {\n    v.push(1);\n    todo!(\"f: push two\");\n    // given\n    v.len()\n}\n"
        );
        let last = "fn g() -> u8 {\n    // BEGIN SOLUTION g: one\n    1\n    // END SOLUTION\n    // nothing more\n}\n";
        assert_eq!(
            transform("s.rs", last).unwrap(),
            "fn g() -> u8 {\n    todo!(\"g: one\")\n    // nothing more\n}\n"
        );
    }

    #[test]
    fn only_regions_vanish() {
        let src = "a\n// BEGIN SOLUTION ONLY\nfn helper() {}\n// END SOLUTION\nb\n";
        assert_eq!(transform("s.rs", src).unwrap(), "a\nb\n");
    }

    #[test]
    fn malformed_markers_name_the_line() {
        let e = transform("s.rs", "x\n// BEGIN SOLUTION f: y\n").unwrap_err();
        assert!(e.to_string().contains("s.rs:2"), "{e}");
        let e = transform("s.rs", "// END SOLUTION\n").unwrap_err();
        assert!(e.to_string().contains("s.rs:1"), "{e}");
        let e = transform("s.rs", "// BEGIN SOLUTION nostep\n// END SOLUTION\n").unwrap_err();
        assert!(e.to_string().contains("<step>"), "{e}");
        let e = transform("s.rs", "// BEGIN SOLUTION a: b\n// BEGIN SOLUTION c: d\n").unwrap_err();
        assert!(e.to_string().contains("inside"), "{e}");
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        let out = transform(
            "s.rs",
            "// BEGIN SOLUTION s: say \"hi\\\"\n// END SOLUTION\n",
        )
        .unwrap();
        assert_eq!(out, "todo!(\"s: say \\\"hi\\\\\\\"\")\n");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("opsloop-starters-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("solutions/m99")).unwrap();
        fs::write(
            dir.join("solutions/m99/a.rs"),
            "pub fn a() -> u8 {\n    // BEGIN SOLUTION a: return one\n    1\n    // END SOLUTION\n}\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn learner_edits_are_never_overwritten_without_force() {
        let root = scratch("edits");
        let first = write(&root, false).unwrap();
        assert_eq!(first.written, vec!["starters/m99/a.rs"]);
        assert!(drift(&root).unwrap().is_empty());

        // The learner does the work.
        let mine = "pub fn a() -> u8 {\n    1\n}\n";
        fs::write(root.join("starters/m99/a.rs"), mine).unwrap();
        let err = write(&root, false).unwrap_err().to_string();
        assert!(
            err.contains("starters/m99/a.rs") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(
            fs::read_to_string(root.join("starters/m99/a.rs")).unwrap(),
            mine
        );
        assert_eq!(drift(&root).unwrap().len(), 1);

        // Staff change the solution: an unedited starter is simply regenerated.
        fs::write(
            root.join("starters/m99/a.rs"),
            generate(&root).unwrap().values().next().unwrap(),
        )
        .unwrap();
        fs::write(
            root.join("solutions/m99/a.rs"),
            "pub fn a() -> u8 {\n    // BEGIN SOLUTION a: return two\n    2\n    // END SOLUTION\n}\n",
        )
        .unwrap();
        let again = write(&root, false).unwrap();
        assert_eq!(again.written, vec!["starters/m99/a.rs"]);
        assert!(fs::read_to_string(root.join("starters/m99/a.rs"))
            .unwrap()
            .contains("return two"));

        // --force discards edits.
        fs::write(root.join("starters/m99/a.rs"), mine).unwrap();
        write(&root, true).unwrap();
        assert!(drift(&root).unwrap().is_empty());
        let _ = fs::remove_dir_all(&root);
    }
}

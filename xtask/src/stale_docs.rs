//! Docs that cannot go stale: every repository path the docs quote exists,
//! and every reference-trace line a guide quotes says what the guide says.
//!
//! Two kinds of reference are held against the tree:
//!
//! - **Paths.** A code span in a Markdown file or a doc comment that reads as
//!   a path of this repository (it starts with one of the repository's
//!   top-level folders, such as `crates/` or `labs/`, or names a file at the
//!   root, such as `README.md`) must exist; so must the target of a relative
//!   Markdown link. Spans with a placeholder (`<crate>`, `mNN`, `*`, `…`) are
//!   patterns, not paths, and are left alone; a `:32` after a file is a line.
//! - **Trace lines.** A guide that points at a line of a reference trace
//!   writes it as ``line 14 (`1 re-redacted`)`` or, in the trace's own
//!   numbering, ``step 14 (`1 re-redacted`)``: the number and, in a code
//!   span right after it, words from that line. The paragraph names the
//!   trace (`crates/…/tests/snapshots/….snap`). A renumbered trace then makes
//!   `verify` fail at the guide's file and line instead of leaving a learner
//!   to read the wrong line.
//!
//! Trial reports (`docs/trials/`) are left alone: each is a dated record of
//! what a learner met at one commit, which its header names, so its quotes
//! of files, lines and traces are meant to describe that commit, not today's.
//!
//! `cargo xtask verify` reports each problem as `file:line: what`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Top-level entries of the repository a quoted path may start with.
const TOP: &[&str] = &[
    "crates/",
    "xtask/",
    "labs/",
    "docs/",
    "starters/",
    "solutions/",
    "book/",
    ".github/",
    ".ci/",
    ".cargo/",
];

/// Folders of dated records, which quote the tree as it was at a named
/// commit and are not held against today's.
const RECORDS: &[&str] = &["docs/trials"];

/// Files at the root that docs name on their own.
const ROOT_FILES: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "Cargo.toml",
    "Cargo.lock",
    "clippy.toml",
];

/// Folders whose Markdown and Rust files are read (besides the root's
/// Markdown files).
const READ: &[&str] = &[
    "docs",
    "labs",
    "book",
    "crates",
    "xtask/src",
    "solutions",
    ".github",
];

/// Every stale reference under `root`, as `file:line: what`.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).with_context(|| format!("reading {}", root.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "md") {
            files.push(path);
        }
    }
    for dir in READ {
        collect(&root.join(dir), &mut files)?;
    }
    files.retain(|f| !RECORDS.iter().any(|r| f.starts_with(root.join(r))));
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let markdown = file.extension().is_some_and(|x| x == "md");
        for (n, line) in text.lines().enumerate() {
            let prose = if markdown {
                Some(line)
            } else {
                doc_comment(line)
            };
            let Some(prose) = prose else { continue };
            for quoted in code_spans(prose) {
                if let Some(path) = repository_path(quoted) {
                    if !root.join(path).exists() {
                        out.push(format!("{shown}:{}: `{quoted}` does not exist", n + 1));
                    }
                }
            }
            // The book's pages link to files its build assembles.
            if markdown && !shown.starts_with("book/") {
                for target in link_targets(prose) {
                    let base = file.parent().unwrap_or(root);
                    if !base.join(target).exists() {
                        out.push(format!(
                            "{shown}:{}: link target {target} does not exist",
                            n + 1
                        ));
                    }
                }
            }
        }
        if markdown {
            out.extend(
                trace_line_problems(root, &text)
                    .into_iter()
                    .map(|(n, what)| format!("{shown}:{n}: {what}")),
            );
        }
    }
    Ok(out)
}

/// Markdown and Rust files under `dir`, skipping snapshots and build output.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && name != "snapshots" {
                collect(&path, out)?;
            }
        } else if name.ends_with(".md") || name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The text of a doc comment line (`//!` or `///`), or `None`.
fn doc_comment(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.strip_prefix("//!").or_else(|| t.strip_prefix("///"))
}

/// The contents of the single-backtick code spans of one line.
fn code_spans(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let after = &rest[open..];
        let ticks = after.bytes().take_while(|&b| b == b'`').count();
        let body = &after[ticks..];
        let fence = &after[..ticks];
        let Some(close) = body.find(fence) else { break };
        out.push(body[..close].trim());
        rest = &body[close + ticks..];
    }
    out
}

/// The repository path a code span names, or `None` when it is no path of
/// this repository (or a pattern with a placeholder).
fn repository_path(span: &str) -> Option<&str> {
    let placeholder = ['<', '>', '*', '…', '{', '}', '$', ' ', '|', '[', '(', '=']
        .iter()
        .any(|c| span.contains(*c))
        || span.contains("NN")
        || span.contains("NAME")
        || span.contains("XX");
    if placeholder || span.is_empty() {
        return None;
    }
    // `file.rs:32` or `file.rs:32:5` names a line of the file.
    let mut path = span;
    while let Some((head, tail)) = path.rsplit_once(':') {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            path = head;
        } else {
            break;
        }
    }
    let path = path.trim_end_matches('/');
    if path.contains(':') {
        return None;
    }
    let known = TOP
        .iter()
        .any(|t| path.starts_with(t) && path.len() > t.len())
        || ROOT_FILES.contains(&path);
    known.then_some(path)
}

/// Relative link targets of one Markdown line (`[text](path#anchor)`),
/// without their anchors; web links and pure anchors are not paths.
fn link_targets(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split('#').next().unwrap_or("").trim();
        let web = target.contains("://") || target.starts_with("mailto:");
        if !target.is_empty() && !web && !target.contains(' ') {
            out.push(target);
        }
        rest = &after[end..];
    }
    out
}

/// Trace lines quoted in one Markdown file: `(line, problem)`.
fn trace_line_problems(root: &Path, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    while start < lines.len() {
        // A paragraph (or a table row, or a list item) is a run of non-blank
        // lines; a table row stands alone.
        let mut end = start;
        while end < lines.len()
            && !lines[end].trim().is_empty()
            && !(end > start && lines[end].starts_with('|'))
        {
            end += 1;
        }
        let end = end.max(start + 1);
        let paragraph = lines[start..end].join("\n");
        let named = named_trace(&paragraph);
        if named.is_none() && paragraph.contains("trace") {
            for (offset, line) in lines[start..end].iter().enumerate() {
                if let Some((number, _)) = quoted_trace_lines(line).first() {
                    out.push((
                        start + offset + 1,
                        format!("line {number} of a trace is quoted, but the paragraph does not name the trace's snapshot file"),
                    ));
                }
            }
        }
        if let Some(trace) = named {
            let snap = std::fs::read_to_string(root.join(trace)).unwrap_or_default();
            for (offset, line) in lines[start..end].iter().enumerate() {
                for (number, words) in quoted_trace_lines(line) {
                    let n = start + offset + 1;
                    match words {
                        None => out.push((
                            n,
                            format!(
                                "line {number} of {trace} is quoted without its words: write line {number} (`words from it`)"
                            ),
                        )),
                        Some(words) => match trace_line(&snap, number) {
                            None => out.push((n, format!("{trace} has no line {number}"))),
                            Some(held) if !held.contains(words) => out.push((
                                n,
                                format!("line {number} of {trace} does not say `{words}`: it reads {held:?}"),
                            )),
                            Some(_) => {}
                        },
                    }
                }
            }
        }
        start = end;
        while start < lines.len() && lines[start].trim().is_empty() {
            start += 1;
        }
    }
    out
}

/// The reference trace a paragraph names (`…/tests/snapshots/….snap`).
fn named_trace(paragraph: &str) -> Option<&str> {
    code_spans_all(paragraph)
        .into_iter()
        .find(|s| s.contains("/tests/snapshots/") && s.ends_with(".snap"))
}

fn code_spans_all(text: &str) -> Vec<&str> {
    text.lines().flat_map(code_spans).collect()
}

/// `line N` / `lines N–M` references in one line of prose, each with the
/// words quoted right after it in a code span (`line 14 (`…`)`), if any; and
/// `step N (`…`)` / `steps N–M (`…`)`, the trace's own numbering (a trace
/// snapshot numbers its steps `14.`, and those numbers are not the file's
/// line numbers), only with its words (a bare "step 2" is prose about
/// something else).
fn quoted_trace_lines(line: &str) -> Vec<(usize, Option<&str>)> {
    let mut out = Vec::new();
    let lower = line.to_lowercase();
    let mut refs = Vec::new();
    for keyword in ["line", "step"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(keyword) {
            refs.push((from + at, keyword));
            from += at + keyword.len();
        }
    }
    refs.sort();
    for (at, keyword) in refs {
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = &line[at + keyword.len()..];
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        let Some(rest) = rest.strip_prefix(' ') else {
            continue;
        };
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !before_ok || digits.is_empty() {
            continue;
        }
        let Ok(number) = digits.parse::<usize>() else {
            continue;
        };
        let after = &rest[digits.len()..];
        // `lines 28–31`: the range's end is part of the reference.
        let after = after
            .strip_prefix('–')
            .or_else(|| after.strip_prefix('-'))
            .map(|a| a.trim_start_matches(|c: char| c.is_ascii_digit()))
            .unwrap_or(after);
        let words = after
            .strip_prefix(" (`")
            .and_then(|q| q.find('`').map(|end| &q[..end]));
        if keyword == "step" && words.is_none() {
            continue;
        }
        out.push((number, words));
    }
    out
}

/// Line `number` of a numbered trace snapshot (`14. +00:12:00  sync …`).
fn trace_line(snap: &str, number: usize) -> Option<&str> {
    let prefix = format!("{number}.");
    snap.lines().find(|l| {
        l.trim_start().starts_with(&prefix)
            && !l.trim_start()[prefix.len()..].starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_told_from_patterns() {
        assert_eq!(
            repository_path("crates/desk/src/lib.rs"),
            Some("crates/desk/src/lib.rs")
        );
        assert_eq!(
            repository_path("starters/m33/index/sync.rs:32"),
            Some("starters/m33/index/sync.rs")
        );
        assert_eq!(repository_path("labs/m33/"), Some("labs/m33"));
        assert_eq!(repository_path("README.md"), Some("README.md"));
        assert_eq!(repository_path("crates/<crate>/src/lib.rs"), None);
        assert_eq!(repository_path("solutions/mNN/"), None);
        assert_eq!(repository_path("target/solution/"), None);
        assert_eq!(repository_path("m33.a.2"), None);
        assert_eq!(repository_path("crates/"), None);
    }

    #[test]
    fn code_spans_and_links_are_read() {
        assert_eq!(
            code_spans("see `a/b.rs` and ``x`y``"),
            vec!["a/b.rs", "x`y"]
        );
        assert_eq!(
            link_targets("[guide](labs/m31/README.md#top), [web](https://x.y/z), [here](#a)"),
            vec!["labs/m31/README.md"]
        );
    }

    #[test]
    fn quoted_trace_lines_carry_their_words() {
        let refs = quoted_trace_lines(
            "Line 11 (`1 updated`) re-embeds; lines 28–31 (`refused`) refuse; line 4 alone.",
        );
        assert_eq!(
            refs,
            vec![(11, Some("1 updated")), (28, Some("refused")), (4, None)]
        );
        assert!(quoted_trace_lines("deadline 12 and pipeline 3").is_empty());
        assert_eq!(
            quoted_trace_lines("Step 11 (`1 updated`), steps 28–31 (`refused`), step 2 alone."),
            vec![(11, Some("1 updated")), (28, Some("refused"))]
        );
    }

    #[test]
    fn a_wrong_quoted_trace_line_is_reported() {
        let dir = std::env::temp_dir().join(format!("stale-docs-{}", std::process::id()));
        let snaps = dir.join("crates/x/tests/snapshots");
        std::fs::create_dir_all(&snaps).expect("scratch dir");
        std::fs::write(
            snaps.join("trace__t.snap"),
            "---\nsource: x\n---\n# t\n 1.  sync all: 7 added\n 2.  sync again: 0 added\n",
        )
        .expect("snap");
        let guide = "Read `crates/x/tests/snapshots/trace__t.snap`: line 2 (`again`) is fine, line 1 (`again`) is not, step 9 (`x`) is gone.\n";
        let found = trace_line_problems(&dir, guide);
        std::fs::remove_dir_all(&dir).ok();
        let lines: Vec<String> = found.iter().map(|(_, w)| w.clone()).collect();
        assert_eq!(found.len(), 2, "{lines:?}");
        assert!(lines[0].contains("line 1 of") && lines[0].contains("does not say `again`"));
        assert!(lines[1].contains("has no line 9"));
    }

    #[test]
    fn planted_stale_paths_are_reported_at_their_file_and_line() {
        let dir = std::env::temp_dir().join(format!("stale-paths-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("crates/x/src")).expect("scratch dir");
        std::fs::write(
            dir.join("README.md"),
            "# t\n\nSee `crates/x/src/lib.rs` and `crates/x/src/gone.rs:12`, [map](ARCHITECTURE.md).\n",
        )
        .expect("readme");
        std::fs::write(
            dir.join("crates/x/src/lib.rs"),
            "//! Reads `README.md`.\n\n/// Built by `xtask/src/cli.rs`.\npub fn f() {}\n",
        )
        .expect("lib");
        // A dated trial report quoting a file that has since gone is a
        // record, not a stale doc.
        std::fs::create_dir_all(dir.join("docs/trials")).expect("trials dir");
        std::fs::write(
            dir.join("docs/trials/m1-trial.md"),
            "# At commit abc\n\nThe learner opened `crates/x/src/gone.rs:12`.\n",
        )
        .expect("trial");
        let found = problems(&dir).expect("scan");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(
            found,
            vec![
                "README.md:3: `crates/x/src/gone.rs:12` does not exist".to_string(),
                "README.md:3: link target ARCHITECTURE.md does not exist".to_string(),
                "crates/x/src/lib.rs:3: `xtask/src/cli.rs` does not exist".to_string(),
            ]
        );
    }
}

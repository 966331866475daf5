//! Course changes mid-term: a step added to a learner file that learners
//! already have.
//!
//! A hand-in made before the course gained a function (`expiring_within`
//! added to `sweep.rs`) lacks it, and the module's checks would not
//! compile: the learner would lose the whole module for a step that did
//! not exist when they worked. The grader instead puts the starter's
//! version of just that function into the learner's file, so the learner
//! loses that step only (the starter's body is `todo!()`).
//!
//! The function goes in a module of its own, with the starter's imports
//! and everything of the learner's file in scope, and is re-exported under
//! its name: the learner's imports and the starter's never clash.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};

/// The module the added functions are put in.
const MODULE: &str = "added_to_the_course_later";

/// Top-level functions of a Rust file: name → (visibility, the byte range
/// of the item with its doc comments and attributes).
pub fn functions(src: &str) -> BTreeMap<String, (String, Range<usize>)> {
    let braces = braces(src);
    let mut out = BTreeMap::new();
    let mut offset = 0;
    let mut item_start: Option<usize> = None;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let at_top = depth_at(&braces, start) == 0;
        let t = line.trim_start();
        if !at_top {
            continue;
        }
        if t.starts_with("///") || t.starts_with("#[") {
            item_start.get_or_insert(start);
            continue;
        }
        let Some((vis, name)) = fn_header(t) else {
            item_start = None;
            continue;
        };
        let from = item_start.take().unwrap_or(start);
        // The body: the first `{` at depth 0 from here, to its match.
        let Some(open) = braces.iter().position(|&(p, d)| p >= start && d == 1) else {
            continue;
        };
        let Some(close) = braces[open..]
            .iter()
            .find(|&&(p, d)| p > braces[open].0 && d == 0)
        else {
            continue;
        };
        let end = src[close.0..]
            .find('\n')
            .map(|n| close.0 + n + 1)
            .unwrap_or(src.len());
        out.insert(name, (vis, from..end));
    }
    out
}

/// `pub fn name(` → (`pub`, `name`); `None` when the line starts no
/// function.
fn fn_header(line: &str) -> Option<(String, String)> {
    let mut rest = line;
    let mut vis = String::new();
    if let Some(r) = rest.strip_prefix("pub") {
        let r2 = r.trim_start();
        if let Some(inner) = r2.strip_prefix('(') {
            let close = inner.find(')')?;
            vis = format!("pub({})", &inner[..close]);
            rest = inner[close + 1..].trim_start();
        } else {
            vis = "pub".into();
            rest = r2;
        }
    }
    for q in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(q).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some((vis, name))
}

/// Every `{` and `}` outside comments, strings and character literals, as
/// (byte position, depth after it).
fn braces(src: &str) -> Vec<(usize, i32)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 1;
                i += 2;
                while i < b.len() && nest > 0 {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 1;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close: Vec<u8> = std::iter::once(b'"')
                        .chain(std::iter::repeat_n(b'#', hashes))
                        .collect();
                    let body = i + 2 + hashes;
                    i = b[body..]
                        .windows(close.len())
                        .position(|w| w == close.as_slice())
                        .map(|p| body + p + close.len())
                        .unwrap_or(b.len());
                    continue;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                // A character literal ('x', '\n', '\u{1F600}'), not a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                } else if let Some(len) = src[i + 1..].chars().next().map(char::len_utf8) {
                    if b.get(i + 1 + len) == Some(&b'\'') {
                        i += 1 + len;
                    }
                }
            }
            b'{' => {
                depth += 1;
                out.push((i, depth));
            }
            b'}' => {
                depth -= 1;
                out.push((i, depth));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The depth at byte `pos`.
fn depth_at(braces: &[(usize, i32)], pos: usize) -> i32 {
    braces
        .iter()
        .take_while(|(p, _)| *p < pos)
        .last()
        .map(|(_, d)| *d)
        .unwrap_or(0)
}

/// The `use` lines at the top level of `src`.
fn imports(src: &str) -> Vec<&str> {
    src.lines()
        .filter(|l| l.starts_with("use ") || l.starts_with("pub use "))
        .collect()
}

/// `learner`, with the starter's version of every top-level function the
/// starter has and `learner` lacks; and their names (empty: unchanged).
pub fn fill_missing(learner: &str, starter: &str) -> (String, Vec<String>) {
    let have = functions(learner);
    let want = functions(starter);
    // Missing only when the name is nowhere defined in the learner's text
    // (not found by the scan, nor as `fn name(` / `fn name<` anywhere, nor
    // added by an earlier pass): a second definition would not compile.
    let defined = |n: &str| {
        have.contains_key(n)
            || learner.contains(&format!("fn {n}("))
            || learner.contains(&format!("fn {n}<"))
            || learner.contains(&format!("{MODULE}::{n};"))
    };
    let missing: Vec<(&String, &(String, Range<usize>))> =
        want.iter().filter(|(n, _)| !defined(n)).collect();
    if missing.is_empty() {
        return (learner.to_string(), Vec::new());
    }
    let mut out = learner.trim_end().to_string();
    out.push_str(&format!(
        "\n\n// Added by the grader: the course gained these functions after this\n\
         // file was handed in; the starter's versions are graded.\n\
         #[allow(unused_imports, dead_code)]\nmod {MODULE} {{\n    use super::*;\n"
    ));
    for u in imports(starter) {
        out.push_str(&format!("    {}\n", u.trim_start_matches("pub ")));
    }
    for (_, (vis, range)) in &missing {
        let text = &starter[range.clone()];
        let text = if vis.is_empty() {
            format!("pub(super) {}", text.trim_start())
        } else {
            text.to_string()
        };
        out.push('\n');
        out.push_str(&text);
    }
    out.push_str("}\n");
    for (name, (vis, _)) in &missing {
        let line = format!("{vis} use {MODULE}::{name};\n");
        out.push_str(line.trim_start());
    }
    (out, missing.iter().map(|(n, _)| (*n).clone()).collect())
}

/// The course's last release: the newest tag reachable from `HEAD` of
/// the course at `root`, if any.
pub fn last_release(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["describe", "--tags", "--abbrev=0", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let tag = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !tag.is_empty()).then_some(tag)
}

/// One warning per learner file that has gained a top-level function
/// since `release` while learners of that release already have the file:
/// their hand-ins lack it (graded with the starter's version, see the
/// module doc). A file new since the release warns nothing.
pub fn added_since(root: &Path, release: &str, files: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let Ok(then) = Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{release}:{f}")])
            .stderr(Stdio::null())
            .output()
        else {
            continue;
        };
        if !then.status.success() {
            continue; // not in the release: learners never had it
        }
        let Ok(now) = std::fs::read_to_string(root.join(f)) else {
            continue;
        };
        let before = functions(&String::from_utf8_lossy(&then.stdout));
        let added: Vec<String> = functions(&now)
            .into_keys()
            .filter(|n| !before.contains_key(n))
            .collect();
        if !added.is_empty() {
            out.push(format!(
                "{f} gains `{}` since release {release}, whose learners already have this \
                 file: their hand-ins will be graded with the starter's version of it \
                 (they lose that step, not the module)",
                added.join("`, `")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STARTER: &str = "//! Step A4.\n\nuse chrono::{DateTime, Duration, Utc};\n\n\
        use crate::index::Index;\n\n\
        /// Sweeps.\npub fn sweep(index: &mut Index) -> usize {\n    todo!(\"sweep: {}\")\n}\n\n\
        /// Lists what expires soon.\n#[must_use]\n\
        pub fn expiring_within(index: &Index, now: DateTime<Utc>, d: Duration) -> Vec<u32> {\n    \
        let _ = ('{', \"}\", r#\"{\"#);\n    todo!(\"expiring_within\")\n}\n\n\
        fn helper<'a>(x: &'a str) -> &'a str {\n    /* } */ x\n}\n";

    #[test]
    fn top_level_functions_are_found_with_their_docs_and_braces_in_text_skipped() {
        let f = functions(STARTER);
        assert_eq!(
            f.keys().collect::<Vec<_>>(),
            ["expiring_within", "helper", "sweep"]
        );
        let (vis, r) = &f["expiring_within"];
        assert_eq!(vis, "pub");
        let text = &STARTER[r.clone()];
        assert!(
            text.starts_with("/// Lists what expires soon.\n#[must_use]\npub fn"),
            "{text}"
        );
        assert!(text.ends_with("todo!(\"expiring_within\")\n}\n"), "{text}");
        assert!(STARTER[f["helper"].1.clone()].ends_with("x\n}\n"));
    }

    /// The scan finds, in every reference solution, each function its
    /// starter has: no learner who did the work gets a second copy.
    #[test]
    fn every_starter_function_is_found_in_its_reference() {
        let root = crate::root();
        for f in crate::grade::learner_files(&root).expect("the catalogue") {
            let starter = std::fs::read_to_string(root.join(&f)).unwrap();
            let reference =
                std::fs::read_to_string(root.join(crate::grade::solution_of(&f))).unwrap();
            let (s, r) = (functions(&starter), functions(&reference));
            assert!(!s.is_empty(), "{f}: no functions found");
            for name in s.keys() {
                assert!(
                    r.contains_key(name),
                    "{f}: `{name}` not found in the reference"
                );
            }
            assert_eq!(
                fill_missing(&reference, &starter).1,
                Vec::<String>::new(),
                "{f}"
            );
        }
    }

    #[test]
    fn a_function_added_later_is_filled_in_from_the_starter_only() {
        let learner = "use chrono::{DateTime, Utc};\n\nuse crate::index::Index;\n\n\
            pub fn sweep(index: &mut Index) -> usize {\n    index.len()\n}\n\n\
            fn helper<'a>(x: &'a str) -> &'a str {\n    x\n}\n";
        let (filled, added) = fill_missing(learner, STARTER);
        assert_eq!(added, ["expiring_within"]);
        assert!(
            filled.starts_with(learner.trim_end()),
            "the learner's code is kept"
        );
        assert!(filled.contains("mod added_to_the_course_later {\n    use super::*;\n    use chrono::{DateTime, Duration, Utc};"));
        assert!(filled.contains("pub use added_to_the_course_later::expiring_within;\n"));
        assert_eq!(filled.matches("pub fn sweep").count(), 1);
        let (same, none) = fill_missing(&filled, STARTER);
        assert!(none.is_empty());
        assert_eq!(same, filled);
    }

    #[test]
    fn a_function_added_since_the_release_is_warned_about() {
        let root = crate::cargo::target_base(&crate::root()).join("midterm-release");
        let _ = std::fs::remove_dir_all(&root);
        let file = "starters/m33/index/sweep.rs";
        std::fs::create_dir_all(root.join("starters/m33/index")).unwrap();
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .current_dir(&root)
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_AUTHOR_NAME", "Staff")
                .env("GIT_AUTHOR_EMAIL", "staff@example.invalid")
                .env("GIT_COMMITTER_NAME", "Staff")
                .env("GIT_COMMITTER_EMAIL", "staff@example.invalid")
                .status()
                .unwrap()
                .success();
            assert!(ok, "git {args:?}");
        };
        let old = "pub fn sweep() -> u8 {\n    todo!()\n}\n";
        std::fs::write(root.join(file), old).unwrap();
        std::fs::write(root.join("starters/new.rs"), "pub fn a() {}\n").unwrap();
        git(&["init", "-q", "-b", "main"]);
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "release"]);
        git(&["tag", "v1"]);
        let files = vec![
            file.to_string(),
            "starters/new.rs".to_string(),
            "starters/later.rs".to_string(),
        ];
        assert_eq!(last_release(&root).as_deref(), Some("v1"));
        assert!(
            added_since(&root, "v1", &files).is_empty(),
            "nothing changed yet"
        );
        std::fs::write(
            root.join(file),
            format!("{old}\npub fn expiring_within() -> u8 {{\n    todo!()\n}}\n"),
        )
        .unwrap();
        std::fs::write(root.join("starters/later.rs"), "pub fn b() {}\n").unwrap();
        let warned = added_since(&root, "v1", &files);
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].starts_with(&format!("{file} gains `expiring_within` since release v1")));
    }
}

//! What a grader wants to look at twice: the flags on a submission.
//!
//! A flag never changes a score by itself (a tampered verdict is already
//! worth nothing); it says where a person should look. The gradebook lists
//! each flag by its [`Flag::name`]; `results.json` carries the details.

use serde::Serialize;

use super::similarity::{tokens, Token};

/// One flag on a submission.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Flag {
    /// Checks whose verdict was not sealed by the harness.
    Tampered { checks: Vec<String> },
    /// Modules that did not compile, with the first error.
    DidNotCompile { module: String, error: String },
    /// Checks cut at the time limit.
    TimedOut { checks: Vec<String> },
    /// Checks whose process went over its memory limit.
    OverMemory { checks: Vec<String> },
    /// A learner file identical to the reference once comments and
    /// whitespace are removed.
    ReferenceCopy { file: String },
    /// Another submission of the batch whose learner files are nearly the
    /// same (winnowed fingerprints; score 0–1).
    Similar {
        other: String,
        score: f64,
        files: Vec<String>,
    },
    /// A learner file that was not taken (missing, a symlink, too large,
    /// not UTF-8…): the module was graded with the untouched starter.
    File {
        file: String,
        problem: String,
        detail: String,
    },
    /// Code that reaches outside a lab step: files, processes, the
    /// environment, `include!`… (the labs need none of it).
    Suspicious {
        file: String,
        line: usize,
        what: String,
    },
    /// Files outside the learner's that the submission changed (ignored).
    ChangedOutside { count: usize },
    /// Files of the grader's course copy that a check of this submission
    /// wrote (the copy was put back; see `grade::restore`).
    WroteCourse { files: Vec<String> },
    /// A git work tree with uncommitted changes to the learner files:
    /// graded as the tree, not as any commit.
    Dirty,
    /// Commits after the `--before` deadline (not graded).
    Late { commits: usize },
    /// Functions the course added to a learner file after this one was
    /// handed in: the starter's versions were graded in their place.
    AddedLater {
        file: String,
        functions: Vec<String>,
    },
}

impl Flag {
    /// The short name the gradebook writes.
    pub fn name(&self) -> String {
        match self {
            Flag::Tampered { .. } => "tampered".into(),
            Flag::DidNotCompile { .. } => "did-not-compile".into(),
            Flag::TimedOut { .. } => "timed-out".into(),
            Flag::OverMemory { .. } => "over-memory".into(),
            Flag::ReferenceCopy { .. } => "reference-copy".into(),
            Flag::Similar { other, score, .. } => format!("similar:{other}@{score:.2}"),
            Flag::File { problem, .. } => problem.clone(),
            Flag::Suspicious { .. } => "suspicious".into(),
            Flag::ChangedOutside { .. } => "changed-outside".into(),
            Flag::WroteCourse { .. } => "wrote-course".into(),
            Flag::Dirty => "dirty".into(),
            Flag::Late { .. } => "late".into(),
            Flag::AddedLater { .. } => "added-later".into(),
        }
    }

    /// One line for a person.
    pub fn describe(&self) -> String {
        match self {
            Flag::Tampered { checks } => format!(
                "tampered: verdicts not sealed by the check harness ({})",
                checks.join(", ")
            ),
            Flag::DidNotCompile { module, error } => {
                format!("{module} did not compile: {error}")
            }
            Flag::TimedOut { checks } => format!("timed out: {}", checks.join(", ")),
            Flag::OverMemory { checks } => {
                format!("over the memory limit: {}", checks.join(", "))
            }
            Flag::ReferenceCopy { file } => {
                format!("{file} is the reference solution, comments and layout aside")
            }
            Flag::Similar {
                other,
                score,
                files,
            } => format!(
                "nearly the same code as {other} (similarity {score:.2}; {})",
                files.join(", ")
            ),
            Flag::File { file, detail, .. } => format!("{file}: {detail}"),
            Flag::Suspicious { file, line, what } => {
                format!("{file}:{line}: uses {what}, which no lab step needs")
            }
            Flag::ChangedOutside { count } => {
                format!("{count} file(s) changed outside the learner's files (ignored)")
            }
            Flag::WroteCourse { files } => format!(
                "a check wrote into the grader's course copy ({}); no verdict counts",
                files.join(", ")
            ),
            Flag::Dirty => "uncommitted changes: the work tree was graded, not a commit".into(),
            Flag::Late { commits } => {
                format!("{commits} commit(s) after the deadline: not graded")
            }
            Flag::AddedLater { file, functions } => format!(
                "{file} has no `{}` (added to the course after this was handed in): \
                 the starter's version was graded, so only that step is lost",
                functions.join("`, `")
            ),
        }
    }
}

/// Path segments that lead out of a lab step (`std::fs::…`, `process::exit`).
const MODULES_OUTSIDE: &[&str] = &["fs", "process", "env", "net", "os", "arch"];
/// Types that open files, sockets or processes.
const TYPES_OUTSIDE: &[&str] = &[
    "File",
    "OpenOptions",
    "Command",
    "TcpStream",
    "UdpSocket",
    "UnixStream",
];
/// Macros that read files or the environment at build time, or emit code.
const MACROS_OUTSIDE: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "asm",
    "global_asm",
];
/// Words that have no business in a lab step.
const WORDS_OUTSIDE: &[&str] = &[
    "extern",
    "unsafe",
    "no_mangle",
    "link_section",
    "export_name",
];

/// Places in a learner file that reach outside a lab step. One finding per
/// line, in line order.
///
/// The file is lexed whole ([`super::tokens`]), so code cannot hide on a
/// line that a line-by-line reader would take for the inside of a string
/// or a comment; a file that does not lex (and so will not compile) is
/// read a line at a time instead.
pub fn suspicious(file: &str, src: &str) -> Vec<Flag> {
    let lines: Vec<(usize, Vec<Token>)> = match super::tokens::by_line(src) {
        Some(lines) => lines.into_iter().collect(),
        None => src
            .lines()
            .enumerate()
            .map(|(n, line)| (n + 1, tokens(line, false)))
            .collect(),
    };
    let mut out = Vec::new();
    for (line_number, toks) in lines {
        let word = |i: usize, w: &str| matches!(toks.get(i), Some(Token::Word(x)) if x == w);
        let is_use = word(0, "use") || (word(0, "pub") && word(1, "use"));
        let what = toks.iter().enumerate().find_map(|(i, t)| {
            let next = toks.get(i + 1);
            let prev = i.checked_sub(1).and_then(|p| toks.get(p));
            let colon = |t: Option<&Token>| matches!(t, Some(Token::Word(w)) if w == ":");
            match t {
                Token::Ident(w)
                    if MODULES_OUTSIDE.contains(&w.as_str())
                        && (colon(next) || colon(prev) || is_use) =>
                {
                    Some(format!("`{w}::`"))
                }
                Token::Ident(w) if TYPES_OUTSIDE.contains(&w.as_str()) => Some(format!("`{w}`")),
                Token::Ident(w)
                    if MACROS_OUTSIDE.contains(&w.as_str())
                        && matches!(next, Some(Token::Word(b)) if b == "!") =>
                {
                    Some(format!("`{w}!`"))
                }
                Token::Ident(w) if WORDS_OUTSIDE.contains(&w.as_str()) => Some(format!("`{w}`")),
                Token::Ident(w)
                    if w == "path" && matches!(prev, Some(Token::Word(b)) if b == "[") =>
                {
                    Some("`#[path]`".into())
                }
                Token::Text(s)
                    if s.contains("/proc") || s.contains("/dev/") || s.contains("LABKIT") =>
                {
                    Some(format!("the string {s}"))
                }
                _ => None,
            }
        });
        if let Some(what) = what {
            out.push(Flag::Suspicious {
                file: file.to_string(),
                line: line_number,
                what,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaching_outside_is_found_and_ordinary_code_is_not() {
        let forged = "pub fn sli(good: u64) -> Option<f64> {\n    \
            let _ = std::fs::write(std::env::var(\"LABKIT_RESULT\").unwrap_or_default(), \"x\");\n    \
            std::process::exit(0)\n}\n";
        let found = suspicious("starters/m31/budget.rs", forged);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(matches!(&found[0], Flag::Suspicious { line: 2, .. }));
        assert!(matches!(&found[1], Flag::Suspicious { line: 3, .. }));
        let sneaky = "use std::{fs as f};\nconst S: &str = include_str!(\"../../solutions/m31/budget.rs\");\n";
        assert_eq!(suspicious("x.rs", sneaky).len(), 2);
        let fine = "// std::process::exit is mentioned in a comment\n\
            pub fn process(alerts: &[u32]) -> usize { alerts.len() }\n\
            let env = 3; let path = \"a\";\n";
        assert_eq!(suspicious("x.rs", fine), vec![]);
    }

    /// The line-continuation trick: code on a line that continues a string
    /// literal opened on the line before. A line-at-a-time reader takes
    /// the `"` that closes the literal for the start of a new one and
    /// misses the rest of the line; the lexer sees it, on its own line.
    #[test]
    fn code_hidden_after_a_continued_string_is_found_on_its_line() {
        let hidden = "pub fn sli(good: u64) -> Option<f64> {\n    \
            let _note = \"a long note \\\n\
            \"; let _ = std::fs::remove_file(\"x\");\n    \
            let _raw = r#\"\n\
            std::process::exit(0)\"#;\n    \
            /* a comment\n\
            */ let _ = std::env::args();\n    None\n}\n";
        let found = suspicious("starters/m31/budget.rs", hidden);
        let lines: Vec<usize> = found
            .iter()
            .map(|f| match f {
                Flag::Suspicious { line, .. } => *line,
                _ => 0,
            })
            .collect();
        // Line 3 is code (found); line 5 is inside a raw string (text, not
        // code); line 7 follows a block comment's end (found).
        assert_eq!(lines, vec![3, 7], "{found:?}");
        // What the line-at-a-time reader saw on line 3: a string, no `fs`.
        let line3 = hidden.lines().nth(2).unwrap_or_default();
        assert!(!tokens(line3, false).contains(&Token::Ident("fs".into())));
    }

    #[test]
    fn names_are_short_and_stable() {
        let f = Flag::Similar {
            other: "bob".into(),
            score: 0.987,
            files: vec![],
        };
        assert_eq!(f.name(), "similar:bob@0.99");
        assert_eq!(Flag::ChangedOutside { count: 3 }.name(), "changed-outside");
    }
}

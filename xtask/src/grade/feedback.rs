//! `feedback.md`: what a learner reads about their grade.
//!
//! Per module: the points, what passed, and for each check that did not,
//! its outcome, the message (what was expected and found) and the hint.
//! Flags that concern the learner (files not taken, tampered verdicts,
//! changes outside their files that were ignored) come first.

use std::fmt::Write as _;

use labkit::check::Outcome;

use super::flags::Flag;
use super::provenance::short;
use super::{Graded, Status};
use crate::check_report::label;

/// At most this many lines of a message are shown.
const MESSAGE_LINES: usize = 15;

/// The feedback file of one submission.
pub fn feedback(g: &Graded) -> String {
    let mut s = format!("# Feedback: {}\n\n", g.id);
    if g.status == Status::Invalid {
        let _ = writeln!(
            s,
            "This submission could not be graded: {}.\n",
            g.reason.as_deref().unwrap_or("unknown reason")
        );
        return s;
    }
    let _ = writeln!(
        s,
        "**{} / {} points**{} · status: {}\n",
        g.points(),
        g.max_points(),
        if g.bonus() > 0 {
            format!(" (+{} bonus)", g.bonus())
        } else {
            String::new()
        },
        g.status.as_str()
    );
    let _ = writeln!(s, "Graded: {}.\n", g.provenance.describe());
    if !g.provenance.late.is_empty() {
        s.push_str("Commits after the deadline (not graded):\n\n");
        for c in &g.provenance.late {
            let _ = writeln!(s, "- `{}` {} {}", short(&c.commit), c.date, c.subject);
        }
        s.push('\n');
    }
    let mut notes: Vec<String> = g
        .flags
        .iter()
        .filter(|f| {
            matches!(
                f,
                Flag::Tampered { .. }
                    | Flag::File { .. }
                    | Flag::ChangedOutside { .. }
                    | Flag::DidNotCompile { .. }
                    | Flag::WroteCourse { .. }
                    | Flag::AddedLater { .. }
            )
        })
        .map(Flag::describe)
        .collect();
    notes.extend(g.provenance.notes.iter().cloned());
    if !notes.is_empty() || !g.ignored_docs.is_empty() {
        s.push_str("## Notes\n\n");
        for n in notes {
            let _ = writeln!(s, "- {n}");
        }
        if !g.ignored.is_empty() {
            s.push_str("- Only your files under `starters/` are graded; these were ignored:\n");
            for f in &g.ignored {
                let _ = writeln!(s, "  - `{f}`");
            }
        }
        if !g.ignored_docs.is_empty() {
            s.push_str("- Changed, and cannot affect a grade (docs, book, workflows):\n");
            for f in &g.ignored_docs {
                let _ = writeln!(s, "  - `{f}`");
            }
        }
        s.push('\n');
    }
    for r in &g.runs {
        let _ = writeln!(
            s,
            "## {} · {} — {} / {} points\n",
            r.module.name,
            r.module.title,
            r.points(),
            r.max_points()
        );
        let passed: Vec<String> = r
            .checks
            .iter()
            .filter(|c| c.passed())
            .map(|c| format!("`{}` {}", c.info.id, c.info.title))
            .collect();
        if !passed.is_empty() {
            s.push_str("Passed:\n\n");
            for p in passed {
                let _ = writeln!(s, "- {p}");
            }
            s.push('\n');
        }
        let failed: Vec<_> = r.checks.iter().filter(|c| !c.passed()).collect();
        if !failed.is_empty() {
            s.push_str("Not yet:\n\n");
            for c in failed {
                let _ = writeln!(
                    s,
                    "- `{}` {} — **{}**{}",
                    c.info.id,
                    c.info.title,
                    label(c.verdict.outcome),
                    if c.challenge() {
                        " (optional)"
                    } else if c.optional() {
                        " (after class)"
                    } else {
                        ""
                    }
                );
                if let Some(m) = &c.verdict.message {
                    let lines: Vec<&str> = m.trim_end().lines().collect();
                    s.push_str("\n  ```text\n");
                    for l in lines.iter().take(MESSAGE_LINES) {
                        let _ = writeln!(s, "  {l}");
                    }
                    if lines.len() > MESSAGE_LINES {
                        let _ = writeln!(s, "  … ({} more lines)", lines.len() - MESSAGE_LINES);
                    }
                    s.push_str("  ```\n\n");
                }
                if c.verdict.outcome != Outcome::Tampered {
                    let _ = writeln!(s, "  Hint: {}\n", c.info.hint);
                }
            }
        }
    }
    s
}

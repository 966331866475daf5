//! Traces: the story of a run, in order.
//!
//! A trace is a numbered list of what happened, each line stamped with the
//! simulated time and the module that acted:
//!
//! ```text
//!  1. +00:00:00  m33  sync: 5 added, 0 updated, 0 unchanged, 0 deleted
//! ```
//!
//! The course snapshot-tests the reference traces, a lab check compares the
//! learner's trace with the reference one, and learners post their traces in
//! the "show" part of a class, so a trace prints the same bytes on every run
//! and renders as plain text or Markdown.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;

/// One line of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceLine {
    /// Simulated time of the event, if it has one.
    pub at: Option<DateTime<Utc>>,
    /// Who acted: a module name such as `m31`, or a role such as `gate`.
    pub actor: String,
    /// What happened, in one line.
    pub text: String,
}

static CAPTURING: AtomicBool = AtomicBool::new(false);

/// Which learner step made each recent trace line (its text, and the step
/// from [`crate::stall::current_or_last`]), so a story check that fails can
/// say where the first differing line came from. Bounded: the oldest half
/// is dropped when it is full.
static MADE_BY: Mutex<Vec<(String, crate::stall::StepRef)>> = Mutex::new(Vec::new());
const MADE_BY_CAP: usize = 20_000;

/// The learner step that made the most recent trace line rendered as
/// `rendered` (a line of [`Trace::to_text`], with or without its number
/// and stamp), if one was running or had just run (lab builds only).
pub fn made_by(rendered: &str) -> Option<crate::stall::StepRef> {
    let rendered = rendered.trim_end();
    MADE_BY
        .lock()
        .ok()?
        .iter()
        .rev()
        .find(|(text, _)| {
            rendered == text
                || rendered
                    .strip_suffix(text.as_str())
                    .is_some_and(|head| head.ends_with(' '))
        })
        .map(|(_, step)| step.clone())
}
/// The captured lines, one section per trace: a trace created while
/// capturing starts a section under its title, so two runs of a story in
/// one check print as two numbered lists, not one.
static CAPTURED: Mutex<Vec<(String, Vec<TraceLine>)>> = Mutex::new(Vec::new());

/// Starts keeping a copy of every line any trace records, so that a story
/// cut short by a panic (a learner's unwritten step) can still be shown up
/// to where it stopped (`cargo xtask story`).
pub fn start_capture() {
    if let Ok(mut kept) = CAPTURED.lock() {
        kept.clear();
    }
    CAPTURING.store(true, Ordering::Relaxed);
}

/// Stops keeping copies and returns the lines kept since [`start_capture`],
/// one trace per trace created meanwhile (with its title), in the order
/// they were created; traces that recorded nothing are left out.
pub fn stop_capture() -> Vec<Trace> {
    CAPTURING.store(false, Ordering::Relaxed);
    CAPTURED
        .lock()
        .map(|mut kept| std::mem::take(&mut *kept))
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .map(|(title, lines)| Trace::from_lines(title, lines))
        .collect()
}

/// An ordered record of what happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    title: String,
    lines: Vec<TraceLine>,
}

impl Trace {
    /// An empty trace with a title.
    pub fn new(title: impl Into<String>) -> Self {
        let title = title.into();
        if CAPTURING.load(Ordering::Relaxed) {
            if let Ok(mut kept) = CAPTURED.lock() {
                kept.push((title.clone(), Vec::new()));
            }
        }
        Self {
            title,
            lines: Vec::new(),
        }
    }

    /// Records an event at simulated time `at`.
    pub fn at(&mut self, at: DateTime<Utc>, actor: &str, text: impl Into<String>) {
        self.push(Some(at), actor, text.into());
    }

    /// Records an event that has no time of its own (a heading, a summary).
    pub fn note(&mut self, actor: &str, text: impl Into<String>) {
        self.push(None, actor, text.into());
    }

    fn push(&mut self, at: Option<DateTime<Utc>>, actor: &str, text: String) {
        // One event, one line: a newline inside an event would break the
        // numbering and make two runs hard to diff.
        let text = text.replace('\n', " / ");
        let line = TraceLine {
            at,
            actor: actor.to_string(),
            text,
        };
        if let Some(step) = crate::stall::current_or_last() {
            if let Ok(mut made) = MADE_BY.lock() {
                if made.len() >= MADE_BY_CAP {
                    made.drain(..MADE_BY_CAP / 2);
                }
                made.push((line.text.clone(), step));
            }
        }
        if CAPTURING.load(Ordering::Relaxed) {
            if let Ok(mut kept) = CAPTURED.lock() {
                match kept.last_mut() {
                    Some((_, lines)) => lines.push(line.clone()),
                    None => kept.push((String::new(), vec![line.clone()])),
                }
            }
        }
        self.lines.push(line);
    }

    /// The title given at creation.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The recorded lines, in order.
    pub fn lines(&self) -> &[TraceLine] {
        &self.lines
    }

    /// Number of recorded lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// `true` when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// `true` if any line's text contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        self.lines.iter().any(|l| l.text.contains(needle))
    }

    /// A trace of the given lines.
    pub fn from_lines(title: impl Into<String>, lines: Vec<TraceLine>) -> Self {
        Self {
            title: title.into(),
            lines,
        }
    }

    /// Appends every line of `other` (its title is dropped).
    pub fn extend(&mut self, other: &Trace) {
        self.lines.extend(other.lines.iter().cloned());
    }

    /// Plain text: a title line, then numbered lines.
    pub fn to_text(&self) -> String {
        let mut out = format!("# {}\n", self.title);
        let width = self.lines.len().to_string().len();
        for (i, l) in self.lines.iter().enumerate() {
            let when = l.at.map(stamp).unwrap_or_else(|| " ".repeat(9));
            out.push_str(&format!(
                "{:>width$}. {when}  {:<5} {}\n",
                i + 1,
                l.actor,
                l.text
            ));
        }
        out
    }

    /// Markdown: a heading and a table, for pasting into a forum post.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "### {}\n\n| # | time | who | what |\n|---|---|---|---|\n",
            self.title
        );
        for (i, l) in self.lines.iter().enumerate() {
            let when = l.at.map(stamp).unwrap_or_default();
            let text = l.text.replace('|', "\\|");
            out.push_str(&format!("| {} | {when} | {} | {text} |\n", i + 1, l.actor));
        }
        out
    }
}

impl std::fmt::Display for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimClock;
    use chrono::TimeDelta;

    #[test]
    fn renders_numbered_lines_with_times() {
        let mut c = SimClock::new();
        let mut t = Trace::new("demo");
        t.note("m33", "start");
        c.advance(TimeDelta::seconds(75));
        t.at(c.now(), "m31", "paged\nsev1");
        assert_eq!(
            t.to_text(),
            "# demo\n1.            m33   start\n2. +00:01:15  m31   paged / sev1\n"
        );
        assert!(t
            .to_markdown()
            .contains("| 2 | +00:01:15 | m31 | paged / sev1 |"));
        assert!(t.mentions("sev1"));
        assert_eq!(t.len(), 2);
    }
}

//! Step A2 · Redact on write. Guide: `labs/m33/README.md`, Part A, step A2.

use crate::detect::{detect_at, next_candidate};
use crate::redaction::{Finding, Redaction};

/// Replaces every piece of personal data in `text` with its typed
/// placeholder (`[EMAIL]`, `[CARD]`…) and records each finding with its kind
/// and its byte span in the **original** text.
///
/// The scan is given: it visits only the positions where a value *can*
/// start ([`next_candidate`](crate::detect::next_candidate)`(text, i)`: the
/// first such position at or after `i`, `text.len()` when there is none)
/// and asks [`detect_at`](crate::detect::detect_at)`(text, i)` whether one
/// does. That answer is `Some((kind, end))`, where `end` is the byte just
/// after the value, or `None`. You write what happens on a match: copy the
/// clean text not yet copied (`text[copied..i]`), write the placeholder
/// (`kind.placeholder()`), record the finding (`Finding { kind, span }`,
/// `span` the byte range `i..end` of the original), and carry on right after the
/// value. Matches start and end on character boundaries, so slicing `text`
/// at them is safe.
pub fn redact(text: &str) -> Redaction {
    let mut out = String::with_capacity(text.len());
    let mut findings = Vec::new();
    // `text[..copied]` is already in `out`, as it was or as placeholders.
    let mut copied = 0;
    let mut i = next_candidate(text, 0);
    while i < text.len() {
        match detect_at(text, i) {
            Some((kind, end)) => {
                todo!("redact: copy the clean text before the value, write its placeholder, record kind + span in the original text, and continue after the value")
            }
            None => i = next_candidate(text, i + 1),
        }
    }
    // The clean tail after the last value (all of `text` when there was none).
    out.push_str(&text[copied..]);
    Redaction {
        text: out,
        findings,
    }
}

//! Step A2 · Redact on write. Guide: `labs/m33/README.md`, Part A, step A2.

use crate::detect::detect_at;
use crate::redaction::{Finding, Redaction};

/// Replaces every piece of personal data in `text` with its typed
/// placeholder (`[EMAIL]`, `[CARD]`…) and records each finding with its kind
/// and its byte span in the **original** text.
///
/// Walk the text byte by byte. At each position ask
/// [`detect_at`](crate::detect::detect_at) whether a value starts there:
/// if so, copy the clean text before it, write the placeholder, record the
/// finding and continue right after the value; if not, move on one byte.
/// Matches always start and end on character boundaries, so slicing `text`
/// at them is safe. Text without personal data comes back unchanged.
pub fn redact(text: &str) -> Redaction {
    // BEGIN SOLUTION redact: walk the text, copy clean stretches, replace each detected value by its placeholder and record kind + original span
    let mut out = String::with_capacity(text.len());
    let mut findings = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while i < text.len() {
        match detect_at(text, i) {
            Some((kind, end)) => {
                out.push_str(&text[copied..i]);
                out.push_str(kind.placeholder());
                findings.push(Finding { kind, span: i..end });
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    Redaction {
        text: out,
        findings,
    }
    // END SOLUTION
}

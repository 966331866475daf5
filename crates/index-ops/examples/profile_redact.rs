//! Redaction alone, for a profiler: `cargo run --release -p index-ops
//! --features solution --example profile-redact-index-ops -- [DOCS]`.
//!
//! The benchmark's corpus (seed 2026, documents of about 1 KB, up to two
//! planted values each), `DOCS` of them (default 10,000), redacted once by
//! `redact_all`. Under `valgrind --tool=callgrind
//! --toggle-collect=*redact_all*` the instruction count of that one function
//! is the cost of redaction, repeatable to the instruction on a busy machine
//! where a wall clock is not (see `docs/decisions.md`).

use std::hint::black_box;

use index_ops::{corpus, redact, SourceDoc};
use labkit::SimRng;

/// Redacts every source once; returns (findings, bytes of redacted text).
#[inline(never)]
fn redact_all(sources: &[SourceDoc]) -> (usize, usize) {
    let mut findings = 0;
    let mut bytes = 0;
    for s in sources {
        let r = redact(black_box(&s.text));
        findings += r.findings.len();
        bytes += r.text.len();
    }
    (findings, bytes)
}

fn main() {
    let docs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut rng = SimRng::seed(2026);
    let sources: Vec<SourceDoc> = corpus::corpus(&mut rng, docs, 1_000, 2)
        .into_iter()
        .map(|d| d.source)
        .collect();
    let input: usize = sources.iter().map(|s| s.text.len()).sum();
    let (findings, output) = redact_all(&sources);
    println!("{docs} documents, {input} bytes in, {output} bytes out, {findings} findings");
}

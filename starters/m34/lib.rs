//! # capstone — M34: the on-call shift
//!
//! One outage, end to end, every module firing on it. Lab guide:
//! `labs/m34/README.md`; the one idea: `labs/m34/notes.md`.
//!
//! At 02:00 release v2 goes live without a canary. The capstone runs the
//! shift that follows as a pipeline of stages over the real module crates:
//!
//! | stage | module | what happens |
//! |---|---|---|
//! | intake | M32 `desk` | 43 alert records correlate into 3 incidents (14.3 per incident); the user ticket is triaged P2, routed to on-call and linked to the deploy's incident |
//! | detect | M31 `incident` | SLI 80% against a 99% SLO burns at 20×; the 1-hour tier pages SEV-1; the incident opens with the desk's id |
//! | mitigate | M31 → M33 `release-ops` | the `bad_release` runbook's first play rolls back to v1 by the rollback checklist; the SLI comes back to ~99.9% |
//! | learn | M31 → gate | the blameless postmortem names the failing question; it becomes a regression case of the eval set, and the bad release now fails it |
//! | ship | M33 `release-ops` | the fix v3 is canaried against live on the eval set, regression case included, and promoted |
//! | verify | the gate | seven assertions over the numbers, exit code non-zero if any fails |
//!
//! - [`shift`]: [`shift::run`] (the stages), [`shift::gate`] (verify),
//!   [`shift::drill`] (both, as one trace). Every trace line names the module
//!   that acted.
//! - [`ShiftReport`]: every number of the shift, as plain data; the gate
//!   reads it, never the trace.
//! - [`Scenario`]: break it on purpose (lab Part B) — a fix that brings the
//!   bug back, no rollback target, a storm that does not correlate, a
//!   regression case that cannot catch anything.
//! - [`extension`]: the optional challenge, a stale-index outage fixed by
//!   re-indexing the changed documents (M33 Part A) instead of rolling back.
//! - [`narrate`]: the demo, the same shift told to a person.
//!
//! Binaries: `drill` (the numbered trace, `--markdown`), `demo`, `evals`
//! (the gate and its exit code, `--scenario <name>`, `--json`,
//! `--extension`).
//!
//! The shift runs on the learner's M31–M33 by default, or on the reference
//! ones with the feature `reference-parts`. The functions a learner writes
//! for M34 itself live in `starters/m34/` (reference: `solutions/m34/`).
//!
//! ---
//!
//! *Where this file sits:* it is the crate's root, placed beside the files
//! you edit so that your editor checks them as you type. You never need to
//! change it; the crate's scaffolding lives in `crates/capstone/src/`.

#[path = "../../crates/capstone/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

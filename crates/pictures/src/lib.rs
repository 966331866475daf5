//! # pictures — the course book and the pictures of the shift
//!
//! Learners would rather look than read where a picture says it faster: an
//! SLI falling through its SLO, forty alerts collapsing into three
//! incidents, a canary stopped at its first bad stage. This crate draws
//! those pictures and puts them in the course book and in a one-file HTML
//! report of the shift.
//!
//! - [`data`] runs each module's story with the story's own seed and keeps
//!   the numbers a picture needs: the pictures come from the *same* runs as
//!   the traces, so a picture and a trace can never disagree.
//! - [`charts`] turns those numbers into SVG, through the tiny writer in
//!   [`svg`]. Same data, same bytes: the tests hash every picture.
//! - [`book`] writes the mdBook sources: one chapter per module from the
//!   lab guides in `labs/`, with the pictures and links into the API docs.
//! - [`html_report`] writes the self-contained HTML report (`cargo xtask
//!   report`), optionally with the learner's own run beside the reference.
//! - [`guides`] compiles the Rust blocks of the lab guides as doc tests, so a
//!   sample in the book can never drift from the crates' API.
//!
//! The crate is a workspace member but not a default member: `cargo xtask
//! lab` never compiles it. Its `reference` feature draws the reference
//! solutions; without it, it draws whatever the learner's starters compute.
//!
//! ## What the module crates do not expose (worked around here)
//!
//! - `incident::story::run` keeps the incident, not the minute-by-minute
//!   SLI and burn: [`data::m31`] replays the story's traffic with the same
//!   seed, and a test checks the replay against the story's trace.
//! - `release_ops::story::ramp` builds its two candidates inline:
//!   [`data::ramp_candidates`] repeats them, and a test checks the stages
//!   against the story's trace.
//! - `index_ops::story::run_part_a` keeps its sync reports only in the trace:
//!   [`data::syncs_from_trace`] reads them from there.

pub mod book;
pub mod charts;
pub mod data;
pub mod guides;
pub mod html_report;
pub mod markdown;
pub mod svg;

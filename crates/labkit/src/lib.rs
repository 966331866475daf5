//! # labkit — the course's shared infrastructure
//!
//! Every module of Part E stands on the same four pieces, so that a lab run is
//! reproducible to the byte and a learner's mistake becomes a readable report
//! instead of a crash:
//!
//! - [`clock::SimClock`]: simulated time. It only moves when the code says so,
//!   which makes "an expiry exactly at `now`" or "a 10-minute bake period"
//!   something a test can state precisely.
//! - [`rng::SimRng`]: a seeded ChaCha random number generator. Same seed, same
//!   storm of alerts, same traffic, on every machine.
//! - [`trace::Trace`]: a numbered story of what happened, in order. Traces are
//!   what a learner reads, posts in the "show" part of a class, and what the
//!   course snapshot-tests.
//! - [`check`]: the lab-check registry and the protocol between a module's
//!   check binary and the course tool (`cargo xtask lab`). Each check runs in
//!   its own process with a time limit, so a `todo!()`, a panic, an endless
//!   loop or a stack overflow in learner code is reported, never fatal.
//!   Its verdicts are sealed with a key learner code never sees
//!   ([`seal`]), and the process limits itself before learner code runs
//!   ([`confine`]). While grading it also gives up what learner code
//!   must not have ([`sandbox`]: Landlock) and runs under a [`warden`]
//!   that ends everything it started.
//! - [`steps`]: the learner's functions as a table, so that after an edit a
//!   lab build recompiles only the learner's code (see [`learner_steps!`]).
//!
//! Lab guides live in `labs/`; the module crates link to them from their docs.

pub mod check;
pub mod clock;
pub mod confine;
pub mod diff;
pub mod digest;
pub mod rng;
pub mod sandbox;
pub mod seal;
pub mod seccomp;
pub mod stall;
pub mod steps;
pub mod tools;
pub mod trace;
pub mod warden;

pub use check::{Check, CheckKind, CheckResult, Edit, Plan, Track};
pub use clock::SimClock;
pub use rng::SimRng;
pub use trace::Trace;

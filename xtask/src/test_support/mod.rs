//! What the tool's own tests share: the scratch folders of the slow tests
//! and when they go ([`scratch`]); the living processes, for the tests that
//! look for survivors ([`procs`]); and, when they act as someone else, an
//! ordinary user made for one test ([`user`]) and a Rust toolchain that
//! user can run without touching the one under root's home ([`toolchain`]).

pub mod procs;
pub mod scratch;
pub mod toolchain;
pub mod user;

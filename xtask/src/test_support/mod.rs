//! What the tool's own tests share when they act as someone else: an
//! ordinary user made for one test ([`user`]), and a Rust toolchain that
//! user can run without touching the one under root's home ([`toolchain`]).

pub mod toolchain;
pub mod user;

//! # `release_ops` — M33 Part B: release operations
//!
//! Wiring, not a lab step: this file is the root of the `release-ops` crate and
//! makes the files beside it (the ones you edit) part of that crate, so your
//! editor's rust-analyzer checks them as you type. You never need to change it.
//!
//! The crate itself — its concepts, types and the scaffolding around your
//! functions — is documented in `crates/release-ops/src/lib.rs`.

#[path = "../../../crates/release-ops/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

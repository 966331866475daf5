//! # index-ops — M33 Part A: operating a retrieval index
//!
//! A retrieval index is not something you build once. Its sources change, so
//! it starts answering from yesterday's truth; it holds data that should
//! expire; and anything that was ever written into it can leak through a
//! search result, a backup or a log line. This crate is a small but real
//! operations layer for such an index, and the lab guide
//! (`labs/m33/README.md`, Part A) walks through it.
//!
//! The pieces, in the order the lab meets them:
//!
//! - [`redaction`] and [`detect`]: **redact on write**. Before any text is
//!   stored, [`redact()`] replaces e-mail addresses, phone numbers, US SSNs
//!   and ITINs, payment cards, IP addresses, IBANs and API keys with typed
//!   placeholders such as `[EMAIL]`. The validity rules that tell a real SSN
//!   or card from a look-alike are [`ssn_valid`] and [`luhn_valid`]; a
//!   prefilter ([`detect::next_candidate`]) keeps the scan fast.
//! - [`index`](mod@index): the [`Index`], an in-memory stand-in for a vector store. Its
//!   embeddings ([`embed()`]) are a deterministic hash of the words, and it
//!   counts every document it embeds ([`Index::embed_calls`]): that counter is
//!   how a check proves work was *not* done.
//! - **Staleness**: [`Index::sync`] compares the current sources with what is
//!   stored, by document id and content hash, and re-embeds only what changed,
//!   plus what an older redactor version wrote ([`REDACTOR_VERSION`]).
//! - **Retention**: every read ([`Index::search`], [`Index::read`]) takes
//!   `now` and never serves an expired document; [`Index::sweep_expired`]
//!   removes exactly the documents whose time is up.
//! - [`backup`]: a versioned, checksummed byte format. [`Index::restore`]
//!   refuses a truncated, corrupted, tampered or wrong-version backup with a
//!   typed [`BackupError`] and never touches the live index on failure.
//! - [`alias`]: build `docs_vB` beside `docs_vA`, flip the live alias in one
//!   operation ([`AliasTable::flip`]), flip it back as a rollback.
//! - [`story`]: the whole of Part A as one deterministic trace.
//!
//! The functions a learner writes live in `starters/m33/index/` (the reference
//! versions in `solutions/m33/index/`); everything else is here.
//!
//! ---
//!
//! *Where this file sits:* it is the crate's root, placed beside the files
//! you edit so that your editor checks them as you type. You never need to
//! change it; the crate's scaffolding lives in `crates/index-ops/src/`.

#[path = "../../../crates/index-ops/src/lib.rs"]
mod scaffold;
pub use scaffold::*;

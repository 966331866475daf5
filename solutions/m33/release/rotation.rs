//! Step B7 · The grace-window rule. Guide: `labs/m33/README.md`, Part B.
//!
//! What a `SecretStore` shows (in `crates/release-ops/src/secrets.rs`):
//! `current()`, `pending()`, `pending_installed()`, `previous()` (a
//! `Previous` with `secret` and `until`).

use chrono::{DateTime, Utc};

use crate::secrets::{Secret, SecretStore};

/// Would the service behind `store` accept a request signed with
/// `presented` at `now`?
///
/// Yes for the current secret; yes for the pending secret once it is
/// installed on the service (so it can be tested); yes for the previous
/// secret strictly before the end of its grace window; no otherwise.
pub fn accepts(store: &SecretStore, presented: Secret, now: DateTime<Utc>) -> bool {
    // BEGIN SOLUTION accepts: decide which stages are accepted, and until when
    if presented == store.current() {
        return true;
    }
    if store.pending() == Some(presented) && store.pending_installed() {
        return true;
    }
    matches!(store.previous(), Some(p) if p.secret == presented && now < p.until)
    // END SOLUTION
}

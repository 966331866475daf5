//! Step B7 · The grace-window rule. Guide: `labs/m33/README.md`, Part B.
//!
//! Fields (in `crates/release-ops/src/secrets.rs`): `self.current`,
//! `self.pending`, `self.pending_installed`, `self.previous` (a `Previous`
//! with `secret` and `until`).

use chrono::{DateTime, Utc};

use crate::secrets::{Secret, SecretStore};

impl SecretStore {
    /// Would the service accept a request signed with `presented` at `now`?
    ///
    /// Yes for the current secret; yes for the pending secret once it is
    /// installed on the service (so it can be tested); yes for the previous
    /// secret strictly before the end of its grace window; no otherwise.
    pub fn accepts(&self, presented: Secret, now: DateTime<Utc>) -> bool {
        // BEGIN SOLUTION accepts: decide which stages are accepted, and until when
        if presented == self.current {
            return true;
        }
        if self.pending == Some(presented) && self.pending_installed {
            return true;
        }
        matches!(self.previous, Some(p) if p.secret == presented && now < p.until)
        // END SOLUTION
    }
}

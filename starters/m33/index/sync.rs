//! Step A3 · Sync: re-embed only what changed. Guide: `labs/m33/README.md`,
//! Part A, step A3.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::document::{Scope, SourceDoc};
use crate::index::{Index, SyncReport};

impl Index {
    /// Brings the documents in `scope` up to date with `sources` (already
    /// checked by [`Index::sync`]: unique ids, all inside `scope`).
    ///
    /// For each source, compare its [`fingerprint`](SourceDoc::fingerprint)
    /// with the stored document of the same id (`self.docs`):
    /// - no stored document: **added**, written with [`Index::write`];
    /// - a different fingerprint: **updated**, written again;
    /// - the same fingerprint: **unchanged**, and *no work at all*: no
    ///   redaction, no embedding.
    ///
    /// Then every stored document whose collection is in `scope` but whose id
    /// is not among the sources is **deleted**. Documents outside the scope
    /// are never touched. `Index::write` is the only way to store a document:
    /// it redacts and embeds, and counts the embedding.
    pub(crate) fn apply_sync(
        &mut self,
        scope: &Scope,
        sources: &[SourceDoc],
        now: DateTime<Utc>,
    ) -> SyncReport {
        todo!("apply_sync: diff by id and fingerprint; write only added or changed documents; delete in-scope ids the sources no longer have")
    }
}

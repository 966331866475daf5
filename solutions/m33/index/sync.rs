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
        // BEGIN SOLUTION apply_sync: diff by id and fingerprint; write only added or changed documents; delete in-scope ids the sources no longer have
        let mut report = SyncReport::default();
        for src in sources {
            let fingerprint = src.fingerprint();
            let existing = self.docs.get(&src.id).map(|d| d.fingerprint);
            if existing == Some(fingerprint) {
                report.unchanged += 1;
                continue;
            }
            let stored = self.write(src, fingerprint, now);
            self.docs.insert(src.id.clone(), stored);
            match existing {
                Some(_) => report.updated.push(src.id.clone()),
                None => report.added.push(src.id.clone()),
            }
        }
        // Every source is stored now. With scope All, anything more is
        // stale, so when the counts agree there is nothing to look for.
        if *scope == Scope::All && self.docs.len() == sources.len() {
            return report;
        }
        let present: HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        let gone: Vec<String> = self
            .docs
            .values()
            .filter(|d| scope.contains(&d.collection) && !present.contains(d.id.as_str()))
            .map(|d| d.id.clone())
            .collect();
        for id in &gone {
            self.docs.remove(id);
        }
        report.deleted = gone;
        report
        // END SOLUTION
    }
}

//! A sync in two halves: decide, then do.
//!
//! [`Index::sync`] first **plans**: it checks the sources, then asks
//! `plan_sync` (the learner's step, in `starters/m33/index/sync.rs`) which
//! documents to add, update and delete. Planning takes `&self`, so the type
//! system guarantees it changes nothing. Only then does the sync **apply**
//! the plan: every write through [`Index::write`] (redact, then embed), every
//! delete by id.
//!
//! Splitting the two buys three things an operator wants:
//! - a refused sync changes nothing, because every refusal happens before
//!   the first write;
//! - a dry run for free: [`Index::plan`] answers "what would this sync do?"
//!   with the same report, and touches nothing;
//! - checks that are cheap where it matters: an id is printed in reports and
//!   logs as it is, so it must hold no personal data, but only **new** ids
//!   need scanning (every stored id was scanned when it was added, and a
//!   restore scans again). On a steady-state sync of 100,000 documents that
//!   is almost none.

use chrono::{DateTime, Utc};

use crate::detect::first_pii;
use crate::document::{Scope, SourceDoc};
use crate::index::{Index, SyncError, SyncReport};

/// A checked source on its way into the index, with its fingerprint.
///
/// The sync computes every fingerprint once, while it checks the sources
/// and in the order they are held in memory (hashing 100 MB is the largest
/// cost of a sync, and reading it front to back is the fastest way).
/// `plan_sync` compares them; the copy stored for a written document keeps
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incoming<'a> {
    /// The source's id (the same as `source.id`, at hand).
    pub id: &'a str,
    /// The source document, raw.
    pub source: &'a SourceDoc,
    /// [`SourceDoc::fingerprint`] of `source`.
    pub fingerprint: [u8; 32],
}

/// What a sync will do, decided before anything changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan<'a> {
    /// Sources with an id the index does not hold: to be written.
    pub add: Vec<Incoming<'a>>,
    /// Sources whose stored copy has a different fingerprint: to be
    /// written again.
    pub update: Vec<Incoming<'a>>,
    /// Sources whose stored copy has the same fingerprint but was redacted
    /// by an older redactor version: to be written again.
    pub reredact: Vec<Incoming<'a>>,
    /// How many sources are already up to date (same fingerprint, current
    /// redactor): no work planned for them.
    pub unchanged: usize,
    /// Stored ids inside the scope that the sources no longer have.
    pub delete: Vec<String>,
}

impl SyncPlan<'_> {
    /// The report this plan will produce (each list in id order).
    pub fn report(&self) -> SyncReport {
        SyncReport {
            added: self.add.iter().map(|p| p.source.id.clone()).collect(),
            updated: self.update.iter().map(|p| p.source.id.clone()).collect(),
            reredacted: self.reredact.iter().map(|p| p.source.id.clone()).collect(),
            unchanged: self.unchanged,
            deleted: self.delete.clone(),
        }
        .sorted()
    }
}

impl Index {
    /// Brings the documents in `scope` up to date with `sources`: adds new
    /// ids, re-embeds documents whose fingerprint changed, leaves the rest
    /// alone, and deletes in-scope ids the sources no longer have. Running the
    /// same sync twice changes nothing the second time.
    ///
    /// The sources are checked first (non-empty ids; every document inside
    /// the scope; no personal data in collection names or new ids; an id
    /// given twice must carry the same content, and then counts once); a
    /// refused sync changes nothing.
    pub fn sync(
        &mut self,
        scope: &Scope,
        sources: &[SourceDoc],
        now: DateTime<Utc>,
    ) -> Result<SyncReport, SyncError> {
        let incoming = check_sources(scope, sources)?;
        let plan = self.checked_plan(scope, &incoming)?;
        let report = plan.report();
        for id in &plan.delete {
            self.docs.remove(id);
        }
        for incoming in plan.add.into_iter().chain(plan.update) {
            let doc = self.write(incoming.source, incoming.fingerprint, now);
            self.docs.insert(incoming.source.id.clone(), doc);
        }
        // A re-redaction redoes the redaction, not the content: the copy
        // keeps the time its content was written, so retention still counts
        // from then (a detector fix must not keep data longer).
        for incoming in plan.reredact {
            let written = self.docs.get(incoming.id).map(|d| d.indexed_at);
            let mut doc = self.write(incoming.source, incoming.fingerprint, now);
            doc.indexed_at = written.unwrap_or(now);
            self.docs.insert(incoming.source.id.clone(), doc);
        }
        Ok(report)
    }

    /// A dry run: what [`Index::sync`] would report for these sources, or
    /// why it would refuse them, without changing anything (no redaction, no
    /// embedding).
    pub fn plan(&self, scope: &Scope, sources: &[SourceDoc]) -> Result<SyncReport, SyncError> {
        let incoming = check_sources(scope, sources)?;
        Ok(self.checked_plan(scope, &incoming)?.report())
    }

    /// The learner's plan, with the one check that needs it: new ids must
    /// hold no personal data.
    fn checked_plan<'a>(
        &self,
        scope: &Scope,
        incoming: &[Incoming<'a>],
    ) -> Result<SyncPlan<'a>, SyncError> {
        let plan = crate::sync::plan_sync(self, scope, incoming);
        for new in &plan.add {
            if let Some(kind) = first_pii(&new.source.id) {
                return Err(SyncError::PiiInName { kind, field: "id" });
            }
        }
        Ok(plan)
    }
}

/// Checks the sources, fingerprints them, and returns them in id order,
/// ready for `plan_sync`, each id once: a source repeated with the same
/// fingerprint counts once, the same id with different content is refused.
/// Checking must cost little next to the hashing: each collection name is
/// scanned once, and duplicates are found as
/// neighbours after a sort (on a 16-byte prefix of the id, one integer
/// comparison in most cases) rather than by hashing every id.
fn check_sources<'a>(
    scope: &Scope,
    sources: &'a [SourceDoc],
) -> Result<Vec<Incoming<'a>>, SyncError> {
    // The collections seen so far: a handful per sync, so a short list
    // searched linearly beats a set (sources of two collections often
    // alternate, which would otherwise mean a set insertion per source).
    let mut collections: Vec<&str> = Vec::new();
    let mut last_collection: Option<&str> = None;
    let mut fingerprints = Vec::with_capacity(sources.len());
    let mut order: Vec<(u128, usize)> = Vec::with_capacity(sources.len());
    for (i, src) in sources.iter().enumerate() {
        if src.id.is_empty() {
            return Err(SyncError::EmptyId);
        }
        if last_collection != Some(src.collection.as_str()) {
            if !collections.contains(&src.collection.as_str()) {
                if !scope.contains(&src.collection) {
                    return Err(SyncError::OutOfScope {
                        id: src.id.clone(),
                        collection: src.collection.clone(),
                        scope: scope.to_string(),
                    });
                }
                collections.push(src.collection.as_str());
            }
            last_collection = Some(src.collection.as_str());
        }
        order.push((id_prefix(&src.id), i));
        fingerprints.push(src.fingerprint());
    }
    collections.sort_unstable();
    for name in collections {
        if let Some(kind) = first_pii(name) {
            return Err(SyncError::PiiInName {
                kind,
                field: "collection",
            });
        }
    }
    // Sort on the prefixes alone (integers, no string in sight), then put
    // each run of equal prefixes (ids longer than 16 bytes that share their
    // first 16) in full id order.
    order.sort_unstable_by_key(|(prefix, _)| *prefix);
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            // Equal ids keep their input order, so of a repeated id the
            // first copy is kept and a conflict names the earliest pair.
            run.sort_unstable_by(|(_, a), (_, b)| {
                sources[*a].id.cmp(&sources[*b].id).then(a.cmp(b))
            });
        }
    }
    // The same id twice: the same document delivered twice (two feeds, a
    // retried page) is one document; two different documents under one id
    // is a conflict nobody can resolve here, so the sync is refused and both
    // are named by their position in the input.
    let mut out: Vec<Incoming<'a>> = Vec::with_capacity(order.len());
    let mut last: Option<(u128, usize)> = None;
    for (prefix, i) in order {
        if let Some((p, j)) = last {
            if p == prefix && sources[j].id == sources[i].id {
                if fingerprints[j] != fingerprints[i] {
                    return Err(SyncError::ConflictingDuplicate {
                        id: sources[i].id.clone(),
                        first: i.min(j),
                        second: i.max(j),
                    });
                }
                // Identical: one document, the copy given first (equal ids
                // are in input order), already kept.
                continue;
            }
        }
        out.push(Incoming {
            id: &sources[i].id,
            source: &sources[i],
            fingerprint: fingerprints[i],
        });
        last = Some((prefix, i));
    }
    Ok(out)
}

/// The first 16 bytes of an id as one big-endian number, zero-padded.
/// Comparing two of these orders ids as comparing the strings does, except
/// that ids agreeing on their first 16 bytes (or differing only by trailing
/// zero bytes) compare equal and need the full comparison. Sorting on it
/// replaces most string comparisons with one integer comparison.
fn id_prefix(id: &str) -> u128 {
    let mut buf = [0u8; 16];
    let n = id.len().min(16);
    buf[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_orders_ids_like_the_strings() {
        let mut rng = labkit::SimRng::seed(9);
        let alphabet = b"ab/0\x00z";
        let ids: Vec<String> = (0..400)
            .map(|_| {
                let n = rng.below(24) as usize;
                (0..n)
                    .map(|_| char::from(*rng.pick(alphabet).unwrap_or(&b'a')))
                    .collect()
            })
            .collect();
        for a in &ids {
            for b in &ids {
                let by_prefix = id_prefix(a).cmp(&id_prefix(b)).then_with(|| a.cmp(b));
                assert_eq!(by_prefix, a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }
}

//! The index: an in-memory stand-in for a vector store, with the operations
//! that keep it honest.
//!
//! Documents are keyed by id in a `BTreeMap`, so every listing, report and
//! backup comes out in the same order on every run. Every write goes through
//! one door, [`Index::write`], which redacts first and embeds second; that
//! single door is what makes "nothing raw is ever stored" a property of the
//! code rather than a promise.
//!
//! The operations a learner writes are methods of [`Index`] too, each a
//! one-line call into the learner's function: [`Index::sync`] (its core,
//! `plan_sync`, is in `starters/m33/index/sync.rs`; the rest is in
//! [`crate::plan`]) and [`Index::sweep_expired`]
//! (`starters/m33/index/sweep.rs`).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use crate::document::{Scope, SourceDoc, StoredDoc};
use crate::embed::{cosine, embed, embed_cached, WordHashes};
use crate::redact;

/// A retrieval index.
///
/// Two indexes are equal when they hold the same name, documents and
/// retention policies; the embedding counter is an observation about the
/// work done, not content, and is not compared.
#[derive(Debug, Clone)]
pub struct Index {
    pub(crate) name: String,
    pub(crate) docs: BTreeMap<String, StoredDoc>,
    pub(crate) retention: BTreeMap<String, TimeDelta>,
    pub(crate) embed_calls: u64,
    /// Word hashes already computed by this index's writes.
    pub(crate) word_hashes: WordHashes,
}

impl PartialEq for Index {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.docs == other.docs && self.retention == other.retention
    }
}

/// What a sync did, by document id (each list sorted).
///
/// Keyed by id, a changed document is one **update**, not a delete plus an
/// add, and a document that did not change is counted, not touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// New ids: redacted, embedded and stored.
    pub added: Vec<String>,
    /// Ids whose source fingerprint changed: redacted and embedded again.
    pub updated: Vec<String>,
    /// Ids whose source is unchanged but whose stored copy was redacted by
    /// an older [`REDACTOR_VERSION`](crate::redaction::REDACTOR_VERSION):
    /// redacted and embedded again, so a detector fix reaches old copies.
    pub reredacted: Vec<String>,
    /// How many in-scope documents were already up to date (no work done).
    pub unchanged: usize,
    /// Ids in scope that the sources no longer have: removed.
    pub deleted: Vec<String>,
}

impl SyncReport {
    /// `true` when the sync changed nothing.
    pub fn is_noop(&self) -> bool {
        self.added.is_empty()
            && self.updated.is_empty()
            && self.reredacted.is_empty()
            && self.deleted.is_empty()
    }

    /// Puts every list in id order (the form reports and traces use).
    pub fn sorted(mut self) -> Self {
        self.added.sort();
        self.updated.sort();
        self.reredacted.sort();
        self.deleted.sort();
        self
    }
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged, {} deleted",
            self.added.len(),
            self.updated.len(),
            self.unchanged,
            self.deleted.len()
        )?;
        if !self.reredacted.is_empty() {
            write!(
                f,
                ", {} re-redacted (stored under an older redactor)",
                self.reredacted.len()
            )?;
        }
        Ok(())
    }
}

/// Why a sync was refused. A refused sync changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// Two sources share an id but not their content (text, collection or
    /// expiry): which one is the truth? Both are named by their 0-based
    /// position in the sources. (The same id with the same content is one
    /// document, not an error.)
    ConflictingDuplicate {
        /// The shared id.
        id: String,
        /// Position of the first of the two in the sources.
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// A scoped sync was given a document of another collection.
    OutOfScope {
        /// The document's id.
        id: String,
        /// Its collection.
        collection: String,
        /// The scope of the sync.
        scope: String,
    },
    /// An id or collection name contains personal data. Ids are printed in
    /// reports, traces and logs as they are, so they must be clean.
    PiiInName {
        /// The kind of data found (never the value).
        kind: crate::PiiKind,
        /// Which field: `id` or `collection`.
        field: &'static str,
    },
    /// An empty id.
    EmptyId,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::ConflictingDuplicate { id, first, second } => write!(
                f,
                "sources #{first} and #{second} both have the id `{id}` with different content; one id is one document: fix the source that is wrong"
            ),
            SyncError::OutOfScope { id, collection, scope } => write!(
                f,
                "`{id}` belongs to collection `{collection}`, outside this sync's scope ({scope}); sync that collection separately"
            ),
            SyncError::PiiInName { kind, field } => write!(
                f,
                "a document {field} contains personal data ({kind}); ids and collection names are printed as they are, choose ones without it"
            ),
            SyncError::EmptyId => f.write_str("a source has an empty id"),
        }
    }
}

impl std::error::Error for SyncError {}

/// One search result: the **redacted** text, never the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Its collection.
    pub collection: String,
    /// Cosine similarity with the query, in `[-1, 1]`.
    pub score: f32,
    /// The stored, redacted text.
    pub text: String,
}

/// A document a sweep removed, and when it had expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    /// Document id.
    pub id: String,
    /// Its collection.
    pub collection: String,
    /// The instant it expired (at or before the sweep's `now`).
    pub expired_at: DateTime<Utc>,
}

/// What a retention sweep removed, in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// The removed documents.
    pub removed: Vec<Expired>,
}

impl Index {
    /// An empty index called `name` (`docs_vA`).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            docs: BTreeMap::new(),
            retention: BTreeMap::new(),
            embed_calls: 0,
            word_hashes: WordHashes::default(),
        }
    }

    /// The index's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The same index under another name (a copy to build the next version
    /// from: `docs_vB` starts as a copy of `docs_vA`).
    pub fn renamed(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Number of stored documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// `true` when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// A stored document by id: the operator's view, which includes a
    /// document that has expired but not been swept yet. Serving paths use
    /// [`Index::read`] or [`Index::search`], which take `now`.
    pub fn get(&self, id: &str) -> Option<&StoredDoc> {
        self.docs.get(id)
    }

    /// Every stored document, in id order (the operator's view: expired
    /// documents not yet swept included).
    pub fn docs(&self) -> impl Iterator<Item = &StoredDoc> {
        self.docs.values()
    }

    /// Takes the document `id` out of the index and returns it (`None` when
    /// there is none). Removing is always safe: what is not stored cannot
    /// leak. Adding goes through [`Index::write`] and a sync, never around
    /// them.
    pub fn remove(&mut self, id: &str) -> Option<StoredDoc> {
        self.docs.remove(id)
    }

    /// Removes every document that has expired at `now` (its
    /// [`Index::expiry_of`] is at or before `now`) and reports them in id
    /// order, each with the instant it expired. The rest stays untouched.
    ///
    /// The learner's step: `sweep_expired` in `starters/m33/index/sweep.rs`.
    pub fn sweep_expired(&mut self, now: DateTime<Utc>) -> SweepReport {
        crate::sweep::sweep_expired(self, now)
    }

    /// How many documents this index has embedded since it was created (or
    /// restored: a restore embeds nothing). Search queries are not counted.
    /// This is the cost a sync exists to keep down, and what the lab's checks
    /// read to prove work was not done.
    pub fn embed_calls(&self) -> u64 {
        self.embed_calls
    }

    /// Keeps documents of `collection` for `ttl` after they were written.
    /// A document's own expiry, if earlier, still wins.
    pub fn set_retention(&mut self, collection: impl Into<String>, ttl: TimeDelta) {
        self.retention.insert(collection.into(), ttl);
    }

    /// The retention policies, by collection.
    pub fn retention(&self) -> &BTreeMap<String, TimeDelta> {
        &self.retention
    }

    /// When `doc` expires: the earlier of its own expiry and its
    /// collection's retention counted from when it was written; `None` when
    /// neither applies. A document is expired at `now` when this is at or
    /// before `now`: the expiry is the first instant it must not be served.
    pub fn expiry_of(&self, doc: &StoredDoc) -> Option<DateTime<Utc>> {
        let by_policy = self
            .retention
            .get(&doc.collection)
            .and_then(|ttl| doc.indexed_at.checked_add_signed(*ttl));
        match (doc.expires_at, by_policy) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The one door every write goes through: redact the source text, embed
    /// the redacted text (counting the call), and build the stored copy.
    /// `fingerprint` is the source's [`SourceDoc::fingerprint`], passed in
    /// because the caller has already computed it.
    pub fn write(
        &mut self,
        src: &SourceDoc,
        fingerprint: [u8; 32],
        now: DateTime<Utc>,
    ) -> StoredDoc {
        let redaction = redact(&src.text);
        let vector = embed_cached(&redaction.text, &mut self.word_hashes);
        self.embed_calls += 1;
        StoredDoc {
            id: src.id.clone(),
            collection: src.collection.clone(),
            redactions: u32::try_from(redaction.findings.len()).unwrap_or(u32::MAX),
            text: redaction.text,
            fingerprint,
            redactor: crate::redaction::REDACTOR_VERSION,
            indexed_at: now,
            expires_at: src.expires_at,
            vector,
        }
    }

    /// A drill of a detector change (for tests, checks and the story): makes
    /// the stored copy of `id` look as redactor version `version` left it,
    /// with `text` as its stored text, which may hold a value that version
    /// missed. The text is embedded again (not counted: this simulates the
    /// past, it is not work a sync did). Returns `false`, changing nothing,
    /// when there is no document `id` or `version` is not older than
    /// [`REDACTOR_VERSION`](crate::redaction::REDACTOR_VERSION). The next
    /// sync re-redacts the document from its source.
    pub fn plant_older_copy(&mut self, id: &str, version: u32, text: &str) -> bool {
        if version >= crate::redaction::REDACTOR_VERSION {
            return false;
        }
        let Some(doc) = self.docs.get_mut(id) else {
            return false;
        };
        doc.vector = embed_cached(text, &mut self.word_hashes);
        doc.text = text.to_string();
        doc.redactor = version;
        true
    }

    /// A full rebuild: a new index made from `sources`, every document
    /// redacted and embedded. The thing an incremental sync avoids; kept for
    /// comparison (and for when the embedding model itself changes).
    pub fn rebuild(
        name: impl Into<String>,
        sources: &[SourceDoc],
        now: DateTime<Utc>,
    ) -> Result<Self, SyncError> {
        let mut index = Index::new(name);
        index.sync(&Scope::All, sources, now)?;
        Ok(index)
    }

    /// `true` when `doc` may be served at `now`: it has no expiry, or its
    /// [`Index::expiry_of`] is still after `now`. Every read path asks this,
    /// so an expired document is never served, whether or not a sweep has
    /// removed it yet.
    pub fn is_live_at(&self, doc: &StoredDoc, now: DateTime<Utc>) -> bool {
        self.expiry_of(doc).is_none_or(|at| at > now)
    }

    /// The document `id` as a reader may see it at `now`: `None` when there
    /// is none, or when it has expired (even if no sweep has removed it yet).
    /// [`Index::get`] is the operator's view, expired documents included.
    pub fn read(&self, id: &str, now: DateTime<Utc>) -> Option<&StoredDoc> {
        self.docs.get(id).filter(|doc| self.is_live_at(doc, now))
    }

    /// The `k` stored documents most similar to `query` that are live at
    /// `now`, best first; equal scores are ordered by id, so the answer is
    /// the same on every run. The query is redacted before it is embedded,
    /// so personal data typed into a search box goes no further than this
    /// call.
    ///
    /// A document whose expiry is at or before `now` is never returned, even
    /// before [`Index::sweep_expired`] has run: the sweep reclaims space on
    /// its own schedule (hourly, nightly), but the expiry is the first
    /// instant the document must not be *served*, and a reader between two
    /// sweeps must not see it.
    pub fn search(&self, query: &str, k: usize, now: DateTime<Utc>) -> Vec<Hit> {
        if k == 0 {
            return Vec::new();
        }
        let q = embed(&redact(query).text);
        // Keep the best k in a small sorted buffer: cheaper than sorting
        // every score when the index is large and k is small.
        let mut best: Vec<(f32, &StoredDoc)> = Vec::with_capacity(k.min(self.docs.len()) + 1);
        // Without a retention policy or an expiry, no document can have
        // expired: skip the per-document check.
        let check =
            !self.retention.is_empty() || self.docs.values().any(|d| d.expires_at.is_some());
        for doc in self.docs.values() {
            if check && !self.is_live_at(doc, now) {
                continue;
            }
            let score = cosine(&q, &doc.vector);
            if best.len() == k && best.last().is_some_and(|(s, _)| score <= *s) {
                continue; // ties keep the earlier (smaller) id already held
            }
            let pos = best.partition_point(|(s, _)| *s >= score);
            best.insert(pos, (score, doc));
            best.truncate(k);
        }
        best.into_iter()
            .map(|(score, doc)| Hit {
                id: doc.id.clone(),
                collection: doc.collection.clone(),
                score,
                text: doc.text.clone(),
            })
            .collect()
    }
}

// These tests write documents, which redacts: they need the reference
// solution (the starter's `redact` is a `todo!`).
#[cfg(all(test, feature = "solution"))]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> SourceDoc {
        SourceDoc::new(id, "kb", text)
    }

    #[test]
    fn search_orders_ties_by_id() {
        let mut index = Index::new("t");
        let t = labkit::SimClock::new().now();
        // Same text, same vector, same score: the order is by id.
        let srcs = [
            doc("kb/c", "same words"),
            doc("kb/a", "same words"),
            doc("kb/b", "same words"),
        ];
        for s in &srcs {
            let stored = index.write(s, s.fingerprint(), t);
            index.docs.insert(s.id.clone(), stored);
        }
        let ids: Vec<String> = index
            .search("same words", 3, t)
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["kb/a", "kb/b", "kb/c"]);
        let ids: Vec<String> = index
            .search("same words", 2, t)
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["kb/a", "kb/b"]);
        assert!(index.search("x", 0, t).is_empty());
        assert_eq!(index.search("same words", usize::MAX, t).len(), 3);
    }

    #[test]
    fn expiry_is_the_earlier_of_document_and_policy() {
        let t = labkit::SimClock::new().now();
        let mut index = Index::new("t");
        let s = doc("kb/1", "x").expiring(t + TimeDelta::days(3));
        let stored = index.write(&s, s.fingerprint(), t);
        assert_eq!(index.expiry_of(&stored), Some(t + TimeDelta::days(3)));
        index.set_retention("kb", TimeDelta::days(1));
        assert_eq!(index.expiry_of(&stored), Some(t + TimeDelta::days(1)));
        index.set_retention("kb", TimeDelta::days(9));
        assert_eq!(index.expiry_of(&stored), Some(t + TimeDelta::days(3)));
        let plain = index.write(&doc("kb/2", "y"), [0; 32], t);
        assert_eq!(index.expiry_of(&plain), Some(t + TimeDelta::days(9)));
        assert_eq!(Index::new("u").expiry_of(&plain), None);
    }
}

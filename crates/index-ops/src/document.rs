//! Documents: what the sources hold, and what the index keeps of them.
//!
//! A [`SourceDoc`] is the current truth: a document as its source system
//! (a wiki, a ticket queue) has it right now, raw, possibly with personal
//! data in it. A [`StoredDoc`] is what the index keeps: the **redacted**
//! text, its embedding, and the fingerprint of the source it was made from.
//! Comparing the two fingerprints is how a sync knows a document is stale
//! without redacting or embedding anything.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::embed::Embedding;

/// A document as its source has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDoc {
    /// Stable identifier, the key of the index (`tickets/T-1041`). Ids and
    /// collection names are printed as they are, so they must not contain
    /// personal data; a sync refuses one that does.
    pub id: String,
    /// The collection the document belongs to (`handbook`, `tickets`): the
    /// unit of a scoped sync and of a retention policy.
    pub collection: String,
    /// The raw text, personal data and all.
    pub text: String,
    /// A per-document expiry, if the source sets one.
    pub expires_at: Option<DateTime<Utc>>,
}

impl SourceDoc {
    /// A document with no expiry of its own.
    pub fn new(
        id: impl Into<String>,
        collection: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            collection: collection.into(),
            text: text.into(),
            expires_at: None,
        }
    }

    /// The same document with a per-document expiry.
    pub fn expiring(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The source fingerprint: SHA-256 over everything the index derives
    /// from the source (collection, text and expiry). Two equal fingerprints
    /// mean there is nothing to redo; a different one means the stored copy
    /// is stale.
    ///
    /// It hashes the **raw** text, because computing it must be cheap enough
    /// to do for every document on every sync: redacting or embedding first
    /// would cost the very work a sync tries to avoid. A hash of a whole
    /// document reveals nothing a reader could use, so it is safe to store.
    ///
    /// ```
    /// use index_ops::SourceDoc;
    /// let a = SourceDoc::new("kb/1", "kb", "hello");
    /// let mut b = a.clone();
    /// assert_eq!(a.fingerprint(), b.fingerprint());
    /// b.text.push('!');
    /// assert_ne!(a.fingerprint(), b.fingerprint());
    /// ```
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update((self.collection.len() as u64).to_le_bytes());
        h.update(self.collection.as_bytes());
        match self.expires_at {
            Some(t) => {
                h.update([1]);
                h.update(t.timestamp().to_le_bytes());
                h.update(t.timestamp_subsec_nanos().to_le_bytes());
            }
            None => h.update([0]),
        }
        h.update(self.text.as_bytes());
        h.finalize().into()
    }
}

/// What the index keeps of a document: nothing raw.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDoc {
    /// The document id (the index key).
    pub id: String,
    /// Its collection.
    pub collection: String,
    /// The redacted text: what search results show.
    pub text: String,
    /// How many values redaction replaced.
    pub redactions: u32,
    /// [`SourceDoc::fingerprint`] of the source this copy was made from.
    pub fingerprint: [u8; 32],
    /// The [`REDACTOR_VERSION`](crate::redaction::REDACTOR_VERSION) that
    /// redacted this copy. A copy is derived from two things, the source and
    /// the redactor, so it is up to date only when both match: the pair
    /// (`fingerprint`, `redactor`) is what a sync compares.
    pub redactor: u32,
    /// When this copy was written (added or last updated).
    pub indexed_at: DateTime<Utc>,
    /// The source's own expiry, if any.
    pub expires_at: Option<DateTime<Utc>>,
    /// The embedding of [`text`](Self::text).
    pub vector: Embedding,
}

/// Which part of the index a sync is responsible for.
///
/// A sync deletes stored documents that are missing from its sources, so it
/// must know where its authority ends: a sync of the `tickets` collection
/// must not delete the handbook because the handbook was not in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every collection: the sources are the whole truth.
    All,
    /// One collection: other collections are left alone.
    Collection(String),
}

impl Scope {
    /// A scope of one collection.
    pub fn collection(name: impl Into<String>) -> Self {
        Scope::Collection(name.into())
    }

    /// `true` when documents of `collection` are in this scope.
    pub fn contains(&self, collection: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Collection(c) => c == collection,
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::All => f.write_str("all collections"),
            Scope::Collection(c) => write!(f, "collection `{c}`"),
        }
    }
}

//! LangChain's indexing API, in this crate: content-keyed writes with a
//! record manager and five ways of cleaning up.
//!
//! The lab's sync ([`Index::sync`]) keys documents by **id** and always
//! deletes what its scope no longer has: that is one cleanup policy out of
//! several. Pipelines that feed an index in pieces need the others, and
//! LangChain's `index()` names them. This module models `index()` of
//! **langchain-core 1.8.1** (`langchain_core/indexing/api.py`) and its
//! `InMemoryRecordManager`:
//!
//! - a document ([`Chunk`]) is keyed by a hash of its text **and** metadata
//!   ([`Chunk::key`]), so a changed chunk is a new key: an add, and the old
//!   key is left for cleanup to delete;
//! - the **source id** (`source_id_key`, a metadata field such as `source`)
//!   groups the chunks of one parent document;
//! - the input is cut into batches of `batch_size`; within a batch,
//!   duplicates (same key) are dropped, first copy kept, and **counted as
//!   skipped**;
//! - a key the record manager already holds is **skipped** (its record is
//!   refreshed, nothing is embedded), unless `force_update`, which writes it
//!   again and counts it **updated**; a new key is **added**;
//! - cleanup ([`Cleanup`]) then deletes records not seen by this run:
//!   `None` never; `Incremental` after each batch, only in the sources that
//!   batch carried; `Full` once at the end, everything not seen;
//!   `ScopedFull` once at the end, only in the sources the run carried.
//!   `force_update` is a flag beside any of them, as in LangChain.
//!
//! The figures of LangChain's own guide ("How to use the indexing API") are
//! tests in `tests/langchain_modes.rs`, and the same file runs seeded
//! scenarios through the real langchain-core and compares every count and
//! the final store.
//!
//! What is **not** modelled: the key's hash function (LangChain's default is
//! SHA-1 of a JSON form; here SHA-256 of a length-prefixed form, so the keys
//! differ but which documents share one does not); a callable
//! `source_id_key`; the async `aindex`; `DocumentIndex` stores and
//! `upsert_kwargs`; the wall clock (see [`crate::record_manager`]); and
//! partial failure: LangChain checks each batch as it comes, so a bad
//! document in batch 3 leaves batches 1 and 2 written, while [`index`]
//! checks everything first and a refused run changes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::detect::first_pii;
use crate::document::SourceDoc;
use crate::index::Index;
use crate::record_manager::RecordManager;

/// One document for [`index`]: text and metadata (often a chunk of a larger
/// source document, whose id is one of the metadata fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The raw text (redacted on write, like every write of this crate).
    pub text: String,
    /// Metadata, in key order; part of the chunk's identity.
    pub metadata: BTreeMap<String, String>,
}

impl Chunk {
    /// A chunk from `source` (metadata `source` = `source`), the shape of
    /// every example in LangChain's guide.
    pub fn from_source(text: impl Into<String>, source: impl Into<String>) -> Self {
        let mut metadata = BTreeMap::new();
        metadata.insert("source".to_string(), source.into());
        Self {
            text: text.into(),
            metadata,
        }
    }

    /// A chunk without metadata.
    pub fn bare(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            metadata: BTreeMap::new(),
        }
    }

    /// The content key: SHA-256 over the text and every metadata pair,
    /// each length-prefixed, in hex. Equal keys mean equal text and
    /// metadata; change either and the key changes.
    pub fn key(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(self.text.as_bytes());
        for (k, v) in &self.metadata {
            field(k.as_bytes());
            field(v.as_bytes());
        }
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    }
}

/// Which stored documents a run of [`index`] may delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleanup {
    /// LangChain's `None`: never delete; old versions stay until someone
    /// removes them.
    None,
    /// After each batch, delete the records of that batch's sources that
    /// this run has not seen: a changed source loses its old chunks as soon
    /// as the new ones are written. A source missing from the input is never
    /// touched, so the input may be any part of the data (a stream, one
    /// folder). Needs a source id key.
    Incremental,
    /// At the end, delete every record this run has not seen: the input must
    /// be the whole data set, or the rest is deleted.
    Full,
    /// At the end, delete the records this run has not seen, but only in
    /// the sources it carried: `Full` for the sources present, nothing for
    /// the others. Needs a source id key.
    ScopedFull,
}

impl Cleanup {
    /// LangChain's name of the mode (`None` for no cleanup).
    pub fn name(self) -> &'static str {
        match self {
            Cleanup::None => "None",
            Cleanup::Incremental => "incremental",
            Cleanup::Full => "full",
            Cleanup::ScopedFull => "scoped_full",
        }
    }

    /// The modes that delete only within the sources they see, and so must
    /// know each document's source.
    pub fn needs_source_ids(self) -> bool {
        matches!(self, Cleanup::Incremental | Cleanup::ScopedFull)
    }
}

impl fmt::Display for Cleanup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How [`index`] runs: LangChain's keyword arguments, with its defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Which stored documents may be deleted (default: none).
    pub cleanup: Cleanup,
    /// The metadata field holding a chunk's source id (default: none).
    pub source_id_key: Option<String>,
    /// Write documents the record manager already holds again (for new
    /// embeddings), counting them updated (default: off).
    pub force_update: bool,
    /// Documents per batch (default 100).
    pub batch_size: usize,
    /// Deletions per round of cleanup (default 1,000).
    pub cleanup_batch_size: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self {
            cleanup: Cleanup::None,
            source_id_key: None,
            force_update: false,
            batch_size: 100,
            cleanup_batch_size: 1_000,
        }
    }
}

impl IndexOptions {
    /// The defaults with `cleanup` and the source id key `source`, the
    /// settings of LangChain's guide.
    pub fn with_source(cleanup: Cleanup) -> Self {
        Self {
            cleanup,
            source_id_key: Some("source".to_string()),
            ..Self::default()
        }
    }

    /// The same options with `force_update` on.
    pub fn force(mut self) -> Self {
        self.force_update = true;
        self
    }

    /// The same options with another batch size.
    pub fn batches_of(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }
}

/// What a run did, in LangChain's four counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexingResult {
    /// Documents written under a new key.
    pub num_added: usize,
    /// Documents written again under a key already held (`force_update`).
    pub num_updated: usize,
    /// Documents not written: already held, or a duplicate within a batch.
    pub num_skipped: usize,
    /// Stored documents deleted by cleanup.
    pub num_deleted: usize,
}

impl fmt::Display for IndexingResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} skipped, {} deleted",
            self.num_added, self.num_updated, self.num_skipped, self.num_deleted
        )
    }
}

/// Why [`index`] refused a run. A refused run changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexingError {
    /// `Incremental` and `ScopedFull` delete within sources, so they need
    /// a source id key.
    SourceIdKeyRequired(Cleanup),
    /// A chunk lacks the source id field (0-based position in the input).
    MissingSourceId { position: usize, key: String },
    /// A batch size of zero.
    ZeroBatchSize,
    /// The record manager's namespace (used as the collection name, which
    /// is printed) contains personal data.
    PiiInNamespace(crate::PiiKind),
}

impl fmt::Display for IndexingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexingError::SourceIdKeyRequired(c) => write!(
                f,
                "cleanup `{c}` deletes within the sources it sees, so it needs a source id key"
            ),
            IndexingError::MissingSourceId { position, key } => write!(
                f,
                "document #{position} has no `{key}` metadata, the source id key of this run"
            ),
            IndexingError::ZeroBatchSize => f.write_str("batch sizes must be at least 1"),
            IndexingError::PiiInNamespace(kind) => write!(
                f,
                "the record manager's namespace contains personal data ({kind}); choose one without it"
            ),
        }
    }
}

impl std::error::Error for IndexingError {}

/// Indexes `docs` into `store`, keeping `records` in step, the way
/// langchain-core 1.8.1's `index()` does (see the module docs for what is
/// and is not modelled). Every write goes through [`Index::write`] (redact,
/// then embed), filed under the record manager's namespace as collection
/// and the chunk's [`Chunk::key`] as id. `now` is the write time the stored
/// copies carry (retention counts from it).
///
/// Everything is checked before the first write: a refused run changes
/// neither the store nor the records.
pub fn index(
    docs: &[Chunk],
    records: &mut RecordManager,
    store: &mut Index,
    options: &IndexOptions,
    now: DateTime<Utc>,
) -> Result<IndexingResult, IndexingError> {
    let sources = check(docs, records, options)?;
    let start = records.start_run();
    let mut result = IndexingResult::default();
    let mut seen_sources: BTreeSet<&str> = BTreeSet::new();
    let batch_size = options.batch_size;
    let batches = docs.chunks(batch_size).zip(sources.chunks(batch_size));
    for (batch, batch_sources) in batches {
        // Within a batch, one copy of each key: the first.
        let mut keys_in_batch = BTreeSet::new();
        let mut unique: Vec<(String, &Chunk, Option<&str>)> = Vec::new();
        for (doc, source) in batch.iter().zip(batch_sources) {
            let key = doc.key();
            if keys_in_batch.insert(key.clone()) {
                unique.push((key, doc, *source));
            }
        }
        result.num_skipped += batch.len() - unique.len();
        if options.cleanup == Cleanup::ScopedFull {
            seen_sources.extend(unique.iter().filter_map(|(_, _, s)| *s));
        }
        let held = records.exists(unique.iter().map(|(k, _, _)| k.as_str()));
        for ((key, doc, _), held) in unique.iter().zip(held) {
            match (held, options.force_update) {
                (true, false) => result.num_skipped += 1,
                (true, true) => {
                    write(store, records.namespace(), key, doc, now);
                    result.num_updated += 1;
                }
                (false, _) => {
                    write(store, records.namespace(), key, doc, now);
                    result.num_added += 1;
                }
            }
        }
        // Only after the writes: every document of the batch is seen now,
        // in its source.
        for (key, _, source) in &unique {
            records.update(key, *source);
        }
        if options.cleanup == Cleanup::Incremental {
            let groups: Vec<&str> = unique.iter().filter_map(|(_, _, s)| *s).collect();
            result.num_deleted += clean(records, store, start, Some(&groups), options);
        }
    }
    match options.cleanup {
        Cleanup::Full => result.num_deleted += clean(records, store, start, None, options),
        Cleanup::ScopedFull if !seen_sources.is_empty() => {
            let groups: Vec<&str> = seen_sources.into_iter().collect();
            result.num_deleted += clean(records, store, start, Some(&groups), options);
        }
        _ => {}
    }
    Ok(result)
}

/// The checks, all before any write; returns each document's source id.
fn check<'a>(
    docs: &'a [Chunk],
    records: &RecordManager,
    options: &IndexOptions,
) -> Result<Vec<Option<&'a str>>, IndexingError> {
    if options.batch_size == 0 || options.cleanup_batch_size == 0 {
        return Err(IndexingError::ZeroBatchSize);
    }
    if options.cleanup.needs_source_ids() && options.source_id_key.is_none() {
        return Err(IndexingError::SourceIdKeyRequired(options.cleanup));
    }
    if let Some(kind) = first_pii(records.namespace()) {
        return Err(IndexingError::PiiInNamespace(kind));
    }
    let Some(key) = options.source_id_key.as_deref() else {
        return Ok(vec![None; docs.len()]);
    };
    docs.iter()
        .enumerate()
        .map(|(position, doc)| match doc.metadata.get(key) {
            Some(source) => Ok(Some(source.as_str())),
            None => Err(IndexingError::MissingSourceId {
                position,
                key: key.to_string(),
            }),
        })
        .collect()
}

/// Writes one chunk through the index's one door, under its key.
fn write(store: &mut Index, namespace: &str, key: &str, doc: &Chunk, now: DateTime<Utc>) {
    let src = SourceDoc::new(key, namespace, doc.text.clone());
    let stored = store.write(&src, src.fingerprint(), now);
    store.docs.insert(key.to_string(), stored);
}

/// Deletes, in rounds of `cleanup_batch_size`, the records not seen since
/// `start` (within `groups` when given) and their documents; returns how
/// many.
fn clean(
    records: &mut RecordManager,
    store: &mut Index,
    start: u64,
    groups: Option<&[&str]>,
    options: &IndexOptions,
) -> usize {
    let mut deleted = 0;
    loop {
        let stale = records.stale_keys(start, groups, options.cleanup_batch_size);
        if stale.is_empty() {
            return deleted;
        }
        for key in &stale {
            store.remove(key);
        }
        records.delete_keys(&stale);
        deleted += stale.len();
    }
}

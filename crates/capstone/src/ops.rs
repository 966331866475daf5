//! What the on-call can act on: the release manager (M33 Part B) and the
//! knowledge-base index with its current sources (M33 Part A).
//!
//! A runbook play (M31) is data: "roll back to the last-good release",
//! "re-index the changed documents". [`Operations`] is the thing a play is
//! executed *against*; the learner's `execute_play` (`starters/m34/mitigate.rs`)
//! turns the one into a call on the other and reports what it did as a
//! [`Mitigation`].

use index_ops::{Index, SourceDoc, SyncReport};
use release_ops::{ChecklistStep, ReleaseManager, RollbackReport};

/// The systems a play acts on.
#[derive(Debug, Clone)]
pub struct Operations {
    /// Releases: live, last-good, canary, rollback (M33 Part B).
    pub releases: ReleaseManager,
    /// The index the assistant answers from (M33 Part A).
    pub index: Index,
    /// The knowledge base as its sources have it now: the truth the index
    /// should reflect.
    pub sources: Vec<SourceDoc>,
}

/// What a mitigation did.
// One value per incident: its size does not matter, and unboxed variants
// keep the learner's `Mitigation::Reindex(..)` plain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Mitigation {
    /// The release went back to last-good, by the rollback checklist.
    Rollback(RollbackReport),
    /// The changed documents were re-indexed.
    Reindex(Reindex),
}

impl Mitigation {
    /// One line for the trace.
    pub fn summary(&self) -> String {
        match self {
            Mitigation::Rollback(r) => format!(
                "rolled back {} -> {} by the checklist ({} steps: {})",
                r.from,
                r.to,
                r.steps.len(),
                r.kinds().join(", ")
            ),
            Mitigation::Reindex(r) => format!(
                "re-indexed: {} ({} embedding calls), index {} -> {}",
                r.sync, r.embedded, r.index_hash_before, r.index_hash
            ),
        }
    }
}

/// What a re-index did: the sync's report, the work it cost, and the new
/// index hash that the release manager now answers from.
#[derive(Debug, Clone, PartialEq)]
pub struct Reindex {
    /// Added / updated / unchanged / deleted, by id.
    pub sync: SyncReport,
    /// Embedding calls the sync made (a full rebuild would make one per document).
    pub embedded: u64,
    /// The index hash before the sync.
    pub index_hash_before: String,
    /// The index hash after it.
    pub index_hash: String,
    /// The cache namespace rotation that followed (keys include the index hash).
    pub cache: ChecklistStep,
}

/// A short content hash of an index: `idx-` and 8 hex digits over every
/// stored document's id and source fingerprint. Two indexes holding the same
/// versions of the same documents have the same hash; re-indexing a changed
/// document changes it. The release manager records it in captured state and
/// cache keys.
pub fn index_hash(index: &Index) -> String {
    let mut bytes = Vec::new();
    for d in index.docs() {
        bytes.extend_from_slice(d.id.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(&d.fingerprint);
    }
    let hex = labkit::digest::sha256_hex(&bytes);
    format!("idx-{}", hex.get(..8).unwrap_or(&hex))
}

/// The assistant's knowledge base: the handbook pages it answers from.
/// `policy_rev` 0 is the text the index was built from; a higher revision
/// rewrites every `every`-th page, as a policy update would.
pub fn knowledge_base(pages: usize, policy_rev: u32, every: usize) -> Vec<SourceDoc> {
    const TOPICS: [&str; 5] = ["refunds", "billing", "shipping", "account", "security"];
    (0..pages)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let changed = policy_rev > 0 && every > 0 && i % every == 0;
            let rev = if changed { policy_rev } else { 0 };
            let text = format!(
                "Handbook page {i} on {topic}, revision {rev}: {}",
                if changed {
                    "the policy changed this week; the previous rule no longer applies."
                } else {
                    "the rule as it has been all year."
                }
            );
            SourceDoc::new(format!("handbook/{topic}-{i:02}"), "handbook", text)
        })
        .collect()
}

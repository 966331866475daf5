//! Optional challenge · A stale-index outage. Guide: `labs/m34/README.md`,
//! "Optional challenge". Write the eval check first (`stale_index_fixed`),
//! watch it fail, then the play (`reindex_stale`).
//!
//! `StaleReport` is in `crates/capstone/src/extension.rs`; `Reindex`,
//! `Mitigation` and `index_hash` in `ops.rs`.

use chrono::{DateTime, Utc};
use index_ops::Scope;

use crate::assertion::{Assertion, AssertionId};
use crate::error::ShiftError;
use crate::extension::StaleReport;
use crate::ops::{index_hash, Mitigation, Operations, Reindex};
use crate::shift_report::pct;

/// Step X1 · The eval check, written first. `StaleIndexReindexed` passes
/// only when all of these hold (fail with the first that does not):
///
/// - the mitigation was a `Mitigation::Reindex`;
/// - its sync updated exactly `r.changed_docs` (both in id order);
/// - it made exactly one embedding call per changed document (not a rebuild);
/// - no stale document is left (`r.stale_after == 0`);
/// - the SLI is back within the SLO (`r.sli_after >= r.slo_target`);
/// - the live release did not change (`r.live_before == r.live_after`):
///   a stale index is not fixed by a rollback.
pub fn stale_index_fixed(r: &StaleReport) -> Assertion {
    // BEGIN SOLUTION stale_index_fixed: fail with the first unmet condition (re-index, exactly the changed ids, one embedding each, none stale, SLI back, release untouched)
    let id = AssertionId::StaleIndexReindexed;
    let Some(Mitigation::Reindex(x)) = &r.mitigation else {
        return Assertion::fail(
            id,
            "the mitigation was not a re-index of the changed documents",
        );
    };
    if x.sync.updated != r.changed_docs {
        return Assertion::fail(
            id,
            format!(
                "re-indexed {:?}, but the changed documents were {:?}",
                x.sync.updated, r.changed_docs
            ),
        );
    }
    if x.embedded != r.changed_docs.len() as u64 {
        return Assertion::fail(
            id,
            format!(
                "{} embedding calls for {} changed documents: that is not an incremental re-index",
                x.embedded,
                r.changed_docs.len()
            ),
        );
    }
    if r.stale_after != 0 {
        return Assertion::fail(id, format!("{} documents are still stale", r.stale_after));
    }
    match r.sli_after {
        Some(s) if s >= r.slo_target => {}
        other => {
            return Assertion::fail(
                id,
                format!(
                    "SLI after is {}, below the SLO {}",
                    other.map(pct).unwrap_or_else(|| "unknown".into()),
                    pct(r.slo_target)
                ),
            )
        }
    }
    if r.live_before != r.live_after {
        return Assertion::fail(
            id,
            format!(
                "the live release changed ({:?} -> {:?}): a stale index is fixed without a rollback",
                r.live_before, r.live_after
            ),
        );
    }
    Assertion::pass(
        id,
        format!(
            "{} changed of {} re-embedded ({}), none stale, SLI {}, live release untouched",
            r.changed_docs.len(),
            r.pages,
            x.sync,
            r.sli_after.map(pct).unwrap_or_default()
        ),
    )
    // END SOLUTION
}

/// Step X2 · The play: re-index the changed documents. Sync `ops.index`
/// against `ops.sources` over every collection at `now` (M33's sync
/// re-embeds only what changed), count the embedding calls it made
/// (`Index::embed_calls` before and after), then tell the release manager
/// the service now answers from the new `index_hash` and rotate its cache
/// namespace (cache keys include the index hash).
pub fn reindex_stale(ops: &mut Operations, now: DateTime<Utc>) -> Result<Reindex, ShiftError> {
    // BEGIN SOLUTION reindex_stale: sync against the sources, count the embeddings, record the new index hash and rotate the cache
    let index_hash_before = index_hash(&ops.index);
    let calls = ops.index.embed_calls();
    let sync = ops.index.sync(&Scope::All, &ops.sources, now)?;
    let embedded = ops.index.embed_calls() - calls;
    let hash = index_hash(&ops.index);
    ops.releases.set_index_hash(&hash);
    let cache = ops.releases.rotate_cache_namespace();
    Ok(Reindex {
        sync,
        embedded,
        index_hash_before,
        index_hash: hash,
        cache,
    })
    // END SOLUTION
}

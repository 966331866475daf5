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
    todo!("stale_index_fixed: fail with the first unmet condition (re-index, exactly the changed ids, one embedding each, none stale, SLI back, release untouched)")
}

/// Step X2 · The play: re-index the changed documents. Sync `ops.index`
/// against `ops.sources` over every collection at `now` (M33's sync
/// re-embeds only what changed), count the embedding calls it made
/// (`Index::embed_calls` before and after), then tell the release manager
/// the service now answers from the new `index_hash` and rotate its cache
/// namespace (cache keys include the index hash).
pub fn reindex_stale(ops: &mut Operations, now: DateTime<Utc>) -> Result<Reindex, ShiftError> {
    todo!("reindex_stale: sync against the sources, count the embeddings, record the new index hash and rotate the cache")
}

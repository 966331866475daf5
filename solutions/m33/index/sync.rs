//! Step A3 · Sync: re-embed only what changed. Guide: `labs/m33/README.md`,
//! Part A, step A3.

use std::cmp::Ordering;

use crate::document::Scope;
use crate::index::Index;
use crate::plan::{Incoming, SyncPlan};
use crate::redaction::REDACTOR_VERSION;

/// Plans a sync of `index`: which sources to add, which to update, how many
/// are unchanged, and which stored documents to delete. It only decides
/// (`&Index`: it cannot change the index); [`Index::sync`] does the work
/// afterwards (see [`crate::plan`]), so a plan must list exactly the
/// documents that need it.
///
/// Given: the walk that pairs each incoming source (checked, in id order)
/// with the stored document of the same id, if there is one, and the
/// deletions (stored documents inside `scope` that the sources no longer
/// have; nothing outside the scope is touched). You write the decision for
/// one source `new` and its stored copy `same_id`:
/// - no stored document: **add** (push `new` onto `plan.add`);
/// - a stored one with a different fingerprint (`doc.fingerprint` against
///   `new.fingerprint`): **update** (`plan.update`);
/// - the same fingerprint, but the stored copy was redacted by an older
///   redactor (`doc.redactor` below [`REDACTOR_VERSION`]): **re-redact**
///   (`plan.reredact`), because the old copy may hold a value the old
///   detectors missed;
/// - the same fingerprint and the current redactor: **unchanged** (add one
///   to `plan.unchanged`, a count), and no work planned at all.
pub fn plan_sync<'a>(index: &Index, scope: &Scope, incoming: &[Incoming<'a>]) -> SyncPlan<'a> {
    let mut plan = SyncPlan::default();
    // Both lists are in id order, so one walk along the two (a merge) pairs
    // them with no lookups.
    let mut stored = index.docs().peekable();
    for &new in incoming {
        // Stored ids that sort before this one are not among the sources:
        // stale, if this sync is responsible for their collection.
        let same_id = loop {
            match stored.peek().map(|doc| doc.id.as_str().cmp(new.id)) {
                Some(Ordering::Less) => {
                    if let Some(doc) = stored.next() {
                        if scope.contains(&doc.collection) {
                            plan.delete.push(doc.id.clone());
                        }
                    }
                }
                Some(Ordering::Equal) => break stored.next(),
                Some(Ordering::Greater) | None => break None,
            }
        };
        // BEGIN SOLUTION plan_sync: add, update, re-redact or count as unchanged, by the stored copy's fingerprint and redactor version
        match same_id {
            None => plan.add.push(new),
            Some(doc) if doc.fingerprint != new.fingerprint => plan.update.push(new),
            Some(doc) if doc.redactor < REDACTOR_VERSION => plan.reredact.push(new),
            Some(_) => plan.unchanged += 1,
        }
        // END SOLUTION
    }
    // Whatever is left sorts after the last source.
    for doc in stored {
        if scope.contains(&doc.collection) {
            plan.delete.push(doc.id.clone());
        }
    }
    plan
}

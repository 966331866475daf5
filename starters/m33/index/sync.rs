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
/// `incoming` holds the checked sources in **id order** (ids unique, every
/// source inside `scope`), each with its source fingerprint. Compare it with
/// the stored document of the same id ([`Index::get`]; [`Index::docs`] lists
/// them all, in id order too):
/// - no stored document: **add**;
/// - a stored one with a different fingerprint: **update**;
/// - the same fingerprint, but the stored copy was redacted by an older
///   redactor (`doc.redactor` below [`REDACTOR_VERSION`]): **re-redact**,
///   because the old copy may hold a value the old detectors missed;
/// - the same fingerprint and the current redactor: **unchanged**, and no
///   work planned at all.
///
/// Then every stored document whose collection is in `scope` but whose id is
/// not among the sources is to be **deleted**. Documents outside the scope
/// are never touched.
///
/// Looking each id up with `index.get(id)` is correct. Because both lists are
/// sorted, one walk along the two at once (a merge) finds every difference
/// with no lookups at all, which is what the reference does.
pub fn plan_sync<'a>(index: &Index, scope: &Scope, incoming: &[Incoming<'a>]) -> SyncPlan<'a> {
    todo!("plan_sync: diff by id, fingerprint and redactor version; plan to write only added, changed or re-redacted documents and to delete in-scope ids the sources no longer have")
}

//! Step A4 · Retention: sweep what has expired. Guide: `labs/m33/README.md`,
//! Part A, step A4.

use chrono::{DateTime, Utc};

use crate::index::{Expired, Index, SweepReport};

/// Removes every document of `index` that has expired at `now` and reports
/// them in id order, each with the instant it expired. The crate calls this
/// as [`Index::sweep_expired`].
///
/// A document's expiry is [`Index::expiry_of`] (its own expiry or its
/// collection's retention, whichever comes first; `None` means it never
/// expires). A document whose expiry is **exactly `now`** is expired: the
/// expiry is the first instant it must no longer be served. Everything else
/// stays, untouched.
///
/// Given: the walk over the documents in id order, and the removal after it
/// (collect first, then remove: the walk borrows the index). You decide,
/// for one `doc`, whether it goes on the `removed` list, as an [`Expired`]
/// with its id, its collection and the instant it expired (the fields `id`,
/// `collection` and `expired_at`; `doc.id` and `doc.collection` are
/// `String`s, so clone them: the walk only borrows `doc`).
pub fn sweep_expired(index: &mut Index, now: DateTime<Utc>) -> SweepReport {
    let mut removed: Vec<Expired> = Vec::new();
    for doc in index.docs() {
        // BEGIN SOLUTION sweep_expired: is its expiry at or before now? then list it with the instant it expired
        if let Some(at) = index.expiry_of(doc) {
            if at <= now {
                removed.push(Expired {
                    id: doc.id.clone(),
                    collection: doc.collection.clone(),
                    expired_at: at,
                });
            }
        }
        // END SOLUTION
    }
    for e in &removed {
        index.remove(&e.id);
    }
    SweepReport { removed }
}

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
/// stays, untouched. [`Index::docs`] lists the documents in id order;
/// [`Index::remove`] takes one out.
pub fn sweep_expired(index: &mut Index, now: DateTime<Utc>) -> SweepReport {
    todo!("sweep_expired: find documents whose expiry is at or before now, remove them, report each with its expiry")
}

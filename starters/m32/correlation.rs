//! Part A · Correlation: the functions you write. Guide: `labs/m32/README.md`, Part A.
//!
//! The crate calls these from `desk::correlate`: your `dedup` first, then your
//! `inhibits` for each candidate pair, your `group_key` for each alert, and
//! your `probable_cause` for each incident.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::alert::{Alert, Deduped, Fingerprint, FNV_OFFSET, FNV_PRIME, SEPARATOR};
use crate::correlate::{matches_all, Cause, GroupKey, InhibitRule, GROUP_BY_ALL};
use crate::topology::Topology;

/// Step A1 · Fingerprint. The identity of an alert, computed the way
/// Prometheus does: FNV-1a (64-bit) over every label **name**, a
/// [`SEPARATOR`] byte, its **value**, another [`SEPARATOR`], for each label in
/// sorted order (a `BTreeMap` iterates sorted already). Start from
/// [`FNV_OFFSET`]; for each byte, XOR it into the hash, then multiply by
/// [`FNV_PRIME`] with wrapping arithmetic. Annotations play no part. The
/// result is the hash wrapped in the newtype [`Fingerprint`]`(u64)`.
pub fn fingerprint(labels: &BTreeMap<String, String>) -> Fingerprint {
    todo!("fingerprint: FNV-1a over each sorted label name, 0xff, value, 0xff")
}

/// Step A2 · Deduplicate. Fold the records (in order of arrival) that have
/// the same fingerprint into one [`Deduped`] each, in order of each
/// fingerprint's first arrival, the way Alertmanager 0.25.0 stores repeats.
///
/// Given: the bookkeeping (where each fingerprint's alert is, its first
/// record stored as it came, `records` counting every record, the first
/// known `deploy` kept) and, for a merge, which end wins
/// ([`with_winning_end`]). You write `meet`: what is stored when a record
/// (`new`) meets the alert stored so far (`old`). Their spans run from
/// `starts_at` to `activity.until`:
///
/// - **They overlap** when the new end lies strictly inside `old`'s span, or
///   the new start does: `old.start < new.end < old.end` or
///   `old.start < new.start < old.end`. Then **merge**: the new record with
///   the **earlier** of the two starts, passed through [`with_winning_end`].
/// - **Otherwise** the new record **replaces** the stored one, start and
///   all: a re-fire after a resolve is a new activity.
pub fn dedup(records: &[Alert]) -> Vec<Deduped> {
    let meet = |old: &Alert, new: &Alert| -> Alert {
        todo!("dedup: overlapping spans merge (the earlier start, then with_winning_end), anything else replaces")
    };
    let mut out: Vec<Deduped> = Vec::new();
    // Where each fingerprint's alert is in `out`.
    let mut seen: BTreeMap<Fingerprint, usize> = BTreeMap::new();
    for record in records {
        let fp = fingerprint(&record.labels);
        let Some(&i) = seen.get(&fp) else {
            // The first record of this fingerprint is stored as it came.
            seen.insert(fp, out.len());
            out.push(Deduped {
                alert: record.clone(),
                fingerprint: fp,
                records: 1,
            });
            continue;
        };
        let d = &mut out[i];
        let mut stored = meet(&d.alert, record);
        // The desk's own field: the first known deploy stays.
        stored.deploy = d.alert.deploy.clone().or(stored.deploy);
        d.alert = stored;
        d.records += 1;
    }
    out
}

/// Given: the end of a merge, as Alertmanager 0.25.0's `Alert.Merge`
/// chooses it. `merged` is the new record (with the earlier start already
/// set); it keeps its own end unless `old`'s wins:
///
/// - if the new record had already ended when it arrived
///   (`activity.resolved_at(received)`), `old`'s end wins only when `old`
///   had ended by then too and ends later (two replicas resolve at slightly
///   different times; a late resolve must not move the end back);
/// - if it had not, `old`'s end wins when it is later and was *sent*: a
///   timeout's end never beats a sent one.
///
/// The winner's `activity.until` and `ends_at` travel together; the
/// timeout flag and `received` stay the new record's.
fn with_winning_end(old: &Alert, mut merged: Alert) -> Alert {
    let now = merged.activity.received;
    let (old_end, new_end) = (old.activity.until, merged.activity.until);
    let old_wins = if merged.activity.resolved_at(now) {
        old.activity.resolved_at(now) && old_end > new_end
    } else {
        old_end > new_end && !old.activity.timeout
    };
    if old_wins {
        merged.activity.until = old_end;
        merged.ends_at = old.ends_at;
    }
    merged
}

/// Step A3 · Group key. One `(name, value)` pair per distinct label name in
/// `group_by` that the alert **has** (with a non-empty value), sorted by
/// name: a label the alert lacks is left out of the key, as Alertmanager
/// does. [`GROUP_BY_ALL`] (`...`) in `group_by` means every label of the
/// alert. An empty `group_by` gives the empty key, so every alert shares one
/// group. The key is `GroupKey(pairs)`, `pairs` a `Vec<(String, String)>`
/// of (name, value); `alert.labels` is a `BTreeMap`, so walking it gives the
/// names sorted already.
pub fn group_key(alert: &Alert, group_by: &[String]) -> GroupKey {
    todo!("group_key: the group_by labels the alert has, sorted by name; `...` = all of them")
}

/// Step A4 · Inhibition. Does `source` mute `target` under `rule`? Yes when
/// all of these hold: `source` is firing and matches the rule's source side
/// (`rule.source`, a list of matchers); `target` matches the target side
/// (`rule.target`); every label in `rule.equal` has the same
/// value on both (missing = `""`, use [`Alert::label`]); and it is not the case
/// that both alerts match *both* sides. Use [`matches_all`].
pub fn inhibits(rule: &InhibitRule, source: &Alert, target: &Alert) -> bool {
    todo!("inhibits: firing source, both sides match, equal labels agree, no two-sided pair")
}

/// Step A5 · Probable cause. Among the services of an incident's `alerts`,
/// blame the one that **explains** the most of them — itself plus every
/// alerting service that depends on it ([`Topology::depends_on`]). On a tie,
/// the service whose first alert started earliest; then the smaller name.
/// The [`Cause`] names that service, its earliest alert (smaller fingerprint
/// on a tie) and when it started, the first known `deploy` among the
/// service's alerts taken by start time, and the services explained, sorted.
/// `None` for no alerts.
pub fn probable_cause(alerts: &[&Alert], topology: &Topology) -> Option<Cause> {
    todo!("probable_cause: pick the service upstream of the most alerting services, earliest on a tie")
}

//! Properties of the index operations, over many seeds.
#![cfg(feature = "solution")]

use chrono::TimeDelta;
use index_ops::backup::{seal, HEADER_LEN, VERSION};
use index_ops::corpus;
use index_ops::story::contains;
use index_ops::{AliasError, AliasTable, BackupError, Index, PiiKind, Scope, SourceDoc, SyncError};
use labkit::{SimClock, SimRng};

fn seeded(seed: u64, n: usize, len: usize, max_pii: usize) -> (Vec<SourceDoc>, Vec<String>) {
    let mut rng = SimRng::seed(seed);
    let docs = corpus::corpus(&mut rng, n, len, max_pii);
    let raw = docs
        .iter()
        .flat_map(|d| d.planted.iter().map(|(p, _)| p.value.clone()))
        .collect();
    (docs.into_iter().map(|d| d.source).collect(), raw)
}

#[test]
fn no_raw_value_is_stored_backed_up_returned_or_traced() {
    // Every class, in its hard forms too (the corpus plants ITINs, SSNs
    // with dots, IBANs in any case and spacing, RFC 5322 and IDN addresses),
    // through a first sync, a detector change (copies planted as an older
    // redactor left them, raw values and all) and the re-redacting sync.
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..40u64 {
        let mut rng = SimRng::seed(seed);
        let docs = corpus::corpus(&mut rng, 30, 300, 4);
        let raw: Vec<String> = docs
            .iter()
            .flat_map(|d| d.planted.iter().map(|(p, _)| p.value.clone()))
            .collect();
        kinds.extend(
            docs.iter()
                .flat_map(|d| d.planted.iter().map(|(p, _)| p.kind)),
        );
        let sources: Vec<SourceDoc> = docs.iter().map(|d| d.source.clone()).collect();
        let t = SimClock::new().now();
        let mut trace = labkit::Trace::new(format!("seed {seed}"));
        let mut index = Index::new("docs_vA");
        let r = index.sync(&Scope::All, &sources, t).unwrap();
        trace.at(t, "sync", r.to_string());
        for d in docs.iter().filter(|d| !d.planted.is_empty()).take(3) {
            index.plant_older_copy(&d.source.id, 1, &d.source.text);
        }
        let r = index.sync(&Scope::All, &sources, t).unwrap();
        trace.at(
            t,
            "sync",
            format!("{r} [re-redacted: {}]", r.reredacted.join(", ")),
        );
        for doc in index.docs() {
            trace.note("stored", format!("{}: {}", doc.id, doc.text));
        }
        let backup = index.backup();
        let mut hits = Vec::new();
        for value in &raw {
            for hit in index.search(&format!("about {value}"), 8, t) {
                trace.note("search", format!("{} {}", hit.id, hit.text));
                hits.push(hit);
            }
        }
        let text = trace.to_text();
        for value in &raw {
            assert!(
                index.docs().all(|d| !d.text.contains(value.as_str())),
                "seed {seed}: stored"
            );
            assert!(!contains(&backup, value.as_bytes()), "seed {seed}: backup");
            assert!(
                hits.iter().all(|h| !h.text.contains(value.as_str())),
                "seed {seed}: search result"
            );
            assert!(!text.contains(value.as_str()), "seed {seed}: trace");
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        PiiKind::ALL.to_vec(),
        "every class was planted"
    );
    // The reference story, over many seeds: its trace and its backup.
    for seed in 0..10u64 {
        let run = index_ops::story::run_part_a(seed);
        let text = run.trace.to_text();
        for value in &run.raw_values {
            assert!(!text.contains(value.as_str()), "story seed {seed}: trace");
            assert!(
                !contains(&run.backup, value.as_bytes()),
                "story seed {seed}: backup"
            );
        }
    }
}

#[test]
fn restore_of_backup_is_the_same_index_with_the_same_answers() {
    for seed in 0..25u64 {
        let (sources, _) = seeded(seed, 40, 250, 2);
        let mut index = Index::new(format!("docs_v{seed}"));
        index.set_retention("tickets", TimeDelta::hours(seed as i64 + 1));
        let t = SimClock::new().now();
        let (a, b) = sources.split_at(sources.len() / 2);
        index.sync(&Scope::All, a, t).unwrap();
        let mut both = a.to_vec();
        both.extend(
            b.iter()
                .cloned()
                .map(|s| s.expiring(t + TimeDelta::days(2))),
        );
        index
            .sync(&Scope::All, &both, t + TimeDelta::minutes(3))
            .unwrap();
        let restored = Index::restore(&index.backup()).unwrap();
        assert_eq!(restored, index, "seed {seed}");
        assert_eq!(restored.embed_calls(), 0, "a restore embeds nothing");
        let mut rng = SimRng::seed(seed);
        for _ in 0..10 {
            let q: Vec<&str> = (0..3).map(|_| *rng.pick(corpus::WORDS).unwrap()).collect();
            let q = q.join(" ");
            assert_eq!(
                restored.search(&q, 5, t),
                index.search(&q, 5, t),
                "seed {seed}, query {q:?}"
            );
        }
        assert_eq!(
            restored.backup(),
            index.backup(),
            "backups are deterministic"
        );
    }
}

#[test]
fn re_embeds_equal_changed_documents() {
    for seed in 0..30u64 {
        let (mut sources, _) = seeded(seed, 50, 200, 1);
        let mut clock = SimClock::new();
        let mut index = Index::new("docs_vA");
        index.sync(&Scope::All, &sources, clock.now()).unwrap();
        let mut rng = SimRng::seed(1000 + seed);
        let mut changed = std::collections::BTreeSet::new();
        for _ in 0..rng.below(15) {
            let i = rng.below(sources.len() as u64) as usize;
            // Text, collection-preserving expiry: both change the fingerprint.
            if rng.chance(0.5) {
                sources[i].text.push('!');
            } else {
                sources[i].expires_at =
                    Some(clock.now() + TimeDelta::days(rng.between(1, 9) as i64));
            }
            changed.insert(sources[i].id.clone());
        }
        clock.advance(TimeDelta::minutes(1));
        let before = index.embed_calls();
        let r = index.sync(&Scope::All, &sources, clock.now()).unwrap();
        assert_eq!(
            index.embed_calls() - before,
            changed.len() as u64,
            "seed {seed}"
        );
        assert_eq!(r.updated, changed.into_iter().collect::<Vec<_>>());
        let before = index.embed_calls();
        assert!(index
            .sync(&Scope::All, &sources, clock.now())
            .unwrap()
            .is_noop());
        assert_eq!(
            index.embed_calls(),
            before,
            "second identical sync embeds nothing"
        );
        // A rebuild embeds everything: the cost the sync avoided.
        let rebuilt = Index::rebuild("docs_vB", &sources, clock.now()).unwrap();
        assert_eq!(rebuilt.embed_calls(), sources.len() as u64);
        assert_eq!(
            rebuilt.docs().map(|d| &d.text).collect::<Vec<_>>(),
            index.docs().map(|d| &d.text).collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_truncation_and_many_bit_flips_are_refused_leaving_the_index_unchanged() {
    let (sources, _) = seeded(5, 15, 200, 2);
    let mut live = Index::new("docs_vA");
    live.sync(&Scope::All, &sources, SimClock::new().now())
        .unwrap();
    let bytes = live.backup();
    let snapshot = live.clone();
    for cut in 0..bytes.len() {
        let err = live.restore_in_place(&bytes[..cut]).unwrap_err();
        assert_eq!(err.code(), "truncated", "cut {cut}");
    }
    let mut rng = SimRng::seed(6);
    for _ in 0..3_000 {
        let mut bad = bytes.clone();
        let at = rng.below(bad.len() as u64) as usize;
        bad[at] ^= 1 << rng.below(8);
        let err = live.restore_in_place(&bad).unwrap_err();
        let want: &[&str] = match at {
            0..=7 => &["bad_magic"],
            8..=9 => &["unsupported_version"],
            10..=17 => &["truncated", "trailing_bytes"],
            _ => &["checksum_mismatch"],
        };
        assert!(want.contains(&err.code()), "flip at {at}: {err}");
    }
    // Two flips, random appended and removed bytes.
    for _ in 0..500 {
        let mut bad = bytes.clone();
        for _ in 0..2 {
            let at = rng.between(HEADER_LEN as u64, bad.len() as u64 - 1) as usize;
            bad[at] ^= 1 << rng.below(8);
        }
        if bad != bytes {
            assert!(live.restore_in_place(&bad).is_err());
        }
    }
    assert_eq!(live, snapshot);
    assert_eq!(live.restore_in_place(&bytes).unwrap(), snapshot.len());
    assert_eq!(live, snapshot);
}

#[test]
fn tampered_payloads_with_recomputed_checksums_are_refused() {
    let (sources, raw) = seeded(8, 10, 200, 3);
    let mut live = Index::new("docs_vA");
    live.sync(&Scope::All, &sources, SimClock::new().now())
        .unwrap();
    let bytes = live.backup();
    let payload = &bytes[HEADER_LEN..];
    // Every truncated payload, resealed: malformed, never a panic.
    for cut in 0..payload.len() {
        let err = Index::restore(&seal(VERSION, &payload[..cut])).unwrap_err();
        assert_eq!(err.code(), "malformed", "cut {cut}: {err}");
    }
    // Raw personal data spliced into a stored text, resealed.
    assert!(!raw.is_empty());
    let doc = live.docs().find(|d| d.redactions > 0).unwrap().clone();
    let placeholder = PiiKind::ALL
        .iter()
        .map(|k| k.placeholder())
        .find(|p| doc.text.contains(p))
        .unwrap();
    let forged_text = doc.text.replacen(placeholder, "ana@example.org", 1);
    let mut forged = payload.to_vec();
    let needle = doc.text.as_bytes();
    let at = forged
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    forged.splice(at..at + needle.len(), forged_text.bytes());
    forged[at - 4..at].copy_from_slice(&(forged_text.len() as u32).to_le_bytes());
    let err = Index::restore(&seal(VERSION, &forged)).unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::UnredactedPii {
                kind: PiiKind::Email,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        !err.to_string().contains("ana@example.org"),
        "the error never shows the value"
    );
    // Another version: the old format (no redactor versions) and a newer one.
    for found in [1, 3] {
        let err = Index::restore(&seal(found, payload)).unwrap_err();
        assert_eq!(
            err,
            BackupError::UnsupportedVersion {
                found,
                supported: 2
            }
        );
    }
}

#[test]
fn expiry_exactly_at_now_is_expired() {
    let t0 = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    index.set_retention("tickets", TimeDelta::hours(24));
    let sources = vec![
        SourceDoc::new("tickets/a", "tickets", "written at t0"),
        SourceDoc::new("kb/b", "kb", "own expiry at t0 + 24h").expiring(t0 + TimeDelta::hours(24)),
        SourceDoc::new("kb/c", "kb", "own expiry one nanosecond later")
            .expiring(t0 + TimeDelta::hours(24) + TimeDelta::nanoseconds(1)),
        SourceDoc::new("kb/d", "kb", "kept forever"),
    ];
    index.sync(&Scope::All, &sources, t0).unwrap();
    let just_before = index
        .clone()
        .sweep_expired(t0 + TimeDelta::hours(24) - TimeDelta::nanoseconds(1));
    assert!(just_before.removed.is_empty());
    let report = index.sweep_expired(t0 + TimeDelta::hours(24));
    let ids: Vec<&str> = report.removed.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["kb/b", "tickets/a"]);
    assert!(report
        .removed
        .iter()
        .all(|e| e.expired_at == t0 + TimeDelta::hours(24)));
    assert_eq!(
        index.docs().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["kb/c", "kb/d"]
    );
    // An updated ticket starts its retention again from its new write time.
    let mut index = Index::new("docs_vA");
    index.set_retention("tickets", TimeDelta::hours(24));
    index.sync(&Scope::All, &sources[..1], t0).unwrap();
    let mut edited = sources[0].clone();
    edited.text.push_str(" and edited");
    index
        .sync(&Scope::All, &[edited], t0 + TimeDelta::hours(10))
        .unwrap();
    assert!(index
        .sweep_expired(t0 + TimeDelta::hours(24))
        .removed
        .is_empty());
    assert_eq!(
        index.sweep_expired(t0 + TimeDelta::hours(34)).removed.len(),
        1
    );
}

#[test]
fn scoped_sync_leaves_other_collections_alone() {
    let (sources, _) = seeded(11, 60, 150, 1);
    let t = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    index.sync(&Scope::All, &sources, t).unwrap();
    let kb: Vec<_> = index
        .docs()
        .filter(|d| d.collection == "kb")
        .cloned()
        .collect();
    // The tickets collection is now empty upstream.
    let r = index.sync(&Scope::collection("tickets"), &[], t).unwrap();
    assert_eq!(
        r.deleted.len(),
        sources.iter().filter(|s| s.collection == "tickets").count()
    );
    assert_eq!(index.docs().cloned().collect::<Vec<_>>(), kb);
}

#[test]
fn a_plan_is_a_dry_run_of_the_sync_that_follows() {
    for seed in 0..30u64 {
        let (mut sources, _) = seeded(seed, 60, 120, 1);
        let mut clock = SimClock::new();
        let mut index = Index::new("docs_vA");
        index.sync(&Scope::All, &sources, clock.now()).unwrap();
        let mut rng = SimRng::seed(7000 + seed);
        // Change some, drop some, add some, and shuffle the order: the
        // sync sorts what it is given.
        for _ in 0..rng.below(10) {
            let i = rng.below(sources.len() as u64) as usize;
            sources[i].text.push('?');
        }
        for _ in 0..rng.below(5) {
            let i = rng.below(sources.len() as u64) as usize;
            sources.swap_remove(i);
        }
        for k in 0..rng.below(5) {
            sources.push(SourceDoc::new(
                format!("kb/new{seed}-{k}"),
                "kb",
                "fresh text",
            ));
        }
        rng.shuffle(&mut sources);
        clock.advance(TimeDelta::minutes(1));
        let before = index.clone();
        let calls = index.embed_calls();
        let planned = index.plan(&Scope::All, &sources).unwrap();
        assert_eq!(index, before, "seed {seed}: planning changed the index");
        assert_eq!(index.embed_calls(), calls, "seed {seed}: planning embedded");
        let done = index.sync(&Scope::All, &sources, clock.now()).unwrap();
        assert_eq!(planned, done, "seed {seed}");
        assert_eq!(
            index.embed_calls() - calls,
            (done.added.len() + done.updated.len()) as u64
        );
        assert_eq!(index.len(), sources.len());
    }
}

#[test]
fn refused_syncs_change_nothing() {
    let t = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    index
        .sync(&Scope::All, &[SourceDoc::new("kb/1", "kb", "one")], t)
        .unwrap();
    let before = index.clone();
    let dup = [
        SourceDoc::new("kb/2", "kb", "x"),
        SourceDoc::new("kb/2", "kb", "y"),
    ];
    assert_eq!(
        index.sync(&Scope::All, &dup, t),
        Err(SyncError::ConflictingDuplicate {
            id: "kb/2".into(),
            first: 0,
            second: 1
        })
    );
    let out = [SourceDoc::new("kb/3", "kb", "x")];
    assert!(matches!(
        index.sync(&Scope::collection("tickets"), &out, t),
        Err(SyncError::OutOfScope { .. })
    ));
    let pii = [SourceDoc::new("user/ana@example.org", "kb", "x")];
    let err = index.sync(&Scope::All, &pii, t).unwrap_err();
    assert!(matches!(
        err,
        SyncError::PiiInName {
            kind: PiiKind::Email,
            field: "id"
        }
    ));
    assert!(!err.to_string().contains("ana@"));
    // Beside clean documents and a deletion that would happen: still nothing.
    let mixed = [
        SourceDoc::new("kb/9", "kb", "fine"),
        SourceDoc::new("kb/10 ana@example.org", "kb", "x"),
    ];
    assert!(matches!(
        index.sync(&Scope::All, &mixed, t),
        Err(SyncError::PiiInName { field: "id", .. })
    ));
    assert!(matches!(
        index.plan(&Scope::All, &mixed),
        Err(SyncError::PiiInName { field: "id", .. })
    ));
    assert_eq!(
        index.sync(&Scope::All, &[SourceDoc::new("", "kb", "x")], t),
        Err(SyncError::EmptyId)
    );
    assert_eq!(index, before);
    assert_eq!(index.embed_calls(), 1);
}

#[test]
fn alias_table_guards_live_and_rollback_targets() {
    let t = SimClock::new().now();
    let build = |name: &str, text: &str| {
        let mut i = Index::new(name);
        i.sync(&Scope::All, &[SourceDoc::new("kb/1", "kb", text)], t)
            .unwrap();
        i
    };
    let mut table = AliasTable::new();
    table.add_index(build("docs_vA", "old")).unwrap();
    assert_eq!(
        table.add_index(build("docs_vA", "again")),
        Err(AliasError::DuplicateIndex("docs_vA".into()))
    );
    table.add_index(build("docs_vB", "new")).unwrap();
    table.flip("docs", "docs_vA").unwrap();
    table.flip("docs", "docs_vB").unwrap();
    assert!(
        matches!(table.drop_index("docs_vA"), Err(AliasError::InUse { .. })),
        "rollback target"
    );
    assert!(
        matches!(table.drop_index("docs_vB"), Err(AliasError::InUse { .. })),
        "live"
    );
    assert_eq!(
        table
            .search("docs", "new", 1, SimClock::new().now())
            .unwrap()[0]
            .text,
        "new"
    );
    table.rollback("docs").unwrap();
    assert_eq!(
        table
            .search("docs", "old", 1, SimClock::new().now())
            .unwrap()[0]
            .text,
        "old"
    );
    assert_eq!(
        table.resolve("nope").unwrap_err(),
        AliasError::UnknownAlias("nope".into())
    );
    table.add_index(build("docs_vC", "newer")).unwrap();
    table.flip("docs", "docs_vC").unwrap();
    table.flip("docs", "docs_vA").unwrap();
    // docs_vB is no longer live or a rollback target.
    assert_eq!(table.drop_index("docs_vB").unwrap().name(), "docs_vB");
    assert_eq!(table.index_names(), ["docs_vA", "docs_vC"]);
}

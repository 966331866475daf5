//! Issue 15, Part A: no expired answers, duplicates within one sync, and
//! re-redaction after a detector change (with the backup recording it).
#![cfg(feature = "solution")]

use chrono::TimeDelta;
use index_ops::backup::{seal, HEADER_LEN};
use index_ops::corpus;
use index_ops::{BackupError, Index, Scope, SourceDoc, SyncError, REDACTOR_VERSION};
use labkit::{SimClock, SimRng};

#[test]
fn search_and_read_never_serve_an_expired_document_even_before_the_sweep() {
    let t0 = SimClock::new().now();
    for seed in 0..30u64 {
        let mut rng = SimRng::seed(seed);
        let docs = corpus::corpus(&mut rng, 40, 120, 1);
        let sources: Vec<SourceDoc> = docs
            .into_iter()
            .map(|d| {
                let s = d.source;
                match rng.below(3) {
                    0 => s,
                    _ => s.expiring(t0 + TimeDelta::minutes(rng.between(0, 600) as i64)),
                }
            })
            .collect();
        let mut index = Index::new("docs_vA");
        if seed % 2 == 0 {
            index.set_retention("tickets", TimeDelta::minutes(rng.between(1, 600) as i64));
        }
        index.sync(&Scope::All, &sources, t0).unwrap();
        for _ in 0..8 {
            let now = t0 + TimeDelta::minutes(rng.between(0, 700) as i64);
            let hits = index.search("ticket vpn refund customer", index.len(), now);
            let live: Vec<&str> = index
                .docs()
                .filter(|d| index.expiry_of(d).is_none_or(|at| at > now))
                .map(|d| d.id.as_str())
                .collect();
            let mut got: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            got.sort();
            assert_eq!(
                got, live,
                "seed {seed}: search at {now} serves exactly the live documents"
            );
            for d in index.docs() {
                let expired = index.expiry_of(d).is_some_and(|at| at <= now);
                assert_eq!(
                    index.read(&d.id, now).is_none(),
                    expired,
                    "seed {seed}: read {}",
                    d.id
                );
            }
            // The sweep changes what is stored, not what is served.
            let mut swept = index.clone();
            swept.sweep_expired(now);
            assert_eq!(
                swept.search("ticket vpn refund customer", index.len(), now),
                hits,
                "seed {seed}: the same answers before and after the sweep"
            );
        }
    }
}

#[test]
fn an_expiry_exactly_at_now_is_not_served() {
    let t0 = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    let at = t0 + TimeDelta::hours(1);
    index
        .sync(
            &Scope::All,
            &[SourceDoc::new("kb/a", "kb", "vpn gateway").expiring(at)],
            t0,
        )
        .unwrap();
    assert_eq!(
        index
            .search("vpn gateway", 5, at - TimeDelta::nanoseconds(1))
            .len(),
        1
    );
    assert!(index.search("vpn gateway", 5, at).is_empty());
    assert!(index.read("kb/a", at).is_none());
    assert!(index.get("kb/a").is_some(), "still stored until the sweep");
}

#[test]
fn the_same_document_twice_in_one_sync_is_one_document() {
    let t = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    let a = SourceDoc::new("kb/1", "kb", "same text");
    let b = SourceDoc::new("kb/2", "kb", "other");
    let r = index
        .sync(
            &Scope::All,
            &[a.clone(), b.clone(), a.clone(), a.clone()],
            t,
        )
        .unwrap();
    assert_eq!(r.added, vec!["kb/1".to_string(), "kb/2".to_string()]);
    assert_eq!(index.len(), 2);
    assert_eq!(index.embed_calls(), 2, "embedded once");
    let r = index
        .sync(&Scope::All, &[a.clone(), b.clone(), a.clone()], t)
        .unwrap();
    assert_eq!(r.unchanged, 2, "counted once: {r}");
}

#[test]
fn the_same_id_with_different_content_is_refused_naming_both() {
    let t = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    index
        .sync(&Scope::All, &[SourceDoc::new("kb/0", "kb", "x")], t)
        .unwrap();
    let before = index.clone();
    let cases = [
        SourceDoc::new("kb/1", "kb", "version two"),
        SourceDoc::new("kb/1", "kb", "version one").expiring(t + TimeDelta::days(1)),
        SourceDoc::new("kb/1", "other", "version one"),
    ];
    for other in cases {
        let sources = [
            SourceDoc::new("kb/9", "kb", "nine"),
            SourceDoc::new("kb/1", "kb", "version one"),
            SourceDoc::new("kb/5", "kb", "five"),
            other,
        ];
        let err = index.sync(&Scope::All, &sources, t).unwrap_err();
        assert_eq!(
            err,
            SyncError::ConflictingDuplicate {
                id: "kb/1".into(),
                first: 1,
                second: 3
            }
        );
        assert!(err.to_string().contains("#1 and #3"), "{err}");
        assert_eq!(index.plan(&Scope::All, &sources), Err(err));
        assert_eq!(index, before, "a refused sync changes nothing");
    }
}

#[test]
fn a_detector_change_re_redacts_old_copies_whose_source_is_unchanged() {
    let t0 = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    index.set_retention("kb", TimeDelta::days(2));
    let sources = vec![
        SourceDoc::new("kb/1", "kb", "write to ana@example.org"),
        SourceDoc::new("kb/2", "kb", "nothing personal"),
        SourceDoc::new("kb/3", "kb", "plain words"),
    ];
    index.sync(&Scope::All, &sources, t0).unwrap();
    assert!(index.docs().all(|d| d.redactor == REDACTOR_VERSION));
    // kb/1 as an older redactor left it: the address raw.
    assert!(index.plant_older_copy("kb/1", REDACTOR_VERSION - 1, "write to ana@example.org"));
    assert!(
        !index.plant_older_copy("kb/1", REDACTOR_VERSION, "x"),
        "only an older version"
    );
    assert!(
        !index.plant_older_copy("kb/404", 1, "x"),
        "only a stored document"
    );
    let t1 = t0 + TimeDelta::hours(1);
    let dry = index.plan(&Scope::All, &sources).unwrap();
    assert_eq!(dry.reredacted, vec!["kb/1".to_string()]);
    let before = index.embed_calls();
    let r = index.sync(&Scope::All, &sources, t1).unwrap();
    assert_eq!(r, dry, "the dry run said so");
    assert_eq!(
        (
            r.added.len(),
            r.updated.len(),
            r.unchanged,
            r.reredacted.len()
        ),
        (0, 0, 2, 1)
    );
    assert!(r.to_string().contains("1 re-redacted"), "{r}");
    assert_eq!(index.embed_calls() - before, 1);
    let doc = index.get("kb/1").unwrap();
    assert_eq!(
        (doc.text.as_str(), doc.redactor),
        ("write to [EMAIL]", REDACTOR_VERSION)
    );
    assert_eq!(
        doc.indexed_at, t0,
        "retention still counts from when the content was written"
    );
    assert!(index.sync(&Scope::All, &sources, t1).unwrap().is_noop());
}

#[test]
fn a_backup_records_the_redactor_version_of_every_document() {
    let t0 = SimClock::new().now();
    let mut index = Index::new("docs_vA");
    let sources = vec![
        SourceDoc::new("kb/1", "kb", "plain"),
        SourceDoc::new("kb/2", "kb", "words"),
    ];
    index.sync(&Scope::All, &sources, t0).unwrap();
    assert!(index.plant_older_copy("kb/2", 1, "words"));
    let restored = Index::restore(&index.backup()).unwrap();
    assert_eq!(restored.get("kb/2").unwrap().redactor, 1);
    assert_eq!(restored.get("kb/1").unwrap().redactor, REDACTOR_VERSION);
    let mut restored = restored;
    let r = restored.sync(&Scope::All, &sources, t0).unwrap();
    assert_eq!(r.reredacted, vec!["kb/2".to_string()]);
    // A version this build does not know is refused, not trusted.
    let payload = index.backup()[HEADER_LEN..].to_vec();
    let fp = index.get("kb/1").unwrap().fingerprint;
    let at = payload.windows(32).position(|w| w == fp).unwrap() + 32;
    for bad in [0u32, REDACTOR_VERSION + 1] {
        let mut forged = payload.clone();
        forged[at..at + 4].copy_from_slice(&bad.to_le_bytes());
        let err = Index::restore(&seal(index_ops::backup::VERSION, &forged)).unwrap_err();
        assert!(matches!(err, BackupError::Malformed { .. }), "{err}");
        assert!(err.to_string().contains("redactor version"), "{err}");
    }
    // The old format, without versions, is refused with a typed error that says what to do.
    let err = Index::restore(&seal(1, &payload)).unwrap_err();
    assert_eq!(
        err,
        BackupError::UnsupportedVersion {
            found: 1,
            supported: 2
        }
    );
    assert!(err.to_string().contains("re-redacted"), "{err}");
}

#[test]
fn a_conflict_names_the_earliest_pair_whatever_the_order_of_the_rest() {
    let t = SimClock::new().now();
    let mut rng = SimRng::seed(151);
    for _ in 0..200 {
        // n copies of kb/x, the first `same` identical, then one that differs.
        let n = rng.between(3, 8) as usize;
        let differs_at = rng.between(1, n as u64 - 1) as usize;
        let mut sources: Vec<SourceDoc> = (0..n)
            .map(|k| {
                let text = if k == differs_at { "two" } else { "one" };
                SourceDoc::new("kb/x", "kb", text)
            })
            .collect();
        // Unrelated documents in between.
        for k in (0..n).rev() {
            sources.insert(k, SourceDoc::new(format!("kb/o{k}"), "kb", "other"));
        }
        let err = Index::new("v").sync(&Scope::All, &sources, t).unwrap_err();
        let pos = |copy: usize| 2 * copy + 1;
        assert_eq!(
            err,
            SyncError::ConflictingDuplicate {
                id: "kb/x".into(),
                first: pos(0),
                second: pos(differs_at)
            }
        );
        // Without the differing copy: one document, counted once.
        sources.remove(pos(differs_at));
        let mut index = Index::new("v");
        let r = index.sync(&Scope::All, &sources, t).unwrap();
        assert_eq!(r.added.iter().filter(|id| *id == "kb/x").count(), 1);
        assert_eq!(index.len(), n + 1);
    }
}

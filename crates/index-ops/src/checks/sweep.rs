//! Checks of `starters/m33/index/sweep.rs`: expiry, up to exactly now.

use super::now;
use crate::{Index, Scope, SourceDoc};
use chrono::{DateTime, TimeDelta, Utc};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

pub(super) fn sweep_removes_exactly_the_expired() -> CheckResult {
    let t0 = now();
    let _ = Index::new("probe").sweep_expired(t0);
    // Fixed: one document expiring exactly at `now`, one a second later, one
    // a second earlier, one with no expiry.
    let at = t0 + TimeDelta::days(2);
    let sources = vec![
        SourceDoc::new("kb/exact", "kb", "expires exactly at the sweep").expiring(at),
        SourceDoc::new("kb/later", "kb", "expires one second after the sweep")
            .expiring(at + TimeDelta::seconds(1)),
        SourceDoc::new("kb/earlier", "kb", "expired one second before the sweep")
            .expiring(at - TimeDelta::seconds(1)),
        SourceDoc::new("kb/forever", "kb", "never expires"),
    ];
    let mut index = Index::new("docs_vA");
    index
        .sync(&Scope::All, &sources, t0)
        .map_err(|e| e.to_string())?;
    let report = index.sweep_expired(at);
    let removed: Vec<(String, DateTime<Utc>)> = report
        .removed
        .iter()
        .map(|e| (e.id.clone(), e.expired_at))
        .collect();
    ensure_eq!(
        removed,
        vec![
            ("kb/earlier".to_string(), at - TimeDelta::seconds(1)),
            ("kb/exact".to_string(), at)
        ],
        "removed (id, expired_at) at the sweep; an expiry exactly at now counts as expired"
    );
    let left: Vec<String> = index.docs().map(|d| d.id.clone()).collect();
    ensure_eq!(
        left,
        vec!["kb/forever".to_string(), "kb/later".to_string()],
        "documents left"
    );
    ensure!(
        index.sweep_expired(at).removed.is_empty(),
        "a second sweep at the same time removes nothing"
    );

    // Random: per-document expiries and a collection policy, oracle computed
    // here from the inputs.
    let mut rng = SimRng::seed(39);
    for round in 0..10 {
        let mut index = Index::new("docs_vA");
        let ttl = TimeDelta::hours(rng.between(1, 48) as i64);
        index.set_retention("tickets", ttl);
        let mut expected: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
        let mut all: Vec<SourceDoc> = Vec::new();
        let mut written = t0;
        for i in 0..30 {
            written += TimeDelta::minutes(rng.below(40) as i64);
            let collection = if rng.chance(0.5) { "tickets" } else { "kb" };
            let own = rng
                .chance(0.6)
                .then(|| written + TimeDelta::minutes(rng.below(3000) as i64));
            let id = format!("{collection}/x{i:02}");
            let mut src = SourceDoc::new(
                id.clone(),
                collection,
                format!("document {i} of round {round}"),
            );
            src.expires_at = own;
            all.push(src);
            // Earlier documents are unchanged: they keep their write time.
            index
                .sync(&Scope::All, &all, written)
                .map_err(|e| e.to_string())?;
            let policy = (collection == "tickets").then(|| written + ttl);
            let expiry = match (own, policy) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            expected.push((id, expiry));
        }
        ensure_eq!(
            index.len(),
            expected.len(),
            "documents stored before the sweep in random round {round}"
        );
        // Sweep at an instant that is exactly some document's expiry when possible.
        let sweep_at = expected
            .iter()
            .filter_map(|(_, e)| *e)
            .nth(rng.below(3) as usize)
            .unwrap_or(t0 + TimeDelta::hours(20));
        let mut want: Vec<(String, DateTime<Utc>)> = expected
            .iter()
            .filter_map(|(id, e)| e.filter(|t| *t <= sweep_at).map(|t| (id.clone(), t)))
            .collect();
        want.sort();
        let got: Vec<(String, DateTime<Utc>)> = index
            .sweep_expired(sweep_at)
            .removed
            .iter()
            .map(|e| (e.id.clone(), e.expired_at))
            .collect();
        ensure_eq!(
            got,
            want,
            "removed (id, expired_at) in random round {round}"
        );
        ensure_eq!(
            index.len(),
            expected.len() - want.len(),
            "documents left in random round {round}"
        );
    }
    Ok(())
}

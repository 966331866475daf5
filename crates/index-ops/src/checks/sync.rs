//! Checks of `starters/m33/index/sync.rs`: what a sync re-embeds, and that no
//! raw personal value is stored, backed up or returned.

use super::{contains, now};
use crate::corpus::{self};
use crate::{Index, Scope, SourceDoc};
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

pub(super) fn sync_re_embeds_exactly_what_changed() -> CheckResult {
    let mut probe = Index::new("probe");
    let _ = probe.sync(&Scope::All, &[], now());
    let mut rng = SimRng::seed(35);
    let mut clock = SimClock::new();
    for round in 0..4 {
        let n = 20 + rng.below(30) as usize;
        let mut sources: Vec<SourceDoc> = corpus::corpus(&mut rng, n, 200, 1)
            .into_iter()
            .map(|d| d.source)
            .collect();
        let mut index = Index::new("docs_vA");
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            (r.added.len(), r.updated.len(), r.unchanged, r.deleted.len()),
            (n, 0, 0, 0),
            "first sync of {n} new documents (added, updated, unchanged, deleted)"
        );
        ensure_eq!(
            index.embed_calls(),
            n as u64,
            "embedding calls after the first sync"
        );
        ensure_eq!(index.len(), n, "documents stored");

        clock.advance(TimeDelta::minutes(1));
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure!(
            r.added.is_empty() && r.updated.is_empty() && r.deleted.is_empty(),
            "a second identical sync changes nothing, got {r}"
        );
        ensure_eq!(r.unchanged, n, "unchanged count of the second sync");
        ensure_eq!(
            index.embed_calls(),
            n as u64,
            "a second identical sync embeds nothing"
        );

        // Change k, delete d, add a: the oracle is the set of ids we touched.
        let k = rng.below(6) as usize;
        let mut ids: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut ids);
        let mut changed: Vec<String> = Vec::new();
        for &i in &ids[..k] {
            sources[i].text.push_str(" updated");
            changed.push(sources[i].id.clone());
        }
        // The ids by shuffled position, taken before any source is removed
        // (positions in `sources` shift when one is).
        let id_at: Vec<String> = ids.iter().map(|&i| sources[i].id.clone()).collect();
        let d = rng.below(4) as usize;
        let mut deleted: Vec<String> = ids[k..k + d]
            .iter()
            .map(|&i| sources[i].id.clone())
            .collect();
        sources.retain(|s| !deleted.contains(&s.id));
        let added: Vec<String> = (0..rng.below(3))
            .map(|j| format!("kb/new{round}-{j}"))
            .collect();
        for id in &added {
            sources.push(SourceDoc::new(
                id.clone(),
                "kb",
                "a brand new document about the vpn",
            ));
        }
        changed.sort();
        deleted.sort();
        // A detector fix: o unchanged documents (and one changed one, if
        // any) were stored by an older redactor, one that missed a value.
        let o = rng.below(5) as usize;
        let leak = format!("old.leak{round}@example.org");
        let mut older: Vec<String> = Vec::new();
        for id in id_at[k + d..]
            .iter()
            .take(o)
            .chain(id_at[..k.min(1)].iter())
        {
            let id = id.clone();
            let old_text = format!(
                "{} {leak}",
                index.get(&id).map(|s| s.text.clone()).unwrap_or_default()
            );
            ensure!(
                index.plant_older_copy(&id, crate::REDACTOR_VERSION - 1, &old_text),
                "setting up an older copy of {id}"
            );
            if !changed.contains(&id) {
                older.push(id);
            }
        }
        older.sort();
        let o = older.len();
        clock.advance(TimeDelta::minutes(1));
        let before = index.embed_calls();
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            r.updated,
            changed,
            "updated ids after changing {k} documents (a changed source is an update, whoever redacted its old copy)"
        );
        ensure_eq!(
            r.reredacted,
            older,
            "re-redacted ids: unchanged sources whose stored copy is from an older redactor version"
        );
        ensure_eq!(r.deleted, deleted, "deleted ids");
        ensure_eq!(r.added, added, "added ids");
        ensure_eq!(
            r.unchanged,
            n - k - d - o,
            "unchanged count (re-redacted documents are not unchanged)"
        );
        ensure_eq!(
            index.embed_calls() - before,
            (k + added.len() + o) as u64,
            "embedding calls: only changed, added and re-redacted documents are embedded"
        );
        ensure!(
            index.docs().all(|doc| doc.redactor == crate::REDACTOR_VERSION && !doc.text.contains(&leak)),
            "after the sync every document is stored by the current redactor, and the value the old one missed is gone"
        );
        ensure_eq!(index.len(), n - d + added.len(), "documents stored");
        for id in &changed {
            let stored = index.get(id).map(|s| s.text.clone()).unwrap_or_default();
            ensure!(
                stored.ends_with(" updated"),
                "{id} should hold its new text after the update"
            );
        }

        // Scoped: a sync of `tickets` with one ticket removed leaves `kb` alone.
        let tickets: Vec<SourceDoc> = sources
            .iter()
            .filter(|s| s.collection == "tickets")
            .cloned()
            .collect();
        let kb_before = index.docs().filter(|d| d.collection == "kb").count();
        if let Some((gone, rest)) = tickets.split_first() {
            let before = index.embed_calls();
            let r = index
                .sync(&Scope::collection("tickets"), rest, clock.now())
                .map_err(|e| e.to_string())?;
            ensure_eq!(
                r.deleted,
                vec![gone.id.clone()],
                "a scoped sync deletes only the missing document of its own collection"
            );
            ensure_eq!(
                r.unchanged,
                rest.len(),
                "unchanged tickets in the scoped sync"
            );
            ensure_eq!(
                index.embed_calls(),
                before,
                "the scoped sync embeds nothing"
            );
            let kb_after = index.docs().filter(|d| d.collection == "kb").count();
            ensure_eq!(
                kb_after,
                kb_before,
                "documents of another collection survive a scoped sync"
            );
        }
    }
    Ok(())
}

pub(super) fn no_raw_value_is_stored() -> CheckResult {
    let mut probe = Index::new("probe");
    let _ = probe.sync(&Scope::All, &[], now());
    for seed in [36u64, 37, 38] {
        let mut rng = SimRng::seed(seed);
        let docs = corpus::corpus(&mut rng, 40, 300, 4);
        let raw: Vec<String> = docs
            .iter()
            .flat_map(|d| d.planted.iter().map(|(p, _)| p.value.clone()))
            .collect();
        ensure!(
            !raw.is_empty(),
            "the seeded corpus should hold planted values"
        );
        let sources: Vec<SourceDoc> = docs.iter().map(|d| d.source.clone()).collect();
        let mut index = Index::new("docs_vA");
        index
            .sync(&Scope::All, &sources, now())
            .map_err(|e| e.to_string())?;
        for doc in index.docs() {
            for value in &raw {
                ensure!(
                    !doc.text.contains(value.as_str()),
                    "stored text of {} holds a raw value",
                    doc.id
                );
            }
        }
        let bytes = index.backup();
        for value in &raw {
            ensure!(
                !contains(&bytes, value.as_bytes()),
                "a backup holds a raw value"
            );
        }
        // Search with queries that themselves hold raw values.
        for value in raw.iter().take(10) {
            for hit in index.search(&format!("who is {value}"), 5, SimClock::new().now()) {
                ensure!(
                    !raw.iter().any(|v| hit.text.contains(v.as_str())),
                    "a search result holds a raw value"
                );
            }
        }
    }
    Ok(())
}

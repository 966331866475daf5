//! Checks of `starters/m34/stale.rs`: the stale-index extension.

use super::t0;
use crate::assertion::AssertionId;
use crate::extension::{self, StaleReport};
use crate::ops::{index_hash, knowledge_base, Mitigation, Operations, Reindex};
use crate::{shift, Scenario};
use chrono::TimeDelta;
use incident::Play;
use index_ops::{Index, SyncReport};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};
use release_ops::{ChecklistStep, EvalSet, ReleaseManager};

fn reindex_report(changed: &[String], embedded: u64, updated: Vec<String>) -> Reindex {
    Reindex {
        sync: SyncReport {
            added: Vec::new(),
            updated,
            reredacted: Vec::new(),
            unchanged: 40 - changed.len(),
            deleted: Vec::new(),
        },
        embedded,
        index_hash_before: "idx-aaaaaaaa".into(),
        index_hash: "idx-bbbbbbbb".into(),
        cache: ChecklistStep::RotateCache {
            from: "cache/v1/p7/idx-aaaa/g1".into(),
            to: "cache/v1/p7/idx-bbbb/g2".into(),
        },
    }
}

fn stale_report(changed: Vec<String>) -> StaleReport {
    StaleReport {
        seed: 1,
        pages: 40,
        stale_before: changed.len(),
        mitigation: Some(Mitigation::Reindex(reindex_report(
            &changed,
            changed.len() as u64,
            changed.clone(),
        ))),
        changed_docs: changed,
        stale_after: 0,
        slo_target: 0.99,
        sli_before: Some(0.8),
        burn: Some(20.0),
        page: None,
        incident: None,
        play: Some(Play::ReindexChangedDocuments),
        sli_after: Some(0.999),
        live_before: Some("v1".into()),
        live_after: Some("v1".into()),
        halted: Vec::new(),
    }
}

pub(super) fn stale_check_passes_an_exact_reindex() -> CheckResult {
    let mut rng = SimRng::seed(346);
    for round in 0..30 {
        let n = 1 + rng.below(10) as usize;
        let mut changed: Vec<String> = (0..n)
            .map(|i| format!("handbook/p-{:02}", i * 3 + round % 3))
            .collect();
        changed.sort();
        let good = stale_report(changed.clone());
        let a = crate::stale_index_fixed(&good);
        ensure_eq!(a.check, AssertionId::StaleIndexReindexed, "the check id");
        ensure!(
            a.passed,
            "a re-index of exactly the changed pages must pass: {}",
            a.why
        );
        let which = rng.below(6);
        let mut bad = good.clone();
        let what = match which {
            0 => {
                bad.mitigation = Some(Mitigation::Rollback(release_ops::RollbackReport {
                    from: "v2".into(),
                    to: "v1".into(),
                    steps: Vec::new(),
                }));
                "a rollback instead of a re-index"
            }
            1 => {
                let mut fewer = changed.clone();
                fewer.pop();
                bad.mitigation = Some(Mitigation::Reindex(reindex_report(
                    &changed,
                    fewer.len() as u64,
                    fewer,
                )));
                "a re-index that missed a changed page"
            }
            2 => {
                bad.mitigation = Some(Mitigation::Reindex(reindex_report(
                    &changed,
                    40,
                    changed.clone(),
                )));
                "a full rebuild (40 embeddings)"
            }
            3 => {
                bad.stale_after = 1 + rng.below(3) as usize;
                "pages still stale"
            }
            4 => {
                bad.sli_after = Some(0.95);
                "the SLI still below the SLO"
            }
            _ => {
                bad.live_after = Some("v3".into());
                "the release changed too"
            }
        };
        let a = crate::stale_index_fixed(&bad);
        ensure!(!a.passed, "with {what}, the check must fail");
        ensure!(!a.why.trim().is_empty(), "the failure gives no reason");
    }
    Ok(())
}

pub(super) fn reindex_embeds_only_what_changed() -> CheckResult {
    let mut rng = SimRng::seed(347);
    for _ in 0..5 {
        let pages = 10 + rng.below(20) as usize;
        let every = 2 + rng.below(5) as usize;
        let old = knowledge_base(pages, 0, 0);
        let index = Index::rebuild("docs_vA", &old, t0()).map_err(|e| e.to_string())?;
        let before_hash = index_hash(&index);
        let sources = knowledge_base(pages, 1 + rng.below(5) as u32, every);
        let mut changed: Vec<String> = sources
            .iter()
            .zip(&old)
            .filter(|(a, b)| a.text != b.text)
            .map(|(a, _)| a.id.clone())
            .collect();
        changed.sort();
        let releases = ReleaseManager::course(EvalSet::generate(4, 20), &before_hash)
            .map_err(|e| e.to_string())?;
        let mut ops = Operations {
            releases,
            index,
            sources,
        };
        let x = crate::reindex_stale(&mut ops, t0() + TimeDelta::hours(1))
            .map_err(|e| e.to_string())?;
        ensure_eq!(x.sync.updated, changed, "updated ids");
        ensure_eq!(x.sync.unchanged, pages - changed.len(), "unchanged count");
        ensure_eq!(
            x.embedded,
            changed.len() as u64,
            "embedding calls (one per changed page)"
        );
        ensure_eq!(x.index_hash_before, before_hash, "index hash before");
        let after = index_hash(&ops.index);
        ensure_eq!(x.index_hash, after.clone(), "index hash after");
        ensure!(
            after != before_hash,
            "re-indexing changed pages must change the index hash"
        );
        ensure_eq!(
            ops.releases.index_hash(),
            after.as_str(),
            "the release manager's index hash"
        );
        ensure!(
            ops.releases.cache_namespace().contains(&after[..8]),
            "the cache namespace {} does not include the new index hash",
            ops.releases.cache_namespace()
        );
        ensure_eq!(
            ops.releases.live(),
            Some("v1"),
            "a re-index must not touch the release"
        );
        let again = crate::reindex_stale(&mut ops, t0() + TimeDelta::hours(2))
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            again.embedded,
            0,
            "a second re-index has nothing left to embed"
        );
    }
    Ok(())
}

pub(super) fn stale_outage_resolves_green() -> CheckResult {
    let stale = extension::run(extension::SEED);
    ensure!(
        stale.report.halted.is_empty(),
        "the outage stopped: {:?}",
        stale.report.halted
    );
    ensure_eq!(
        stale.report.play,
        Some(Play::ReindexChangedDocuments),
        "the first play"
    );
    let s = shift::run(shift::SEED, Scenario::Clean);
    let g = extension::gate_with_extension(&s.report, &stale.report);
    ensure_eq!(g.assertions.len(), 8, "assertions with the extension");
    ensure!(
        g.green(),
        "the gate with the extension is red:\n{}",
        g.to_text()
    );
    labkit::check::compare_with_snapshot(
        &stale.trace.to_text(),
        include_str!("../../tests/snapshots/trace__stale_index.snap"),
    )
}

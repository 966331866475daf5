//! Checks of `starters/m33/index/flip.rs`: the live alias and its rollback target.

use super::now;
use crate::{AliasError, AliasTable, Index, Scope, SourceDoc};
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

fn small_index(name: &str, text: &str) -> Result<Index, String> {
    let mut index = Index::new(name);
    index
        .sync(&Scope::All, &[SourceDoc::new("kb/1", "kb", text)], now())
        .map_err(|e| e.to_string())?;
    Ok(index)
}

pub(super) fn alias_moves_in_one_step() -> CheckResult {
    let mut probe = AliasTable::new();
    let _ = probe.flip("docs", "docs_vA");
    let mut table = AliasTable::new();
    table
        .add_index(small_index("docs_vA", "vpn client version 2")?)
        .map_err(|e| e.to_string())?;
    table
        .add_index(small_index("docs_vB", "vpn client version 3")?)
        .map_err(|e| e.to_string())?;
    table
        .add_index(Index::new("docs_vC"))
        .map_err(|e| e.to_string())?;

    let got = table.rollback("docs");
    ensure!(
        matches!(got, Err(AliasError::UnknownAlias(_))),
        "rollback of an alias that does not exist is refused: expected Err(AliasError::UnknownAlias), got {got:?}"
    );
    let f = table.flip("docs", "docs_vA").map_err(|e| e.to_string())?;
    ensure_eq!(
        (f.from.clone(), f.to.clone()),
        (None, "docs_vA".to_string()),
        "first flip creates the alias (from, to)"
    );
    let got = table.rollback("docs");
    ensure!(
        matches!(got, Err(AliasError::NoPrevious(_))),
        "a new alias has nothing to roll back to: expected Err(AliasError::NoPrevious), got {got:?}"
    );
    let got = table.flip("docs", "docs_vZ");
    ensure!(
        matches!(got, Err(AliasError::UnknownIndex(_))),
        "flip to an unknown index is refused: expected Err(AliasError::UnknownIndex), got {got:?}"
    );
    let got = table.flip("docs", "docs_vC");
    ensure!(
        matches!(got, Err(AliasError::EmptyIndex(_))),
        "flip to an empty (half-built) index is refused: expected Err(AliasError::EmptyIndex), got {got:?}"
    );
    ensure_eq!(
        table.live("docs"),
        Some("docs_vA"),
        "refused flips leave the alias where it was"
    );
    let f = table.flip("docs", "docs_vB").map_err(|e| e.to_string())?;
    ensure_eq!(
        (f.from.as_deref(), f.to.as_str()),
        (Some("docs_vA"), "docs_vB"),
        "flip docs_vA → docs_vB (from, to)"
    );
    let top = table
        .search("docs", "vpn client version", 1, SimClock::new().now())
        .map_err(|e| e.to_string())?;
    ensure!(
        top.first().is_some_and(|h| h.text.contains('3')),
        "after the flip, readers get docs_vB"
    );
    let same = table.flip("docs", "docs_vB").map_err(|e| e.to_string())?;
    ensure_eq!(same.to, "docs_vB", "flip to the live index");
    let f = table
        .rollback("docs")
        .map_err(|e| format!("rollback after a flip to the live index: {e}"))?;
    ensure_eq!(
        (f.from.as_deref(), f.to.as_str()),
        (Some("docs_vB"), "docs_vA"),
        "rollback, a flip to the index already live keeping the rollback target (from, to)"
    );
    ensure_eq!(
        table.live("docs"),
        Some("docs_vA"),
        "live index after the rollback"
    );
    let f = table.rollback("docs").map_err(|e| e.to_string())?;
    ensure_eq!(f.to, "docs_vB", "a rollback can itself be rolled back");

    // Random operation sequences against a model: (live, previous).
    let mut rng = SimRng::seed(41);
    let names = ["docs_vA", "docs_vB", "docs_vC", "docs_vD"];
    for round in 0..20 {
        let mut table = AliasTable::new();
        table
            .add_index(small_index("docs_vA", "a")?)
            .map_err(|e| e.to_string())?;
        table
            .add_index(small_index("docs_vB", "b")?)
            .map_err(|e| e.to_string())?;
        table
            .add_index(Index::new("docs_vC"))
            .map_err(|e| e.to_string())?;
        let mut model: Option<(String, Option<String>)> = None;
        for step in 0..25 {
            if rng.chance(0.7) {
                let target = *rng.pick(&names).unwrap_or(&"docs_vA");
                let ok_target = target == "docs_vA" || target == "docs_vB";
                let got = table.flip("docs", target);
                ensure_eq!(
                    got.is_ok(),
                    ok_target,
                    "round {round} step {step}: flip to {target} accepted?"
                );
                if ok_target {
                    model = Some(match model.take() {
                        None => (target.to_string(), None),
                        Some((live, prev)) if live == target => (live, prev),
                        Some((live, _)) => (target.to_string(), Some(live)),
                    });
                }
            } else {
                let got = table.rollback("docs");
                let expect_ok = model.as_ref().is_some_and(|(_, p)| p.is_some());
                ensure_eq!(
                    got.is_ok(),
                    expect_ok,
                    "round {round} step {step}: rollback accepted?"
                );
                if let Some((live, Some(prev))) = &model {
                    model = Some((prev.clone(), Some(live.clone())));
                }
            }
            let state = table
                .state("docs")
                .map(|s| (s.live.clone(), s.previous.clone()));
            ensure_eq!(
                state,
                model.clone(),
                "round {round} step {step}: (live, previous) of the alias"
            );
        }
    }
    Ok(())
}

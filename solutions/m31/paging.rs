//! Part A, steps 4–5 · The two-window decision and one notification.
//! Guide: `labs/m31/README.md`.
//!
//! A `BurnPolicy` (in `crates/incident/src/burn.rs`) has `tiers()`, most
//! urgent first; each `BurnTier` has `long`, `short`, `threshold` and
//! `notification`. `WindowBurns::get(window)` is the burn over a window, or
//! `None` when that window had no traffic. Burns and thresholds are exact
//! `Rate`s (`crates/incident/src/exact.rs`): compare them with `<` and `>`
//! like numbers; a burn exactly at a threshold is equal to it, never a hair
//! above because of rounding.

use crate::burn::{Alert, BurnDecision, BurnPolicy, Notification, WindowBurns};
use crate::exact::Rate;

/// Whether a tier with this `threshold` fires, given the burn over its long
/// and short windows: both must be known and strictly above the threshold.
pub fn tier_fires(threshold: Rate, long: Option<Rate>, short: Option<Rate>) -> bool {
    // BEGIN SOLUTION tier_fires: both windows must have data and both must burn strictly above the threshold
    match (long, short) {
        (Some(l), Some(s)) => l > threshold && s > threshold,
        _ => false,
    }
    // END SOLUTION
}

/// Evaluates `policy` on `burns` and decides what to send.
///
/// Given: the walk over `policy.tiers()` (most urgent first), which judges
/// every tier whose two windows both have data (`judged`) and lists, by
/// index, the tiers that fire per your [`tier_fires`] (`firing`). You write
/// the decision:
///
/// - if any tier fires, send **one** notification: the first firing tier
///   whose `notification` is `Notification::Page`, or else the first firing
///   tier (a page beats a ticket wherever the policy lists them). Build it
///   with `Alert::from_tier(policy, index, burns, &firing)`, so the other
///   firing tiers are listed in it, and send it as `BurnDecision::Notify`;
///   `from_tier` is `None` only for an index outside the policy, which
///   cannot happen here, so `chosen.and_then(|i| Alert::from_tier(…))`
///   lets a `None` fall through to the quiet cases below;
/// - if none fires, `BurnDecision::Quiet` when at least one tier was judged,
///   and `BurnDecision::NoData` when none could be.
pub fn evaluate(policy: &BurnPolicy, burns: &WindowBurns) -> BurnDecision {
    let tiers = policy.tiers();
    // Whether any tier could be judged: both of its windows had data.
    let judged = tiers
        .iter()
        .any(|t| burns.get(t.long).is_some() && burns.get(t.short).is_some());
    // The tiers that fire, by index, most urgent first.
    let firing: Vec<usize> = (0..tiers.len())
        .filter(|&i| {
            let t = &tiers[i];
            tier_fires(t.threshold, burns.get(t.long), burns.get(t.short))
        })
        .collect();
    // BEGIN SOLUTION evaluate: one notification for every firing tier (the first page, else the first firing tier), and tell quiet from no data
    let pages = |i: &usize| {
        tiers
            .get(*i)
            .is_some_and(|t| t.notification == Notification::Page)
    };
    let chosen = firing
        .iter()
        .copied()
        .find(pages)
        .or(firing.first().copied());
    match chosen.and_then(|i| Alert::from_tier(policy, i, burns, &firing)) {
        Some(alert) => BurnDecision::Notify(alert),
        None if judged => BurnDecision::Quiet,
        None => BurnDecision::NoData,
    }
    // END SOLUTION
}

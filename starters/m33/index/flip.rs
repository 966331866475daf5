//! Step A6 · Flip the live alias, and flip it back. Guide:
//! `labs/m33/README.md`, Part A, step A6.

use crate::alias::{AliasError, AliasState, AliasTable, Flip};

/// Points `alias` at the index named `target`, in one operation, and
/// remembers where it pointed before as the rollback target. The crate calls
/// this as [`AliasTable::flip`].
///
/// - Refuse a target that is not in the table ([`AliasTable::index`]):
///   [`AliasError::UnknownIndex`]; or one with no documents:
///   [`AliasError::EmptyIndex`]. A refused flip changes nothing.
/// - A new alias simply starts pointing at `target` (`from: None`).
/// - Flipping to the index that is already live changes nothing, and in
///   particular keeps the rollback target.
/// - Otherwise the old live index becomes `previous` and `target` goes live.
///
/// [`AliasTable::state`] tells where an alias points now (`None`: no such
/// alias yet); [`AliasTable::set_state`] makes it point somewhere else.
pub fn flip(table: &mut AliasTable, alias: &str, target: &str) -> Result<Flip, AliasError> {
    todo!("flip: refuse unknown or empty targets; otherwise make target live and remember the old live index as previous")
}

/// Flips `alias` back to its previous index: the rollback. The index it
/// leaves becomes the new `previous`, so a rollback can itself be undone.
/// Refuse an unknown alias ([`AliasError::UnknownAlias`]) or one with no
/// previous index ([`AliasError::NoPrevious`]). The crate calls this as
/// [`AliasTable::rollback`].
///
/// Given: read it as the mirror image of your `flip`. It is the same idea
/// (one pointer moved in one operation, the old target kept), so the lab
/// writes `flip` only.
pub fn rollback(table: &mut AliasTable, alias: &str) -> Result<Flip, AliasError> {
    let state = table
        .state(alias)
        .ok_or_else(|| AliasError::UnknownAlias(alias.to_string()))?;
    let Some(previous) = state.previous.clone() else {
        return Err(AliasError::NoPrevious(alias.to_string()));
    };
    let from = state.live.clone();
    let swapped = AliasState {
        live: previous.clone(),
        previous: Some(from.clone()),
    };
    table.set_state(alias, swapped);
    Ok(Flip {
        alias: alias.to_string(),
        from: Some(from),
        to: previous,
    })
}

//! Step A6 · Flip the live alias, and flip it back. Guide:
//! `labs/m33/README.md`, Part A, step A6.

use crate::alias::{AliasError, AliasState, AliasTable, Flip};

impl AliasTable {
    /// Points `alias` at the index named `target`, in one operation, and
    /// remembers where it pointed before as the rollback target.
    ///
    /// - Refuse a target that is not in the table (`self.indexes`):
    ///   [`AliasError::UnknownIndex`]; or one with no documents:
    ///   [`AliasError::EmptyIndex`]. A refused flip changes nothing.
    /// - A new alias simply starts pointing at `target` (`from: None`).
    /// - Flipping to the index that is already live changes nothing, and in
    ///   particular keeps the rollback target.
    /// - Otherwise the old live index becomes `previous` and `target` goes
    ///   live.
    pub fn flip(&mut self, alias: &str, target: &str) -> Result<Flip, AliasError> {
        // BEGIN SOLUTION flip: refuse unknown or empty targets; otherwise make target live and remember the old live index as previous
        match self.indexes.get(target) {
            None => return Err(AliasError::UnknownIndex(target.to_string())),
            Some(index) if index.is_empty() => {
                return Err(AliasError::EmptyIndex(target.to_string()))
            }
            Some(_) => {}
        }
        let from = match self.aliases.get_mut(alias) {
            None => {
                let state = AliasState {
                    live: target.to_string(),
                    previous: None,
                };
                self.aliases.insert(alias.to_string(), state);
                None
            }
            Some(state) if state.live == target => Some(state.live.clone()),
            Some(state) => {
                let old = std::mem::replace(&mut state.live, target.to_string());
                state.previous = Some(old.clone());
                Some(old)
            }
        };
        Ok(Flip {
            alias: alias.to_string(),
            from,
            to: target.to_string(),
        })
        // END SOLUTION
    }

    /// Flips `alias` back to its previous index: the rollback. The index it
    /// leaves becomes the new `previous`, so a rollback can itself be undone.
    /// Refuse an unknown alias ([`AliasError::UnknownAlias`]) or one with no
    /// previous index ([`AliasError::NoPrevious`]).
    pub fn rollback(&mut self, alias: &str) -> Result<Flip, AliasError> {
        // BEGIN SOLUTION rollback: swap the live and previous index of the alias; refuse when there is nothing to go back to
        let state = self
            .aliases
            .get_mut(alias)
            .ok_or_else(|| AliasError::UnknownAlias(alias.to_string()))?;
        let Some(previous) = state.previous.take() else {
            return Err(AliasError::NoPrevious(alias.to_string()));
        };
        let from = std::mem::replace(&mut state.live, previous);
        state.previous = Some(from.clone());
        Ok(Flip {
            alias: alias.to_string(),
            from: Some(from),
            to: state.live.clone(),
        })
        // END SOLUTION
    }
}

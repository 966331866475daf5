//! Index aliases: a name readers use (`docs`) that points at one concrete
//! index (`docs_vA`), and moves to another in one operation.
//!
//! Rebuilding an index in place means readers see it half-built. With an
//! alias, the new version (`docs_vB`) is built *beside* the old one, away from
//! readers, and only a finished index can be added to the table. Going live
//! is then one pointer flip ([`AliasTable::flip`]), and going back is another
//! ([`AliasTable::rollback`]): the old index is still there, untouched, which
//! is what makes the rollback instant. This is the same lever as a blue/green
//! deploy, applied to data.
//!
//! The table also refuses to drop an index an alias still points at, as its
//! live target or its rollback target.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt;

use crate::index::{Hit, Index};

/// Where one alias points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasState {
    /// The index readers get now.
    pub live: String,
    /// The index it pointed at before the last flip: the rollback target.
    pub previous: Option<String>,
}

/// Finished indexes by name, and the aliases that point at them.
#[derive(Debug, Clone, Default)]
pub struct AliasTable {
    pub(crate) indexes: BTreeMap<String, Index>,
    pub(crate) aliases: BTreeMap<String, AliasState>,
}

/// One flip of an alias, for reports and traces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flip {
    /// The alias.
    pub alias: String,
    /// Where it pointed before (`None` when the alias is new).
    pub from: Option<String>,
    /// Where it points now.
    pub to: String,
}

impl fmt::Display for Flip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.from {
            Some(from) if *from == self.to => {
                write!(f, "{}: already on {} (nothing to do)", self.alias, self.to)
            }
            Some(from) => write!(f, "{}: {} → {}", self.alias, from, self.to),
            None => write!(f, "{}: (new) → {}", self.alias, self.to),
        }
    }
}

/// Why an alias operation was refused. A refused operation changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasError {
    /// No index of that name has been added.
    UnknownIndex(String),
    /// No alias of that name exists.
    UnknownAlias(String),
    /// The target index has no documents: most likely a build that failed
    /// half-way. Readers must never be pointed at it.
    EmptyIndex(String),
    /// The alias has no previous target to roll back to.
    NoPrevious(String),
    /// An index of that name is already in the table; indexes are immutable
    /// once added, so build a new version under a new name.
    DuplicateIndex(String),
    /// The index is still the live or rollback target of an alias.
    InUse {
        /// The index.
        index: String,
        /// The alias pointing at it.
        alias: String,
    },
}

impl fmt::Display for AliasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AliasError::UnknownIndex(n) => write!(
                f,
                "no index named `{n}`; add the finished index to the table first"
            ),
            AliasError::UnknownAlias(a) => write!(f, "no alias named `{a}`"),
            AliasError::EmptyIndex(n) => {
                write!(f, "index `{n}` is empty; refusing to point readers at a build that did not finish")
            }
            AliasError::NoPrevious(a) => {
                write!(f, "alias `{a}` has no previous index to roll back to")
            }
            AliasError::DuplicateIndex(n) => {
                write!(
                    f,
                    "an index named `{n}` already exists; build the next version under a new name"
                )
            }
            AliasError::InUse { index, alias } => {
                write!(
                    f,
                    "index `{index}` is still used by alias `{alias}` (live or rollback target)"
                )
            }
        }
    }
}

impl std::error::Error for AliasError {}

impl AliasTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a finished index. Build first, add second: the table only ever
    /// holds complete indexes.
    pub fn add_index(&mut self, index: Index) -> Result<(), AliasError> {
        if self.indexes.contains_key(index.name()) {
            return Err(AliasError::DuplicateIndex(index.name().to_string()));
        }
        self.indexes.insert(index.name().to_string(), index);
        Ok(())
    }

    /// Removes an index no alias uses any more.
    pub fn drop_index(&mut self, name: &str) -> Result<Index, AliasError> {
        for (alias, state) in &self.aliases {
            if state.live == name || state.previous.as_deref() == Some(name) {
                return Err(AliasError::InUse {
                    index: name.to_string(),
                    alias: alias.clone(),
                });
            }
        }
        self.indexes
            .remove(name)
            .ok_or_else(|| AliasError::UnknownIndex(name.to_string()))
    }

    /// An index by its own name.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.get(name)
    }

    /// Names of every index in the table, in order.
    pub fn index_names(&self) -> Vec<&str> {
        self.indexes.keys().map(String::as_str).collect()
    }

    /// Where `alias` points, if it exists.
    pub fn state(&self, alias: &str) -> Option<&AliasState> {
        self.aliases.get(alias)
    }

    /// Makes `alias` point where `state` says, creating the alias if it is
    /// new. It checks nothing: it is the single assignment that
    /// [`AliasTable::flip`] and [`AliasTable::rollback`] make once they have
    /// decided the move is safe. Use those two to move an alias.
    pub fn set_state(&mut self, alias: &str, state: AliasState) {
        self.aliases.insert(alias.to_string(), state);
    }

    /// Points `alias` at the index named `target`, in one operation, and
    /// remembers where it pointed before as the rollback target. Refuses a
    /// target that is not in the table ([`AliasError::UnknownIndex`]) or has
    /// no documents ([`AliasError::EmptyIndex`]); a refused flip changes
    /// nothing. Flipping to the index already live changes nothing either,
    /// and keeps the rollback target.
    ///
    /// The learner's step: `flip` in `starters/m33/index/flip.rs`.
    pub fn flip(&mut self, alias: &str, target: &str) -> Result<Flip, AliasError> {
        crate::flip::flip(self, alias, target)
    }

    /// Flips `alias` back to its previous index: the rollback. The index it
    /// leaves becomes the new previous one, so a rollback can itself be
    /// undone. Refuses an unknown alias ([`AliasError::UnknownAlias`]) or one
    /// with nothing to go back to ([`AliasError::NoPrevious`]).
    ///
    /// The learner's step: `rollback` in `starters/m33/index/flip.rs`.
    pub fn rollback(&mut self, alias: &str) -> Result<Flip, AliasError> {
        crate::flip::rollback(self, alias)
    }

    /// The name of the index `alias` serves now.
    pub fn live(&self, alias: &str) -> Option<&str> {
        self.aliases.get(alias).map(|s| s.live.as_str())
    }

    /// The index readers of `alias` get now.
    pub fn resolve(&self, alias: &str) -> Result<&Index, AliasError> {
        let state = self
            .aliases
            .get(alias)
            .ok_or_else(|| AliasError::UnknownAlias(alias.to_string()))?;
        self.indexes
            .get(&state.live)
            .ok_or_else(|| AliasError::UnknownIndex(state.live.clone()))
    }

    /// Searches whatever index `alias` serves, for documents live at `now`
    /// (see [`Index::search`]).
    pub fn search(
        &self,
        alias: &str,
        query: &str,
        k: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Hit>, AliasError> {
        Ok(self.resolve(alias)?.search(query, k, now))
    }
}

//! The record manager: which documents the index holds, from which source,
//! written when.
//!
//! [`crate::indexing::index`] keeps one [`Record`] per stored document, keyed
//! by the document's content key (a hash of its text and metadata). A record
//! remembers the document's **group** (the id of the source it came from)
//! and the **time it was last seen** by a run. Cleanup is a question put to
//! these records: "which keys, of these groups, were not seen since this run
//! began?"
//!
//! Time is a counter, not a clock: every run of `index` starts by moving it
//! one tick on ([`RecordManager::start_run`]), and everything that run
//! touches is stamped with the new tick. A record stamped before the run's
//! tick was not seen by it. (LangChain's record managers use the wall clock
//! and its guide warns that two runs inside one clock tick miss their
//! cleanup; a counter cannot.)

use std::collections::BTreeMap;

/// What the record manager knows of one stored document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The source the document came from (`None` when the run that last
    /// saw it had no source id key).
    pub group: Option<String>,
    /// The tick of the run that last wrote or saw the document.
    pub seen_at: u64,
}

/// The ledger of a vector store's documents, by content key.
///
/// Keep one per store: a record manager that does not match its store
/// (content written around it, or a second manager for the same store)
/// makes every count and cleanup wrong, as in LangChain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordManager {
    namespace: String,
    records: BTreeMap<String, Record>,
    tick: u64,
}

impl RecordManager {
    /// An empty record manager. The namespace names the store it keeps
    /// ledger for (`index/docs_vA`); [`crate::indexing::index`] files the
    /// documents it writes under it as their collection.
    pub fn new(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            records: BTreeMap::new(),
            tick: 0,
        }
    }

    /// The namespace given to [`RecordManager::new`].
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The current tick (0 before the first run).
    pub fn now(&self) -> u64 {
        self.tick
    }

    /// Moves time one tick on and returns it: the start of a run. Every
    /// record written before this call is older than the returned tick.
    pub fn start_run(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    /// Which of `keys` have a record, in the order asked.
    pub fn exists<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Vec<bool> {
        keys.into_iter()
            .map(|k| self.records.contains_key(k))
            .collect()
    }

    /// Stamps `key` as seen now, in `group` (creating the record if needed).
    pub fn update(&mut self, key: &str, group: Option<&str>) {
        let record = Record {
            group: group.map(str::to_string),
            seen_at: self.tick,
        };
        self.records.insert(key.to_string(), record);
    }

    /// Keys last seen before tick `before`, in key order, at most `limit` of
    /// them; with `groups`, only records of those groups (an empty list
    /// means no group filter, as in LangChain).
    pub fn stale_keys(&self, before: u64, groups: Option<&[&str]>, limit: usize) -> Vec<String> {
        self.records
            .iter()
            .filter(|(_, r)| r.seen_at < before)
            .filter(|(_, r)| match groups {
                Some(gs) if !gs.is_empty() => r.group.as_deref().is_some_and(|g| gs.contains(&g)),
                _ => true,
            })
            .take(limit)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Forgets `keys`.
    pub fn delete_keys(&mut self, keys: &[String]) {
        for k in keys {
            self.records.remove(k);
        }
    }

    /// One record by key.
    pub fn get(&self, key: &str) -> Option<&Record> {
        self.records.get(key)
    }

    /// Every record, in key order.
    pub fn records(&self) -> impl Iterator<Item = (&str, &Record)> {
        self.records.iter().map(|(k, r)| (k.as_str(), r))
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` when no document is recorded.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_keys_filter_by_time_group_and_limit() {
        let mut rm = RecordManager::new("t");
        rm.start_run();
        rm.update("a", Some("s1"));
        rm.update("b", Some("s2"));
        rm.update("c", None);
        let t2 = rm.start_run();
        rm.update("b", Some("s2"));
        assert_eq!(rm.stale_keys(t2, None, 10), vec!["a", "c"]);
        assert_eq!(rm.stale_keys(t2, Some(&["s1"]), 10), vec!["a"]);
        assert_eq!(rm.stale_keys(t2, Some(&["s2"]), 10), Vec::<String>::new());
        assert_eq!(rm.stale_keys(t2, Some(&[]), 10), vec!["a", "c"]);
        assert_eq!(rm.stale_keys(t2, None, 1), vec!["a"]);
        assert_eq!(rm.exists(["a", "z"]), vec![true, false]);
        rm.delete_keys(&["a".to_string()]);
        assert_eq!(rm.len(), 2);
    }
}

//! Service topology: who depends on whom.
//!
//! Alertmanager sees labels; it cannot know that the chat API calls the
//! retriever, so when the retriever breaks, the chat API and the gateway in
//! front of it alert too. A topology records those dependencies. With it a
//! correlator can tell that two alerts on different services are one problem
//! (one service sits downstream of the other), and can name the service that
//! best explains a group of symptoms: the one upstream of the others.
//!
//! `a` *depends on* `b` when `a` calls `b`, directly or through other
//! services. Failures flow the other way: when `b` fails, everything that
//! depends on it — its *downstream* — may alert.

use std::collections::{BTreeMap, BTreeSet};

/// A directed graph of service dependencies, with its transitive closure
/// kept up to date so that queries are cheap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topology {
    /// Direct dependencies: service → the services it calls.
    calls: BTreeMap<String, BTreeSet<String>>,
    /// Transitive dependencies: service → everything it needs, at any depth.
    needs: BTreeMap<String, BTreeSet<String>>,
}

impl Topology {
    /// An empty topology: every service stands alone.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder form of [`Topology::add`].
    pub fn with(mut self, service: &str, calls: &str) -> Self {
        self.add(service, calls);
        self
    }

    /// Records that `service` calls `dependency`.
    pub fn add(&mut self, service: &str, dependency: &str) {
        self.calls
            .entry(service.to_string())
            .or_default()
            .insert(dependency.to_string());
        self.calls.entry(dependency.to_string()).or_default();
        self.recompute();
    }

    fn recompute(&mut self) {
        let mut needs = BTreeMap::new();
        for start in self.calls.keys() {
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut stack: Vec<&String> = self.calls[start].iter().collect();
            while let Some(s) = stack.pop() {
                if seen.insert(s.clone()) {
                    if let Some(next) = self.calls.get(s) {
                        stack.extend(next.iter());
                    }
                }
            }
            needs.insert(start.clone(), seen);
        }
        self.needs = needs;
    }

    /// Every service the topology knows, sorted.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.calls.keys().map(String::as_str)
    }

    /// The services `service` calls directly.
    pub fn calls(&self, service: &str) -> Vec<&str> {
        self.calls
            .get(service)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// `true` when `service` needs `dependency`, directly or through others.
    pub fn depends_on(&self, service: &str, dependency: &str) -> bool {
        self.needs
            .get(service)
            .is_some_and(|n| n.contains(dependency))
    }

    /// `true` when a failure of one could show up as alerts on the other:
    /// the same service, or one depends on the other.
    pub fn related(&self, a: &str, b: &str) -> bool {
        a == b || self.depends_on(a, b) || self.depends_on(b, a)
    }

    /// Every service that depends on `service`, at any depth, sorted: where
    /// its failure can be felt.
    pub fn downstream_of(&self, service: &str) -> BTreeSet<String> {
        self.needs
            .iter()
            .filter(|(_, n)| n.contains(service))
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// Services related to `service` (itself included), sorted.
    pub fn related_to(&self, service: &str) -> Vec<String> {
        let mut out: BTreeSet<String> = self.downstream_of(service);
        if let Some(n) = self.needs.get(service) {
            out.extend(n.iter().cloned());
        }
        out.insert(service.to_string());
        out.into_iter().collect()
    }

    /// The simulated AI assistant the course operates:
    ///
    /// ```text
    /// gateway ─┬─> auth
    ///          └─> chat-api ─┬─> retriever ─┬─> vector-index
    ///                        │              └─> embedder
    ///                        └─> model-server
    /// billing   (stands alone)
    /// ```
    pub fn assistant() -> Self {
        Topology::new()
            .with("gateway", "auth")
            .with("gateway", "chat-api")
            .with("chat-api", "retriever")
            .with("chat-api", "model-server")
            .with("retriever", "vector-index")
            .with("retriever", "embedder")
            .with("billing", "billing-db")
    }
}

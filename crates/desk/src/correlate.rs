//! Correlation: from a storm of alert records to a short list of incidents.
//!
//! [`correlate`] runs four stages, the first three with Prometheus
//! Alertmanager's semantics and the last one the AIOps layer on top. The
//! first three are held to Alertmanager 0.25.0 by the differential test
//! `crates/desk-config/tests/alertmanager.rs` (the real binary, the course's
//! storm and 60 seeded ones: firing fingerprints with their `startsAt` and
//! `endsAt`, groups, muted alerts); the fourth has no counterpart there.
//!
//! 1. **Deduplicate.** Records with the same [fingerprint](crate::fingerprint)
//!    (the same labels) are one alert, however many sources sent it and however
//!    its annotations changed. A repeat merges into the stored alert only when
//!    their activity overlaps, and otherwise replaces it (a re-fire after a
//!    resolve starts anew), like Alertmanager 0.25.0's memory provider: see
//!    [`dedup`](crate::dedup).
//! 2. **Inhibit.** An [`InhibitRule`] lets a firing alert that matches its
//!    `source` matchers mute the alerts that match its `target` matchers, when
//!    the labels listed in `equal` have the same values on both (a missing label
//!    counts as empty). A resolved source mutes nothing, and an alert that
//!    matches both sides cannot be muted by another alert that also matches both
//!    sides — otherwise two such alerts would mute each other and nobody would
//!    hear about either.
//! 3. **Group.** Alerts with the same values of the `group_by` labels form a
//!    group (one notification in Alertmanager). A label the alert lacks is
//!    left out of its group's key; `group_by: ['...']` groups by every label
//!    (each distinct alert its own group); an empty `group_by` puts
//!    everything in one group.
//!
//! Before all of it, a label with an empty value is dropped: Alertmanager
//! drops empty labels when an alert arrives, so `{team=""}` and no `team` are
//! one alert with one fingerprint.
//! 4. **Find incidents and their probable causes.** Labels cannot say that the
//!    chat API's alerts are the retriever's fault; the [`Topology`] can. Two
//!    alerts belong to the same incident when their services are related (one
//!    depends on the other, or they are the same) and the later one started
//!    within `window` of the earlier one; chains of such pairs join up. In each
//!    incident the probable cause is the service upstream of the most alerting
//!    services, the earliest to alert on a tie.
//!
//! Every stage is a sort or a map lookup per alert, so the whole costs
//! O(n log n) in the number of records (see `examples/bench.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use crate::alert::{Alert, Deduped, Fingerprint};
use crate::topology::Topology;

/// How a matcher compares a label's value: Alertmanager's four operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    /// `name="value"`
    Equal,
    /// `name!="value"`
    NotEqual,
    /// `name=~"regex"`: the whole value matches the regex.
    Regex,
    /// `name!~"regex"`: the whole value does not match the regex.
    NotRegex,
}

impl MatchOp {
    /// The operator as Alertmanager writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

/// A compiled regular expression for a `=~` or `!~` matcher.
///
/// The desk does not compile regexes itself: a regex engine is a heavy
/// dependency, and this crate is rebuilt in the learner's edit → result
/// loop. The crate that reads `alertmanager.yml` (`desk-config`) compiles
/// each pattern the way Alertmanager does, anchored as `^(?:pattern)$`, and
/// hands it over behind this trait.
pub trait ValuePattern: fmt::Debug + Send + Sync {
    /// `true` when the **whole** label value matches.
    fn is_match(&self, value: &str) -> bool;
}

/// One condition on one label. As in Alertmanager, a missing label has the
/// value `""`, so `{team=""}` matches alerts without a `team` label and
/// `{team=~".*"}` matches every alert.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The label name.
    pub name: String,
    /// Which comparison.
    pub op: MatchOp,
    /// The value compared with (for a regex operator, the pattern as written).
    pub value: String,
    pattern: Option<std::sync::Arc<dyn ValuePattern>>,
}

impl PartialEq for Matcher {
    /// Two matchers are equal when they are written the same way.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// `name="value"`
    pub fn eq(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            op: MatchOp::Equal,
            value: value.to_string(),
            pattern: None,
        }
    }

    /// `name!="value"`
    pub fn ne(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            op: MatchOp::NotEqual,
            value: value.to_string(),
            pattern: None,
        }
    }

    /// `name=~"source"` (`negated`: `name!~"source"`), with `pattern` the
    /// compiled, anchored form of `source`.
    pub fn regex(
        name: &str,
        source: &str,
        negated: bool,
        pattern: std::sync::Arc<dyn ValuePattern>,
    ) -> Self {
        Self {
            name: name.to_string(),
            op: if negated {
                MatchOp::NotRegex
            } else {
                MatchOp::Regex
            },
            value: source.to_string(),
            pattern: Some(pattern),
        }
    }

    /// `true` when the alert's label satisfies this matcher.
    pub fn matches(&self, alert: &Alert) -> bool {
        let v = alert.label(&self.name);
        let regex = || self.pattern.as_ref().is_some_and(|p| p.is_match(v));
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regex => regex(),
            MatchOp::NotRegex => !regex(),
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}\"{}\"", self.name, self.op.as_str(), self.value)
    }
}

/// `true` when every matcher matches (so an empty list matches everything).
pub fn matches_all(matchers: &[Matcher], alert: &Alert) -> bool {
    matchers.iter().all(|m| m.matches(alert))
}

/// An inhibition rule: while an alert matching `source` fires, alerts
/// matching `target` whose `equal` labels agree with it are muted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InhibitRule {
    /// Matchers the muting alert must satisfy.
    pub source: Vec<Matcher>,
    /// Matchers the muted alert must satisfy.
    pub target: Vec<Matcher>,
    /// Labels that must have the same value on both (missing = `""`).
    pub equal: Vec<String>,
}

impl InhibitRule {
    /// A rule from its three parts.
    pub fn new(source: Vec<Matcher>, target: Vec<Matcher>, equal: &[&str]) -> Self {
        Self {
            source,
            target,
            equal: equal.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The rule in one line: `{severity="critical"} mutes {severity!="critical"} when cluster, service agree`.
    pub fn describe(&self) -> String {
        let side = |ms: &[Matcher]| {
            let v: Vec<String> = ms.iter().map(Matcher::to_string).collect();
            format!("{{{}}}", v.join(", "))
        };
        let mut s = format!("{} mutes {}", side(&self.source), side(&self.target));
        if !self.equal.is_empty() {
            s.push_str(&format!(" when {} agree", self.equal.join(", ")));
        }
        s
    }
}

/// The values of the `group_by` labels that make a group, sorted by label
/// name. Printed like a label set: `{cluster="eu-1", service="retriever"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey(pub Vec<(String, String)>);

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        write!(f, "{{{}}}", v.join(", "))
    }
}

/// The `group_by` entry that means "every label", as in Alertmanager's
/// `group_by: ['...']`.
pub const GROUP_BY_ALL: &str = "...";

/// How to correlate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrelationConfig {
    /// Labels whose values make a group; [`GROUP_BY_ALL`] (`...`) means
    /// every label. Alertmanager's configuration accepts `...` only alone;
    /// `group_key` honours it wherever it appears.
    pub group_by: Vec<String>,
    /// Inhibition rules, applied in order; the first that mutes an alert is
    /// the one reported.
    pub inhibit_rules: Vec<InhibitRule>,
    /// Service dependencies, for incidents and probable causes.
    pub topology: Topology,
    /// Time proximity: a related alert starting within this long of another
    /// joins its incident.
    pub window: TimeDelta,
}

impl Default for CorrelationConfig {
    /// The course's configuration: group by `cluster` and `service`; a firing
    /// critical alert mutes the non-critical alerts of the same cluster and
    /// service; the assistant's [topology](Topology::assistant); a 15-minute
    /// window.
    fn default() -> Self {
        Self {
            group_by: vec!["cluster".to_string(), "service".to_string()],
            inhibit_rules: vec![InhibitRule::new(
                vec![Matcher::eq("severity", "critical")],
                vec![Matcher::ne("severity", "critical")],
                &["cluster", "service"],
            )],
            topology: Topology::assistant(),
            window: TimeDelta::minutes(15),
        }
    }
}

/// An alert muted by inhibition, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Muted {
    /// The muted alert.
    pub alert: Fingerprint,
    /// The firing alert that mutes it.
    pub by: Fingerprint,
    /// Index of the rule in [`CorrelationConfig::inhibit_rules`].
    pub rule: usize,
}

/// One Alertmanager group: the alerts sharing a [`GroupKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's label values.
    pub key: GroupKey,
    /// Alerts that would be notified, in order of arrival.
    pub members: Vec<Fingerprint>,
    /// Alerts of this group that inhibition muted, and why.
    pub muted: Vec<Muted>,
    /// Ids of the incidents this group's alerts belong to (usually one).
    pub incidents: Vec<usize>,
}

/// The probable cause of an incident, as the topology and the clock tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The service blamed.
    pub service: String,
    /// Its earliest alert.
    pub alert: Fingerprint,
    /// When that alert started.
    pub first_at: DateTime<Utc>,
    /// The deploy the service's alerts follow, if known.
    pub deploy: Option<String>,
    /// The incident's alerting services this cause explains (itself and those
    /// downstream of it), sorted.
    pub explains: Vec<String>,
}

impl Cause {
    /// One line for a person: which service, why, and the deploy if known.
    pub fn explain(&self, services_in_incident: usize) -> String {
        let mut s = format!(
            "{} (upstream of {} of {} alerting services: {}; first alert {})",
            self.service,
            self.explains.len(),
            services_in_incident,
            self.explains.join(", "),
            labkit::clock::stamp(self.first_at)
        );
        if let Some(d) = &self.deploy {
            s.push_str(&format!(", follows deploy {d}"));
        }
        s
    }
}

/// An incident: alerts that are one problem, by topology and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// 1, 2, … in order of the first alert.
    pub id: usize,
    /// Every alert of the incident (muted ones too), by start time.
    pub alerts: Vec<Fingerprint>,
    /// How many of them inhibition muted.
    pub muted: usize,
    /// The alerting services, sorted.
    pub services: Vec<String>,
    /// Start of the earliest alert.
    pub first_at: DateTime<Utc>,
    /// Start of the latest alert.
    pub last_at: DateTime<Utc>,
    /// The probable cause.
    pub cause: Option<Cause>,
}

/// What [`correlate`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correlation {
    /// Alert records received.
    pub received: usize,
    /// The distinct alerts after deduplication, in order of first arrival.
    pub alerts: Vec<Deduped>,
    /// Every muted alert, in order of first arrival.
    pub muted: Vec<Muted>,
    /// The groups, sorted by key.
    pub groups: Vec<Group>,
    /// The incidents, by first alert.
    pub incidents: Vec<Incident>,
    position: BTreeMap<Fingerprint, usize>,
}

impl Correlation {
    /// Names each incident's probable cause (`probable_cause`, step A5)
    /// from its alerts, in the order the incident lists them, and the
    /// service topology.
    pub(crate) fn find_causes(&mut self, topology: &Topology) {
        let causes: Vec<Option<Cause>> = self
            .incidents
            .iter()
            .map(|inc| {
                let refs: Vec<&Alert> = inc
                    .alerts
                    .iter()
                    .filter_map(|fp| self.alert(*fp))
                    .map(|d| &d.alert)
                    .collect();
                crate::probable_cause(&refs, topology)
            })
            .collect();
        for (inc, cause) in self.incidents.iter_mut().zip(causes) {
            inc.cause = cause;
        }
    }

    /// The deduplicated alert with this fingerprint.
    pub fn alert(&self, fp: Fingerprint) -> Option<&Deduped> {
        self.position.get(&fp).and_then(|&i| self.alerts.get(i))
    }

    /// Why an alert is muted, if it is.
    pub fn muted_by(&self, fp: Fingerprint) -> Option<&Muted> {
        self.muted.iter().find(|m| m.alert == fp)
    }

    /// Records received per incident: `received / incidents` (0 when there
    /// are no incidents). 43 records in 3 incidents is 14.3.
    pub fn reduction_ratio(&self) -> f64 {
        if self.incidents.is_empty() {
            0.0
        } else {
            self.received as f64 / self.incidents.len() as f64
        }
    }

    /// The share of records that did not become an incident of their own:
    /// `1 − incidents / received` (0 for an empty batch).
    pub fn compression(&self) -> f64 {
        if self.received == 0 {
            0.0
        } else {
            1.0 - self.incidents.len() as f64 / self.received as f64
        }
    }

    /// The funnel in one line:
    /// `43 records -> 13 alerts -> 6 muted -> 6 groups -> 3 incidents (14.3 records per incident)`.
    pub fn summary(&self) -> String {
        format!(
            "{} records -> {} alerts -> {} muted -> {} groups -> {} incidents ({:.1} records per incident)",
            self.received,
            self.alerts.len(),
            self.muted.len(),
            self.groups.len(),
            self.incidents.len(),
            self.reduction_ratio()
        )
    }

    /// The incident whose probable cause is `service`, if any (the first by
    /// time when several are).
    pub fn incident_caused_by(&self, service: &str) -> Option<&Incident> {
        self.incidents
            .iter()
            .find(|i| i.cause.as_ref().is_some_and(|c| c.service == service))
    }

    /// The probable cause of the incident holding a group's earliest alert.
    pub fn cause_of(&self, group: &Group) -> Option<&Cause> {
        let first = group.incidents.first()?;
        self.incident(*first)?.cause.as_ref()
    }

    /// The incident with this id.
    pub fn incident(&self, id: usize) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as the root: deterministic and cheap.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

fn equal_key<'a>(rule: &InhibitRule, alert: &'a Alert) -> Vec<&'a str> {
    rule.equal.iter().map(|n| alert.label(n)).collect()
}

/// Stage 2: which alerts are muted. For speed, each rule indexes its firing
/// sources by their `equal` values; a target is then tried against at most
/// two candidates of its bucket (the first source matching only the source
/// side, and the first matching both sides), which is enough: if any source
/// can mute it, one of those two can.
fn inhibit(alerts: &[Deduped], rules: &[InhibitRule]) -> Vec<Option<Muted>> {
    let mut muted: Vec<Option<Muted>> = vec![None; alerts.len()];
    for (r, rule) in rules.iter().enumerate() {
        let mut buckets: BTreeMap<Vec<&str>, [Option<usize>; 2]> = BTreeMap::new();
        for (i, d) in alerts.iter().enumerate() {
            let a = &d.alert;
            if a.is_firing() && matches_all(&rule.source, a) {
                let both = matches_all(&rule.target, a);
                let slot = &mut buckets.entry(equal_key(rule, a)).or_default()[usize::from(both)];
                if slot.is_none() {
                    *slot = Some(i);
                }
            }
        }
        for (i, d) in alerts.iter().enumerate() {
            if muted[i].is_some() || !matches_all(&rule.target, &d.alert) {
                continue;
            }
            let Some(bucket) = buckets.get(&equal_key(rule, &d.alert)) else {
                continue;
            };
            for &c in bucket.iter().flatten() {
                if c != i && crate::inhibits(rule, &alerts[c].alert, &d.alert) {
                    muted[i] = Some(Muted {
                        alert: d.fingerprint,
                        by: alerts[c].fingerprint,
                        rule: r,
                    });
                    break;
                }
            }
        }
    }
    muted
}

/// Stage 4a: incidents as connected components of "related service, started
/// within `window` after". A sweep in start order only needs, per service, the
/// latest alert seen so far.
fn cluster(alerts: &[Deduped], config: &CorrelationConfig) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    order.sort_by_key(|&i| (alerts[i].alert.starts_at, i));
    let mut uf = UnionFind::new(alerts.len());
    let mut latest: BTreeMap<&str, (DateTime<Utc>, usize)> = BTreeMap::new();
    let mut related: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for &i in &order {
        let a = &alerts[i].alert;
        let service = a.service();
        let near = related
            .entry(service)
            .or_insert_with(|| config.topology.related_to(service));
        for r in near.iter() {
            if let Some(&(t, j)) = latest.get(r.as_str()) {
                if a.starts_at - t <= config.window {
                    uf.union(i, j);
                }
            }
        }
        latest.insert(service, (a.starts_at, i));
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &order {
        let root = uf.find(i);
        components.entry(root).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = components.into_values().collect();
    out.sort_by_key(|c| c.first().map(|&i| (alerts[i].alert.starts_at, i)));
    out
}

/// Deduplicates, inhibits, groups and finds incidents with their probable
/// causes. `records` are alert records in order of arrival; see the module
/// docs for the rules of each stage.
///
/// ```
/// # #[cfg(feature = "solution")] {
/// let storm = desk::storm::storm(7);
/// let c = desk::correlate(&storm.alerts, &desk::CorrelationConfig::default());
/// assert_eq!(c.received, 43);
/// assert_eq!(c.incidents.len(), 3);
/// # }
/// ```
pub fn correlate(records: &[Alert], config: &CorrelationConfig) -> Correlation {
    let mut c = correlate_by_labels(records, config);
    c.find_causes(&config.topology);
    c
}

/// Every stage of [`correlate`] but the last: the incidents are found, each
/// with no cause yet. The story prints these stages before it asks for the
/// causes, so that a learner who has not written `probable_cause` (after
/// class) still sees their dedup, muting and groups.
pub(crate) fn correlate_by_labels(records: &[Alert], config: &CorrelationConfig) -> Correlation {
    // Alertmanager drops empty labels on arrival; so does the desk.
    let cleaned: Option<Vec<Alert>> = records
        .iter()
        .any(|r| r.labels.values().any(String::is_empty))
        .then(|| {
            records
                .iter()
                .cloned()
                .map(Alert::without_empty_labels)
                .collect()
        });
    let records = cleaned.as_deref().unwrap_or(records);
    let alerts = crate::dedup(records);
    let position: BTreeMap<Fingerprint, usize> = alerts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.fingerprint, i))
        .collect();
    let muted = inhibit(&alerts, &config.inhibit_rules);

    let components = cluster(&alerts, config);
    let mut incident_of = vec![0usize; alerts.len()];
    let mut incidents = Vec::with_capacity(components.len());
    for (n, members) in components.iter().enumerate() {
        let id = n + 1;
        let refs: Vec<&Alert> = members.iter().map(|&i| &alerts[i].alert).collect();
        let services: BTreeSet<&str> = refs.iter().map(|a| a.service()).collect();
        for &i in members {
            incident_of[i] = id;
        }
        let first_at = refs.iter().map(|a| a.starts_at).min();
        let last_at = refs.iter().map(|a| a.starts_at).max();
        let (Some(first_at), Some(last_at)) = (first_at, last_at) else {
            continue;
        };
        incidents.push(Incident {
            id,
            alerts: members.iter().map(|&i| alerts[i].fingerprint).collect(),
            muted: members.iter().filter(|&&i| muted[i].is_some()).count(),
            services: services.into_iter().map(str::to_string).collect(),
            first_at,
            last_at,
            cause: None,
        });
    }

    let mut groups: BTreeMap<GroupKey, (Group, BTreeSet<usize>)> = BTreeMap::new();
    for (i, d) in alerts.iter().enumerate() {
        let key = crate::group_key(&d.alert, &config.group_by);
        let (g, ids) = groups.entry(key.clone()).or_insert_with(|| {
            let g = Group {
                key,
                members: Vec::new(),
                muted: Vec::new(),
                incidents: Vec::new(),
            };
            (g, BTreeSet::new())
        });
        match &muted[i] {
            Some(m) => g.muted.push(m.clone()),
            None => g.members.push(d.fingerprint),
        }
        ids.insert(incident_of[i]);
    }
    let groups: Vec<Group> = groups
        .into_values()
        .map(|(mut g, ids)| {
            g.incidents = ids.into_iter().collect();
            g
        })
        .collect();

    Correlation {
        received: records.len(),
        muted: muted.into_iter().flatten().collect(),
        alerts,
        groups,
        incidents,
        position,
    }
}

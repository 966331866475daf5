//! Notifications: who is paged, when, and with which alerts.
//!
//! [`correlate`](crate::correlate()) answers "what is going on"; the person
//! on call asks a different question: *when, and how often, will my phone
//! ring?* This module answers it the way Prometheus Alertmanager 0.25.0's
//! dispatcher and notification pipeline do, in simulated time, for a storm
//! given as timed [`Post`]s.
//!
//! ## What happens to an alert, step by step
//!
//! 1. **Storing.** A posted alert without `endsAt` gets one `resolve_timeout`
//!    after its arrival (and is marked as timing out); one without `startsAt`
//!    starts when it arrives. A new record of a stored alert replaces it, or
//!    is merged with it when their activity ranges overlap (earliest start
//!    wins; a later explicit end beats a timed-out one).
//! 2. **Routing.** The [`Route`] tree is searched depth first, left to right:
//!    a route whose matchers all match takes the alert when none of its
//!    children does; the first matching child stops the search among its
//!    siblings unless it has `continue`. An alert can so reach several
//!    routes, each a separate page.
//! 3. **Grouping.** Per route, alerts with the same values of the route's
//!    `group_by` labels share an *aggregation group*. A new group waits
//!    `group_wait` before its first flush, then flushes every
//!    `group_interval`. An alert whose `startsAt` is already more than
//!    `group_wait` old when it reaches a group that never flushed makes the
//!    group flush at once.
//! 4. **Muting, at each flush.** Alerts inhibited by a firing source alert
//!    ([`InhibitRule`], judged with [`inhibits`](crate::inhibits)) or covered
//!    by an active [`Silence`] are left out; outside the route's
//!    `active_time_intervals` or inside one of its `mute_time_intervals` the
//!    whole flush is dropped.
//! 5. **Deduplicating, per receiver integration.** The notification log
//!    remembers, per group and integration, which alerts were firing and
//!    resolved at the last notification. A flush notifies when a firing
//!    alert is new to the log, when every alert has resolved and the log
//!    still holds firing ones, when (with `send_resolved`) an alert resolved
//!    since, or when `repeat_interval` has passed since the last one.
//!    Otherwise it is silent. A flush of only resolved alerts that the
//!    receiver never heard of sends nothing.
//! 6. **Forgetting.** After a flush, the resolved alerts it carried leave the
//!    group (unless re-posted meanwhile); the dispatcher drops empty groups
//!    at its maintenance pass, every 30 s from its start, and an alert that
//!    arrives after that starts a new group with a new `group_wait`.
//!
//! ## What is not modelled
//!
//! - **The inhibition race.** Alertmanager's inhibitor reads alerts on its own
//!   subscription; a flush triggered at once (step 3) can run before the
//!   inhibitor has seen a source alert posted in the same moment, and then a
//!   muted alert is notified (prometheus/alertmanager #2229, #4064). The model
//!   assumes the inhibitor has seen every alert posted up to the flush. The
//!   differential test (`crates/desk-config/tests/notifications.rs`) never
//!   posts an inhibition source with a `startsAt` older than `group_wait`, so
//!   the race cannot happen there.
//! - Events at the same instant: posts are taken before flushes, and one
//!   post's alerts in order. In Alertmanager such ties are races.
//! - Failed deliveries and retries, clustering, the notification log's
//!   retention, the group limit, templates.
//!
//! ## How it is checked
//!
//! `crates/desk-config/tests/notifications.rs` plays 33 seeded storms on
//! the real Alertmanager 0.25 with a webhook receiver and compares every
//! notification: receiver, group key, firing and resolved alerts, time
//! within 0.25 s. The storms cover nested routes, `continue`, the three
//! matcher forms, per-route timers, repeats, resolves with and without
//! `send_resolved`, flaps, `endsAt` expiry, old `startsAt`, inhibition,
//! silences and time intervals (including one that ends mid-storm). The
//! maintenance pass (step 6) is modelled and unit-tested but not compared:
//! the storms end before the engine's first pass.
//!
//! Everything runs on the simulated clock with ordered maps, so the same
//! storm gives the same pages.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};

use crate::alert::{Alert, Fingerprint};
use crate::correlate::{matches_all, InhibitRule, MatchOp, Matcher, GROUP_BY_ALL};

/// A label set, ordered by name.
pub type Labels = BTreeMap<String, String>;

/// How often Alertmanager's dispatcher drops empty aggregation groups.
pub const MAINTENANCE_INTERVAL: TimeDelta = TimeDelta::seconds(30);

/// A route's three timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timers {
    /// How long a new group waits before its first notification.
    pub group_wait: TimeDelta,
    /// How long between two flushes of a group.
    pub group_interval: TimeDelta,
    /// How long before an unchanged notification is sent again.
    pub repeat_interval: TimeDelta,
}

impl Default for Timers {
    /// Alertmanager's defaults: 30 s, 5 min, 4 h.
    fn default() -> Self {
        Self {
            group_wait: TimeDelta::seconds(30),
            group_interval: TimeDelta::minutes(5),
            repeat_interval: TimeDelta::hours(4),
        }
    }
}

/// One node of the routing tree, with the settings it inherited from its
/// parents already filled in (`desk-config` reads them from YAML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// All must match for an alert to take this route (none at the root).
    pub matchers: Vec<Matcher>,
    /// After this route matched, try its later siblings too.
    pub continue_matching: bool,
    /// Who is notified for the alerts of this route.
    pub receiver: String,
    /// The labels that split alerts into groups (`["..."]`: every label).
    pub group_by: Vec<String>,
    /// When groups of this route flush and repeat.
    pub timers: Timers,
    /// Names of time intervals during which nothing is sent (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Names of time intervals outside which nothing is sent (not inherited).
    pub active_time_intervals: Vec<String>,
    /// The child routes, in file order.
    pub routes: Vec<Route>,
}

impl Route {
    /// A root route: everything goes to `receiver`, grouped by `group_by`.
    pub fn root(receiver: &str, group_by: &[&str], timers: Timers) -> Self {
        Self {
            matchers: Vec::new(),
            continue_matching: false,
            receiver: receiver.to_string(),
            group_by: group_by.iter().map(|s| s.to_string()).collect(),
            timers,
            mute_time_intervals: Vec::new(),
            active_time_intervals: Vec::new(),
            routes: Vec::new(),
        }
    }

    /// A child of `self` with the given matchers and receiver, inheriting
    /// everything else (change the fields to override).
    pub fn child(&self, matchers: Vec<Matcher>, receiver: &str) -> Self {
        Self {
            matchers,
            continue_matching: false,
            receiver: receiver.to_string(),
            group_by: self.group_by.clone(),
            timers: self.timers,
            mute_time_intervals: Vec::new(),
            active_time_intervals: Vec::new(),
            routes: Vec::new(),
        }
    }

    /// The routes an alert takes: depth first, left to right; a matching
    /// child stops the search among its siblings unless it has `continue`;
    /// a route none of whose children matched takes the alert itself.
    /// Each is returned with its path of child indexes from the root.
    pub fn matching(&self, alert: &Alert) -> Vec<(Vec<usize>, &Route)> {
        let mut out = Vec::new();
        self.collect(alert, &mut Vec::new(), &mut out);
        out
    }

    fn collect<'a>(
        &'a self,
        alert: &Alert,
        path: &mut Vec<usize>,
        out: &mut Vec<(Vec<usize>, &'a Route)>,
    ) -> bool {
        if !matches_all(&self.matchers, alert) {
            return false;
        }
        let before = out.len();
        for (i, child) in self.routes.iter().enumerate() {
            path.push(i);
            let matched = child.collect(alert, path, out);
            path.pop();
            if matched && !child.continue_matching {
                break;
            }
        }
        if out.len() == before {
            out.push((path.clone(), self));
        }
        true
    }

    /// The route at `path` (child indexes from this one).
    pub fn at(&self, path: &[usize]) -> Option<&Route> {
        path.iter().try_fold(self, |r, &i| r.routes.get(i))
    }

    /// Alertmanager's key for the route at `path`: each route's matchers
    /// from the root down, sorted and written `{name="value",…}`, joined by
    /// `/` (the root is `{}`). Two sibling routes with the same matchers
    /// share a key, and so share a notification log, as in Alertmanager.
    pub fn key(&self, path: &[usize]) -> String {
        let mut key = matchers_key(&self.matchers);
        let mut node = self;
        for &i in path {
            let Some(next) = node.routes.get(i) else {
                break;
            };
            node = next;
            key.push('/');
            key.push_str(&matchers_key(&node.matchers));
        }
        key
    }
}

fn op_rank(op: MatchOp) -> u8 {
    match op {
        MatchOp::Equal => 0,
        MatchOp::NotEqual => 1,
        MatchOp::Regex => 2,
        MatchOp::NotRegex => 3,
    }
}

/// `\`, newline and `"` escaped, as Alertmanager prints a matcher's value.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('"', "\\\"")
}

fn matchers_key(matchers: &[Matcher]) -> String {
    let mut sorted: Vec<&Matcher> = matchers.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.name, &a.value, op_rank(a.op)).cmp(&(&b.name, &b.value, op_rank(b.op)))
    });
    let parts: Vec<String> = sorted
        .iter()
        .map(|m| format!("{}{}\"{}\"", m.name, m.op.as_str(), escape(&m.value)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// A label set written as Alertmanager writes a group's labels:
/// `{cluster="eu", service="api"}`.
pub fn labels_text(labels: &Labels) -> String {
    let parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// One way a receiver is reached (a webhook, an e-mail address…). Each
/// integration keeps its own notification log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// What it is: `webhook`, `email`, `slack`…
    pub kind: String,
    /// Whether resolved alerts are sent to it.
    pub send_resolved: bool,
}

/// A named receiver and its integrations (none: it receives nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    /// The name routes refer to.
    pub name: String,
    /// Its integrations, in file order.
    pub integrations: Vec<Integration>,
}

/// A recurring window of time (Alertmanager's `time_intervals`), given by
/// whoever reads the configuration.
pub trait TimeWindow: fmt::Debug + Send + Sync {
    /// `true` when `at` falls inside the window.
    fn contains(&self, at: DateTime<Utc>) -> bool;
}

/// Everything of an `alertmanager.yml` that decides who is paged when.
#[derive(Debug, Clone)]
pub struct Routing {
    /// The routing tree.
    pub route: Route,
    /// The receivers by name.
    pub receivers: BTreeMap<String, Receiver>,
    /// The inhibition rules.
    pub inhibit_rules: Vec<InhibitRule>,
    /// The named time intervals routes refer to.
    pub time_intervals: BTreeMap<String, Arc<dyn TimeWindow>>,
    /// How long an alert posted without `endsAt` stays firing.
    pub resolve_timeout: TimeDelta,
}

impl Routing {
    /// Routing with one route and no inhibition, time intervals or muting;
    /// every receiver the tree names gets one webhook that sends resolved.
    pub fn new(route: Route) -> Self {
        let mut receivers = BTreeMap::new();
        let mut stack = vec![&route];
        while let Some(r) = stack.pop() {
            receivers
                .entry(r.receiver.clone())
                .or_insert_with(|| Receiver {
                    name: r.receiver.clone(),
                    integrations: vec![Integration {
                        kind: "webhook".to_string(),
                        send_resolved: true,
                    }],
                });
            stack.extend(r.routes.iter());
        }
        Self {
            route,
            receivers,
            inhibit_rules: Vec::new(),
            time_intervals: BTreeMap::new(),
            resolve_timeout: crate::alert::DEFAULT_RESOLVE_TIMEOUT,
        }
    }
}

/// A silence: alerts matching all its matchers are not notified from
/// `starts_at` to `ends_at` (both included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    /// What it covers.
    pub matchers: Vec<Matcher>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
}

impl Silence {
    fn covers(&self, alert: &Alert, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at <= self.ends_at && matches_all(&self.matchers, alert)
    }
}

/// One alert as a sender posts it to `/api/v2/alerts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// Its labels (empty values are dropped on arrival).
    pub labels: Labels,
    /// `startsAt`, if sent.
    pub starts_at: Option<DateTime<Utc>>,
    /// `endsAt`, if sent (in the past or now: resolved).
    pub ends_at: Option<DateTime<Utc>>,
}

/// One POST: alerts arriving together at `at` (simulated time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// When it arrives.
    pub at: DateTime<Utc>,
    /// What it carries, in order.
    pub alerts: Vec<Posted>,
}

/// Why a notification went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The receiver knew of nothing firing in this group: a new page.
    First,
    /// Something changed since the last one: an alert started firing, or
    /// (with `send_resolved`) one resolved while others still fire.
    Update,
    /// Nothing changed, and `repeat_interval` has passed: a reminder.
    Repeat,
    /// Every alert of the group has resolved.
    Resolved,
}

impl Kind {
    /// `first`, `update`, `repeat` or `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::First => "first",
            Kind::Update => "update",
            Kind::Repeat => "repeat",
            Kind::Resolved => "resolved",
        }
    }
}

/// One notification: what a receiver's integration is sent, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// When the group flushed (simulated time).
    pub at: DateTime<Utc>,
    /// The receiver's name.
    pub receiver: String,
    /// Which of its integrations (from 0).
    pub integration: usize,
    /// Alertmanager's group key: route key `:` group labels.
    pub group_key: String,
    /// The group's labels.
    pub group_labels: Labels,
    /// Why it went out.
    pub kind: Kind,
    /// The firing alerts it carries.
    pub firing: BTreeMap<Fingerprint, Labels>,
    /// The resolved alerts it carries (none without `send_resolved`).
    pub resolved: BTreeMap<Fingerprint, Labels>,
}

impl fmt::Display for Notification {
    /// `00:01:30 on-call first {service="api"}: firing ApiDown; resolved —`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |m: &BTreeMap<Fingerprint, Labels>| {
            let v: Vec<&str> = m
                .values()
                .map(|l| l.get("alertname").map(String::as_str).unwrap_or("?"))
                .collect();
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        write!(
            f,
            "{} {} {} {}: firing {}; resolved {}",
            self.at.format("%H:%M:%S%.3f"),
            self.receiver,
            self.kind.as_str(),
            labels_text(&self.group_labels),
            names(&self.firing),
            names(&self.resolved)
        )
    }
}

/// An alert as Alertmanager stores it.
#[derive(Debug, Clone)]
struct Stored {
    alert: Alert,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    timeout: bool,
    /// Changes on every store: Alertmanager's `UpdatedAt` as an identity.
    version: u64,
}

impl Stored {
    fn resolved_at(&self, at: DateTime<Utc>) -> bool {
        self.ends_at <= at
    }

    /// Alertmanager's merge of an older stored record with a newer one.
    fn merge(old: &Stored, new: Stored, now: DateTime<Utc>) -> Stored {
        let mut out = new;
        if old.starts_at < out.starts_at {
            out.starts_at = old.starts_at;
        }
        if out.resolved_at(now) {
            if old.resolved_at(now) && old.ends_at > out.ends_at {
                out.ends_at = old.ends_at;
            }
        } else if old.ends_at > out.ends_at && !old.timeout {
            out.ends_at = old.ends_at;
        }
        out
    }
}

#[derive(Debug)]
struct Group {
    key: String,
    labels: Labels,
    alerts: BTreeMap<Fingerprint, Stored>,
    next: DateTime<Utc>,
    has_flushed: bool,
    /// The next flush was brought forward by an alert older than `group_wait`.
    at_once: bool,
}

/// One flush of an aggregation group, whether or not it notified anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flush {
    /// When.
    pub at: DateTime<Utc>,
    /// The group's key.
    pub group_key: String,
    /// Brought forward by an alert whose `startsAt` was older than
    /// `group_wait` (rather than due by the group's timers).
    pub at_once: bool,
}

#[derive(Debug, Clone)]
struct LogEntry {
    firing: BTreeSet<Fingerprint>,
    resolved: BTreeSet<Fingerprint>,
    at: DateTime<Utc>,
}

/// Alertmanager's dispatcher and notification pipeline in simulated time.
///
/// ```
/// # #[cfg(feature = "solution")] {
/// use chrono::TimeDelta;
/// use desk::notify::{Dispatcher, Kind, Post, Posted, Route, Routing, Timers};
/// let t0 = labkit::SimClock::course_epoch();
/// let timers = Timers {
///     group_wait: TimeDelta::seconds(30),
///     group_interval: TimeDelta::minutes(5),
///     repeat_interval: TimeDelta::hours(1),
/// };
/// let routing = Routing::new(Route::root("on-call", &["service"], timers));
/// let fire = Posted {
///     labels: [("alertname", "Down"), ("service", "api")]
///         .into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
///     starts_at: Some(t0),
///     // As Prometheus sends it: firing, with an end in the future. (Without
///     // an end it would time out after `resolve_timeout`, 5 min, unless
///     // sent again.)
///     ends_at: Some(t0 + TimeDelta::hours(1)),
/// };
/// let resolve = Posted { ends_at: Some(t0 + TimeDelta::minutes(7)), ..fire.clone() };
/// let mut d = Dispatcher::new(&routing, t0);
/// d.post(Post { at: t0, alerts: vec![fire] });
/// d.post(Post { at: t0 + TimeDelta::minutes(7), alerts: vec![resolve] });
/// let pages = d.run_until(t0 + TimeDelta::hours(2));
/// let kinds: Vec<_> = pages.iter().map(|n| (n.at - t0, n.kind)).collect();
/// assert_eq!(kinds, [
///     (TimeDelta::seconds(30), Kind::First),
///     // The next flush after the resolve: 30 s + 2 × 5 min.
///     (TimeDelta::seconds(630), Kind::Resolved),
/// ]);
/// # }
/// ```
#[derive(Debug)]
pub struct Dispatcher<'a> {
    routing: &'a Routing,
    now: DateTime<Utc>,
    next_maintenance: DateTime<Utc>,
    pending: Vec<Post>,
    silences: Vec<Silence>,
    store: BTreeMap<Fingerprint, Stored>,
    groups: BTreeMap<(Vec<usize>, Labels), Group>,
    log: BTreeMap<(String, String, usize), LogEntry>,
    version: u64,
    flushes: Vec<Flush>,
}

impl<'a> Dispatcher<'a> {
    /// A dispatcher started at `started` (its maintenance passes follow
    /// every [`MAINTENANCE_INTERVAL`] from then), with nothing posted yet.
    pub fn new(routing: &'a Routing, started: DateTime<Utc>) -> Self {
        Self {
            routing,
            now: started,
            next_maintenance: started + MAINTENANCE_INTERVAL,
            pending: Vec::new(),
            silences: Vec::new(),
            store: BTreeMap::new(),
            groups: BTreeMap::new(),
            log: BTreeMap::new(),
            version: 0,
            flushes: Vec::new(),
        }
    }

    /// Every flush so far, in time order, including the silent ones.
    pub fn flushes(&self) -> &[Flush] {
        &self.flushes
    }

    /// Adds a silence (it mutes from its `starts_at`).
    pub fn silence(&mut self, silence: Silence) {
        self.silences.push(silence);
    }

    /// Queues a post; it arrives at its time when the dispatcher runs (at
    /// once if that time has passed). Posts at the same instant arrive in
    /// the order queued.
    pub fn post(&mut self, post: Post) {
        let at = post.at;
        let index = self.pending.partition_point(|p| p.at <= at);
        self.pending.insert(index, post);
    }

    /// Runs the simulation up to and including `until` and returns the
    /// notifications sent meanwhile, in time order.
    pub fn run_until(&mut self, until: DateTime<Utc>) -> Vec<Notification> {
        let mut sent = Vec::new();
        loop {
            let next_post = self.pending.first().map(|p| p.at);
            let next_flush = self.groups.iter().map(|(k, g)| (g.next, k.clone())).min();
            let post_first = match (&next_post, &next_flush) {
                (Some(p), Some((f, _))) => p <= f,
                (Some(_), None) => true,
                _ => false,
            };
            // A post queued for a time already past arrives now.
            let at = if post_first {
                next_post.map(|p| p.max(self.now))
            } else {
                next_flush.as_ref().map(|(f, _)| *f)
            };
            // The maintenance pass runs before anything at a later instant.
            if at.is_none_or(|t| self.next_maintenance < t) && self.next_maintenance <= until {
                self.now = self.next_maintenance;
                self.groups.retain(|_, g| !g.alerts.is_empty());
                self.next_maintenance += MAINTENANCE_INTERVAL;
                continue;
            }
            let Some(at) = at.filter(|t| *t <= until) else {
                break;
            };
            self.now = at;
            if post_first {
                let post = self.pending.remove(0);
                for posted in post.alerts {
                    self.receive(posted, at);
                }
            } else if let Some((_, key)) = next_flush {
                self.flush(&key, at, &mut sent);
            }
        }
        self.now = until;
        sent
    }

    /// API, store and dispatcher: one alert arrives at `at`. Like the API,
    /// it drops an alert without labels or that ends before it starts.
    fn receive(&mut self, posted: Posted, at: DateTime<Utc>) {
        self.version += 1;
        let mut labels = posted.labels;
        labels.retain(|_, v| !v.is_empty());
        let starts_at = posted.starts_at.or(posted.ends_at).unwrap_or(at);
        let (ends_at, timeout) = match posted.ends_at {
            Some(e) => (e, false),
            None => (at + self.routing.resolve_timeout, true),
        };
        if labels.is_empty() || ends_at < starts_at {
            return;
        }
        let mut alert = Alert::new("", "", crate::Severity::Info, starts_at);
        alert.labels = labels;
        let fp = crate::fingerprint(&alert.labels);
        let mut stored = Stored {
            alert,
            starts_at,
            ends_at,
            timeout,
            version: self.version,
        };
        if let Some(old) = self.store.get(&fp) {
            let overlaps = (stored.ends_at > old.starts_at && stored.ends_at < old.ends_at)
                || (stored.starts_at > old.starts_at && stored.starts_at < old.ends_at);
            if overlaps {
                stored = Stored::merge(old, stored, at);
            }
        }
        self.store.insert(fp, stored.clone());
        for (path, route) in self.routing.route.matching(&stored.alert) {
            let labels = group_labels(&stored.alert, &route.group_by);
            let group = self
                .groups
                .entry((path.clone(), labels.clone()))
                .or_insert_with(|| Group {
                    key: format!("{}:{}", self.routing.route.key(&path), labels_text(&labels)),
                    labels,
                    alerts: BTreeMap::new(),
                    next: at + route.timers.group_wait,
                    has_flushed: false,
                    at_once: false,
                });
            group.alerts.insert(fp, stored.clone());
            if !group.has_flushed && stored.starts_at + route.timers.group_wait < at {
                group.next = at;
                group.at_once = true;
            }
        }
    }

    /// A snapshot of `stored` as it stands at `at`: firing or resolved.
    fn snapshot(stored: &Stored, at: DateTime<Utc>) -> Alert {
        let mut a = stored.alert.clone();
        a.starts_at = stored.starts_at;
        a.ends_at = stored.resolved_at(at).then_some(stored.ends_at);
        a
    }

    fn inhibited(&self, target: &Alert, at: DateTime<Utc>) -> bool {
        self.routing.inhibit_rules.iter().any(|rule| {
            self.store
                .values()
                .any(|s| crate::inhibits(rule, &Self::snapshot(s, at), target))
        })
    }

    fn window(&self, name: &str, at: DateTime<Utc>) -> bool {
        self.routing
            .time_intervals
            .get(name)
            .is_some_and(|w| w.contains(at))
    }

    /// One flush of the group at `key`.
    fn flush(
        &mut self,
        key: &(Vec<usize>, Labels),
        at: DateTime<Utc>,
        sent: &mut Vec<Notification>,
    ) {
        let Some(route) = self.routing.route.at(&key.0) else {
            self.groups.remove(key);
            return;
        };
        let Some(group) = self.groups.get_mut(key) else {
            return;
        };
        group.has_flushed = true;
        group.next = at + route.timers.group_interval;
        self.flushes.push(Flush {
            at,
            group_key: group.key.clone(),
            at_once: std::mem::take(&mut group.at_once),
        });
        if group.alerts.is_empty() {
            return;
        }
        let carried: Vec<(Fingerprint, u64, Alert)> = group
            .alerts
            .iter()
            .map(|(fp, s)| (*fp, s.version, Self::snapshot(s, at)))
            .collect();
        let (group_key, group_labels) = (group.key.clone(), group.labels.clone());
        let outside_active = !route.active_time_intervals.is_empty()
            && !route
                .active_time_intervals
                .iter()
                .any(|n| self.window(n, at));
        let muted_now = route.mute_time_intervals.iter().any(|n| self.window(n, at));
        let shown: Vec<&(Fingerprint, u64, Alert)> = if outside_active || muted_now {
            Vec::new()
        } else {
            carried
                .iter()
                .filter(|(_, _, a)| {
                    !self.inhibited(a, at) && !self.silences.iter().any(|s| s.covers(a, at))
                })
                .collect()
        };
        if !shown.is_empty() {
            let firing: BTreeMap<Fingerprint, Labels> = shown
                .iter()
                .filter(|(_, _, a)| a.is_firing())
                .map(|(fp, _, a)| (*fp, a.labels.clone()))
                .collect();
            let resolved: BTreeMap<Fingerprint, Labels> = shown
                .iter()
                .filter(|(_, _, a)| !a.is_firing())
                .map(|(fp, _, a)| (*fp, a.labels.clone()))
                .collect();
            let integrations = self
                .routing
                .receivers
                .get(&route.receiver)
                .map(|r| r.integrations.as_slice())
                .unwrap_or_default();
            for (i, integration) in integrations.iter().enumerate() {
                let log_key = (group_key.clone(), route.receiver.clone(), i);
                let entry = self.log.get(&log_key);
                let Some(kind) = needs_update(
                    entry,
                    &firing,
                    &resolved,
                    integration.send_resolved,
                    route.timers.repeat_interval,
                    at,
                ) else {
                    continue;
                };
                if integration.send_resolved || !firing.is_empty() {
                    sent.push(Notification {
                        at,
                        receiver: route.receiver.clone(),
                        integration: i,
                        group_key: group_key.clone(),
                        group_labels: group_labels.clone(),
                        kind,
                        firing: firing.clone(),
                        resolved: if integration.send_resolved {
                            resolved.clone()
                        } else {
                            BTreeMap::new()
                        },
                    });
                }
                self.log.insert(
                    log_key,
                    LogEntry {
                        firing: firing.keys().copied().collect(),
                        resolved: resolved.keys().copied().collect(),
                        at,
                    },
                );
            }
        }
        // Delivered (or nothing to deliver): resolved alerts leave the group
        // unless they were stored again meanwhile.
        if let Some(group) = self.groups.get_mut(key) {
            for (fp, version, a) in &carried {
                if !a.is_firing() && group.alerts.get(fp).is_some_and(|s| s.version == *version) {
                    group.alerts.remove(fp);
                }
            }
        }
    }
}

/// The group labels of `alert` on a route grouping by `group_by`.
fn group_labels(alert: &Alert, group_by: &[String]) -> Labels {
    let all = group_by.iter().any(|n| n == GROUP_BY_ALL);
    alert
        .labels
        .iter()
        .filter(|(n, _)| all || group_by.contains(n))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

/// Alertmanager's deduplication: `Some(kind)` when this flush notifies.
fn needs_update(
    entry: Option<&LogEntry>,
    firing: &BTreeMap<Fingerprint, Labels>,
    resolved: &BTreeMap<Fingerprint, Labels>,
    send_resolved: bool,
    repeat: TimeDelta,
    now: DateTime<Utc>,
) -> Option<Kind> {
    let Some(entry) = entry else {
        return (!firing.is_empty()).then_some(Kind::First);
    };
    if !firing.keys().all(|fp| entry.firing.contains(fp)) {
        return Some(if entry.firing.is_empty() {
            Kind::First
        } else {
            Kind::Update
        });
    }
    if firing.is_empty() {
        return (!entry.firing.is_empty()).then_some(Kind::Resolved);
    }
    if send_resolved && !resolved.keys().all(|fp| entry.resolved.contains(fp)) {
        return Some(Kind::Update);
    }
    (entry.at < now - repeat).then_some(Kind::Repeat)
}

/// Runs `posts` (and `silences`) through a dispatcher started at `started`
/// and returns every notification up to `until`.
pub fn notifications(
    routing: &Routing,
    posts: &[Post],
    silences: &[Silence],
    started: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<Notification> {
    let mut d = Dispatcher::new(routing, started);
    for s in silences {
        d.silence(s.clone());
    }
    for p in posts {
        d.post(p.clone());
    }
    d.run_until(until)
}

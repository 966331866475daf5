//! Alerts: what a monitoring system sends when a rule fires.
//!
//! An alert follows Prometheus Alertmanager's model (0.25.0, the version the
//! course's differential test runs). Its **labels** say *what*
//! is wrong and *where* (`alertname`, `service`, `severity`, `cluster`,
//! `instance` …) and are its identity; its **annotations** say things *about*
//! it that may change from one send to the next (a summary, the current value,
//! a runbook link). Because only the labels are the identity, the
//! [fingerprint](crate::fingerprint) is computed over the labels alone, and a
//! repeat of an alert with a fresher annotation is the *same* alert.
//!
//! Some facts travel beside the labels and are not part of the identity
//! either: the `source` that sent the record (two Prometheus replicas send
//! every alert twice, and that must deduplicate), and the `deploy` the alert
//! follows, when the alerting pipeline knows it.
//!
//! A label with an empty value is no label at all (Alertmanager drops it when
//! the alert arrives): [`Alert::with_label`] with `""` removes the label, and
//! [`load_alerts`] drops empty ones.
//!
//! Times are simulated (see `labkit::SimClock`). Whether an alert is firing is
//! judged once, when it is read ([`load_alerts`] at an [`AsOf`]): Prometheus
//! sends every *firing* alert with an `endsAt` in the future (now plus its
//! resend window), so an `endsAt` after the judging time means "still
//! firing"; an `endsAt` at or before it means resolved; no `endsAt` means
//! firing until `resolve_timeout` after the record was received. Inside the
//! crate, an alert with an `ends_at` has resolved.
//!
//! Each record also keeps its [`Activity`] as Alertmanager stores it: when it
//! was received and the end it stores (the sent `endsAt`, or the timeout's).
//! Merging repeats needs it: Alertmanager 0.25.0 merges a repeat into the
//! stored alert only when their activity overlaps, and judges "resolved" at
//! the moment the repeat arrives (see [`dedup`](crate::dedup)).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::LoadError;

/// FNV-1a 64-bit offset basis: the hash of nothing. Prometheus starts every
/// label-set fingerprint from it.
pub const FNV_OFFSET: u64 = 14_695_981_039_346_656_037;
/// FNV-1a 64-bit prime: after each byte is XOR-ed in, the hash is multiplied
/// by it (wrapping).
pub const FNV_PRIME: u64 = 1_099_511_628_211;
/// The byte Prometheus writes after every label name and every label value,
/// so that `{a="bb", b="c"}` and `{a="b", bb="c"}` hash differently. It can
/// never appear inside valid UTF-8 text.
pub const SEPARATOR: u8 = 0xff;

/// How bad an alert says things are. Alertmanager has no built-in severity;
/// by convention it is the `severity` label, and so it is here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Someone must act now (a page).
    Critical,
    /// Something is degraded; act soon (a ticket).
    Warning,
    /// For the record.
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

    /// The label value: `critical`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses a label value (exact, lowercase).
    pub fn parse(s: &str) -> Option<Self> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The identity of an alert: a 64-bit hash of its labels, printed as 16 hex
/// digits (in a check's message too, as Alertmanager shows it).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u64);

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({:016x})", self.0)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// One alert record as a source sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Identity: what is wrong and where. Must hold `alertname`, `service`
    /// and `severity`.
    pub labels: BTreeMap<String, String>,
    /// Facts about the alert that may change between sends (not identity).
    pub annotations: BTreeMap<String, String>,
    /// Who sent this record (e.g. `prometheus-a`). Not identity.
    pub source: String,
    /// When the problem began (simulated time).
    pub starts_at: DateTime<Utc>,
    /// When the problem ended; `None` while the alert is firing.
    pub ends_at: Option<DateTime<Utc>>,
    /// The deploy this alert follows, where the pipeline knows it.
    pub deploy: Option<String>,
    /// Where the alert came from (the rule's page in Prometheus), if sent.
    pub generator_url: Option<String>,
    /// When the record arrived and until when it is active, as Alertmanager
    /// stores it: what merging repeats compares.
    pub activity: Activity,
}

/// A record's activity as Alertmanager stores it: when it arrived, and the
/// end it holds whether or not that end has passed.
///
/// A record sent with an `endsAt` keeps that end (`timeout: false`), in the
/// past (a resolve) or in the future (Prometheus's "firing, resend before
/// then"). A record sent without one gets `received + resolve_timeout`
/// (`timeout: true`): it fires until then unless a repeat refreshes it. An
/// alert built in code ([`Alert::new`]) has no end at all: `until` is the
/// latest time there is, and [`Alert::resolved_at`] gives it one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    /// When the record was received (Alertmanager's `updatedAt`). When a
    /// repeat merges, "resolved" is judged at the repeat's `received`.
    pub received: DateTime<Utc>,
    /// The end Alertmanager stores for the record.
    pub until: DateTime<Utc>,
    /// `true` when `until` is the resolve timeout's rather than sent.
    pub timeout: bool,
}

impl Activity {
    /// `true` when the activity has ended by `at` (an end exactly at `at`
    /// has ended, as in Alertmanager).
    pub fn resolved_at(&self, at: DateTime<Utc>) -> bool {
        self.until <= at
    }
}

impl Alert {
    /// A firing alert with the three labels every alert carries.
    pub fn new(name: &str, service: &str, severity: Severity, starts_at: DateTime<Utc>) -> Self {
        let mut labels = BTreeMap::new();
        labels.insert("alertname".to_string(), name.to_string());
        labels.insert("service".to_string(), service.to_string());
        labels.insert("severity".to_string(), severity.as_str().to_string());
        Self {
            labels,
            annotations: BTreeMap::new(),
            source: "prometheus".to_string(),
            starts_at,
            ends_at: None,
            deploy: None,
            generator_url: None,
            activity: Activity {
                received: starts_at,
                until: DateTime::<Utc>::MAX_UTC,
                timeout: true,
            },
        }
    }

    /// Adds or replaces a label (changes the identity). An empty `value`
    /// removes the label: an empty label is no label.
    pub fn with_label(mut self, name: &str, value: &str) -> Self {
        if value.is_empty() {
            self.labels.remove(name);
        } else {
            self.labels.insert(name.to_string(), value.to_string());
        }
        self
    }

    /// The same alert with every empty-valued label dropped, as Alertmanager
    /// stores it.
    pub fn without_empty_labels(mut self) -> Self {
        self.labels.retain(|_, v| !v.is_empty());
        self
    }

    /// Removes a label (changes the identity).
    pub fn without_label(mut self, name: &str) -> Self {
        self.labels.remove(name);
        self
    }

    /// Adds or replaces an annotation (does not change the identity).
    pub fn with_annotation(mut self, name: &str, value: &str) -> Self {
        self.annotations.insert(name.to_string(), value.to_string());
        self
    }

    /// Sets who sent the record.
    pub fn from_source(mut self, source: &str) -> Self {
        self.source = source.to_string();
        self
    }

    /// Records the deploy the alert follows.
    pub fn after_deploy(mut self, deploy: &str) -> Self {
        self.deploy = Some(deploy.to_string());
        self
    }

    /// Marks the alert resolved at `at`: a record that says it ended at
    /// `at`, received no earlier than that (a resolve is sent once the alert
    /// has ended).
    pub fn resolved_at(mut self, at: DateTime<Utc>) -> Self {
        self.ends_at = Some(at);
        self.activity = Activity {
            received: self.activity.received.max(at),
            until: at,
            timeout: false,
        };
        self
    }

    /// A label's value, or `""` when the label is missing. This is
    /// Alertmanager's rule everywhere labels are compared: a missing label and
    /// an empty one are the same thing.
    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).map(String::as_str).unwrap_or("")
    }

    /// The `alertname` label.
    pub fn name(&self) -> &str {
        self.label("alertname")
    }

    /// The `service` label.
    pub fn service(&self) -> &str {
        self.label("service")
    }

    /// The `severity` label, if it holds a known value.
    pub fn severity(&self) -> Option<Severity> {
        Severity::parse(self.label("severity"))
    }

    /// `true` while the alert has no end time: the firing test to use.
    ///
    /// The time the alerts were read is already applied: the loader keeps
    /// `ends_at` only for an end at or before [`AsOf::now`] (a resolve) and
    /// leaves it `None` for an end still in the future, which is how
    /// Prometheus sends a firing alert. So there is no clock to compare with
    /// here.
    pub fn is_firing(&self) -> bool {
        self.ends_at.is_none()
    }

    /// The alert's fingerprint: a hash of its labels only (see
    /// [`fingerprint`](crate::fingerprint)).
    pub fn fingerprint(&self) -> Fingerprint {
        crate::fingerprint(&self.labels)
    }

    /// A short, stable description for traces: `alertname{label="value", …}`
    /// with the labels other than `alertname` in sorted order.
    pub fn describe(&self) -> String {
        let rest: Vec<String> = self
            .labels
            .iter()
            .filter(|(k, _)| k.as_str() != "alertname")
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        format!("{}{{{}}}", self.name(), rest.join(", "))
    }
}

/// One alert after deduplication: the merged record and how many records
/// were folded into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduped {
    /// The alert as the last record left it: that record, with the earlier
    /// start and the end [`dedup`](crate::dedup)'s merge rule keeps when it
    /// overlapped the stored activity, and the first known deploy.
    pub alert: Alert,
    /// The fingerprint shared by every record merged here.
    pub fingerprint: Fingerprint,
    /// How many records were merged (1 = no repeats).
    pub records: usize,
}

fn time_field(index: usize, field: &str, value: &Value) -> Result<DateTime<Utc>, LoadError> {
    let text = value.as_str().ok_or_else(|| {
        LoadError::at(
            index,
            field,
            format!("expected a time as a string, got {value}"),
        )
    })?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            LoadError::at(
                index,
                field,
                format!(
                    "expected an RFC 3339 time such as \"2026-03-02T02:00:00Z\", got {value} ({e})"
                ),
            )
        })
}

fn string_map(
    index: usize,
    field: &str,
    value: Option<&Value>,
) -> Result<BTreeMap<String, String>, LoadError> {
    let Some(value) = value else {
        return Ok(BTreeMap::new());
    };
    let object = value.as_object().ok_or_else(|| {
        LoadError::at(
            index,
            field,
            format!("expected an object of strings, got {value}"),
        )
    })?;
    let mut out = BTreeMap::new();
    for (k, v) in object {
        let text = v.as_str().ok_or_else(|| {
            LoadError::at(
                index,
                &format!("{field}.{k}"),
                format!("expected a string value, got {v}"),
            )
        })?;
        out.insert(k.clone(), text.to_string());
    }
    Ok(out)
}

fn optional_string(
    index: usize,
    field: &str,
    object: &Map<String, Value>,
) -> Result<Option<String>, LoadError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(LoadError::at(
            index,
            field,
            format!("expected a string, got {other}"),
        )),
    }
}

/// When a batch of alerts is read, and how long an alert without an end
/// time stays firing: what judging "firing or resolved" needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// The moment the alerts are judged at.
    pub now: DateTime<Utc>,
    /// When the batch was received (Alertmanager's `updatedAt`).
    pub received: DateTime<Utc>,
    /// How long an alert sent without `endsAt` stays firing after it was
    /// received (Alertmanager's `global.resolve_timeout`, 5 minutes unless
    /// configured).
    pub resolve_timeout: chrono::TimeDelta,
}

/// Alertmanager's default `resolve_timeout`: 5 minutes.
pub const DEFAULT_RESOLVE_TIMEOUT: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

impl AsOf {
    /// Received and judged at `now`, with the default resolve timeout.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            received: now,
            resolve_timeout: DEFAULT_RESOLVE_TIMEOUT,
        }
    }

    /// The same, with another resolve timeout.
    pub fn with_resolve_timeout(mut self, timeout: chrono::TimeDelta) -> Self {
        self.resolve_timeout = timeout;
        self
    }

    /// The same, received at `received` (before `now`).
    pub fn received_at(mut self, received: DateTime<Utc>) -> Self {
        self.received = received;
        self
    }
}

/// Fields of Alertmanager's API v2 and webhook alerts, and the desk's two
/// extensions (`source`, `deploy`).
const FIELDS: [&str; 11] = [
    "labels",
    "annotations",
    "startsAt",
    "endsAt",
    "generatorURL",
    "fingerprint",
    "status",
    "updatedAt",
    "receivers",
    "source",
    "deploy",
];

/// Prometheus's rule for a label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
fn valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An optional time: absent, `null`, or Go's zero time (which Alertmanager
/// writes for "not set") are all `None`.
fn optional_time(
    index: usize,
    field: &str,
    object: &Map<String, Value>,
) -> Result<Option<DateTime<Utc>>, LoadError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let t = time_field(index, field, v)?;
            Ok((chrono::Datelike::year(&t) > 1).then_some(t))
        }
    }
}

fn alert_from_value(index: usize, value: &Value, as_of: &AsOf) -> Result<Alert, LoadError> {
    let object = value.as_object().ok_or_else(|| LoadError {
        index: Some(index),
        field: None,
        problem: format!("expected an object, got {value}"),
    })?;
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(LoadError::at(
            index,
            unknown,
            format!("unknown field; the known ones are {}", FIELDS.join(", ")),
        ));
    }
    let Some(labels) = object.get("labels") else {
        return Err(LoadError::at(
            index,
            "labels",
            "missing; every alert needs its labels",
        ));
    };
    let mut labels = string_map(index, "labels", Some(labels))?;
    if let Some(bad) = labels.keys().find(|k| !valid_label_name(k)) {
        return Err(LoadError::at(
            index,
            &format!("labels.{bad}"),
            "not a valid label name (letters, digits and `_`, not starting with a digit)",
        ));
    }
    // Alertmanager drops empty labels on arrival: `team=""` is no `team`.
    labels.retain(|_, v| !v.is_empty());
    if labels.is_empty() {
        return Err(LoadError::at(
            index,
            "labels",
            "no label with a value; an alert needs at least one",
        ));
    }
    let annotations = string_map(index, "annotations", object.get("annotations"))?;
    // A `fingerprint` field is read past (a string, if present): the desk
    // computes its own, and the differential test compares the two.
    optional_string(index, "fingerprint", object)?;
    let ends = optional_time(index, "endsAt", object)?;
    // Alertmanager's rule: no start means the end, or else the receipt.
    let starts_at = optional_time(index, "startsAt", object)?
        .or(ends)
        .unwrap_or(as_of.received);
    if let Some(end) = ends {
        if end < starts_at {
            return Err(LoadError::at(
                index,
                "endsAt",
                format!("ends at {end} before it starts at {starts_at}"),
            ));
        }
    }
    // Firing while the end lies after `now`; no end: until the timeout.
    let activity = Activity {
        received: as_of.received,
        until: ends.unwrap_or(as_of.received + as_of.resolve_timeout),
        timeout: ends.is_none(),
    };
    let ends_at = activity.resolved_at(as_of.now).then_some(activity.until);
    Ok(Alert {
        labels,
        annotations,
        source: optional_string(index, "source", object)?.unwrap_or_else(|| "unknown".into()),
        starts_at,
        ends_at,
        deploy: optional_string(index, "deploy", object)?,
        generator_url: optional_string(index, "generatorURL", object)?,
        activity,
    })
}

/// Loads alerts in the shape of Alertmanager's API v2 (`POST` or `GET
/// /api/v2/alerts`: a JSON array) or of its webhook (an object whose
/// `alerts` field is that array), judged firing or resolved [`AsOf`] a
/// moment:
///
/// ```json
/// [{"labels": {"alertname": "HighLatency", "service": "retriever", "severity": "warning"},
///   "annotations": {"summary": "p95 over 2 s"},
///   "startsAt": "2026-03-02T02:01:00Z", "endsAt": "2026-03-02T02:09:00Z",
///   "generatorURL": "http://prometheus/graph?g0.expr=…",
///   "source": "prometheus-a", "deploy": "rel-7"}]
/// ```
///
/// `labels` is required (empty values are dropped, and at least one label
/// must remain). An `endsAt` after `as_of.now` is still firing (Prometheus
/// sends firing alerts with an end in the future); without `endsAt`, the
/// alert fires until `resolve_timeout` after it was received. A missing
/// `startsAt` is the end time, or else the receipt, as in Alertmanager.
/// `fingerprint`, `status`, `updatedAt` and `receivers` are read past (the
/// desk computes the fingerprint itself, and judges the state from the
/// times). `source` and `deploy` are the desk's own extensions. An
/// error names the record and the field.
pub fn load_alerts(json: &str, as_of: &AsOf) -> Result<Vec<Alert>, LoadError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| LoadError::whole(format!("not valid JSON: {e}")))?;
    let items =
        match &value {
            Value::Array(items) => items,
            Value::Object(o) => match o.get("alerts") {
                Some(Value::Array(items)) => items,
                _ => return Err(LoadError::whole(
                    "expected a JSON array of alerts, or a webhook object with an `alerts` array",
                )),
            },
            _ => {
                return Err(LoadError::whole(
                    "expected a JSON array of alerts at the top level",
                ))
            }
        };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| alert_from_value(i, v, as_of))
        .collect()
}

/// Writes alerts as the JSON that [`load_alerts`] reads: `endsAt` is a
/// resolved alert's end, or the end a firing alert was sent with; a firing
/// alert sent without one is written without one (read it back at a time
/// after every resolved end).
pub fn alerts_to_json(alerts: &[Alert]) -> String {
    let items: Vec<Value> = alerts
        .iter()
        .map(|a| {
            let mut o = Map::new();
            o.insert("labels".into(), serde_json::json!(a.labels));
            o.insert("annotations".into(), serde_json::json!(a.annotations));
            o.insert("source".into(), Value::String(a.source.clone()));
            o.insert("startsAt".into(), Value::String(a.starts_at.to_rfc3339()));
            // A resolved end, or a firing alert's end in the future as
            // Prometheus sent it; a timeout's end was never sent.
            let sent_end = a
                .ends_at
                .or((!a.activity.timeout).then_some(a.activity.until));
            o.insert(
                "endsAt".into(),
                sent_end.map_or(Value::Null, |t| Value::String(t.to_rfc3339())),
            );
            o.insert(
                "deploy".into(),
                a.deploy.clone().map_or(Value::Null, Value::String),
            );
            if let Some(url) = &a.generator_url {
                o.insert("generatorURL".into(), Value::String(url.clone()));
            }
            Value::Object(o)
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_else(|_| "[]".to_string())
}

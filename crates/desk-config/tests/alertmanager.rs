//! The desk against the real Alertmanager (Debian's `prometheus-alertmanager`,
//! 0.25.0 where these rules were checked: the comparison says which behaviour
//! of that version the desk reproduces).
//!
//! For the course's storm and for 60 seeded storms full of the cases where a
//! hand-written model goes wrong — regex matchers (Go's ASCII `\w` against
//! `café` and `søk`), matcher lists written one per entry, comma-separated or
//! in braces, empty labels, `'...'`, resolved sources, alerts matching both
//! sides of a rule, repeats with resolves out of order, flaps (fired,
//! resolved, fired again, touching or later, the old resolve sometimes
//! arriving last), sent and timeout ends — the test writes one
//! `alertmanager.yml`, starts the binary on 127.0.0.1 with its own storage
//! and no clustering, posts the storm to `/api/v2/alerts` in one request,
//! reads back `/api/v2/alerts` and `/api/v2/alerts/groups`, stops it, and
//! asserts that the desk, given the same YAML and the same JSON, agrees on
//! every firing fingerprint, each one's `startsAt` and `endsAt` (how its
//! repeats merged: exactly for a sent end, within the seconds Alertmanager
//! took to start for a timeout end), every group's members and every muted
//! alert (and that each alert Alertmanager says mutes another may mute it by
//! the desk's rules too). The report line counts what agreed.
//!
//! Not covered here: a batch received at one time and judged at a later one
//! (the real binary runs on the wall clock; `crates/desk/tests/merge.rs`
//! covers those rules case by case), and silences (the desk has none).
//!
//! Without the binary the test says it skipped; under `CI=true` that is a
//! failure.
// Wall-clock time is allowed here: a real Alertmanager runs on wall time: its deadlines and polls are real.
#![allow(clippy::disallowed_methods)]
#![cfg(feature = "solution")]

mod engine;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use desk::{correlate, AsOf, CorrelationConfig};
use labkit::SimRng;
use serde_json::Value;

use engine::{binary_or_skip, Engine};

// ---------- what Alertmanager says ----------

#[derive(Debug, PartialEq, Eq)]
struct Seen {
    /// Firing alerts: fingerprint → the fingerprints muting it (empty = not muted).
    alerts: BTreeMap<String, BTreeSet<String>>,
    /// Firing alerts: fingerprint → the `startsAt` and `endsAt` stored after
    /// every repeat was merged.
    times: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Group label set → its alerts' fingerprints.
    groups: BTreeMap<BTreeMap<String, String>, BTreeSet<String>>,
}

fn labels_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn fp_of(a: &Value) -> String {
    a["fingerprint"].as_str().unwrap_or_default().to_string()
}

fn observe(engine: &Engine) -> Seen {
    let alerts = engine.get_json("/api/v2/alerts");
    let groups = engine.get_json("/api/v2/alerts/groups");
    let mut seen = Seen {
        alerts: BTreeMap::new(),
        times: BTreeMap::new(),
        groups: BTreeMap::new(),
    };
    for a in alerts.as_array().into_iter().flatten() {
        let by: BTreeSet<String> = a["status"]["inhibitedBy"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let state = a["status"]["state"].as_str().unwrap_or_default();
        assert_eq!(
            state == "suppressed",
            !by.is_empty(),
            "state {state} vs inhibitedBy {by:?}"
        );
        let time = |field: &str| {
            let text = a[field].as_str().unwrap_or_default();
            DateTime::parse_from_rfc3339(text)
                .unwrap_or_else(|e| panic!("alertmanager's {field} {text:?}: {e}"))
                .with_timezone(&Utc)
        };
        seen.times
            .insert(fp_of(a), (time("startsAt"), time("endsAt")));
        seen.alerts.insert(fp_of(a), by);
    }
    for g in groups.as_array().into_iter().flatten() {
        let members: BTreeSet<String> = g["alerts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(fp_of)
            .collect();
        if !members.is_empty() {
            seen.groups
                .entry(labels_of(&g["labels"]))
                .or_default()
                .extend(members);
        }
    }
    seen
}

/// Reads until two snapshots 100 ms apart agree (Alertmanager's inhibitor
/// and dispatcher take what was posted a moment later), at most 10 s.
fn settle(engine: &Engine) -> Seen {
    let deadline = Instant::now() + Duration::from_secs(10);
    std::thread::sleep(Duration::from_millis(100));
    let mut last = observe(engine);
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = observe(engine);
        if now == last || Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

// ---------- what the desk says ----------

struct DeskView {
    seen: Seen,
    /// When the desk's timeout ends fall (receipt + `resolve_timeout`):
    /// Alertmanager's are later by the moments it took to start.
    timeout_end: DateTime<Utc>,
    records: usize,
    repeated: usize,
    restarted: usize,
    /// (target, source) pairs the desk's rules allow.
    may_mute: BTreeSet<(String, String)>,
}

fn desk_view(json: &str, yaml: &str, now: DateTime<Utc>) -> DeskView {
    let am = desk_config::parse_config(yaml).expect("the desk reads the config");
    let config = am.correlation(CorrelationConfig::default());
    let as_of = AsOf::at(now).with_resolve_timeout(am.resolve_timeout);
    let records = desk::load_alerts(json, &as_of).expect("the desk reads the alerts");
    let c = correlate(&records, &config);
    let firing: BTreeSet<desk::Fingerprint> = c
        .alerts
        .iter()
        .filter(|d| d.alert.is_firing())
        .map(|d| d.fingerprint)
        .collect();
    // Firing alerts sent more than once, and whether a repeat replaced
    // the stored one (it no longer starts at its earliest record's start).
    let firing_repeats: Vec<(desk::Fingerprint, bool)> = c
        .alerts
        .iter()
        .filter(|d| d.alert.is_firing() && d.records > 1)
        .map(|d| {
            let earliest = records
                .iter()
                .filter(|r| r.fingerprint() == d.fingerprint)
                .map(|r| r.starts_at)
                .min();
            (d.fingerprint, earliest != Some(d.alert.starts_at))
        })
        .collect();
    let times = c
        .alerts
        .iter()
        .filter(|d| d.alert.is_firing())
        .map(|d| {
            (
                d.fingerprint.to_string(),
                (d.alert.starts_at, d.alert.activity.until),
            )
        })
        .collect();
    let mut alerts = BTreeMap::new();
    for fp in &firing {
        let by = c
            .muted_by(*fp)
            .map(|m| BTreeSet::from([m.by.to_string()]))
            .unwrap_or_default();
        alerts.insert(fp.to_string(), by);
    }
    let mut groups = BTreeMap::new();
    for g in &c.groups {
        let members: BTreeSet<String> = g
            .members
            .iter()
            .chain(g.muted.iter().map(|m| &m.alert))
            .filter(|fp| firing.contains(fp))
            .map(|fp| fp.to_string())
            .collect();
        if !members.is_empty() {
            groups.insert(g.key.0.iter().cloned().collect(), members);
        }
    }
    let mut may_mute = BTreeSet::new();
    for t in c.alerts.iter().filter(|d| d.alert.is_firing()) {
        for s in c.alerts.iter().filter(|d| d.fingerprint != t.fingerprint) {
            if config
                .inhibit_rules
                .iter()
                .any(|r| desk::inhibits(r, &s.alert, &t.alert))
            {
                may_mute.insert((t.fingerprint.to_string(), s.fingerprint.to_string()));
            }
        }
    }
    DeskView {
        seen: Seen {
            alerts,
            times,
            groups,
        },
        timeout_end: as_of.received + as_of.resolve_timeout,
        records: records.len(),
        repeated: firing_repeats.len(),
        restarted: firing_repeats.iter().filter(|&&(_, r)| r).count(),
        may_mute,
    }
}

/// What was compared, for the report line.
#[derive(Default)]
struct Tally {
    storms: usize,
    records: usize,
    alerts: usize,
    /// Firing alerts sent more than once (their times were merged).
    repeated: usize,
    /// Of those, alerts that do not start at their earliest record's start:
    /// a repeat replaced the stored alert (a re-fire after a resolve).
    restarted: usize,
    muted: usize,
    groups: usize,
}

impl Tally {
    fn add(self, b: Tally) -> Tally {
        Tally {
            storms: self.storms + b.storms,
            records: self.records + b.records,
            alerts: self.alerts + b.alerts,
            repeated: self.repeated + b.repeated,
            restarted: self.restarted + b.restarted,
            muted: self.muted + b.muted,
            groups: self.groups + b.groups,
        }
    }
}

/// How far Alertmanager's timeout ends may lie after the desk's: it
/// receives the storm once it has started, a few seconds after the storm
/// was written (the start itself waits at most 10 s).
const START_SLACK: TimeDelta = TimeDelta::seconds(30);

fn compare(bin: &Path, name: &str, yaml: &str, json: &str, now: DateTime<Utc>, t: &mut Tally) {
    let engine = Engine::start(bin, yaml, name);
    let (code, body) = engine
        .request("POST", "/api/v2/alerts", json)
        .expect("POST to alertmanager");
    assert_eq!(code, 200, "{name}: alertmanager refused the storm: {body}");
    let theirs = settle(&engine);
    drop(engine);
    let ours = desk_view(json, yaml, now);
    let set = |s: &Seen| s.alerts.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        set(&ours.seen),
        set(&theirs),
        "{name}: firing fingerprints differ (desk left, Alertmanager right)\nconfig:\n{yaml}\nalerts: {json}"
    );
    let muted = |s: &Seen| {
        s.alerts
            .iter()
            .filter(|(_, by)| !by.is_empty())
            .map(|(fp, _)| fp.clone())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        muted(&ours.seen),
        muted(&theirs),
        "{name}: muted alerts differ (desk left, Alertmanager right)\nconfig:\n{yaml}\nalerts: {json}"
    );
    for (target, by) in &theirs.alerts {
        for source in by {
            assert!(
                ours.may_mute.contains(&(target.clone(), source.clone())),
                "{name}: Alertmanager says {source} mutes {target}; the desk's rules do not allow it\nconfig:\n{yaml}"
            );
        }
    }
    for (fp, &(start, end)) in &ours.seen.times {
        let Some(&(am_start, am_end)) = theirs.times.get(fp) else {
            continue;
        };
        assert_eq!(
            start, am_start,
            "{name}: alert {fp}: startsAt (desk left, Alertmanager right): how its repeats merged\nalerts: {json}"
        );
        if end == ours.timeout_end {
            assert!(
                am_end >= end && am_end - end <= START_SLACK,
                "{name}: alert {fp}: the desk keeps the timeout end {end}, Alertmanager {am_end}\nalerts: {json}"
            );
        } else {
            assert_eq!(
                end, am_end,
                "{name}: alert {fp}: endsAt (desk left, Alertmanager right): how its repeats merged\nalerts: {json}"
            );
        }
    }
    assert_eq!(
        ours.seen.groups, theirs.groups,
        "{name}: groups differ (desk left, Alertmanager right)\nconfig:\n{yaml}\nalerts: {json}"
    );
    t.storms += 1;
    t.records += ours.records;
    t.repeated += ours.repeated;
    t.restarted += ours.restarted;
    t.alerts += theirs.alerts.len();
    t.muted += muted(&theirs).len();
    t.groups += theirs.groups.len();
}

// ---------- storms ----------

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The wall clock, to the second: Alertmanager judges `endsAt` against its
/// own clock, so the storms are laid around the real now, with every end at
/// least a minute away from it.
fn wall_now() -> DateTime<Utc> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0).unwrap_or_default()
}

/// One record in Alertmanager's postable shape.
fn record(
    labels: &BTreeMap<String, String>,
    starts: DateTime<Utc>,
    ends: Option<DateTime<Utc>>,
) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("labels".into(), serde_json::json!(labels));
    o.insert(
        "annotations".into(),
        serde_json::json!({"summary": "seeded"}),
    );
    o.insert("startsAt".into(), Value::String(stamp(starts)));
    if let Some(e) = ends {
        o.insert("endsAt".into(), Value::String(stamp(e)));
    }
    o.insert(
        "generatorURL".into(),
        Value::String("http://127.0.0.1/graph".into()),
    );
    Value::Object(o)
}

/// `group_wait` is long on purpose: a group whose alerts started more than
/// `group_wait` ago is flushed at once, and a flush drops the group's
/// resolved alerts, racing with the repeats still being stored (they share
/// one `updatedAt`). The test is about who belongs to which group, not about
/// when notifications go out, so no flush may happen while it reads.
const COURSE_CONFIG: &str = r#"route:
  receiver: 'null'
  group_wait: 6h
  group_by: [cluster, service]
receivers:
  - name: 'null'
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity!="critical"']
    equal: [cluster, service]
"#;

#[test]
fn the_course_storm_agrees_with_alertmanager() {
    let Some(bin) = binary_or_skip("the_course_storm_agrees_with_alertmanager") else {
        return;
    };
    let started = Instant::now();
    let storm = desk::storm::storm(7);
    let now = wall_now();
    let latest = storm
        .alerts
        .iter()
        .map(|a| a.starts_at)
        .max()
        .expect("a storm has alerts");
    let shift = now - TimeDelta::minutes(2) - latest;
    let records: Vec<Value> = storm
        .alerts
        .iter()
        .map(|a| record(&a.labels, a.starts_at + shift, None))
        .collect();
    let json = Value::Array(records).to_string();
    // The desk's own config agrees with the YAML.
    let parsed = desk_config::parse_config(COURSE_CONFIG).expect("the course config reads");
    assert_eq!(
        parsed.correlation(CorrelationConfig::default()),
        CorrelationConfig::default()
    );
    let mut t = Tally::default();
    compare(&bin, "course", COURSE_CONFIG, &json, now, &mut t);
    assert_eq!(t.muted, 6, "the course storm: 6 muted");
    eprintln!(
        "alertmanager differential, course storm: {} alerts, {} muted, {} groups agreed in {:.1} s",
        t.alerts,
        t.muted,
        t.groups,
        started.elapsed().as_secs_f64()
    );
}

fn pick<'a>(rng: &mut SimRng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// One matcher as Alertmanager writes it, without quotes around it.
fn seeded_matcher(rng: &mut SimRng) -> String {
    let name = pick(rng, &["severity", "service", "cluster", "team"]);
    let (plain, regex): (&[&str], &[&str]) = match name {
        "severity" => (
            &["critical", "warning", "info"],
            &["crit.*", "warning|info", "w.*|i.*", ".+"],
        ),
        "service" => (
            &["api", "db", "chat-api"],
            &[
                "chat.*", "api|db", "(api|db)", "c.*e", "chat", r"\w+", r"\w+-\w+",
            ],
        ),
        // Go's `\w` is ASCII: `café` and `søk` are not `\w+` there.
        "team" => (
            &["search", "café", ""],
            &[
                r"\w+",
                r"caf\w",
                "caf.",
                r"\W*",
                r"s\w+",
                ".*é",
                "infra|search",
                "",
            ],
        ),
        _ => (
            &["eu", "search", ""],
            &["e.*", ".*", "", "infra|search", ".+", r"\w\w"],
        ),
    };
    let op = pick(rng, &["=", "!=", "=~", "!~"]);
    let value = if op.contains('~') {
        pick(rng, regex)
    } else {
        pick(rng, plain)
    };
    format!("{name}{op}\"{value}\"")
}

/// One side of an inhibition rule as a YAML list, in Alertmanager's three
/// spellings: one matcher per entry, several in one entry separated by
/// commas, or several in braces (`'{a="x",b=~"y"}'`).
fn seeded_side(rng: &mut SimRng) -> String {
    let ms: Vec<String> = (0..rng.below(3)).map(|_| seeded_matcher(rng)).collect();
    let entries: Vec<String> = match (ms.len(), rng.below(3)) {
        (0, _) | (_, 0) => ms.iter().map(|m| format!("'{m}'")).collect(),
        (_, 1) => vec![format!("'{}'", ms.join(", "))],
        _ => vec![format!("'{{{}}}'", ms.join(","))],
    };
    format!("[{}]", entries.join(", "))
}

fn seeded_config(rng: &mut SimRng) -> String {
    let group_by = match rng.below(5) {
        0 => "['...']".to_string(),
        1 => "[]".to_string(),
        _ => {
            let names: BTreeSet<&str> = (0..1 + rng.below(3))
                .map(|_| {
                    pick(
                        rng,
                        &["cluster", "service", "team", "alertname", "instance"],
                    )
                })
                .collect();
            format!("[{}]", names.into_iter().collect::<Vec<_>>().join(", "))
        }
    };
    let mut y = format!("route:\n  receiver: 'null'\n  group_wait: 6h\n  group_by: {group_by}\nreceivers:\n  - name: 'null'\ninhibit_rules:\n");
    for _ in 0..1 + rng.below(3) {
        let source = seeded_side(rng);
        let target = seeded_side(rng);
        let equal: BTreeSet<&str> = (0..rng.below(3))
            .map(|_| pick(rng, &["cluster", "service", "team"]))
            .collect();
        y.push_str(&format!(
            "  - source_matchers: {source}\n    target_matchers: {target}\n    equal: [{}]\n",
            equal.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    y
}

fn minutes(rng: &mut SimRng, from: u64, to: u64) -> TimeDelta {
    TimeDelta::minutes(i64::try_from(rng.between(from, to)).unwrap_or(0))
}

/// A still-firing record's end as a source sends it: none (Alertmanager's
/// timeout, `resolve_timeout` after receipt)
/// or one in the future, at least 10 minutes away so that no comparison
/// with a timeout end depends on the seconds Alertmanager took to start.
fn firing_end(rng: &mut SimRng, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    rng.chance(0.5).then(|| now + minutes(rng, 10, 60))
}

/// A storm: records of a small pool of label sets (`""` values, Unicode
/// values), each alert sent once or repeated. A repeat is a copy with a
/// nearby start (replicas, resends), or a **flap**: the alert fired and
/// resolved, then fired again from the resolve's minute (touching) or
/// later, sometimes with the old resolve arriving after the re-fire. Every
/// past end is at least a minute before `now`, every future one at least a
/// minute after Alertmanager's receipt.
fn seeded_storm(rng: &mut SimRng, now: DateTime<Utc>) -> String {
    let n = 4 + rng.below(10);
    let mut pool: Vec<BTreeMap<String, String>> = Vec::new();
    for _ in 0..n {
        let mut l = BTreeMap::new();
        l.insert(
            "alertname".to_string(),
            pick(rng, &["Down", "Slow", "Errors"]).to_string(),
        );
        l.insert(
            "service".to_string(),
            pick(rng, &["api", "db", "chat-api", "cache"]).to_string(),
        );
        l.insert(
            "severity".to_string(),
            pick(rng, &["critical", "warning", "info"]).to_string(),
        );
        for name in ["cluster", "team", "instance"] {
            if rng.chance(0.6) {
                // "" is sent as a label: both sides must drop it.
                let v = match name {
                    "cluster" => pick(rng, &["eu", "us", ""]),
                    "team" => pick(rng, &["search", "infra", "café", "søk", ""]),
                    _ => pick(rng, &["i-0", "i-1", ""]),
                };
                l.insert(name.to_string(), v.to_string());
            }
        }
        pool.push(l);
    }
    let mut records = Vec::new();
    for _ in 0..n + rng.below(2 * n) {
        let labels = &pool[rng.below(pool.len() as u64) as usize];
        if rng.chance(0.3) {
            // A flap: fired, resolved, fired again.
            let first = now - minutes(rng, 60, 100);
            let resolved = first + minutes(rng, 5, 25);
            let again = if rng.chance(0.25) {
                resolved
            } else {
                resolved + minutes(rng, 1, 20)
            };
            let again_end = if rng.chance(0.25) {
                // ... and resolved again.
                Some(again + minutes(rng, 1, 10))
            } else {
                firing_end(rng, now)
            };
            let mut flap = vec![
                record(labels, first, Some(resolved)),
                record(labels, again, again_end),
            ];
            if rng.chance(0.3) {
                // The first resolve arrives late, after the re-fire.
                flap.reverse();
            }
            if rng.chance(0.3) {
                // A replica's copy of the first activity, still firing then.
                flap.insert(0, record(labels, first, firing_end(rng, now)));
            }
            records.extend(flap);
            continue;
        }
        let starts = now - minutes(rng, 30, 90);
        let ends = if rng.chance(0.25) {
            // Resolved a while ago (repeats resolve out of order).
            Some(now - minutes(rng, 2, 22))
        } else {
            firing_end(rng, now)
        };
        records.push(record(labels, starts, ends));
    }
    Value::Array(records).to_string()
}

#[test]
fn seeded_storms_agree_with_alertmanager() {
    let Some(bin) = binary_or_skip("seeded_storms_agree_with_alertmanager") else {
        return;
    };
    let started = Instant::now();
    // Each storm has its own seed and its own Alertmanager, so three run at
    // once: most of a storm's time is spent waiting for Alertmanager to
    // settle, not computing.
    const STORMS: u64 = 60;
    const WORKERS: u64 = 3;
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let bin = &bin;
                scope.spawn(move || {
                    let mut t = Tally::default();
                    for storm in (w..STORMS).step_by(WORKERS as usize) {
                        let mut rng = SimRng::seed(3214 + storm);
                        let yaml = seeded_config(&mut rng);
                        let now = wall_now();
                        let json = seeded_storm(&mut rng, now);
                        compare(bin, &format!("storm-{storm}"), &yaml, &json, now, &mut t);
                    }
                    t
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|h| h.join().expect("a storm failed (its message is above)"))
            .collect()
    });
    let t = tallies.into_iter().fold(Tally::default(), Tally::add);
    assert!(
        t.muted > 0 && t.groups > t.storms,
        "the storms exercise muting and grouping"
    );
    assert!(
        t.restarted > 0 && t.repeated > t.restarted,
        "the storms exercise both merging and replacing repeats"
    );
    eprintln!(
        "alertmanager differential: {} seeded storms, {} records, {} firing alerts \
         ({} repeated, {} of them restarted by a re-fire; {} muted) with their startsAt/endsAt, \
         and {} groups agreed in {:.1} s",
        t.storms,
        t.records,
        t.alerts,
        t.repeated,
        t.restarted,
        t.muted,
        t.groups,
        started.elapsed().as_secs_f64()
    );
}

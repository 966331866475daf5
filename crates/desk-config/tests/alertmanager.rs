//! The desk against the real Alertmanager (Debian's `prometheus-alertmanager`).
//!
//! For the course's storm and for seeded storms full of the cases where a
//! hand-written model goes wrong — regex matchers, empty labels, `'...'`,
//! resolved sources, alerts matching both sides of a rule, repeats with
//! resolves out of order — the test writes one `alertmanager.yml`, starts
//! the binary on 127.0.0.1 with its own storage and no clustering, posts the
//! storm to `/api/v2/alerts`, reads back `/api/v2/alerts` and
//! `/api/v2/alerts/groups`, stops it, and asserts that the desk, given the
//! same YAML and the same JSON, agrees on every firing fingerprint, every
//! group's members and every muted alert (and that each alert Alertmanager
//! says mutes another may mute it by the desk's rules too).
//!
//! Without the binary the test says it skipped; under `CI=true` that is a
//! failure.
// Wall-clock time is allowed here: a real Alertmanager runs on wall time: its deadlines and polls are real.
#![allow(clippy::disallowed_methods)]
#![cfg(feature = "solution")]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use desk::{correlate, AsOf, CorrelationConfig};
use labkit::SimRng;
use serde_json::Value;

// ---------- the engine ----------

/// The Alertmanager binary (`ALERTMANAGER_BIN` names another), or `None`
/// after saying the test skipped; under `CI=true` a missing binary fails
/// the test instead.
fn binary_or_skip(test: &str) -> Option<PathBuf> {
    labkit::tools::find_or_skip(
        test,
        "ALERTMANAGER_BIN",
        &["prometheus-alertmanager", "alertmanager"],
        "apt-get install prometheus-alertmanager",
    )
}

/// A running Alertmanager; dropping it kills the process and removes its
/// directory.
struct Engine {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    l.local_addr().expect("its address").port()
}

impl Engine {
    fn start(bin: &Path, config: &str, name: &str) -> Engine {
        let dir = std::env::temp_dir().join(format!("desk-am-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).expect("a scratch directory");
        std::fs::write(dir.join("alertmanager.yml"), config).expect("write the config");
        let port = free_port();
        let log = std::fs::File::create(dir.join("log")).expect("a log file");
        let child = Command::new(bin)
            .arg(format!(
                "--config.file={}",
                dir.join("alertmanager.yml").display()
            ))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start alertmanager");
        let engine = Engine { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(engine.get("/-/ready"), Ok((200, _))) {
                return engine;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = std::fs::read_to_string(engine.dir.join("log")).unwrap_or_default();
        panic!("alertmanager did not become ready on port {port} within 10 s:\n{log}");
    }

    fn request(&self, method: &str, path: &str, body: &str) -> Result<(u16, String), String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        let text = String::from_utf8(raw).map_err(|e| e.to_string())?;
        let (head, rest) = text.split_once("\r\n\r\n").ok_or("no header end")?;
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or("no status code")?;
        let chunked = head.lines().any(|l| {
            l.to_ascii_lowercase()
                .starts_with("transfer-encoding: chunked")
        });
        Ok((
            status,
            if chunked {
                unchunk(rest)?
            } else {
                rest.to_string()
            },
        ))
    }

    fn get(&self, path: &str) -> Result<(u16, String), String> {
        self.request("GET", path, "")
    }

    fn get_json(&self, path: &str) -> Value {
        let (code, body) = self.get(path).expect("GET from alertmanager");
        assert_eq!(code, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("alertmanager answers JSON")
    }
}

fn unchunk(mut rest: &str) -> Result<String, String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").ok_or("bad chunk")?;
        let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(out);
        }
        out.push_str(after.get(..n).ok_or("short chunk")?);
        rest = after.get(n + 2..).ok_or("short chunk")?;
    }
}

// ---------- what Alertmanager says ----------

#[derive(Debug, PartialEq, Eq)]
struct Seen {
    /// Firing alerts: fingerprint → the fingerprints muting it (empty = not muted).
    alerts: BTreeMap<String, BTreeSet<String>>,
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

struct Verdict {
    seen: Seen,
    /// (target, source) pairs the desk's rules allow.
    may_mute: BTreeSet<(String, String)>,
}

fn desk_view(json: &str, yaml: &str, now: DateTime<Utc>) -> Verdict {
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
    Verdict {
        seen: Seen { alerts, groups },
        may_mute,
    }
}

/// What was compared, for the report line.
#[derive(Default)]
struct Tally {
    storms: usize,
    alerts: usize,
    muted: usize,
    groups: usize,
}

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
    assert_eq!(
        ours.seen.groups, theirs.groups,
        "{name}: groups differ (desk left, Alertmanager right)\nconfig:\n{yaml}\nalerts: {json}"
    );
    t.storms += 1;
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

fn seeded_matcher(rng: &mut SimRng) -> String {
    let name = pick(rng, &["severity", "service", "cluster", "team"]);
    let (plain, regex): (&[&str], &[&str]) = match name {
        "severity" => (
            &["critical", "warning", "info"],
            &["crit.*", "warning|info", "w.*|i.*", ".+"],
        ),
        "service" => (
            &["api", "db", "chat-api"],
            &["chat.*", "api|db", "(api|db)", "c.*e", "chat"],
        ),
        _ => (
            &["eu", "search", ""],
            &["e.*", ".*", "", "infra|search", ".+"],
        ),
    };
    let op = pick(rng, &["=", "!=", "=~", "!~"]);
    let value = if op.contains('~') {
        pick(rng, regex)
    } else {
        pick(rng, plain)
    };
    format!("'{name}{op}\"{value}\"'")
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
        let side = |rng: &mut SimRng| {
            let ms: Vec<String> = (0..rng.below(3)).map(|_| seeded_matcher(rng)).collect();
            format!("[{}]", ms.join(", "))
        };
        let source = side(rng);
        let target = side(rng);
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
                    "team" => pick(rng, &["search", "infra", ""]),
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
        let starts = now - TimeDelta::minutes(30 + rng.below(60) as i64);
        let ends = match rng.below(4) {
            // Resolved a while ago (repeats resolve out of order).
            0 => Some(now - TimeDelta::minutes(2 + rng.below(20) as i64)),
            // Firing the way Prometheus sends it: an end in the future.
            1 => Some(now + TimeDelta::minutes(10 + rng.below(50) as i64)),
            // No end: firing until resolve_timeout after receipt.
            _ => None,
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
    let t = tallies.into_iter().fold(Tally::default(), |a, b| Tally {
        storms: a.storms + b.storms,
        alerts: a.alerts + b.alerts,
        muted: a.muted + b.muted,
        groups: a.groups + b.groups,
    });
    assert!(
        t.muted > 0 && t.groups > t.storms,
        "the storms exercise muting and grouping"
    );
    eprintln!(
        "alertmanager differential: {} seeded storms, {} firing alerts ({} muted) and {} groups agreed in {:.1} s",
        t.storms,
        t.alerts,
        t.muted,
        t.groups,
        started.elapsed().as_secs_f64()
    );
}

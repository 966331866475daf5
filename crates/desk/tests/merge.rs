#![cfg(feature = "solution")]
//! How repeats of one alert merge, case by case, as Alertmanager 0.25.0's
//! memory provider does it (`provider/mem` `Put` and `types.Alert.Merge`):
//! the disagreements issue 20 found, each as first written. The seeded
//! storms of `crates/desk-config/tests/alertmanager.rs` check the same rules
//! against the real binary.

use chrono::{DateTime, TimeDelta, Utc};
use desk::{correlate, load_alerts, AsOf, CorrelationConfig};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test time")
        .with_timezone(&Utc)
}

fn record(name: &str, service: &str, starts: &str, ends: Option<&str>) -> String {
    let ends = ends.map_or(String::new(), |e| format!(r#", "endsAt": "{e}""#));
    format!(
        r#"{{"labels": {{"alertname": "{name}", "service": "{service}", "severity": "critical", "cluster": "eu-1"}},
            "startsAt": "{starts}"{ends}}}"#
    )
}

fn batch(records: &[String]) -> String {
    format!("[{}]", records.join(",\n"))
}

/// A flap then a re-fire: the retriever's alert fired at 02:00, resolved at
/// 02:10, and fired again at 03:00, two minutes before the chat API's. The
/// re-fire does not overlap the first activity, so Alertmanager replaces
/// the stored alert (new `startsAt` 03:00) instead of merging it: one
/// incident, caused by the retriever. Keeping the earliest start (02:00)
/// split it in two and blamed the chat API for its own.
#[test]
fn a_refire_after_a_resolve_starts_anew() {
    let json = batch(&[
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:00:00Z",
            Some("2026-03-02T02:10:00Z"),
        ),
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T03:00:00Z",
            None,
        ),
        record("GroundednessLow", "chat-api", "2026-03-02T03:02:00Z", None),
    ]);
    let records = load_alerts(&json, &AsOf::at(at("2026-03-02T03:04:00Z"))).unwrap();
    let c = correlate(&records, &CorrelationConfig::default());
    assert_eq!(c.alerts.len(), 2);
    let retriever = &c.alerts[0];
    assert_eq!(retriever.records, 2);
    assert!(retriever.alert.is_firing());
    assert_eq!(
        retriever.alert.starts_at,
        at("2026-03-02T03:00:00Z"),
        "the re-fire's start: it did not overlap the resolved activity"
    );
    assert_eq!(c.incidents.len(), 1, "{}", c.summary());
    let cause = c.incidents[0].cause.as_ref().expect("a cause");
    assert_eq!(cause.service, "retriever");
    assert_eq!(cause.first_at, at("2026-03-02T03:00:00Z"));
}

/// Overlapping activity still merges: a repeat that starts while the stored
/// alert is active keeps the earlier start.
#[test]
fn an_overlapping_repeat_keeps_the_earlier_start() {
    let json = batch(&[
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:00:00Z",
            Some("2026-03-02T03:30:00Z"),
        ),
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:20:00Z",
            None,
        ),
    ]);
    let records = load_alerts(&json, &AsOf::at(at("2026-03-02T03:00:00Z"))).unwrap();
    let c = correlate(&records, &CorrelationConfig::default());
    assert_eq!(c.alerts[0].alert.starts_at, at("2026-03-02T02:00:00Z"));
    assert!(c.alerts[0].alert.is_firing());
}

/// Received at 03:00, judged at 03:10 with the default 5-minute
/// `resolve_timeout`: the first record's explicit `endsAt` (03:30) beats
/// the later record's timeout end (03:05), so the alert is still firing,
/// as in Alertmanager. The latest record's end said "resolved".
#[test]
fn an_explicit_end_beats_a_later_timeout_end() {
    let json = batch(&[
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:50:00Z",
            Some("2026-03-02T03:30:00Z"),
        ),
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:50:00Z",
            None,
        ),
    ]);
    let as_of = AsOf::at(at("2026-03-02T03:10:00Z")).received_at(at("2026-03-02T03:00:00Z"));
    let records = load_alerts(&json, &as_of).unwrap();
    let c = correlate(&records, &CorrelationConfig::default());
    assert_eq!(c.alerts.len(), 1);
    assert!(
        c.alerts[0].alert.is_firing(),
        "still firing until 03:30, got ends_at {:?}",
        c.alerts[0].alert.ends_at
    );
}

/// "Resolved" is judged when the record arrives, not later. Received at
/// 03:00: the stored alert has no end (timeout 03:05), the repeat says it
/// ends at 03:04. At receipt the repeat is not yet a resolve, and a timeout
/// end never beats an explicit one, so the merged end is 03:04. Judged at
/// 03:10 both look resolved, and taking the later end (03:05) would be
/// wrong.
#[test]
fn resolved_is_judged_at_receipt() {
    let json = batch(&[
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:50:00Z",
            None,
        ),
        record(
            "RetrievalRecallDrop",
            "retriever",
            "2026-03-02T02:55:00Z",
            Some("2026-03-02T03:04:00Z"),
        ),
    ]);
    let as_of = AsOf::at(at("2026-03-02T03:10:00Z")).received_at(at("2026-03-02T03:00:00Z"));
    let records = load_alerts(&json, &as_of).unwrap();
    let c = correlate(&records, &CorrelationConfig::default());
    let merged = &c.alerts[0].alert;
    assert_eq!(merged.starts_at, at("2026-03-02T02:50:00Z"));
    assert_eq!(merged.ends_at, Some(at("2026-03-02T03:04:00Z")));
    assert_eq!(
        merged.ends_at.map(|e| e - merged.starts_at),
        Some(TimeDelta::minutes(14))
    );
}

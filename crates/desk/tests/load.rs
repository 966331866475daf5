//! Loading alerts from JSON: good records load, bad ones are named by record
//! and field. (No learner code runs here, so these pass in both variants.)

use chrono::{DateTime, TimeDelta, Utc};
use desk::{load_alerts, AsOf, Severity};

const GOOD: &str = r#"[
  {"labels": {"alertname": "HighLatency", "service": "retriever", "severity": "warning"},
   "annotations": {"summary": "p95 over 2 s"}, "source": "prometheus-a",
   "startsAt": "2026-03-02T02:01:00Z", "endsAt": null, "deploy": "rel-7"},
  {"labels": {"alertname": "Down", "service": "auth", "severity": "critical", "cluster": "eu-1"},
   "startsAt": "2026-03-02T02:05:00+00:00", "endsAt": "2026-03-02T02:15:00Z"}
]"#;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test time")
        .with_timezone(&Utc)
}

/// After every end time in GOOD.
fn later() -> AsOf {
    AsOf::at(at("2026-03-02T03:00:00Z"))
}

fn load(json: &str) -> Result<Vec<desk::Alert>, desk::LoadError> {
    load_alerts(json, &later())
}

#[test]
fn good_records_load() {
    let alerts = load(GOOD).unwrap();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0].name(), "HighLatency");
    assert_eq!(alerts[0].severity(), Some(Severity::Warning));
    assert_eq!(alerts[0].deploy.as_deref(), Some("rel-7"));
    assert!(alerts[0].is_firing(), "received now, no end: firing");
    assert_eq!(alerts[1].label("cluster"), "eu-1");
    assert_eq!(
        alerts[1].label("team"),
        "",
        "a missing label reads as empty"
    );
    assert!(!alerts[1].is_firing());
    assert_eq!(alerts[1].source, "unknown");
}

#[test]
fn an_end_in_the_future_is_still_firing() {
    // Prometheus sends a firing alert with endsAt = now + its resend window.
    let during = AsOf::at(at("2026-03-02T02:10:00Z"));
    let alerts = load_alerts(GOOD, &during).unwrap();
    assert!(alerts[1].is_firing(), "endsAt 02:15 judged at 02:10");
    let exactly = AsOf::at(at("2026-03-02T02:15:00Z"));
    let alerts = load_alerts(GOOD, &exactly).unwrap();
    assert_eq!(
        alerts[1].ends_at,
        Some(at("2026-03-02T02:15:00Z")),
        "an end at the judging time has resolved (Alertmanager: not after now)"
    );
}

#[test]
fn no_end_resolves_after_the_resolve_timeout() {
    let received = at("2026-03-02T02:20:00Z");
    let base = AsOf::at(received).received_at(received);
    let judge = |mins: i64, timeout: i64| {
        let mut as_of = base.with_resolve_timeout(TimeDelta::minutes(timeout));
        as_of.now = received + TimeDelta::minutes(mins);
        load_alerts(GOOD, &as_of).unwrap()[0].is_firing()
    };
    assert!(judge(4, 5), "4 minutes after receipt, default 5m timeout");
    assert!(!judge(5, 5), "5 minutes after receipt: resolved");
    assert!(judge(9, 10), "a longer timeout keeps it firing");
    let mut as_of = base;
    as_of.now = received + TimeDelta::minutes(6);
    let a = &load_alerts(GOOD, &as_of).unwrap()[0];
    assert_eq!(a.ends_at, Some(received + TimeDelta::minutes(5)));
}

#[test]
fn empty_labels_are_no_labels() {
    let with_empty =
        r#"[{"labels": {"alertname": "A", "team": ""}, "startsAt": "2026-03-02T02:00:00Z"}]"#;
    let without = r#"[{"labels": {"alertname": "A"}, "startsAt": "2026-03-02T02:00:00Z"}]"#;
    let a = &load(with_empty).unwrap()[0];
    let b = &load(without).unwrap()[0];
    assert!(!a.labels.contains_key("team"));
    assert_eq!(a.labels, b.labels, "so one identity");
    let built = desk::Alert::new("A", "s", Severity::Info, later().now).with_label("team", "");
    assert!(
        !built.labels.contains_key("team"),
        "with_label(\"\") removes"
    );
}

#[test]
fn webhook_payloads_and_api_output_load() {
    let hook = r#"{"version": "4", "status": "firing", "receiver": "desk",
      "alerts": [{"status": "firing", "labels": {"alertname": "A", "job": "api"},
        "annotations": {}, "startsAt": "2026-03-02T02:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom/graph",
        "fingerprint": "FP"}]}"#;
    let alerts = load(hook).unwrap();
    assert_eq!(
        alerts[0].generator_url.as_deref(),
        Some("http://prom/graph")
    );
    assert!(alerts[0].is_firing(), "Go's zero time is no end");
    let e = load(&hook.replace("\"FP\"", "7")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("alert #0, field `fingerprint`: expected a string"),
        "{e}"
    );
}

#[test]
fn round_trip() {
    let alerts = load(GOOD).unwrap();
    let again = load(&desk::alert::alerts_to_json(&alerts)).unwrap();
    assert_eq!(alerts, again);
}

fn err(json: &str) -> String {
    match load(json) {
        Ok(a) => panic!("expected an error, loaded {} alert(s)", a.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_the_record_and_field() {
    let base = r#"{"labels": {"alertname": "A", "service": "s", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z"}"#;
    assert_eq!(load(&format!("[{base}]")).unwrap().len(), 1);
    assert!(err("3").contains("array"));
    assert!(err("{}").contains("webhook"));
    assert!(err("[").contains("not valid JSON"));
    assert_eq!(
        err(&format!("[{base}, 3]")),
        "alert #1: expected an object, got 3"
    );
    let e = err(&format!(
        r#"[{base}, {base}, {{"labels": {{"alertname": "A", "service": "s", "severity": "info"}}, "startsAt": "yesterday"}}]"#
    ));
    assert!(
        e.starts_with("alert #2, field `startsAt`: expected an RFC 3339 time"),
        "{e}"
    );
    let e =
        err(r#"[{"labels": {"alertname": "A", "1st": "x"}, "startsAt": "2026-03-02T02:00:00Z"}]"#);
    assert!(
        e.starts_with("alert #0, field `labels.1st`: not a valid label name"),
        "{e}"
    );
    let e = err(r#"[{"labels": {"alertname": ""}, "startsAt": "2026-03-02T02:00:00Z"}]"#);
    assert!(
        e.starts_with("alert #0, field `labels`: no label with a value"),
        "{e}"
    );
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info", "n": 3}, "startsAt": "2026-03-02T02:00:00Z"}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `labels.n`: expected a string value"),
        "{e}"
    );
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z", "endsAt": "2026-03-02T01:00:00Z"}]"#,
    );
    assert!(e.starts_with("alert #0, field `endsAt`: ends at"), "{e}");
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z", "startAt": "x"}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `startAt`: unknown field"),
        "{e}"
    );
    let e = err(r#"[{"startsAt": "2026-03-02T02:00:00Z"}]"#);
    assert!(e.starts_with("alert #0, field `labels`: missing"), "{e}");
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z", "deploy": 7}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `deploy`: expected a string"),
        "{e}"
    );
}

#[test]
fn topology_queries() {
    let t = desk::Topology::assistant();
    assert!(
        t.depends_on("gateway", "vector-index"),
        "through chat-api and retriever"
    );
    assert!(!t.depends_on("vector-index", "gateway"));
    assert!(!t.depends_on("billing", "retriever"));
    assert!(t.related("retriever", "gateway") && t.related("gateway", "retriever"));
    assert!(
        !t.related("model-server", "retriever"),
        "siblings are not related"
    );
    let down: Vec<String> = t.downstream_of("retriever").into_iter().collect();
    assert_eq!(down, vec!["chat-api", "gateway"]);
    assert_eq!(
        t.related_to("unknown-service"),
        vec!["unknown-service".to_string()]
    );
    let mut cyclic = desk::Topology::new().with("a", "b").with("b", "a");
    cyclic.add("c", "a");
    assert!(cyclic.depends_on("c", "b"), "closure terminates on a cycle");
}

#[test]
fn a_sent_end_survives_a_round_trip_and_a_timeout_is_marked() {
    let json = r#"[
      {"labels": {"alertname": "A", "service": "s", "severity": "info"},
       "startsAt": "2026-03-02T02:00:00Z", "endsAt": "2026-03-02T03:30:00Z"},
      {"labels": {"alertname": "B", "service": "s", "severity": "info"},
       "startsAt": "2026-03-02T02:00:00Z"}
    ]"#;
    let as_of = AsOf::at(at("2026-03-02T03:00:00Z"));
    let alerts = load_alerts(json, &as_of).unwrap();
    assert!(alerts[0].is_firing());
    assert_eq!(alerts[0].activity.until, at("2026-03-02T03:30:00Z"));
    assert!(!alerts[0].activity.timeout, "sent");
    assert_eq!(alerts[1].activity.until, at("2026-03-02T03:05:00Z"));
    assert!(
        alerts[1].activity.timeout,
        "no endsAt: the resolve timeout's"
    );
    assert_eq!(alerts[1].activity.received, at("2026-03-02T03:00:00Z"));
    let again = load_alerts(&desk::alert::alerts_to_json(&alerts), &as_of).unwrap();
    assert_eq!(
        alerts, again,
        "the sent end is written back, the timeout is not"
    );
}

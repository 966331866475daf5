//! Loading alerts from JSON: good records load, bad ones are named by record
//! and field. (No learner code runs here, so these pass in both variants.)

use desk::{load_alerts, Severity};

const GOOD: &str = r#"[
  {"labels": {"alertname": "HighLatency", "service": "retriever", "severity": "warning"},
   "annotations": {"summary": "p95 over 2 s"}, "source": "prometheus-a",
   "startsAt": "2026-03-02T02:01:00Z", "endsAt": null, "deploy": "rel-7"},
  {"labels": {"alertname": "Down", "service": "auth", "severity": "critical", "cluster": "eu-1"},
   "startsAt": "2026-03-02T02:05:00+00:00", "endsAt": "2026-03-02T02:15:00Z"}
]"#;

#[test]
fn good_records_load() {
    let alerts = load_alerts(GOOD).unwrap();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0].name(), "HighLatency");
    assert_eq!(alerts[0].severity(), Some(Severity::Warning));
    assert_eq!(alerts[0].deploy.as_deref(), Some("rel-7"));
    assert!(alerts[0].is_firing());
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
fn round_trip() {
    let alerts = load_alerts(GOOD).unwrap();
    let again = load_alerts(&desk::alert::alerts_to_json(&alerts)).unwrap();
    assert_eq!(alerts, again);
}

fn err(json: &str) -> String {
    match load_alerts(json) {
        Ok(a) => panic!("expected an error, loaded {} alert(s)", a.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_the_record_and_field() {
    let base = r#"{"labels": {"alertname": "A", "service": "s", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z"}"#;
    assert_eq!(load_alerts(&format!("[{base}]")).unwrap().len(), 1);
    assert!(err("{}").contains("array"));
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
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "loud"}, "startsAt": "2026-03-02T02:00:00Z"}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `labels.severity`: unknown severity \"loud\""),
        "{e}"
    );
    let e = err(
        r#"[{"labels": {"alertname": "A", "severity": "info"}, "startsAt": "2026-03-02T02:00:00Z"}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `labels.service`: missing"),
        "{e}"
    );
    let e = err(
        r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info", "n": 3}, "startsAt": "2026-03-02T02:00:00Z"}]"#,
    );
    assert!(
        e.starts_with("alert #0, field `labels.n`: expected a string value"),
        "{e}"
    );
    let e = err(r#"[{"labels": {"alertname": "A", "service": "s", "severity": "info"}}]"#);
    assert!(e.starts_with("alert #0, field `startsAt`: missing"), "{e}");
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

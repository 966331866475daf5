#![cfg(feature = "solution")]
//! Grouping, inhibition and incidents, case by case, through `desk::correlate`.

use chrono::{DateTime, TimeDelta, Utc};
use desk::{
    correlate, Alert, CorrelationConfig, Fingerprint, InhibitRule, Matcher, Severity, Topology,
};
use labkit::{SimClock, SimRng};

fn t(m: i64) -> DateTime<Utc> {
    SimClock::course_epoch() + TimeDelta::minutes(m)
}

fn config(group_by: &[&str], rules: Vec<InhibitRule>) -> CorrelationConfig {
    CorrelationConfig {
        group_by: group_by.iter().map(|s| s.to_string()).collect(),
        inhibit_rules: rules,
        topology: Topology::assistant(),
        window: TimeDelta::minutes(15),
    }
}

fn crit_mutes_warn(equal: &[&str]) -> InhibitRule {
    InhibitRule::new(
        vec![Matcher::eq("severity", "critical")],
        vec![Matcher::eq("severity", "warning")],
        equal,
    )
}

fn muted(c: &desk::Correlation) -> Vec<Fingerprint> {
    c.muted.iter().map(|m| m.alert).collect()
}

#[test]
fn fingerprint_matches_prometheus_vectors() {
    let l = |p: &[(&str, &str)]| {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(desk::fingerprint(&l(&[])).0, 14_695_981_039_346_656_037);
    assert_eq!(
        desk::fingerprint(&l(&[
            ("name", "garland, briggs"),
            ("fear", "love is not enough")
        ]))
        .0,
        5_799_056_148_416_392_346
    );
    assert_eq!(
        desk::fingerprint(&l(&[
            ("first_name", "electro"),
            ("occupation", "robot"),
            ("manufacturer", "westinghouse")
        ]))
        .0,
        5_911_716_720_268_894_962
    );
    assert_eq!(desk::Fingerprint(255).to_string(), "00000000000000ff");
}

#[test]
fn repeats_with_new_annotations_deduplicate() {
    let a =
        Alert::new("Slow", "retriever", Severity::Warning, t(5)).with_annotation("value", "1.2");
    let b = a
        .clone()
        .with_annotation("value", "1.9")
        .from_source("prometheus-b");
    let mut c = a
        .clone()
        .with_annotation("value", "2.5")
        .from_source("prometheus-c");
    c.starts_at = t(3);
    let other = a.clone().with_label("instance", "r-1");
    let r = correlate(&[a.clone(), b, c, other], &config(&[], vec![]));
    assert_eq!(r.received, 4);
    assert_eq!(r.alerts.len(), 2);
    assert_eq!(r.alerts[0].records, 3);
    assert_eq!(r.alerts[0].alert.starts_at, t(3), "earliest start");
    assert_eq!(
        r.alerts[0].alert.annotations["value"], "2.5",
        "latest annotations"
    );
    assert_eq!(
        r.alerts[0].alert.source, "prometheus-c",
        "the latest record's source: the stored alert is the latest record, merged"
    );
    assert_eq!(r.alerts[1].records, 1);
}

#[test]
fn a_resolve_after_firing_takes_the_latest_state() {
    let a = Alert::new("Slow", "retriever", Severity::Warning, t(5));
    let resolved = a.clone().resolved_at(t(9));
    let r = correlate(&[a.clone(), resolved.clone()], &config(&[], vec![]));
    assert_eq!(r.alerts[0].alert.ends_at, Some(t(9)));
    let r = correlate(&[resolved, a], &config(&[], vec![]));
    assert_eq!(
        r.alerts[0].alert.ends_at, None,
        "firing again after a resolve"
    );
}

#[test]
fn grouping_by_labels() {
    let alerts = [
        Alert::new("A", "retriever", Severity::Warning, t(0)).with_label("cluster", "eu"),
        Alert::new("B", "retriever", Severity::Warning, t(1)).with_label("cluster", "eu"),
        Alert::new("C", "retriever", Severity::Warning, t(2)).with_label("cluster", "us"),
        Alert::new("D", "retriever", Severity::Warning, t(3)),
        Alert::new("E", "retriever", Severity::Warning, t(4)).with_label("cluster", ""),
    ];
    let r = correlate(&alerts, &config(&["cluster"], vec![]));
    let keys: Vec<String> = r.groups.iter().map(|g| g.key.to_string()).collect();
    assert_eq!(
        keys,
        vec![r#"{}"#, r#"{cluster="eu"}"#, r#"{cluster="us"}"#],
        "a label the alert lacks (or has empty) is left out of the key"
    );
    assert_eq!(
        r.groups[0].members.len(),
        2,
        "missing and empty cluster share a group"
    );
    assert_eq!(r.groups[1].members.len(), 2);
    let one = correlate(&alerts, &config(&[], vec![]));
    assert_eq!(one.groups.len(), 1, "empty group_by: one group");
    assert_eq!(one.groups[0].key.to_string(), "{}");
    assert_eq!(one.groups[0].members.len(), 5);
    let fine = correlate(&alerts, &config(&["alertname"], vec![]));
    assert_eq!(fine.groups.len(), 5);
}

#[test]
fn inhibition_case_by_case() {
    let crit = Alert::new("Down", "retriever", Severity::Critical, t(0));
    let warn = Alert::new("Slow", "retriever", Severity::Warning, t(1));
    let warn_other = Alert::new("Slow", "chat-api", Severity::Warning, t(1));
    let info = Alert::new("Note", "retriever", Severity::Info, t(1));

    // Same service: muted, and the reason names the source and the rule.
    let r = correlate(
        &[crit.clone(), warn.clone(), warn_other.clone(), info.clone()],
        &config(&["service"], vec![crit_mutes_warn(&["service"])]),
    );
    assert_eq!(muted(&r), vec![warn.fingerprint()]);
    assert_eq!(r.muted[0].by, crit.fingerprint());
    assert_eq!(r.muted[0].rule, 0);
    let g = r
        .groups
        .iter()
        .find(|g| g.key.to_string() == r#"{service="retriever"}"#)
        .unwrap();
    assert_eq!(g.members, vec![crit.fingerprint(), info.fingerprint()]);
    assert_eq!(g.muted.len(), 1);

    // No `equal`: a critical anywhere mutes every warning.
    let r = correlate(
        &[crit.clone(), warn.clone(), warn_other.clone()],
        &config(&[], vec![crit_mutes_warn(&[])]),
    );
    assert_eq!(muted(&r).len(), 2);

    // A resolved source mutes nothing.
    let r = correlate(
        &[crit.clone().resolved_at(t(3)), warn.clone()],
        &config(&[], vec![crit_mutes_warn(&["service"])]),
    );
    assert!(r.muted.is_empty());

    // The order of arrival does not matter.
    let r = correlate(
        &[warn.clone(), crit.clone()],
        &config(&[], vec![crit_mutes_warn(&["service"])]),
    );
    assert_eq!(muted(&r), vec![warn.fingerprint()]);

    // `equal` on a label both lack: "" == "", so they agree.
    let r = correlate(
        &[crit.clone(), warn_other.clone()],
        &config(&[], vec![crit_mutes_warn(&["team"])]),
    );
    assert_eq!(muted(&r), vec![warn_other.fingerprint()]);
    // ... on a label only one has: they disagree.
    let r = correlate(
        &[
            crit.clone().with_label("team", "search"),
            warn_other.clone(),
        ],
        &config(&[], vec![crit_mutes_warn(&["team"])]),
    );
    assert!(r.muted.is_empty());
}

#[test]
fn alerts_matching_both_sides_do_not_mute_each_other() {
    // Any retriever alert mutes any retriever alert: two-sided for all of them.
    let rule = InhibitRule::new(
        vec![Matcher::eq("service", "retriever")],
        vec![Matcher::eq("service", "retriever")],
        &[],
    );
    let a = Alert::new("A", "retriever", Severity::Critical, t(0));
    let b = Alert::new("B", "retriever", Severity::Warning, t(1));
    let r = correlate(&[a.clone(), b.clone()], &config(&[], vec![rule]));
    assert!(
        r.muted.is_empty(),
        "neither mutes the other, and neither mutes itself"
    );

    // A source that matches only the source side may still mute a two-sided target.
    let rule = InhibitRule::new(
        vec![Matcher::eq("service", "retriever")],
        vec![Matcher::ne("severity", "info")],
        &[],
    );
    let note = Alert::new("Note", "retriever", Severity::Info, t(0));
    let r = correlate(
        &[a.clone(), note.clone(), b.clone()],
        &config(&[], vec![rule.clone()]),
    );
    let mut got = muted(&r);
    got.sort();
    let mut want = vec![a.fingerprint(), b.fingerprint()];
    want.sort();
    assert_eq!(got, want, "the info note (source side only) mutes both");
    assert!(r.muted.iter().all(|m| m.by == note.fingerprint()));
    // Without the note, a and b are both two-sided: nothing is muted.
    let r = correlate(&[a, b], &config(&[], vec![rule]));
    assert!(r.muted.is_empty());
}

#[test]
fn the_first_rule_that_mutes_is_reported() {
    let crit = Alert::new("Down", "retriever", Severity::Critical, t(0));
    let warn = Alert::new("Slow", "retriever", Severity::Warning, t(1));
    let rules = vec![crit_mutes_warn(&["cluster"]), crit_mutes_warn(&["service"])];
    let r = correlate(&[crit, warn], &config(&[], rules));
    assert_eq!(r.muted.len(), 1);
    assert_eq!(r.muted[0].rule, 0);
}

#[test]
fn inhibition_agrees_with_a_brute_force_over_random_batches() {
    let mut rng = SimRng::seed(99);
    for _ in 0..200 {
        let alerts: Vec<Alert> = (0..rng.between(1, 12))
            .map(|i| {
                let sev = Severity::ALL[rng.below(3) as usize];
                let svc = ["retriever", "chat-api"][rng.below(2) as usize];
                let mut a = Alert::new(&format!("A{i}"), svc, sev, t(rng.below(30) as i64));
                if rng.chance(0.5) {
                    a = a.with_label("team", ["x", "y"][rng.below(2) as usize]);
                }
                if rng.chance(0.2) {
                    let end = a.starts_at + TimeDelta::minutes(1);
                    a = a.resolved_at(end);
                }
                a
            })
            .collect();
        let rules = vec![
            InhibitRule::new(
                vec![Matcher::ne("severity", "info")],
                vec![Matcher::ne("severity", "critical")],
                &["team"],
            ),
            InhibitRule::new(vec![Matcher::eq("service", "retriever")], vec![], &[]),
        ];
        let r = correlate(&alerts, &config(&["service"], rules.clone()));
        for (i, t) in alerts.iter().enumerate() {
            let want = rules.iter().any(|rule| {
                alerts
                    .iter()
                    .enumerate()
                    .any(|(j, s)| j != i && desk::inhibits(rule, s, t))
            });
            assert_eq!(
                r.muted_by(t.fingerprint()).is_some(),
                want,
                "alert {} in {:?}",
                t.describe(),
                alerts.iter().map(|a| a.describe()).collect::<Vec<_>>()
            );
        }
        // Every alert is in exactly one group, as a member or as muted.
        let placed: usize = r
            .groups
            .iter()
            .map(|g| g.members.len() + g.muted.len())
            .sum();
        assert_eq!(placed, r.alerts.len());
    }
}

#[test]
fn incidents_follow_topology_and_time() {
    let a = |name: &str, svc: &str, m: i64| Alert::new(name, svc, Severity::Warning, t(m));
    let alerts = [
        a("A", "retriever", 0),
        a("B", "gateway", 10), // depends on retriever, within 15 min: same incident
        a("C", "model-server", 12), // related to gateway (gateway -> chat-api -> model-server)
        a("D", "billing", 5),  // unrelated: its own incident
        a("E", "retriever", 40), // too late: a new incident
        a("F", "auth", 11),    // gateway depends on auth: joins via gateway
    ];
    let r = correlate(&alerts, &config(&["service"], vec![]));
    assert_eq!(r.incidents.len(), 3);
    let first = &r.incidents[0];
    assert_eq!(
        first.services,
        vec!["auth", "gateway", "model-server", "retriever"]
    );
    assert_eq!(
        first.cause.as_ref().unwrap().service,
        "retriever",
        "auth, model-server and retriever each explain 2; retriever alerted first"
    );
    assert_eq!(r.incidents[1].services, vec!["billing"]);
    assert_eq!(r.incidents[2].services, vec!["retriever"]);
    assert_eq!(
        r.incidents.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let retriever = r
        .groups
        .iter()
        .find(|g| g.key.to_string() == r#"{service="retriever"}"#)
        .unwrap();
    assert_eq!(
        retriever.incidents,
        vec![1, 3],
        "a group can span two incidents"
    );
    assert!((r.reduction_ratio() - 2.0).abs() < 1e-9);
    assert!((r.compression() - 0.5).abs() < 1e-9);
}

#[test]
fn time_proximity_chains() {
    // Each alert 10 minutes after the last on the same service: one incident.
    let alerts: Vec<Alert> = (0..6)
        .map(|i| Alert::new(&format!("A{i}"), "retriever", Severity::Warning, t(10 * i)))
        .collect();
    assert_eq!(correlate(&alerts, &config(&[], vec![])).incidents.len(), 1);
    // 16 minutes apart: each alone.
    let alerts: Vec<Alert> = (0..6)
        .map(|i| Alert::new(&format!("A{i}"), "retriever", Severity::Warning, t(16 * i)))
        .collect();
    assert_eq!(correlate(&alerts, &config(&[], vec![])).incidents.len(), 6);
}

#[test]
fn an_empty_batch() {
    let r = correlate(&[], &CorrelationConfig::default());
    assert_eq!(
        (
            r.received,
            r.alerts.len(),
            r.groups.len(),
            r.incidents.len()
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(r.reduction_ratio(), 0.0);
    assert_eq!(r.compression(), 0.0);
}

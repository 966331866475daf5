#![cfg(feature = "solution")]
//! Who is paged when, case by case, through `desk::notify`. The same
//! behaviours are checked against the real Alertmanager by
//! `crates/desk-config/tests/notifications.rs`.

use chrono::{DateTime, TimeDelta, Utc};
use desk::notify::{
    notifications, Kind, Labels, Notification, Post, Posted, Route, Routing, Silence, Timers,
};
use desk::{InhibitRule, Matcher};
use labkit::SimClock;

fn t(s: i64) -> DateTime<Utc> {
    SimClock::course_epoch() + TimeDelta::seconds(s)
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn fire(at: i64, pairs: &[(&str, &str)]) -> Post {
    Post {
        at: t(at),
        alerts: vec![Posted {
            labels: labels(pairs),
            starts_at: Some(t(at)),
            ends_at: Some(t(at + 100_000)),
        }],
    }
}

fn resolve(at: i64, started: i64, pairs: &[(&str, &str)]) -> Post {
    Post {
        at: t(at),
        alerts: vec![Posted {
            labels: labels(pairs),
            starts_at: Some(t(started)),
            ends_at: Some(t(at)),
        }],
    }
}

fn timers(wait: i64, interval: i64, repeat: i64) -> Timers {
    Timers {
        group_wait: TimeDelta::seconds(wait),
        group_interval: TimeDelta::seconds(interval),
        repeat_interval: TimeDelta::seconds(repeat),
    }
}

/// `(seconds, receiver, kind, firing alertnames, resolved alertnames)`.
fn pages(sent: &[Notification]) -> Vec<(i64, String, Kind, String, String)> {
    let names = |m: &std::collections::BTreeMap<desk::Fingerprint, Labels>| {
        let mut v: Vec<&str> = m.values().map(|l| l["alertname"].as_str()).collect();
        v.sort_unstable();
        v.join(",")
    };
    sent.iter()
        .map(|n| {
            (
                (n.at - t(0)).num_seconds(),
                n.receiver.clone(),
                n.kind,
                names(&n.firing),
                names(&n.resolved),
            )
        })
        .collect()
}

fn run(routing: &Routing, posts: &[Post], until: i64) -> Vec<(i64, String, Kind, String, String)> {
    pages(&notifications(routing, posts, &[], t(0), t(until)))
}

fn p(
    s: i64,
    r: &str,
    k: Kind,
    firing: &str,
    resolved: &str,
) -> (i64, String, Kind, String, String) {
    (
        s,
        r.to_string(),
        k,
        firing.to_string(),
        resolved.to_string(),
    )
}

#[test]
fn group_wait_then_group_interval_then_repeat_interval() {
    let routing = Routing::new(Route::root("oncall", &["service"], timers(30, 300, 3600)));
    let posts = [
        fire(0, &[("alertname", "Down"), ("service", "api")]),
        fire(100, &[("alertname", "Slow"), ("service", "api")]),
        resolve(1000, 0, &[("alertname", "Down"), ("service", "api")]),
    ];
    assert_eq!(
        run(&routing, &posts, 6000),
        vec![
            p(30, "oncall", Kind::First, "Down", ""),
            // Slow joined at 100 s: the next flush, 30 + 300.
            p(330, "oncall", Kind::Update, "Down,Slow", ""),
            // Down resolved at 1000 s: the flush at 1230 s says so.
            p(1230, "oncall", Kind::Update, "Slow", "Down"),
            // One hour after 1230 s is 4830 s, a flush instant, and the
            // last page is not *before* it: the repeat waits one more interval.
            p(5130, "oncall", Kind::Repeat, "Slow", ""),
        ]
    );
}

#[test]
fn routes_are_searched_depth_first_and_continue_goes_on() {
    let mut root = Route::root("team", &["alertname"], timers(10, 60, 3600));
    let mut pager = root.child(vec![Matcher::eq("severity", "critical")], "pager");
    pager.continue_matching = true;
    let db = root.child(vec![Matcher::eq("service", "db")], "dba");
    let api = root.child(vec![Matcher::eq("service", "api")], "api-team");
    root.routes = vec![pager, db, api];
    let routing = Routing::new(root);
    let posts = [
        fire(
            0,
            &[
                ("alertname", "A"),
                ("service", "db"),
                ("severity", "critical"),
            ],
        ),
        fire(
            0,
            &[
                ("alertname", "B"),
                ("service", "api"),
                ("severity", "warning"),
            ],
        ),
        fire(
            0,
            &[("alertname", "C"), ("service", "web"), ("severity", "info")],
        ),
    ];
    let mut got = run(&routing, &posts, 30);
    got.sort();
    assert_eq!(
        got,
        vec![
            p(10, "api-team", Kind::First, "B", ""),
            p(10, "dba", Kind::First, "A", ""),
            p(10, "pager", Kind::First, "A", ""),
            p(10, "team", Kind::First, "C", ""),
        ]
    );
    // Without continue, the critical alert stops at the pager.
    let mut routing = routing;
    routing.route.routes[0].continue_matching = false;
    let got = run(&routing, &posts[..1], 30);
    assert_eq!(got, vec![p(10, "pager", Kind::First, "A", "")]);
}

#[test]
fn a_group_whose_alerts_are_all_muted_sends_nothing() {
    let mut routing = Routing::new(Route::root("oncall", &["alertname"], timers(2, 60, 3600)));
    routing.inhibit_rules = vec![InhibitRule::new(
        vec![Matcher::eq("severity", "critical")],
        vec![Matcher::eq("severity", "warning")],
        &["service"],
    )];
    let posts = [
        fire(
            0,
            &[
                ("alertname", "Down"),
                ("service", "api"),
                ("severity", "critical"),
            ],
        ),
        fire(
            0,
            &[
                ("alertname", "Slow"),
                ("service", "api"),
                ("severity", "warning"),
            ],
        ),
        fire(
            0,
            &[
                ("alertname", "Slow"),
                ("service", "db"),
                ("severity", "warning"),
            ],
        ),
    ];
    // Two groups by alertname: Down, and Slow with one muted and one not.
    assert_eq!(
        run(&routing, &posts, 30),
        vec![
            p(2, "oncall", Kind::First, "Down", ""),
            p(2, "oncall", Kind::First, "Slow", "")
        ]
    );
    // With db's Slow gone, the Slow group is all muted: one page only.
    assert_eq!(
        run(&routing, &posts[..2], 30),
        vec![p(2, "oncall", Kind::First, "Down", "")]
    );
    // When the source resolves, the muted alert is paged at the next flush.
    let mut posts = posts[..2].to_vec();
    posts.push(resolve(
        30,
        0,
        &[
            ("alertname", "Down"),
            ("service", "api"),
            ("severity", "critical"),
        ],
    ));
    assert_eq!(
        run(&routing, &posts, 70),
        vec![
            p(2, "oncall", Kind::First, "Down", ""),
            p(62, "oncall", Kind::Resolved, "", "Down"),
            p(62, "oncall", Kind::First, "Slow", ""),
        ]
    );
}

#[test]
fn silences_mute_while_active() {
    let routing = Routing::new(Route::root("oncall", &[], timers(5, 10, 3600)));
    let silence = Silence {
        matchers: vec![Matcher::eq("service", "db")],
        starts_at: t(0),
        ends_at: t(20),
    };
    let posts = [
        fire(0, &[("alertname", "A"), ("service", "db")]),
        fire(0, &[("alertname", "B"), ("service", "api")]),
    ];
    let got = pages(&notifications(&routing, &posts, &[silence], t(0), t(40)));
    assert_eq!(
        got,
        vec![
            p(5, "oncall", Kind::First, "B", ""),
            p(25, "oncall", Kind::Update, "A,B", "")
        ]
    );
}

#[test]
fn without_send_resolved_the_all_clear_is_not_sent_but_remembered() {
    let mut routing = Routing::new(Route::root("oncall", &[], timers(5, 10, 3600)));
    if let Some(r) = routing.receivers.get_mut("oncall") {
        r.integrations[0].send_resolved = false;
    }
    let a = [("alertname", "A")];
    let posts = [fire(0, &a), resolve(8, 0, &a), fire(20, &a)];
    // The all-clear at 15 s is logged, not sent; the flap at 20 s is a new page.
    assert_eq!(
        run(&routing, &posts, 40),
        vec![
            p(5, "oncall", Kind::First, "A", ""),
            p(25, "oncall", Kind::First, "A", "")
        ]
    );
}

#[test]
fn an_old_alert_flushes_a_new_group_at_once() {
    let routing = Routing::new(Route::root("oncall", &[], timers(30, 300, 3600)));
    let post = Post {
        at: t(100),
        alerts: vec![Posted {
            labels: labels(&[("alertname", "A")]),
            starts_at: Some(t(0)),
            ends_at: None,
        }],
    };
    assert_eq!(
        run(&routing, &[post], 200),
        vec![p(100, "oncall", Kind::First, "A", "")]
    );
}

#[test]
fn an_emptied_group_is_forgotten_at_the_maintenance_pass() {
    let routing = Routing::new(Route::root("oncall", &[], timers(5, 10, 3600)));
    let a = [("alertname", "A")];
    // Resolved and sent at 15 s; the group is empty after that flush.
    // Before the pass at 30 s, a new firing joins the old group (flush at 35 s);
    let before = [fire(0, &a), resolve(12, 0, &a), fire(27, &a)];
    assert_eq!(
        run(&routing, &before, 40),
        vec![
            p(5, "oncall", Kind::First, "A", ""),
            p(15, "oncall", Kind::Resolved, "", "A"),
            p(35, "oncall", Kind::First, "A", ""),
        ]
    );
    // after it, a new group waits group_wait again (31 + 5).
    let after = [fire(0, &a), resolve(12, 0, &a), fire(31, &a)];
    assert_eq!(
        run(&routing, &after, 40)[2],
        p(36, "oncall", Kind::First, "A", "")
    );
}

#[test]
fn alerts_without_an_end_time_out() {
    let mut routing = Routing::new(Route::root("oncall", &[], timers(5, 60, 3600)));
    routing.resolve_timeout = TimeDelta::seconds(100);
    let post = Post {
        at: t(0),
        alerts: vec![Posted {
            labels: labels(&[("alertname", "A")]),
            starts_at: None,
            ends_at: None,
        }],
    };
    assert_eq!(
        run(&routing, &[post], 200),
        vec![
            p(5, "oncall", Kind::First, "A", ""),
            p(125, "oncall", Kind::Resolved, "", "A")
        ]
    );
}

#[test]
fn invalid_alerts_are_dropped_as_the_api_drops_them() {
    let routing = Routing::new(Route::root("oncall", &[], timers(5, 10, 3600)));
    let backwards = Post {
        at: t(0),
        alerts: vec![
            Posted {
                labels: labels(&[("alertname", "A")]),
                starts_at: Some(t(10)),
                ends_at: Some(t(5)),
            },
            Posted {
                labels: labels(&[("team", "")]),
                starts_at: None,
                ends_at: None,
            },
        ],
    };
    assert_eq!(run(&routing, &[backwards], 60), vec![]);
}

#[test]
fn the_same_storm_pages_the_same_way() {
    let mut root = Route::root("team", &["service"], timers(5, 10, 25));
    let mut pager = root.child(vec![Matcher::eq("severity", "critical")], "pager");
    pager.continue_matching = true;
    root.routes = vec![pager];
    let routing = Routing::new(root);
    let mut rng = labkit::SimRng::seed(23);
    let mut posts = Vec::new();
    for s in 0..120 {
        if rng.chance(0.3) {
            let sev = ["critical", "warning"][rng.below(2) as usize];
            let svc = ["api", "db"][rng.below(2) as usize];
            let pairs = [("alertname", "X"), ("service", svc), ("severity", sev)];
            posts.push(if rng.chance(0.3) {
                resolve(s, 0, &pairs)
            } else {
                fire(s, &pairs)
            });
        }
    }
    let a = notifications(&routing, &posts, &[], t(0), t(200));
    let b = notifications(&routing, &posts, &[], t(0), t(200));
    assert!(a.len() > 5, "the storm pages: {}", a.len());
    assert_eq!(a, b);
    let text: Vec<String> = a.iter().map(|n| n.to_string()).collect();
    assert_eq!(text, b.iter().map(|n| n.to_string()).collect::<Vec<_>>());
}

//! The routing tree, receivers and timers of an `alertmanager.yml`, read
//! into the desk's [`Routing`] for [`desk::notify`]: who is paged when.
//!
//! Read as Alertmanager 0.25.0 reads them (`config/config.go`,
//! `dispatch/route.go`):
//!
//! - `route` is the root: it needs a `receiver` and may not have matchers,
//!   `continue` or time intervals. Each child under `routes` may have
//!   `matchers` (a list of matcher lists), the older `match` (label →
//!   value) and `match_re` (label → regex, anchored), `continue`, and its
//!   own `routes`.
//! - `receiver`, `group_by` and the three timers (`group_wait` 30s,
//!   `group_interval` 5m, `repeat_interval` 4h at the root unless set) are
//!   inherited from the parent when a route does not set them; an empty
//!   `group_by: []` counts as not set, as in Alertmanager. `group_interval`
//!   and `repeat_interval` may not be zero.
//! - `mute_time_intervals` and `active_time_intervals` are not inherited
//!   and must name an interval of `time_intervals` (or the older top-level
//!   `mute_time_intervals`), read by [`crate::time_interval`].
//! - Every receiver a route names must be defined; each `*_configs` entry of
//!   a receiver is one integration with its `send_resolved` (Alertmanager's
//!   default per kind: on for webhook, PagerDuty, Opsgenie…, off for e-mail,
//!   Slack, WeChat).
//! - `inhibit_rules` and `global.resolve_timeout` as [`crate::parse_config`]
//!   reads them.
//!
//! Unknown keys in a route or a receiver are refused, as Alertmanager's
//! strict YAML reading refuses them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use desk::notify::{Integration, Receiver, Route, Routing, TimeWindow, Timers};
use desk::{Matcher, GROUP_BY_ALL};
use serde_yaml_ng::{Mapping, Value};

use crate::matcher::AnchoredRegex;
use crate::{
    describe, get, mapping, parse_duration, parse_matchers, read_inhibit_rules,
    read_resolve_timeout, read_top, strings, valid_label_name, ConfigError,
};

const ROUTE_FIELDS: [&str; 12] = [
    "receiver",
    "group_by",
    "match",
    "match_re",
    "matchers",
    "continue",
    "routes",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "mute_time_intervals",
    "active_time_intervals",
];

/// The integrations Alertmanager 0.25 knows, with their `send_resolved`
/// default.
const INTEGRATIONS: [(&str, bool); 12] = [
    ("discord", true),
    ("email", false),
    ("opsgenie", true),
    ("pagerduty", true),
    ("pushover", true),
    ("slack", false),
    ("sns", true),
    ("telegram", true),
    ("victorops", true),
    ("webex", true),
    ("webhook", true),
    ("wechat", false),
];

/// Reads the notification side of an `alertmanager.yml` (see the module
/// documentation).
///
/// ```
/// let yaml = r#"
/// route:
///   receiver: team
///   group_by: [alertname]
///   group_wait: 10s
///   routes:
///     - matchers: ['severity="critical"']
///       receiver: pager
///       continue: true
///     - match_re: {service: 'db|cache'}
///       receiver: dba
///       group_interval: 1m
/// receivers:
///   - name: team
///     email_configs: [{to: team@example.org}]
///   - name: pager
///     webhook_configs: [{url: 'http://127.0.0.1:9/'}]
///   - name: dba
/// "#;
/// let r = desk_config::read_routing(yaml).unwrap();
/// assert_eq!(r.route.routes[1].timers.group_wait, chrono::TimeDelta::seconds(10));
/// assert_eq!(r.route.key(&[1]), r#"{}/{service=~"^(?:db|cache)$"}"#);
/// assert!(!r.receivers["team"].integrations[0].send_resolved);
/// let e = desk_config::read_routing("route: {receiver: x}").unwrap_err();
/// assert_eq!(e.to_string(), "route.receiver: `x` is not a receiver of `receivers`");
/// ```
pub fn read_routing(yaml: &str) -> Result<Routing, ConfigError> {
    let top = read_top(yaml)?;
    let resolve_timeout = read_resolve_timeout(&top)?;
    let inhibit_rules = read_inhibit_rules(&top)?;
    let receivers = read_receivers(&top)?;
    let time_intervals = crate::time_interval::read_time_intervals(&top)?;
    let Some(root) = get(&top, "route") else {
        return Err(ConfigError::new(
            "route",
            "no route: the root route is required",
        ));
    };
    let root_map = mapping(root, "route")?;
    for (key, problem) in [
        (
            "matchers",
            "the root route takes every alert: it cannot have matchers",
        ),
        (
            "match",
            "the root route takes every alert: it cannot have matchers",
        ),
        (
            "match_re",
            "the root route takes every alert: it cannot have matchers",
        ),
        (
            "mute_time_intervals",
            "the root route cannot have time intervals",
        ),
        (
            "active_time_intervals",
            "the root route cannot have time intervals",
        ),
    ] {
        if get(root_map, key).is_some_and(|v| !is_empty(v)) {
            return Err(ConfigError::new(format!("route.{key}"), problem));
        }
    }
    if get(root_map, "continue").and_then(Value::as_bool) == Some(true) {
        return Err(ConfigError::new(
            "route.continue",
            "the root route has no siblings: it cannot have continue",
        ));
    }
    if get(root_map, "receiver").is_none_or(is_empty) {
        return Err(ConfigError::new(
            "route.receiver",
            "the root route needs a receiver: it is where unmatched alerts go",
        ));
    }
    let parent = Route::root("", &[], Timers::default());
    let context = Context {
        receivers: &receivers,
        intervals: &time_intervals,
    };
    let route = read_route(root, "route", &parent, &context)?;
    Ok(Routing {
        route,
        receivers,
        inhibit_rules,
        time_intervals,
        resolve_timeout,
    })
}

struct Context<'a> {
    receivers: &'a BTreeMap<String, Receiver>,
    intervals: &'a BTreeMap<String, Arc<dyn TimeWindow>>,
}

pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Sequence(s) => s.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn duration(map: &Mapping, at: &str, key: &str) -> Result<Option<chrono::TimeDelta>, ConfigError> {
    match get(map, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_duration(s)
            .map(Some)
            .map_err(|e| ConfigError::new(format!("{at}.{key}"), e)),
        Some(other) => Err(ConfigError::new(
            format!("{at}.{key}"),
            format!(
                "expected a duration such as 30s or 5m, got {}",
                describe(other)
            ),
        )),
    }
}

fn label_map(map: &Mapping, at: &str, key: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let Some(v) = get(map, key) else {
        return Ok(Vec::new());
    };
    if matches!(v, Value::Null) {
        return Ok(Vec::new());
    }
    let m = mapping(v, &format!("{at}.{key}"))?;
    let mut out = Vec::new();
    for (k, v) in m {
        let (Some(k), Some(v)) = (k.as_str(), v.as_str()) else {
            return Err(ConfigError::new(
                format!("{at}.{key}"),
                "expected label names mapped to strings",
            ));
        };
        if !valid_label_name(k) {
            return Err(ConfigError::new(
                format!("{at}.{key}.{k}"),
                format!("`{k}` is not a label name"),
            ));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

fn route_matchers(map: &Mapping, at: &str) -> Result<Vec<Matcher>, ConfigError> {
    let mut out = Vec::new();
    for (name, value) in label_map(map, at, "match")? {
        out.push(Matcher::eq(&name, &value));
    }
    for (name, value) in label_map(map, at, "match_re")? {
        // Alertmanager anchors the regex when it reads the file and keeps the
        // anchored text as the matcher's value (it shows in the route key).
        let anchored = format!("^(?:{value})$");
        let re = AnchoredRegex::new(&anchored).map_err(|reason| {
            ConfigError::new(
                format!("{at}.match_re.{name}"),
                format!("`{value}` is not a valid regex ({reason})"),
            )
        })?;
        out.push(Matcher::regex(&name, &anchored, false, Arc::new(re)));
    }
    if let Some(v) = get(map, "matchers") {
        for (i, text) in strings(v, &format!("{at}.matchers"))?.iter().enumerate() {
            let list = parse_matchers(text)
                .map_err(|e| ConfigError::new(format!("{at}.matchers[{i}]"), e.to_string()))?;
            out.extend(list);
        }
    }
    Ok(out)
}

fn group_by(map: &Mapping, at: &str, parent: &[String]) -> Result<Vec<String>, ConfigError> {
    let Some(v) = get(map, "group_by") else {
        return Ok(parent.to_vec());
    };
    let names = strings(v, &format!("{at}.group_by"))?;
    if names.iter().any(|n| n == GROUP_BY_ALL) {
        if names.len() > 1 {
            return Err(ConfigError::new(
                format!("{at}.group_by"),
                "`...` (every label) cannot be combined with label names",
            ));
        }
        return Ok(names);
    }
    let mut seen = BTreeSet::new();
    for (i, n) in names.iter().enumerate() {
        if !valid_label_name(n) {
            return Err(ConfigError::new(
                format!("{at}.group_by[{i}]"),
                format!("`{n}` is not a label name"),
            ));
        }
        if !seen.insert(n) {
            return Err(ConfigError::new(
                format!("{at}.group_by[{i}]"),
                format!("`{n}` is listed twice"),
            ));
        }
    }
    // Alertmanager: an empty list is no list, and the parent's grouping holds.
    Ok(if names.is_empty() {
        parent.to_vec()
    } else {
        names
    })
}

fn interval_names(
    map: &Mapping,
    at: &str,
    key: &str,
    context: &Context<'_>,
) -> Result<Vec<String>, ConfigError> {
    let Some(v) = get(map, key) else {
        return Ok(Vec::new());
    };
    let names = strings(v, &format!("{at}.{key}"))?;
    if let Some((i, n)) = names
        .iter()
        .enumerate()
        .find(|(_, n)| !context.intervals.contains_key(*n))
    {
        return Err(ConfigError::new(
            format!("{at}.{key}[{i}]"),
            format!("`{n}` is not a time interval of `time_intervals` or `mute_time_intervals`"),
        ));
    }
    Ok(names)
}

fn read_route(
    v: &Value,
    at: &str,
    parent: &Route,
    context: &Context<'_>,
) -> Result<Route, ConfigError> {
    let map = mapping(v, at)?;
    for key in map.keys() {
        let Some(k) = key.as_str() else {
            return Err(ConfigError::new(at, "a field name must be a string"));
        };
        if !ROUTE_FIELDS.contains(&k) {
            return Err(ConfigError::new(
                format!("{at}.{k}"),
                format!("unknown field; a route has {}", ROUTE_FIELDS.join(", ")),
            ));
        }
    }
    let receiver = match get(map, "receiver") {
        None | Some(Value::Null) => parent.receiver.clone(),
        Some(Value::String(s)) if s.is_empty() => parent.receiver.clone(),
        Some(Value::String(s)) => {
            if !context.receivers.contains_key(s) {
                return Err(ConfigError::new(
                    format!("{at}.receiver"),
                    format!("`{s}` is not a receiver of `receivers`"),
                ));
            }
            s.clone()
        }
        Some(other) => {
            return Err(ConfigError::new(
                format!("{at}.receiver"),
                format!("expected a receiver's name, got {}", describe(other)),
            ))
        }
    };
    let continue_matching = match get(map, "continue") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(ConfigError::new(
                format!("{at}.continue"),
                format!("expected true or false, got {}", describe(other)),
            ))
        }
    };
    let mut timers = parent.timers;
    if let Some(d) = duration(map, at, "group_wait")? {
        timers.group_wait = d;
    }
    for (key, slot) in [
        ("group_interval", &mut timers.group_interval),
        ("repeat_interval", &mut timers.repeat_interval),
    ] {
        if let Some(d) = duration(map, at, key)? {
            if d.is_zero() {
                return Err(ConfigError::new(format!("{at}.{key}"), "cannot be zero"));
            }
            *slot = d;
        }
    }
    let mut route = Route {
        matchers: route_matchers(map, at)?,
        continue_matching,
        receiver,
        group_by: group_by(map, at, &parent.group_by)?,
        timers,
        mute_time_intervals: interval_names(map, at, "mute_time_intervals", context)?,
        active_time_intervals: interval_names(map, at, "active_time_intervals", context)?,
        routes: Vec::new(),
    };
    match get(map, "routes") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(children)) => {
            for (i, child) in children.iter().enumerate() {
                let child = read_route(child, &format!("{at}.routes[{i}]"), &route, context)?;
                route.routes.push(child);
            }
        }
        Some(other) => {
            return Err(ConfigError::new(
                format!("{at}.routes"),
                format!("expected a list of routes, got {}", describe(other)),
            ))
        }
    }
    Ok(route)
}

fn read_receivers(top: &Mapping) -> Result<BTreeMap<String, Receiver>, ConfigError> {
    let mut out = BTreeMap::new();
    let list = match get(top, "receivers") {
        None | Some(Value::Null) => return Ok(out),
        Some(Value::Sequence(s)) => s,
        Some(other) => {
            return Err(ConfigError::new(
                "receivers",
                format!("expected a list of receivers, got {}", describe(other)),
            ))
        }
    };
    for (i, r) in list.iter().enumerate() {
        let at = format!("receivers[{i}]");
        let map = mapping(r, &at)?;
        let name = match get(map, "name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                return Err(ConfigError::new(
                    format!("{at}.name"),
                    "a receiver needs a name",
                ))
            }
        };
        let mut integrations = Vec::new();
        for (key, value) in map {
            let Some(k) = key.as_str() else {
                return Err(ConfigError::new(&at, "a field name must be a string"));
            };
            if k == "name" {
                continue;
            }
            let kind = k.strip_suffix("_configs").unwrap_or(k);
            let Some((_, default)) = INTEGRATIONS.iter().find(|(n, _)| *n == kind) else {
                return Err(ConfigError::new(
                    format!("{at}.{k}"),
                    "unknown field; a receiver has a name and *_configs lists (webhook_configs, email_configs…)",
                ));
            };
            if !k.ends_with("_configs") {
                return Err(ConfigError::new(
                    format!("{at}.{k}"),
                    format!("unknown field; did you mean {k}_configs?"),
                ));
            }
            let items = match value {
                Value::Null => continue,
                Value::Sequence(s) => s,
                other => {
                    return Err(ConfigError::new(
                        format!("{at}.{k}"),
                        format!("expected a list, got {}", describe(other)),
                    ))
                }
            };
            for (j, item) in items.iter().enumerate() {
                let item_at = format!("{at}.{k}[{j}]");
                let item = mapping(item, &item_at)?;
                let send_resolved = match get(item, "send_resolved") {
                    None | Some(Value::Null) => *default,
                    Some(Value::Bool(b)) => *b,
                    Some(other) => {
                        return Err(ConfigError::new(
                            format!("{item_at}.send_resolved"),
                            format!("expected true or false, got {}", describe(other)),
                        ))
                    }
                };
                integrations.push(Integration {
                    kind: kind.to_string(),
                    send_resolved,
                });
            }
        }
        if out.contains_key(&name) {
            return Err(ConfigError::new(
                format!("{at}.name"),
                format!("`{name}` names two receivers"),
            ));
        }
        out.insert(name.clone(), Receiver { name, integrations });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(yaml: &str) -> String {
        read_routing(yaml).unwrap_err().to_string()
    }

    const RECEIVERS: &str = "receivers: [{name: a}, {name: b}, {name: c}]\n";

    #[test]
    fn children_inherit_what_they_do_not_set() {
        let r = read_routing(&format!(
            "{RECEIVERS}route:\n  receiver: a\n  group_by: [x]\n  repeat_interval: 1h\n  routes:\n    - matchers: [y=1]\n      group_wait: 5s\n      group_by: []\n      routes:\n        - {{receiver: b, group_by: ['...']}}\n    - {{receiver: c, match: {{z: '2'}}}}\n"
        ))
        .unwrap();
        let root = &r.route;
        assert_eq!(
            root.timers,
            Timers {
                repeat_interval: chrono::TimeDelta::hours(1),
                ..Timers::default()
            }
        );
        let child = &root.routes[0];
        assert_eq!(child.receiver, "a");
        assert_eq!(child.group_by, vec!["x"], "an empty group_by inherits");
        assert_eq!(child.timers.group_wait, chrono::TimeDelta::seconds(5));
        assert_eq!(child.timers.repeat_interval, chrono::TimeDelta::hours(1));
        let grandchild = &child.routes[0];
        assert_eq!(grandchild.group_by, vec!["..."]);
        assert_eq!(grandchild.timers.group_wait, chrono::TimeDelta::seconds(5));
        assert_eq!(root.key(&[0, 0]), r#"{}/{y="1"}/{}"#);
        assert_eq!(root.key(&[1]), r#"{}/{z="2"}"#);
    }

    #[test]
    fn bad_trees_name_the_route_and_field() {
        assert_eq!(
            err(RECEIVERS),
            "route: no route: the root route is required"
        );
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, matchers: [x=1]}}"
        ))
        .starts_with("route.matchers: the root route"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, continue: true}}"
        ))
        .starts_with("route.continue:"));
        assert!(err(&format!("{RECEIVERS}route: {{group_by: [x]}}"))
            .starts_with("route.receiver: the root route needs a receiver"));
        assert_eq!(
            err(&format!(
                "{RECEIVERS}route: {{receiver: a, routes: [{{receiver: a}}, {{receiver: d}}]}}"
            )),
            "route.routes[1].receiver: `d` is not a receiver of `receivers`"
        );
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, routes: [{{matchers: ['x=~\"(\"']}}]}}"
        ))
        .starts_with("route.routes[0].matchers[0]: `x=~\"(\"`: not a valid regex"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, routes: [{{match_re: {{x: '('}}}}]}}"
        ))
        .starts_with("route.routes[0].match_re.x: `(` is not a valid regex"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, routes: [{{match: {{1x: a}}}}]}}"
        ))
        .starts_with("route.routes[0].match.1x: `1x` is not a label name"));
        assert_eq!(
            err(&format!(
                "{RECEIVERS}route: {{receiver: a, group_interval: 0s}}"
            )),
            "route.group_interval: cannot be zero"
        );
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, group_wait: soon}}"
        ))
        .starts_with("route.group_wait: `soon` is not a duration"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, group_by: [x, x]}}"
        ))
        .starts_with("route.group_by[1]: `x` is listed twice"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, routes: [{{recever: b}}]}}"
        ))
        .starts_with("route.routes[0].recever: unknown field"));
        assert!(err(&format!(
            "{RECEIVERS}route: {{receiver: a, routes: [{{mute_time_intervals: [night]}}]}}"
        ))
        .starts_with("route.routes[0].mute_time_intervals[0]: `night` is not a time interval"));
        assert!(
            err("receivers: [{name: a, pager_configs: []}]\nroute: {receiver: a}")
                .starts_with("receivers[0].pager_configs: unknown field")
        );
        assert!(
            err("receivers: [{name: a}, {name: a}]\nroute: {receiver: a}")
                .starts_with("receivers[1].name: `a` names two receivers")
        );
    }

    #[test]
    fn send_resolved_defaults_per_kind() {
        let r = read_routing(
            "route: {receiver: a}\nreceivers:\n  - name: a\n    webhook_configs: [{url: x}, {url: y, send_resolved: false}]\n    slack_configs: [{channel: z}]\n",
        )
        .unwrap();
        let got: Vec<(String, bool)> = r.receivers["a"]
            .integrations
            .iter()
            .map(|i| (i.kind.clone(), i.send_resolved))
            .collect();
        assert_eq!(
            got,
            vec![
                ("webhook".to_string(), true),
                ("webhook".to_string(), false),
                ("slack".to_string(), false)
            ]
        );
    }
}

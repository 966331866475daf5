//! # desk-config — the desk's correlation, configured the way Alertmanager is
//!
//! On call, nobody writes a [`CorrelationConfig`] in Rust: the grouping and
//! inhibition rules already live in the team's `alertmanager.yml`. This crate
//! reads the part of that file the desk models —
//!
//! ```yaml
//! global:
//!   resolve_timeout: 5m          # how long an alert without endsAt stays firing
//! route:
//!   receiver: on-call
//!   group_by: [cluster, service] # or ['...']: every label
//! inhibit_rules:
//!   - source_matchers: ['severity="critical"']
//!     target_matchers: ['severity=~"warning|info"']
//!     equal: [cluster, service]
//! ```
//!
//! — into the desk's types, with Alertmanager's meaning for each field:
//!
//! - a matcher is `name op value` with `op` one of `=`, `!=`, `=~`, `!~`; the
//!   value may be quoted (`"…"`, with `\"`, `\\` and `\n` escapes) or bare;
//! - a regex matches the **whole** label value: `service=~"chat"` is compiled
//!   as `^(?:chat)$`, so it does not match `chat-api` (write `chat.*`);
//! - `group_by: ['...']` means every label and cannot be mixed with names;
//! - child `routes` are refused rather than ignored by [`parse_config`]: the
//!   correlation groups the way the top-level route does, and a config whose
//!   alerts would take other routes would be grouped differently by the real
//!   Alertmanager.
//!
//! [`parse_config`] reads past everything else (receivers, templates,
//! timings). A bad file gets a [`ConfigError`] naming the rule and the field,
//! and saying whether Alertmanager refuses it too or the desk does not model
//! it ([`ConfigErrorKind`]).
//!
//! ## Who is paged when
//!
//! [`read_routing`] reads the notification side of the same file for
//! [`desk::notify`]: the whole route tree (nested `routes`, `continue`,
//! `matchers`, `match`, `match_re`, `group_by`, `group_wait`,
//! `group_interval`, `repeat_interval`, with Alertmanager's inheritance),
//! the receivers and each integration's `send_resolved`, `time_intervals`
//! for `mute_time_intervals` / `active_time_intervals` ([`time_interval`]),
//! inhibition and `resolve_timeout`. The reference is Alertmanager 0.25.0;
//! `tests/notifications.rs` compares `desk::notify`'s notifications with the
//! real binary's, one by one, on 33 seeded storms (what is modelled and what
//! is not is listed in [`desk::notify`]).
//!
//! Why a crate of its own: YAML and regex engines are the heaviest things the
//! desk could depend on, and the `desk` crate is rebuilt in the learner's
//! edit → result loop of M32. Here they are compiled only by staff tools and
//! tests. The desk sees a regex only as a [`desk::ValuePattern`].
//!
//! The crate's differential test (`tests/alertmanager.rs`) runs the real
//! Alertmanager on seeded storms and checks that the desk agrees with it on
//! every fingerprint, group and muted alert.

use std::fmt;

use chrono::TimeDelta;
use desk::{CorrelationConfig, InhibitRule, Matcher, GROUP_BY_ALL};
use serde_yaml_ng::{Mapping, Value};

mod duration;
pub mod go_regex;
mod matcher;
pub mod routing;
pub mod time_interval;

pub use duration::{read_duration, DurationError};
pub use matcher::{parse_matcher, parse_matchers, read_matcher, AnchoredRegex, MatcherError};
pub use routing::read_routing;

/// What was wrong with an `alertmanager.yml`, and where.
///
/// ```text
/// inhibit_rules[1].target_matchers[0]: `service=~"chat("`: not a valid regex (…)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: `route.group_by`, `inhibit_rules[1].equal`, `global.resolve_timeout`…
    pub at: String,
    /// What is wrong, in words.
    pub problem: String,
    /// Whether Alertmanager would refuse the file too.
    pub kind: ConfigErrorKind,
}

/// Whose "no" a [`ConfigError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The file is wrong: Alertmanager refuses it as well.
    Invalid,
    /// Alertmanager accepts the setting, but the desk does not model it and
    /// refuses rather than answer differently.
    NotModelled,
}

impl ConfigError {
    fn new(at: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            at: at.into(),
            problem: problem.into(),
            kind: ConfigErrorKind::Invalid,
        }
    }

    fn not_modelled(at: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            kind: ConfigErrorKind::NotModelled,
            ..Self::new(at, problem)
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.at, self.problem)
        }
    }
}

impl std::error::Error for ConfigError {}

/// The routing and inhibition part of an `alertmanager.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertmanagerConfig {
    /// The top-level route's `group_by` (`["..."]` for every label).
    pub group_by: Vec<String>,
    /// The inhibition rules, in file order.
    pub inhibit_rules: Vec<InhibitRule>,
    /// `global.resolve_timeout` (5 minutes unless set).
    pub resolve_timeout: TimeDelta,
}

impl AlertmanagerConfig {
    /// The desk's correlation with this file's grouping and inhibition, and
    /// `base`'s topology and time window (the AIOps layer Alertmanager does
    /// not have).
    pub fn correlation(&self, base: CorrelationConfig) -> CorrelationConfig {
        CorrelationConfig {
            group_by: self.group_by.clone(),
            inhibit_rules: self.inhibit_rules.clone(),
            ..base
        }
    }
}

fn valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Prometheus duration: `30s`, `5m`, `1h30m`, `2d`, `1w`, `500ms` — units
/// largest first, each at most once (`30m1h` and `5m5m` are refused, as
/// Prometheus and Alertmanager refuse them). The error is a
/// [`DurationError`]'s text ([`read_duration`] gives it typed).
pub fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    read_duration(text).map_err(|e| e.to_string())
}

fn get<'a>(map: &'a Mapping, key: &str) -> Option<&'a Value> {
    map.get(Value::String(key.to_string()))
}

fn strings(value: &Value, at: &str) -> Result<Vec<String>, ConfigError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(ConfigError::new(
                    format!("{at}[{i}]"),
                    format!("expected a string, got {}", describe(other)),
                )),
            })
            .collect(),
        other => Err(ConfigError::new(
            at,
            format!("expected a list of strings, got {}", describe(other)),
        )),
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn mapping<'a>(v: &'a Value, at: &str) -> Result<&'a Mapping, ConfigError> {
    v.as_mapping()
        .ok_or_else(|| ConfigError::new(at, format!("expected a mapping, got {}", describe(v))))
}

fn matchers(rule: &Mapping, at: &str, field: &str) -> Result<Vec<Matcher>, ConfigError> {
    let Some(v) = get(rule, field) else {
        return Ok(Vec::new());
    };
    let texts = strings(v, &format!("{at}.{field}"))?;
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let list = parse_matchers(t)
            .map_err(|e| ConfigError::new(format!("{at}.{field}[{i}]"), e.to_string()))?;
        out.extend(list);
    }
    Ok(out)
}

const RULE_FIELDS: [&str; 3] = ["source_matchers", "target_matchers", "equal"];
const OLD_RULE_FIELDS: [&str; 4] = [
    "source_match",
    "source_match_re",
    "target_match",
    "target_match_re",
];

fn inhibit_rule(v: &Value, at: &str) -> Result<InhibitRule, ConfigError> {
    let rule = mapping(v, at)?;
    for key in rule.keys() {
        let Some(k) = key.as_str() else {
            return Err(ConfigError::new(at, "a field name must be a string"));
        };
        if OLD_RULE_FIELDS.contains(&k) {
            return Err(ConfigError::not_modelled(
                format!("{at}.{k}"),
                "the old map form is not read; write it as source_matchers / target_matchers (e.g. ['severity=\"critical\"'])",
            ));
        }
        if !RULE_FIELDS.contains(&k) {
            return Err(ConfigError::new(
                format!("{at}.{k}"),
                format!(
                    "unknown field; an inhibit rule has {}",
                    RULE_FIELDS.join(", ")
                ),
            ));
        }
    }
    let equal = match get(rule, "equal") {
        Some(v) => strings(v, &format!("{at}.equal"))?,
        None => Vec::new(),
    };
    if let Some((i, bad)) = equal.iter().enumerate().find(|(_, n)| !valid_label_name(n)) {
        return Err(ConfigError::new(
            format!("{at}.equal[{i}]"),
            format!("`{bad}` is not a label name"),
        ));
    }
    Ok(InhibitRule {
        source: matchers(rule, at, "source_matchers")?,
        target: matchers(rule, at, "target_matchers")?,
        equal,
    })
}

/// `global.resolve_timeout`, or Alertmanager's 5 minutes.
fn read_resolve_timeout(top: &Mapping) -> Result<TimeDelta, ConfigError> {
    Ok(
        match get(top, "global")
            .map(|g| mapping(g, "global"))
            .transpose()?
        {
            Some(g) => match get(g, "resolve_timeout") {
                Some(Value::String(s)) => {
                    parse_duration(s).map_err(|e| ConfigError::new("global.resolve_timeout", e))?
                }
                Some(other) => {
                    return Err(ConfigError::new(
                        "global.resolve_timeout",
                        format!("expected a duration such as 5m, got {}", describe(other)),
                    ))
                }
                None => desk::alert::DEFAULT_RESOLVE_TIMEOUT,
            },
            None => desk::alert::DEFAULT_RESOLVE_TIMEOUT,
        },
    )
}

/// The `inhibit_rules`, in file order.
fn read_inhibit_rules(top: &Mapping) -> Result<Vec<InhibitRule>, ConfigError> {
    Ok(match get(top, "inhibit_rules") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(rules)) => rules
            .iter()
            .enumerate()
            .map(|(i, r)| inhibit_rule(r, &format!("inhibit_rules[{i}]")))
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(ConfigError::new(
                "inhibit_rules",
                format!("expected a list of rules, got {}", describe(other)),
            ))
        }
    })
}

/// Reads an `alertmanager.yml` into a mapping (an empty file is an empty one).
fn read_top(yaml: &str) -> Result<Mapping, ConfigError> {
    let doc: Value = serde_yaml_ng::from_str(yaml)
        .map_err(|e| ConfigError::new("", format!("not valid YAML: {e}")))?;
    match doc {
        Value::Null => Ok(Mapping::new()),
        v => mapping(&v, "the file").cloned(),
    }
}

/// Reads the routing and inhibition part of an `alertmanager.yml`.
///
/// ```
/// let yaml = r#"
/// route: {receiver: x, group_by: ['...']}
/// inhibit_rules:
///   - source_matchers: ['severity="critical"']
///     target_matchers: ['severity=~"warning|info"']
///     equal: [service]
/// "#;
/// let c = desk_config::parse_config(yaml).unwrap();
/// assert_eq!(c.group_by, vec!["..."]);
/// let e = desk_config::parse_config("inhibit_rules: [{equal: [1st]}]").unwrap_err();
/// assert_eq!(e.to_string(), "inhibit_rules[0].equal[0]: `1st` is not a label name");
/// ```
pub fn parse_config(yaml: &str) -> Result<AlertmanagerConfig, ConfigError> {
    let top = &read_top(yaml)?;
    let resolve_timeout = read_resolve_timeout(top)?;
    let mut group_by = Vec::new();
    if let Some(route) = get(top, "route") {
        let route = mapping(route, "route")?;
        if let Some(v) = get(route, "group_by") {
            group_by = strings(v, "route.group_by")?;
        }
        if group_by.iter().any(|n| n == GROUP_BY_ALL) && group_by.len() > 1 {
            return Err(ConfigError::new(
                "route.group_by",
                "`...` (every label) cannot be combined with label names",
            ));
        }
        if let Some((i, bad)) = group_by
            .iter()
            .enumerate()
            .find(|(_, n)| *n != GROUP_BY_ALL && !valid_label_name(n))
        {
            return Err(ConfigError::new(
                format!("route.group_by[{i}]"),
                format!("`{bad}` is not a label name"),
            ));
        }
        match get(route, "routes") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(s)) if s.is_empty() => {}
            Some(_) => {
                return Err(ConfigError::not_modelled(
                    "route.routes",
                    "child routes are not modelled by the correlation, which groups as the top-level route does (desk_config::read_routing reads the whole tree for notifications)",
                ))
            }
        }
    }
    let inhibit_rules = read_inhibit_rules(top)?;
    Ok(AlertmanagerConfig {
        group_by,
        inhibit_rules,
        resolve_timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(labels: &[(&str, &str)]) -> desk::Alert {
        let mut a = desk::Alert::new(
            "A",
            "s",
            desk::Severity::Info,
            labkit::SimClock::course_epoch(),
        );
        for (k, v) in labels {
            a = a.with_label(k, v);
        }
        a
    }

    #[test]
    fn regexes_are_anchored_like_alertmanagers() {
        let m = parse_matcher(r#"service=~"chat""#).unwrap();
        assert!(m.matches(&alert(&[("service", "chat")])));
        assert!(
            !m.matches(&alert(&[("service", "chat-api")])),
            "whole value only"
        );
        let m = parse_matcher(r#"service=~"a|b""#).unwrap();
        assert!(
            m.matches(&alert(&[("service", "b")])),
            "the alternation is grouped"
        );
        assert!(!m.matches(&alert(&[("service", "xb")])));
        let m = parse_matcher(r#"team!~"sea.*""#).unwrap();
        assert!(
            m.matches(&alert(&[])),
            "a missing label is \"\", which does not match sea.*"
        );
        assert!(!m.matches(&alert(&[("team", "search")])));
        let m = parse_matcher(r#"team=~".*""#).unwrap();
        assert!(
            m.matches(&alert(&[])),
            ".* matches the empty value of a missing label"
        );
    }

    #[test]
    fn matcher_values_unquote_like_alertmanagers() {
        let m = parse_matcher(r#"  a = "x\"y\\z"  "#).unwrap();
        assert_eq!(m.value, "x\"y\\z");
        assert_eq!(parse_matcher("a=bare").unwrap().value, "bare");
        assert_eq!(parse_matcher(r#"a="""#).unwrap().value, "");
        assert!(parse_matcher(r#"a="x"#).unwrap_err().contains("no closing"));
        assert!(parse_matcher(r#"a="x"y""#)
            .unwrap_err()
            .contains("unescaped"));
        assert!(parse_matcher("1a=x").is_err());
        assert!(parse_matcher("a~x").unwrap_err().contains("operators"));
        assert!(parse_matcher(r#"a=~"(""#)
            .unwrap_err()
            .contains("not a valid regex"));
    }

    #[test]
    fn durations_read_like_prometheus() {
        assert_eq!(parse_duration("5m"), Ok(TimeDelta::minutes(5)));
        assert_eq!(parse_duration("1h30m"), Ok(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("250ms"), Ok(TimeDelta::milliseconds(250)));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("five minutes").is_err());
    }

    #[test]
    fn bad_configs_name_the_rule_and_field() {
        let err = |y: &str| parse_config(y).unwrap_err().to_string();
        assert_eq!(
            err("route: {group_by: ['...', cluster]}"),
            "route.group_by: `...` (every label) cannot be combined with label names"
        );
        assert!(err("route: {routes: [{receiver: a}]}").starts_with("route.routes: child routes"));
        assert!(err(
            "inhibit_rules:\n  - source_matchers: ['a=\"b\"']\n  - target_matchers: ['a=\"b\"', 'c=~\"(\"']"
        )
        .starts_with("inhibit_rules[1].target_matchers[1]: `c=~\"(\"`: not a valid regex"));
        assert!(err("inhibit_rules: [{source_match: {a: b}}]")
            .starts_with("inhibit_rules[0].source_match: the old map form"));
        assert!(err("inhibit_rules: [{sauce_matchers: []}]")
            .starts_with("inhibit_rules[0].sauce_matchers: unknown field"));
        assert!(err("inhibit_rules: [{equal: cluster}]")
            .starts_with("inhibit_rules[0].equal: expected a list of strings"));
        assert!(err("global: {resolve_timeout: soon}").starts_with("global.resolve_timeout:"));
        assert!(err("route: [").starts_with("not valid YAML"));
    }

    #[test]
    fn a_whole_file_reads_past_what_the_desk_does_not_model() {
        let c = parse_config(
            r#"
global:
  resolve_timeout: 2m
  smtp_from: a@b
route:
  receiver: on-call
  group_wait: 30s
  group_by: [cluster, service]
receivers:
  - name: on-call
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity!="critical"', 'service=~"chat.*|gateway"']
    equal: [cluster]
"#,
        )
        .unwrap();
        assert_eq!(c.resolve_timeout, TimeDelta::minutes(2));
        assert_eq!(c.group_by, vec!["cluster", "service"]);
        assert_eq!(
            c.inhibit_rules[0].describe(),
            r#"{severity="critical"} mutes {severity!="critical", service=~"chat.*|gateway"} when cluster agree"#
        );
        assert_eq!(
            parse_config("").unwrap().resolve_timeout,
            TimeDelta::minutes(5)
        );
    }
}

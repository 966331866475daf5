//! The disagreements with Alertmanager 0.25 (Debian's `prometheus-alertmanager`)
//! that the SRE review of issue 20 found in matcher and duration syntax, each
//! written as the reference answers it (its `pkg/labels` parser, Go's RE2 and
//! `prometheus/common` `model.ParseDuration` v0.38). The differential test
//! (`tests/alertmanager.rs`) asks the real binary the same questions through
//! generated configs.

use chrono::TimeDelta;
use desk_config::{parse_config, parse_duration, parse_matcher, parse_matchers, MatcherError};

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
fn perl_classes_are_ascii_as_in_go() {
    let m = parse_matcher(r#"team=~"\w+""#).unwrap();
    assert!(m.matches(&alert(&[("team", "search")])));
    assert!(
        !m.matches(&alert(&[("team", "café")])),
        "Go's \\w is [0-9A-Za-z_]: é is not a word character"
    );
    let d = parse_matcher(r#"n=~"\d+""#).unwrap();
    assert!(d.matches(&alert(&[("n", "42")])));
    assert!(!d.matches(&alert(&[("n", "٤٢")])), "Arabic-Indic digits");
    let s = parse_matcher(r#"v=~"a\sb""#).unwrap();
    assert!(s.matches(&alert(&[("v", "a b")])));
    assert!(!s.matches(&alert(&[("v", "a\u{a0}b")])), "no-break space");
    assert!(
        !s.matches(&alert(&[("v", "a\u{b}b")])),
        "Go's \\s has no vertical tab"
    );
    // Negated classes and classes inside brackets.
    let nw = parse_matcher(r#"v=~"\W""#).unwrap();
    assert!(nw.matches(&alert(&[("v", "é")])), "é is \\W in Go");
    let cls = parse_matcher(r#"v=~"[\w.]+""#).unwrap();
    assert!(cls.matches(&alert(&[("v", "a.b")])));
    assert!(!cls.matches(&alert(&[("v", "é")])));
    let neg = parse_matcher(r#"v=~"[^\d]+""#).unwrap();
    assert!(neg.matches(&alert(&[("v", "x")])));
    assert!(!neg.matches(&alert(&[("v", "7")])));
    // Unicode classes stay Unicode, and `.` is any character.
    assert!(parse_matcher(r#"v=~"\pL+""#)
        .unwrap()
        .matches(&alert(&[("v", "café")])));
    assert!(parse_matcher(r#"v=~"caf.""#)
        .unwrap()
        .matches(&alert(&[("v", "café")])));
    // An escaped backslash is not a class.
    assert!(parse_matcher(r#"v=~"a\\\\w""#)
        .unwrap()
        .matches(&alert(&[("v", r"a\w")])));
    // \Q…\E quotes, as RE2 does.
    assert!(parse_matcher(r#"v=~"\\Q.*\\E""#)
        .unwrap()
        .matches(&alert(&[("v", ".*")])));
}

#[test]
fn word_boundaries_are_ascii_as_in_go() {
    // In Go, é is not a word character, so `é` then end has no boundary
    // after it, and `f` then `é` has one.
    let after_f = parse_matcher(r#"v=~"caf\bé""#).unwrap();
    assert!(after_f.matches(&alert(&[("v", "café")])));
    let at_end = parse_matcher(r#"v=~"café\b""#).unwrap();
    assert!(!at_end.matches(&alert(&[("v", "café")])));
}

#[test]
fn a_comma_separates_matchers_as_alertmanager_reads_a_list() {
    let ms = parse_matchers("probe=p5,team=search").unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].to_string(), r#"probe="p5""#);
    assert_eq!(ms[1].to_string(), r#"team="search""#);
    // One matcher alone keeps the comma in its value (ParseMatcher).
    assert_eq!(
        parse_matcher("probe=p5,team=search").unwrap().value,
        "p5,team=search"
    );
    // In a config, each list item is such a list.
    let c = parse_config(
        "inhibit_rules:\n  - source_matchers: ['probe=p5,team=search']\n    target_matchers: ['{a=\"b\", c=~\"d|e\", }']\n",
    )
    .unwrap();
    assert_eq!(c.inhibit_rules[0].source.len(), 2);
    let target: Vec<String> = c.inhibit_rules[0]
        .target
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(target, [r#"a="b""#, r#"c=~"d|e""#]);
}

#[test]
fn brace_and_quoted_lists_parse_as_alertmanager_does() {
    let ms = parse_matchers(r#"{foo = "bar", dings != "bums", }"#).unwrap();
    assert_eq!(
        ms.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [r#"foo="bar""#, r#"dings!="bums""#]
    );
    let ms = parse_matchers(r#"{quote="She said: \"Hi, all\"", x=~"5.."}"#).unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].value, r#"She said: "Hi, all""#);
    assert!(
        parse_matchers("").unwrap().is_empty(),
        "nothing is no matcher"
    );
    assert!(parse_matchers("{}").unwrap().is_empty());
    assert_eq!(
        parse_matchers("a=b,,c=d").unwrap_err(),
        MatcherError::Empty {
            list: "a=b,,c=d".into(),
            index: 1
        }
    );
    assert!(matches!(
        parse_matchers(r#"a="b"c"#).unwrap_err(),
        MatcherError::UnescapedQuote { .. }
    ));
    assert!(matches!(
        parse_matchers("a~b").unwrap_err(),
        MatcherError::NoOperator { .. }
    ));
    assert!(matches!(
        parse_matchers(r#"a=~"(""#).unwrap_err(),
        MatcherError::BadRegex { .. }
    ));
    let e = parse_config("inhibit_rules: [{target_matchers: ['a=b', 'c=d,,e=f']}]").unwrap_err();
    assert_eq!(e.at, "inhibit_rules[0].target_matchers[1]");
}

#[test]
fn durations_are_prometheus_model_durations() {
    for bad in [
        "30m1h", "5m5m", "1s1m", "1ms1s", "", "5", "1.5h", " 5m", "-5m", "5M",
    ] {
        assert!(parse_duration(bad).is_err(), "{bad:?} must be refused");
    }
    for (good, want) in [
        ("0", TimeDelta::zero()),
        ("1h30m", TimeDelta::minutes(90)),
        ("1y2w3d4h5m6s7ms", {
            TimeDelta::days(365 + 14 + 3)
                + TimeDelta::hours(4)
                + TimeDelta::minutes(5)
                + TimeDelta::seconds(6)
                + TimeDelta::milliseconds(7)
        }),
        ("90m", TimeDelta::minutes(90)),
        ("0s", TimeDelta::zero()),
    ] {
        assert_eq!(parse_duration(good), Ok(want), "{good}");
    }
    assert!(
        parse_duration("300y").is_err(),
        "beyond Go's ~292 years of nanoseconds"
    );
    assert!(parse_duration("292y").is_ok());
}

//! Time intervals: the named windows of `time_intervals` (and the older
//! top-level `mute_time_intervals`, read the same way) that routes refer to
//! in `mute_time_intervals` and `active_time_intervals`.
//!
//! Read as Alertmanager 0.25.0's `timeinterval` package reads them:
//!
//! ```yaml
//! time_intervals:
//!   - name: nights
//!     time_intervals:            # the window is the union of these
//!       - times: [{start_time: '18:00', end_time: '24:00'}]  # end excluded
//!         weekdays: ['monday:friday']                        # ranges included
//!         days_of_month: ['1:7', '-1']                       # -1: the last day
//!         months: ['january:march', '12']
//!         years: ['2026:2027']
//! ```
//!
//! Each part holds only when every field it sets holds; a field left out
//! allows everything. Weekday and month names are lowercase-insensitive,
//! `HH:MM` runs from `00:00` to `24:00`, and negative days count from the
//! month's end (clamped to the month, as Alertmanager clamps them).
//!
//! Not modelled, and refused with a [`ConfigErrorKind::NotModelled`]
//! error naming the key: a `location` other than `UTC` (the desk carries no
//! time-zone database) and an empty list for a field (whose meaning differs
//! between YAML readers).
//!
//! [`ConfigErrorKind::NotModelled`]: crate::ConfigErrorKind::NotModelled

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use desk::notify::TimeWindow;
use serde_yaml_ng::{Mapping, Value};

use crate::{describe, get, mapping, strings, ConfigError};

/// A named time interval: the union of its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeInterval {
    /// The parts; the interval holds when any does.
    pub parts: Vec<Part>,
}

/// One entry of a time interval's list: every field it sets must hold.
/// `None` is a field left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    /// Minutes of the day, `[start, end)`.
    pub times: Option<Vec<(u32, u32)>>,
    /// Weekdays from Sunday = 0, inclusive ranges.
    pub weekdays: Option<Vec<(u32, u32)>>,
    /// Days of the month, inclusive; negative counts from the end.
    pub days_of_month: Option<Vec<(i32, i32)>>,
    /// Months from January = 1, inclusive.
    pub months: Option<Vec<(u32, u32)>>,
    /// Years, inclusive.
    pub years: Option<Vec<(i32, i32)>>,
}

fn days_in_month(t: DateTime<Utc>) -> i32 {
    let first = NaiveDate::from_ymd_opt(t.year(), t.month(), 1);
    let next = if t.month() == 12 {
        NaiveDate::from_ymd_opt(t.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(t.year(), t.month() + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => i32::try_from((b - a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

impl Part {
    /// `true` when `at` (UTC) satisfies every field set.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let minute = at.hour() * 60 + at.minute();
        let times = self
            .times
            .as_ref()
            .is_none_or(|rs| rs.iter().any(|(s, e)| minute >= *s && minute < *e));
        let days = self.days_of_month.as_ref().is_none_or(|rs| {
            let n = days_in_month(at);
            let day = i32::try_from(at.day()).unwrap_or(0);
            rs.iter().any(|(b, e)| {
                let begin = if *b < 0 { n + b + 1 } else { *b };
                let end = if *e < 0 { n + e + 1 } else { *e };
                begin <= n && day >= begin.clamp(-n, n) && day <= end.clamp(-n, n)
            })
        });
        let in_u32 = |rs: &Option<Vec<(u32, u32)>>, v: u32| {
            rs.as_ref()
                .is_none_or(|rs| rs.iter().any(|(b, e)| v >= *b && v <= *e))
        };
        let years = self
            .years
            .as_ref()
            .is_none_or(|rs| rs.iter().any(|(b, e)| at.year() >= *b && at.year() <= *e));
        times
            && days
            && in_u32(&self.months, at.month())
            && in_u32(&self.weekdays, at.weekday().num_days_from_sunday())
            && years
    }
}

impl TimeWindow for TimeInterval {
    fn contains(&self, at: DateTime<Utc>) -> bool {
        self.parts.iter().any(|p| p.contains(at))
    }
}

const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `a:b` or `a`, each side read by `member`.
fn range<T: Copy>(text: &str, member: impl Fn(&str) -> Option<T>) -> Option<(T, T)> {
    let lower = text.to_lowercase();
    match lower.split_once(':') {
        Some((a, b)) if !b.contains(':') => Some((member(a)?, member(b)?)),
        Some(_) => None,
        None => member(&lower).map(|v| (v, v)),
    }
}

fn minute_of_day(text: &str) -> Option<u32> {
    if text == "24:00" {
        return Some(24 * 60);
    }
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn field_list(part: &Mapping, at: &str, key: &str) -> Result<Option<Vec<String>>, ConfigError> {
    match get(part, key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let list = strings(v, &format!("{at}.{key}"))?;
            if list.is_empty() {
                return Err(ConfigError::not_modelled(
                    format!("{at}.{key}"),
                    "an empty list is not modelled: leave the field out to allow every value",
                ));
            }
            Ok(Some(list))
        }
    }
}

fn read_part(v: &Value, at: &str) -> Result<Part, ConfigError> {
    let map = mapping(v, at)?;
    const FIELDS: [&str; 6] = [
        "times",
        "weekdays",
        "days_of_month",
        "months",
        "years",
        "location",
    ];
    for key in map.keys() {
        let k = key.as_str().unwrap_or("?");
        if !FIELDS.contains(&k) {
            return Err(ConfigError::new(
                format!("{at}.{k}"),
                format!("unknown field; a time interval has {}", FIELDS.join(", ")),
            ));
        }
    }
    match get(map, "location") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "UTC" => {}
        Some(other) => {
            return Err(ConfigError::not_modelled(
                format!("{at}.location"),
                format!(
                    "only UTC is modelled (the desk has no time-zone database), got {}",
                    other
                        .as_str()
                        .map_or_else(|| describe(other).to_string(), |s| format!("`{s}`"))
                ),
            ))
        }
    }
    let bad = |key: &str, i: usize, text: &str, what: &str| {
        ConfigError::new(
            format!("{at}.{key}[{i}]"),
            format!("`{text}` is not {what}"),
        )
    };
    let mut part = Part::default();
    if let Some(v) = get(map, "times").filter(|v| !matches!(v, Value::Null)) {
        let Value::Sequence(items) = v else {
            return Err(ConfigError::new(
                format!("{at}.times"),
                format!(
                    "expected a list of start_time / end_time pairs, got {}",
                    describe(v)
                ),
            ));
        };
        if items.is_empty() {
            return Err(ConfigError::not_modelled(
                format!("{at}.times"),
                "an empty list is not modelled: leave the field out to allow every value",
            ));
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let m = mapping(item, &format!("{at}.times[{i}]"))?;
            let read = |key: &str| {
                get(m, key)
                    .and_then(Value::as_str)
                    .and_then(minute_of_day)
                    .ok_or_else(|| {
                        ConfigError::new(
                            format!("{at}.times[{i}].{key}"),
                            "expected a time of day HH:MM from 00:00 to 24:00",
                        )
                    })
            };
            let (s, e) = (read("start_time")?, read("end_time")?);
            if s >= e {
                return Err(ConfigError::new(
                    format!("{at}.times[{i}]"),
                    "start_time must be before end_time",
                ));
            }
            out.push((s, e));
        }
        part.times = Some(out);
    }
    if let Some(list) = field_list(map, at, "weekdays")? {
        let day = |s: &str| WEEKDAYS.iter().position(|d| *d == s).map(|i| i as u32);
        let mut out = Vec::new();
        for (i, text) in list.iter().enumerate() {
            match range(text, day) {
                Some((b, e)) if b <= e => out.push((b, e)),
                _ => {
                    return Err(bad(
                        "weekdays",
                        i,
                        text,
                        "a weekday or a range of them (monday:friday)",
                    ))
                }
            }
        }
        part.weekdays = Some(out);
    }
    if let Some(list) = field_list(map, at, "days_of_month")? {
        let day = |s: &str| {
            s.parse::<i32>()
                .ok()
                .filter(|d| *d != 0 && (-31..=31).contains(d))
        };
        let mut out = Vec::new();
        for (i, text) in list.iter().enumerate() {
            let Some((b, e)) = range(text, day) else {
                return Err(bad(
                    "days_of_month",
                    i,
                    text,
                    "a day of the month (1 to 31, -1 the last) or a range of them",
                ));
            };
            let check = |d: i32| if d < 0 { 28 + d } else { d };
            if (b < 0 && e > 0) || check(b) > check(e) {
                return Err(bad(
                    "days_of_month",
                    i,
                    text,
                    "a range whose end can follow its start",
                ));
            }
            out.push((b, e));
        }
        part.days_of_month = Some(out);
    }
    if let Some(list) = field_list(map, at, "months")? {
        let month = |s: &str| {
            MONTHS
                .iter()
                .position(|m| *m == s)
                .map(|i| i as u32 + 1)
                .or_else(|| s.parse::<u32>().ok().filter(|m| (1..=12).contains(m)))
        };
        let mut out = Vec::new();
        for (i, text) in list.iter().enumerate() {
            match range(text, month) {
                Some((b, e)) if b <= e => out.push((b, e)),
                _ => {
                    return Err(bad(
                        "months",
                        i,
                        text,
                        "a month (name or 1 to 12) or a range of them",
                    ))
                }
            }
        }
        part.months = Some(out);
    }
    if let Some(list) = field_list(map, at, "years")? {
        let mut out = Vec::new();
        for (i, text) in list.iter().enumerate() {
            match range(text, |s| s.parse::<i32>().ok()) {
                Some((b, e)) if b <= e => out.push((b, e)),
                _ => {
                    return Err(bad(
                        "years",
                        i,
                        text,
                        "a year or a range of them (2026:2027)",
                    ))
                }
            }
        }
        part.years = Some(out);
    }
    Ok(part)
}

/// The named time intervals of the file (see the module documentation).
pub fn read_time_intervals(
    top: &Mapping,
) -> Result<BTreeMap<String, Arc<dyn TimeWindow>>, ConfigError> {
    let mut out: BTreeMap<String, Arc<dyn TimeWindow>> = BTreeMap::new();
    for key in ["mute_time_intervals", "time_intervals"] {
        let list = match get(top, key) {
            None | Some(Value::Null) => continue,
            Some(Value::Sequence(s)) => s,
            Some(other) => {
                return Err(ConfigError::new(
                    key,
                    format!(
                        "expected a list of named time intervals, got {}",
                        describe(other)
                    ),
                ))
            }
        };
        for (i, item) in list.iter().enumerate() {
            let at = format!("{key}[{i}]");
            let map = mapping(item, &at)?;
            let Some(name) = get(map, "name").and_then(Value::as_str) else {
                return Err(ConfigError::new(
                    format!("{at}.name"),
                    "a time interval needs a name",
                ));
            };
            let parts = match get(map, "time_intervals") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Sequence(s)) => s
                    .iter()
                    .enumerate()
                    .map(|(j, p)| read_part(p, &format!("{at}.time_intervals[{j}]")))
                    .collect::<Result<_, _>>()?,
                Some(other) => {
                    return Err(ConfigError::new(
                        format!("{at}.time_intervals"),
                        format!("expected a list, got {}", describe(other)),
                    ))
                }
            };
            if out.contains_key(name) {
                return Err(ConfigError::new(
                    format!("{at}.name"),
                    format!("`{name}` names two time intervals"),
                ));
            }
            out.insert(name.to_string(), Arc::new(TimeInterval { parts }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn part(yaml: &str) -> Part {
        read_part(&serde_yaml_ng::from_str(yaml).unwrap(), "x").unwrap()
    }

    #[test]
    fn fields_combine_and_ranges_include_their_ends() {
        let p = part(
            "{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: ['Monday:friday']}",
        );
        // 2026-12-07 is a Monday.
        assert!(p.contains(at("2026-12-07T09:00:00Z")));
        assert!(
            p.contains(at("2026-12-11T16:59:59Z")),
            "Friday is in the range"
        );
        assert!(
            !p.contains(at("2026-12-07T17:00:00Z")),
            "the end time is excluded"
        );
        assert!(!p.contains(at("2026-12-06T12:00:00Z")), "Sunday");
        let all_day = part("{times: [{start_time: '00:00', end_time: '24:00'}]}");
        assert!(all_day.contains(at("2026-12-06T23:59:59Z")));
    }

    #[test]
    fn negative_days_count_from_the_months_end() {
        let p = part("{days_of_month: ['-1']}");
        assert!(p.contains(at("2026-02-28T10:00:00Z")));
        assert!(!p.contains(at("2026-02-27T10:00:00Z")));
        assert!(
            p.contains(at("2024-02-29T10:00:00Z")),
            "a leap year's February"
        );
        let p = part("{days_of_month: ['25:31'], months: [february], years: ['2026']}");
        assert!(
            p.contains(at("2026-02-28T10:00:00Z")),
            "31 is clamped to the month"
        );
        assert!(!p.contains(at("2027-02-28T10:00:00Z")));
    }

    #[test]
    fn bad_intervals_name_the_field() {
        let err = |y: &str| {
            read_part(
                &serde_yaml_ng::from_str(y).unwrap(),
                "time_intervals[0].time_intervals[0]",
            )
            .unwrap_err()
        };
        assert_eq!(
            err("{weekdays: ['friday:monday']}").to_string(),
            "time_intervals[0].time_intervals[0].weekdays[0]: `friday:monday` is not a weekday or a range of them (monday:friday)"
        );
        assert!(err("{times: [{start_time: '10:00', end_time: '09:00'}]}")
            .to_string()
            .contains("start_time must be before end_time"));
        assert!(err("{times: [{start_time: '25:00', end_time: '26:00'}]}")
            .to_string()
            .contains("times[0].start_time"));
        assert!(err("{days_of_month: ['-3:4']}")
            .to_string()
            .contains("days_of_month[0]"));
        assert!(err("{months: ['smarch']}")
            .to_string()
            .contains("months[0]"));
        let e = err("{location: 'Europe/Paris'}");
        assert_eq!(e.kind, crate::ConfigErrorKind::NotModelled);
        assert!(e.to_string().contains("only UTC"));
        assert_eq!(
            err("{weekdays: []}").kind,
            crate::ConfigErrorKind::NotModelled
        );
    }
}

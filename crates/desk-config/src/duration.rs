//! Durations as Prometheus writes them (`prometheus/common` `model.ParseDuration`,
//! v0.38, the version Alertmanager 0.25 is built with).
//!
//! A duration is a run of `<digits><unit>` parts with the units in
//! **descending** order and **each at most once**: `y` (365 days), `w`, `d`,
//! `h`, `m`, `s`, `ms`. So `1h30m` and `90m` are durations; `30m1h` and
//! `5m5m` are not, and neither are `5`, `1.5h`, `-5m` or ` 5m`. The one
//! exception is a bare `0`. The total must fit Go's `time.Duration`
//! (nanoseconds in an `i64`, about 292 years).

use std::fmt;

use chrono::TimeDelta;

/// Why a text is not a Prometheus duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// The text is empty.
    Empty,
    /// Not `<digits><unit>` parts in descending unit order, each unit once.
    Syntax {
        /// The text as given.
        text: String,
    },
    /// More than Go's `time.Duration` holds.
    OutOfRange {
        /// The text as given.
        text: String,
    },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => write!(f, "an empty text is not a duration"),
            DurationError::Syntax { text } => write!(
                f,
                "`{text}` is not a duration such as 30s, 5m or 1h30m (units largest first, y w d h m s ms, each at most once)"
            ),
            DurationError::OutOfRange { text } => {
                write!(f, "`{text}` is longer than a duration can be (about 292 years)")
            }
        }
    }
}

impl std::error::Error for DurationError {}

/// The units, largest first, with their length in milliseconds.
const UNITS: [(&str, i128); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Reads a Prometheus duration (see the module documentation).
///
/// ```
/// use chrono::TimeDelta;
/// assert_eq!(desk_config::read_duration("1h30m"), Ok(TimeDelta::minutes(90)));
/// assert!(desk_config::read_duration("30m1h").is_err());
/// ```
pub fn read_duration(text: &str) -> Result<TimeDelta, DurationError> {
    match text {
        "0" => return Ok(TimeDelta::zero()),
        "" => return Err(DurationError::Empty),
        _ => {}
    }
    let syntax = || DurationError::Syntax {
        text: text.to_string(),
    };
    let mut rest = text;
    // The next unit allowed: each part must use a unit after the last one.
    let mut next_unit = 0;
    let mut nanos: i128 = 0;
    let mut out_of_range = false;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(syntax)?;
        if digits == 0 {
            return Err(syntax());
        }
        let (number, after) = rest.split_at(digits);
        // `m` is a prefix of `ms`: try the longer unit first.
        let (index, unit) = UNITS
            .iter()
            .enumerate()
            .skip(next_unit)
            .filter(|(_, (u, _))| after.starts_with(u))
            .max_by_key(|(_, (u, _))| u.len())
            .map(|(i, (u, ms))| (i, (*u, *ms)))
            .ok_or_else(syntax)?;
        let (name, ms) = unit;
        // Go clamps a number too long for an int and then finds it too big.
        let n: i128 = number
            .parse::<i64>()
            .map_or(i128::from(i64::MAX), i128::from);
        let limit = i128::from(i64::MAX) / ms / 1_000_000;
        if n > limit {
            out_of_range = true;
        }
        nanos += n * ms * 1_000_000;
        next_unit = index + 1;
        rest = &after[name.len()..];
    }
    if out_of_range || nanos > i128::from(i64::MAX) {
        return Err(DurationError::OutOfRange {
            text: text.to_string(),
        });
    }
    let nanos = i64::try_from(nanos).map_err(|_| DurationError::OutOfRange {
        text: text.to_string(),
    })?;
    Ok(TimeDelta::nanoseconds(nanos))
}

//! Lengths of time as operations people write them: `5m`, `1h`, `30d`.

use chrono::TimeDelta;

/// `n` minutes.
pub const fn minutes(n: i64) -> TimeDelta {
    TimeDelta::seconds(n * 60)
}

/// `n` hours.
pub const fn hours(n: i64) -> TimeDelta {
    TimeDelta::seconds(n * 3600)
}

/// `n` days.
pub const fn days(n: i64) -> TimeDelta {
    TimeDelta::seconds(n * 86_400)
}

/// A span in the largest unit that divides it: `5m`, `1h`, `3d`, `90s`,
/// `1h30m` is written `90m`.
///
/// ```
/// use incident::window::{span, minutes, days};
/// assert_eq!(span(minutes(5)), "5m");
/// assert_eq!(span(minutes(60)), "1h");
/// assert_eq!(span(days(30)), "30d");
/// assert_eq!(span(minutes(90)), "90m");
/// ```
pub fn span(d: TimeDelta) -> String {
    let s = d.num_seconds();
    let sign = if s < 0 { "-" } else { "" };
    let a = s.unsigned_abs();
    if a == 0 {
        "0s".to_string()
    } else if a % 86_400 == 0 {
        format!("{sign}{}d", a / 86_400)
    } else if a % 3600 == 0 {
        format!("{sign}{}h", a / 3600)
    } else if a % 60 == 0 {
        format!("{sign}{}m", a / 60)
    } else {
        format!("{sign}{a}s")
    }
}

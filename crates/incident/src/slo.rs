//! Service level objectives and their error budgets.
//!
//! A **service level indicator** (SLI) is a ratio you measure: good events
//! over valid events in some window ("answers without an error, out of all
//! answered questions"). A **service level objective** (SLO) is the target
//! you promise for it over a period: 99% over 30 days. Whatever the SLO does
//! not promise is the **error budget**: with a 99% SLO, 1% of the period's
//! events may fail. Spending the budget on purpose (shipping, experimenting)
//! is fine; spending it by accident, fast, is what paging is for.
//!
//! [`Slo`] is validated when it is built, so every later computation can
//! divide by the budget without checking: a target of 1 would leave no
//! budget (every failure an infinite burn), a target of 0 promises nothing.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::IncidentError;
use crate::exact::Rate;
use crate::sli::Counts;
use crate::window::{days, span};

/// A service level objective: a named target ratio over a period.
///
/// ```
/// use incident::{Slo, window::days};
/// let slo = Slo::new("availability", 0.99, days(30)).unwrap();
/// assert!((slo.error_budget() - 0.01).abs() < 1e-12);
/// assert!(Slo::new("availability", 1.0, days(30)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SloFields")]
pub struct Slo {
    name: String,
    target: f64,
    #[serde(with = "seconds")]
    period: TimeDelta,
}

/// What a serialised [`Slo`] holds, validated by [`Slo::new`] on the way in
/// so that a file cannot smuggle in a target of 1.
#[derive(Deserialize)]
struct SloFields {
    name: String,
    target: f64,
    #[serde(with = "seconds")]
    period: TimeDelta,
}

impl TryFrom<SloFields> for Slo {
    type Error = IncidentError;

    fn try_from(f: SloFields) -> Result<Self, Self::Error> {
        Slo::new(&f.name, f.target, f.period)
    }
}

impl Slo {
    /// An SLO named `name` promising `target` (strictly between 0 and 1) over
    /// `period` (positive).
    pub fn new(name: &str, target: f64, period: TimeDelta) -> Result<Self, IncidentError> {
        if !(target.is_finite() && target > 0.0 && target < 1.0) {
            return Err(IncidentError::InvalidTarget { target });
        }
        if period <= TimeDelta::zero() {
            return Err(IncidentError::InvalidSpan {
                what: "SLO period",
                span: period,
            });
        }
        Ok(Self {
            name: name.to_string(),
            target,
            period,
        })
    }

    /// The course's running example: 99% of answers succeed, over 30 days.
    pub fn course_default() -> Self {
        Self {
            name: "availability".to_string(),
            target: 0.99,
            period: days(30),
        }
    }

    /// The SLO's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The promised ratio of good events, e.g. `0.99`.
    pub fn target(&self) -> f64 {
        self.target
    }

    /// The period the SLO is promised over (the budget's period).
    pub fn period(&self) -> TimeDelta {
        self.period
    }

    /// The error budget as a ratio: `1 − target` (0.01 for a 99% SLO).
    pub fn error_budget(&self) -> f64 {
        1.0 - self.target
    }

    /// The error budget exactly: `1 − target` with the target read as the
    /// decimal it was written as (`0.9999` gives exactly 1/10000). A target
    /// with more digits than fit is rounded to 12 decimals first.
    pub fn exact_budget(&self) -> Rate {
        let target = Rate::from_f64(self.target)
            .or_else(|| Rate::parse_decimal(&format!("{:.12}", self.target)))
            .unwrap_or_default();
        Rate::one().checked_sub(target).unwrap_or_default()
    }

    /// The share of the whole period's budget spent by `counts`, gathered
    /// over `elapsed`, exactly: their error ratio over the budget (the
    /// burn), held for `elapsed` out of the period —
    /// `bad / valid / budget × elapsed / period`, the formula of
    /// [`crate::budget_spent`] in [`Rate`]s. `None` without traffic (or
    /// for a negative `elapsed`). A month that ends above 1 missed its SLO;
    /// one that ends exactly on budget has spent exactly 1, never a hair
    /// above it because `1 − 0.9999` has no exact binary form.
    ///
    /// ```
    /// use incident::{Counts, Rate, Slo, window::days};
    /// let slo = Slo::new("availability", 0.9999, days(30)).unwrap();
    /// // 100 failures in a million over the month: exactly on budget.
    /// let spent = slo.budget_spent_by(&Counts::new(999_900, 100), days(30));
    /// assert_eq!(spent, Some(Rate::one()));
    /// // Ten days at half the budget's pace spend a sixth of it.
    /// let spent = slo.budget_spent_by(&Counts::new(999_950, 50), days(10));
    /// assert_eq!(spent, Rate::new(1, 6));
    /// ```
    pub fn budget_spent_by(&self, counts: &Counts, elapsed: TimeDelta) -> Option<Rate> {
        let burn = crate::burn::exact_burn(self, *counts)?;
        let ms = |d: TimeDelta| u128::try_from(d.num_milliseconds()).ok();
        let share = Rate::new(ms(elapsed)?, ms(self.period)?)?;
        burn.checked_mul(share)
    }

    /// How many of `valid` events the budget allows to fail, exactly:
    /// `valid × (1 − target)` (100 of 1,000,000 at 99.99%; a fraction when
    /// the budget does not divide evenly, 0.5 of 1,000 at 99.95%).
    pub fn allowed_failures(&self, valid: u64) -> Rate {
        Rate::whole(valid)
            .checked_mul(self.exact_budget())
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Slo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}% over {}",
            self.name,
            fmt_percent(self.target),
            span(self.period)
        )
    }
}

/// A ratio as a percentage with no trailing zeros: `0.999` → `99.9`.
pub fn fmt_percent(ratio: f64) -> String {
    let s = format!("{:.4}", ratio * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

mod seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = i64::deserialize(d)?;
        TimeDelta::try_seconds(secs)
            .ok_or_else(|| serde::de::Error::custom("duration out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_print_without_trailing_zeros() {
        assert_eq!(fmt_percent(0.99), "99");
        assert_eq!(fmt_percent(0.999), "99.9");
        assert_eq!(fmt_percent(0.02), "2");
        assert_eq!(fmt_percent(0.0222), "2.22");
    }

    #[test]
    fn an_slo_prints_and_counts_its_budget() {
        let slo = Slo::course_default();
        assert_eq!(slo.to_string(), "availability 99% over 30d");
        assert_eq!(slo.allowed_failures(10_000), Rate::whole(100));
        let json = serde_json::to_string(&slo).expect("serialises");
        assert_eq!(
            json,
            r#"{"name":"availability","target":0.99,"period":2592000}"#
        );
        let back: Slo = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, slo);
        let bad = r#"{"name":"a","target":1.0,"period":2592000}"#;
        let err = serde_json::from_str::<Slo>(bad).expect_err("a target of 1 is refused");
        assert!(
            err.to_string().contains("strictly between 0 and 1"),
            "{err}"
        );
    }
}

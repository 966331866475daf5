//! # slo-rules — the burn-rate policy as Prometheus rules
//!
//! In M31 the policy decides in Rust: for each tier, is the burn over both
//! of its windows above the threshold? In production the same decision runs
//! inside Prometheus, as rules:
//!
//! - one **recording rule** per window the policy reads, the window's error
//!   ratio from the SLI's counters ([`ratio_expr`]):
//!   `(increase(valid[1h]) − (increase(good[1h]) or increase(valid[1h]) × 0)) / increase(valid[1h])`;
//! - one **alerting rule** per tier: both of its windows' ratios above
//!   `threshold × budget`, labelled `severity: page` or `severity: ticket`;
//! - two companions that keep silence from passing for health:
//!   [`NO_TRAFFIC`] (ticket) when no tier can be judged, and [`SLI_ABSENT`]
//!   (page) when the valid counter has no series at all.
//!
//! **Missing series.** A labelled counter exists only once a client library
//! has incremented it, so in a total outage there may be no good series at
//! all. `increase` of nothing is nothing, and `valid − nothing` is nothing:
//! without the `or … × 0` fallback every ratio is empty and no tier can
//! fire while every request fails. With it, a missing good series counts as
//! zero good events. A missing *valid* series is different: nothing was
//! measured, so there is no ratio and no burn (the Rust policy's empty
//! window). That is why the companions exist: `SloNoTraffic` fires exactly
//! when the Rust policy says `NoData` (no valid event in the longest short
//! window), and `SloSliAbsent` fires when the valid counter is not exported
//! or not scraped (Prometheus's `absent`, after its 5-minute staleness), the
//! one state in which the burn tiers cannot fire whatever happens. It pages:
//! a dead process or a broken scrape during an outage is exactly when the
//! tiers are blind.
//!
//! A burn is `ratio / budget`, so "burn above 14.4" is "ratio above 14.4 ×
//! budget". That product is written as an **exact decimal literal**
//! (`0.00144`, never `14.4 * (1 - 0.9999)`): in floating point `1 − 0.9999`
//! is a hair under `1e-4`, and Prometheus would page on a ratio of exactly
//! 1/10,000, which the Rust policy (exact, see `incident::exact`) calls "not
//! above". A product with no finite decimal form (a 28-day SLO's `1 × 28/30`)
//! is refused with [`RulesError::NotADecimal`] rather than rounded.
//!
//! Why `increase` over both counters gives the exact ratio, and where that
//! holds. The argument needs a sample on **both edges** of every range:
//! then `increase` extrapolates nothing and is the exact difference of two
//! integer counts (plus, across a restart Prometheus can see, the count
//! before it), and the ratio of two exact integers compared with a correctly
//! rounded literal agrees with the exact comparison whenever the two
//! rationals differ by more than a rounding step. Three things give the
//! edges: samples at every evaluation step (promtool's aligned timeline);
//! a counter whose first sample is 0 (a range reaching back before it
//! extrapolates to where it was zero, which is its first sample); and range
//! selectors **closed on the left**, which is Prometheus **2.x** (tested:
//! promtool 2.42). Prometheus **3.x** range selectors are left-open: the
//! sample at `t − 1h` is outside `[1h]`, `increase` extrapolates the 59
//! minutes it sees to 60, and a ratio exactly on a boundary may land either
//! side; the argument does not cover 3.x and no test here runs it. Nor does
//! it cover production timing: scrapes and rule evaluations are not aligned
//! there, so every `increase` extrapolates a little and a boundary that is
//! exact in Rust is approximate in Prometheus. The crate's test
//! `tests/promtool.rs` checks the rules against `promtool test rules`,
//! minute by minute, on seeded traffic including missing series, restarts
//! and failed scrapes; at a minute where a window's edge falls on a failed
//! scrape the argument does not hold and that decision is not compared.
//!
//! `cargo xtask rules m31` prints the reference policy's rules;
//! `--mine` prints the learner's: the comparison (`>` or `>=`) and how the
//! two windows combine (`and` or `or`) are read off the learner's own
//! `tier_fires` ([`Comparison::probe`]).

use std::fmt;

use chrono::TimeDelta;

use incident::burn::{BurnPolicy, BurnTier, Notification};
use incident::exact::Rate;
use incident::window::span;
use incident::Slo;

/// What the rules are written over: the SLI's two counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counters {
    /// The counter of good events, e.g. `sli_good_total`.
    pub good: String,
    /// The counter of all valid events, e.g. `sli_valid_total`.
    pub valid: String,
}

impl Default for Counters {
    fn default() -> Self {
        Self {
            good: "sli_good_total".to_string(),
            valid: "sli_valid_total".to_string(),
        }
    }
}

/// How a tier's two windows are compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    /// `true` for `>=` (a burn exactly at the threshold fires), `false` for `>`.
    pub at_threshold_fires: bool,
    /// `true` when one window above is enough (`or`), `false` for `and`.
    pub either_window: bool,
}

impl Comparison {
    /// The policy's rule: strictly above, over both windows.
    pub const REFERENCE: Comparison = Comparison {
        at_threshold_fires: false,
        either_window: false,
    };

    /// Reads the comparison off a `tier_fires` function by asking it two
    /// questions at a threshold of 14.4: does a burn exactly at it fire, and
    /// does one window above (the other at half) fire?
    pub fn probe(tier_fires: impl Fn(Rate, Option<Rate>, Option<Rate>) -> bool) -> Self {
        let t = Rate::new(72, 5).unwrap_or(Rate::one());
        let above = Rate::whole(20);
        let half = Rate::new(36, 5).unwrap_or_default();
        Self {
            at_threshold_fires: tier_fires(t, Some(t), Some(t)),
            either_window: tier_fires(t, Some(above), Some(half))
                || tier_fires(t, Some(half), Some(above)),
        }
    }

    fn op(self) -> &'static str {
        if self.at_threshold_fires {
            ">="
        } else {
            ">"
        }
    }

    fn join(self) -> &'static str {
        if self.either_window {
            "or"
        } else {
            "and"
        }
    }
}

/// Why a policy could not be written as rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesError {
    /// `threshold × budget` has no finite decimal form, so any literal would
    /// be rounded and the boundary would move.
    NotADecimal {
        /// The tier.
        tier: String,
        /// The exact product, as a fraction.
        product: String,
    },
    /// A counter or SLO name Prometheus would not accept.
    BadName {
        /// Which name.
        what: &'static str,
        /// The name given.
        name: String,
    },
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RulesError::NotADecimal { tier, product } => write!(
                f,
                "tier {tier}: threshold × budget is {product}, which has no exact decimal form; \
                 a rounded literal would move the boundary (pick a threshold or period that divides evenly)"
            ),
            RulesError::BadName { what, name } => write!(
                f,
                "`{name}` is not a valid {what} (letters, digits, `_` and `:`, not starting with a digit)"
            ),
        }
    }
}

impl std::error::Error for RulesError {}

fn valid_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The recording rule's name for a window: `slo:error_ratio:increase1h`.
pub fn ratio_name(window: chrono::TimeDelta) -> String {
    format!("slo:error_ratio:increase{}", span(window))
}

/// The alert's name for a tier: `SloBurnPage1h` for `page-1h`.
pub fn alert_name(tier: &BurnTier) -> String {
    let mut out = String::from("SloBurn");
    for part in tier.name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// `threshold × budget` as an exact decimal literal.
pub fn ratio_threshold(tier: &BurnTier, slo: &Slo) -> Result<String, RulesError> {
    let product = tier
        .threshold
        .checked_mul(slo.exact_budget())
        .ok_or_else(|| RulesError::NotADecimal {
            tier: tier.name.clone(),
            product: "too large to compute".to_string(),
        })?;
    product.to_decimal().ok_or_else(|| RulesError::NotADecimal {
        tier: tier.name.clone(),
        product: product.to_string(),
    })
}

/// The policy as a Prometheus rule file (YAML), for `slo` over `counters`.
pub fn render(
    policy: &BurnPolicy,
    slo: &Slo,
    counters: &Counters,
    comparison: Comparison,
    source: &str,
) -> Result<String, RulesError> {
    for (what, name) in [
        ("counter name", &counters.good),
        ("counter name", &counters.valid),
    ] {
        if !valid_metric_name(name) {
            return Err(RulesError::BadName {
                what,
                name: name.clone(),
            });
        }
    }
    if !valid_metric_name(slo.name()) || slo.name().contains(':') {
        return Err(RulesError::BadName {
            what: "SLO name (it becomes a label value and a group name)",
            name: slo.name().to_string(),
        });
    }
    let name = slo.name();
    let mut y = String::new();
    y.push_str(&format!(
        "# The burn-rate policy of SLO `{slo}` as Prometheus rules ({source}).\n\
         # Written by `cargo xtask rules m31`; check with `promtool check rules`.\n\
         # Error ratio = (valid - good) / valid over each window, from {} and {}.\n\
         # A tier fires when the burn over its windows is above its threshold:\n\
         # ratio {} threshold x budget, the product written as an exact decimal.\n",
        counters.valid,
        counters.good,
        comparison.op()
    ));
    y.push_str(&format!(
        "groups:\n  - name: slo-{name}-burn-rate\n    rules:\n"
    ));
    for w in policy.windows() {
        y.push_str(&format!(
            "      - record: {}\n        expr: {}\n        labels:\n          slo: {name}\n",
            ratio_name(w),
            ratio_expr(counters, w),
        ));
    }
    for tier in policy.tiers() {
        let literal = ratio_threshold(tier, slo)?;
        let side = |w| {
            format!(
                "{}{{slo=\"{name}\"}} {} {literal}",
                ratio_name(w),
                comparison.op()
            )
        };
        let severity = match tier.notification {
            Notification::Page => "page",
            Notification::Ticket => "ticket",
        };
        y.push_str(&format!(
            "      - alert: {}\n        expr: {} {} {}\n        labels:\n          severity: {severity}\n          tier: {}\n        annotations:\n          summary: burn above {} over {} and {} (SLO {name})\n",
            alert_name(tier),
            side(tier.long),
            comparison.join(),
            side(tier.short),
            tier.name,
            tier.threshold,
            span(tier.long),
            span(tier.short),
        ));
    }
    let quiet = policy
        .tiers()
        .iter()
        .map(|t| t.short)
        .max()
        .unwrap_or(TimeDelta::zero());
    let v = &counters.valid;
    y.push_str(&format!(
        "      - alert: {NO_TRAFFIC}\n        expr: absent_over_time({v}[{q}]) or sum(increase({v}[{q}])) == 0\n        labels:\n          severity: ticket\n          slo: {name}\n        annotations:\n          summary: no valid events over {q}, no burn tier can be judged (SLO {name})\n",
        q = span(quiet),
    ));
    y.push_str(&format!(
        "      - alert: {SLI_ABSENT}\n        expr: absent({v})\n        labels:\n          severity: page\n          slo: {name}\n        annotations:\n          summary: {v} is not exported or not scraped, the burn tiers are blind (SLO {name})\n",
    ));
    Ok(y)
}

/// The alert for "no tier can be judged": no valid event in any tier's short
/// window, which is the Rust policy's `BurnDecision::NoData`.
pub const NO_TRAFFIC: &str = "SloNoTraffic";

/// The alert for "the valid counter is not there at all" (never exported,
/// or no sample for Prometheus's 5-minute staleness): the burn tiers see no
/// series and could not page whatever happens.
pub const SLI_ABSENT: &str = "SloSliAbsent";

/// The error ratio over `window` as PromQL: `(valid − good) / valid`, each
/// an `increase` summed over the counter's series. A good counter with no
/// series counts as zero good events (`or` the valid increase times 0), so
/// a total outage whose good counter was never created still has a ratio
/// of 1. A valid counter with no series gives no ratio at all (no traffic
/// measured, no burn), like an empty window in the Rust policy.
pub fn ratio_expr(counters: &Counters, window: TimeDelta) -> String {
    let r = span(window);
    let (v, g) = (&counters.valid, &counters.good);
    format!(
        "(sum(increase({v}[{r}])) - (sum(increase({g}[{r}])) or sum(increase({v}[{r}])) * 0)) / sum(increase({v}[{r}]))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use incident::window::days;

    #[test]
    fn literals_are_exact_decimals() {
        let p = BurnPolicy::sre_workbook();
        let slo = Slo::new("availability", 0.9999, days(30)).expect("an SLO");
        let lits: Vec<String> = p
            .tiers()
            .iter()
            .map(|t| ratio_threshold(t, &slo).expect("decimal"))
            .collect();
        assert_eq!(lits, vec!["0.00144", "0.0006", "0.0003", "0.0001"]);
        let slo28 = Slo::new("availability", 0.999, days(28)).expect("an SLO");
        let p28 = BurnPolicy::for_slo(&slo28);
        assert_eq!(
            ratio_threshold(&p28.tiers()[0], &slo28).as_deref(),
            Ok("0.01344")
        );
        let e = ratio_threshold(&p28.tiers()[3], &slo28).expect_err("14/15000 is no decimal");
        assert!(e.to_string().contains("7/7500"), "{e}");
    }

    #[test]
    fn names_and_comparisons() {
        let p = BurnPolicy::sre_workbook();
        assert_eq!(alert_name(&p.tiers()[0]), "SloBurnPage1h");
        assert_eq!(ratio_name(days(3)), "slo:error_ratio:increase3d");
        let reference =
            Comparison::probe(|t, l, s| matches!((l, s), (Some(l), Some(s)) if l > t && s > t));
        assert_eq!(reference, Comparison::REFERENCE);
        let loose =
            Comparison::probe(|t, l, s| l.is_some_and(|l| l >= t) || s.is_some_and(|s| s >= t));
        assert!(loose.at_threshold_fires && loose.either_window);
        let slo = Slo::course_default();
        let text = render(&p, &slo, &Counters::default(), loose, "test").expect("renders");
        assert!(text.contains(r#"slo:error_ratio:increase1h{slo="availability"} >= 0.144 or slo:error_ratio:increase5m{slo="availability"} >= 0.144"#), "{text}");
        let bad = Counters {
            good: "1bad".into(),
            valid: "ok".into(),
        };
        assert!(render(&p, &slo, &bad, Comparison::REFERENCE, "t").is_err());
    }
}

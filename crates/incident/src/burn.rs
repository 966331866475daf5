//! Burn rates and the multiwindow, multi-burn-rate paging policy.
//!
//! The **burn rate** is how fast the error budget is being spent, relative
//! to the pace that would spend exactly all of it over the SLO period:
//! `error ratio / (1 − SLO)`. A burn of 1 lands on the SLO at the end of the
//! period; a burn of 20 (an SLI of 80% against a 99% SLO) empties a 30-day
//! budget in a day and a half.
//!
//! A burn rate held for some time spends a share of the budget:
//! `burn × duration / period`. Paging policy is written in those terms. The
//! default tiers here are the ones the Google SRE Workbook ("Alerting on
//! SLOs") recommends for a 30-day SLO:
//!
//! | notify | burn above | long window | short window | budget spent over the long window |
//! |---|---|---|---|---|
//! | page   | 14.4 | 1h  | 5m  | 2%  |
//! | page   | 6    | 6h  | 30m | 5%  |
//! | ticket | 3    | 1d  | 2h  | 10% |
//! | ticket | 1    | 3d  | 6h  | 10% |
//!
//! A tier fires only when the burn over **both** of its windows is above the
//! threshold. The long window makes the alert significant (a real share of
//! the budget is gone); the short one, 1/12 of it, makes the alert stop soon
//! after the problem stops, instead of an hour later when the bad minutes
//! finally leave the long window.
//!
//! The tiers are data ([`BurnTier`]), not constants in code: a 28-day SLO
//! keeps the same budget shares, so every threshold scales by 28/30
//! ([`BurnPolicy::scaled_to`]). When no events arrived in a window there is
//! no ratio to compute: that window has **no data**, which is neither zero
//! errors nor a reason to page.
//!
//! Thresholds and burns are exact [`Rate`]s, not floats: a burn that lands
//! exactly on a threshold (one bad request in 10,000 against a 99.99% SLO
//! is a burn of exactly 1) is "not above" it, whatever floating point would
//! have rounded `1 − 0.9999` to (see [`crate::exact`]).

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::IncidentError;
use crate::exact::Rate;
use crate::sli::Counts;
use crate::slo::Slo;
use crate::window::{days, hours, minutes, span};

/// How loudly to tell a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notification {
    /// Wake someone up now: the budget is going fast.
    Page,
    /// Put it in the team's queue for working hours: the budget is leaking.
    Ticket,
}

impl std::fmt::Display for Notification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Notification::Page => "page",
            Notification::Ticket => "ticket",
        })
    }
}

/// One tier of a burn-rate policy: notify when the burn is above
/// `threshold` over both `long` and `short`.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnTier {
    /// A short name for the tier, used in alerts and traces.
    pub name: String,
    /// The significance window (1h, 6h, 1d, 3d in the default policy).
    pub long: TimeDelta,
    /// The reset window, usually 1/12 of `long`.
    pub short: TimeDelta,
    /// Burn rate that both windows must be strictly above (exact).
    pub threshold: Rate,
    /// What firing this tier sends.
    pub notification: Notification,
}

impl BurnTier {
    /// A tier; see the fields. `threshold` is read as the decimal it is
    /// written as (`14.4` is exactly 72/5); a negative or non-finite one is
    /// stored as 0, which [`BurnPolicy::new`] refuses.
    pub fn new(
        name: &str,
        long: TimeDelta,
        short: TimeDelta,
        threshold: f64,
        notification: Notification,
    ) -> Self {
        Self::exact(
            name,
            long,
            short,
            Rate::from_f64(threshold).unwrap_or_default(),
            notification,
        )
    }

    /// A tier with an exact threshold.
    pub fn exact(
        name: &str,
        long: TimeDelta,
        short: TimeDelta,
        threshold: Rate,
        notification: Notification,
    ) -> Self {
        Self {
            name: name.to_string(),
            long,
            short,
            threshold,
            notification,
        }
    }

    /// The share of the whole budget spent when the burn sits exactly at the
    /// threshold for the long window, exactly: `threshold × long / period`
    /// (1/50 for 14.4× over an hour of 30 days). `None` for a period that
    /// is not positive, or on overflow.
    pub fn budget_share(&self, period: TimeDelta) -> Option<Rate> {
        let ms = |d: TimeDelta| u128::try_from(d.num_milliseconds()).ok();
        let share = Rate::new(ms(self.long)?, ms(period)?)?;
        self.threshold.checked_mul(share)
    }

    fn validate(&self) -> Result<(), IncidentError> {
        let bad = |reason: &str| {
            Err(IncidentError::InvalidTier {
                tier: self.name.clone(),
                reason: reason.to_string(),
            })
        };
        if self.long <= TimeDelta::zero() || self.short <= TimeDelta::zero() {
            return bad("both windows must be positive");
        }
        if self.short >= self.long {
            return bad("the short window must be shorter than the long one");
        }
        if self.threshold.is_zero() {
            return bad("the threshold must be a positive burn rate");
        }
        Ok(())
    }
}

impl std::fmt::Display for BurnTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} when burn > {} over {} and {}",
            self.name,
            self.notification,
            fmt_burn(self.threshold.to_f64()),
            span(self.long),
            span(self.short)
        )
    }
}

/// A burn rate for people: at most two decimals, no trailing zeros.
pub fn fmt_burn(b: f64) -> String {
    let s = format!("{b:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A burn-rate policy: the SLO period it was written for and its tiers,
/// most urgent first (that order breaks ties when several tiers fire).
#[derive(Debug, Clone, PartialEq)]
pub struct BurnPolicy {
    period: TimeDelta,
    tiers: Vec<BurnTier>,
}

impl BurnPolicy {
    /// A policy for an SLO period of `period` with `tiers`, most urgent
    /// first. Each tier must have a short window shorter than its long one and
    /// a positive threshold.
    pub fn new(period: TimeDelta, tiers: Vec<BurnTier>) -> Result<Self, IncidentError> {
        if period <= TimeDelta::zero() {
            return Err(IncidentError::InvalidSpan {
                what: "policy period",
                span: period,
            });
        }
        if tiers.is_empty() {
            return Err(IncidentError::EmptyPolicy);
        }
        for t in &tiers {
            t.validate()?;
        }
        Ok(Self { period, tiers })
    }

    /// The SRE Workbook's four tiers for a 30-day SLO (see the module docs).
    pub fn sre_workbook() -> Self {
        Self {
            period: days(30),
            tiers: vec![
                BurnTier::new("page-1h", hours(1), minutes(5), 14.4, Notification::Page),
                BurnTier::new("page-6h", hours(6), minutes(30), 6.0, Notification::Page),
                BurnTier::new("ticket-1d", days(1), hours(2), 3.0, Notification::Ticket),
                BurnTier::new("ticket-3d", days(3), hours(6), 1.0, Notification::Ticket),
            ],
        }
    }

    /// The workbook tiers, scaled to the period of `slo`.
    pub fn for_slo(slo: &Slo) -> Self {
        Self::sre_workbook().scaled_to(slo.period())
    }

    /// The same policy for another SLO period: each tier keeps its share of
    /// the budget, so its threshold scales by `period / self.period`
    /// (14.4 for 30 days becomes 13.44 for 28). Windows stay as they are.
    pub fn scaled_to(&self, period: TimeDelta) -> Self {
        if period <= TimeDelta::zero() || period == self.period {
            return self.clone();
        }
        let ms = |d: TimeDelta| u128::try_from(d.num_milliseconds()).unwrap_or(0);
        let factor = Rate::new(ms(period), ms(self.period)).unwrap_or(Rate::one());
        Self {
            period,
            tiers: self
                .tiers
                .iter()
                .map(|t| BurnTier {
                    threshold: t.threshold.checked_mul(factor).unwrap_or_else(|| {
                        Rate::from_f64(t.threshold.to_f64() * factor.to_f64())
                            .unwrap_or(t.threshold)
                    }),
                    ..t.clone()
                })
                .collect(),
        }
    }

    /// The SLO period this policy is written for.
    pub fn period(&self) -> TimeDelta {
        self.period
    }

    /// The tiers, most urgent first.
    pub fn tiers(&self) -> &[BurnTier] {
        &self.tiers
    }

    /// Every window any tier reads, shortest first, without duplicates: what
    /// a [`WindowedSli`](crate::WindowedSli) must measure for this policy.
    pub fn windows(&self) -> Vec<TimeDelta> {
        let mut w: Vec<TimeDelta> = self.tiers.iter().flat_map(|t| [t.long, t.short]).collect();
        w.sort();
        w.dedup();
        w
    }

    /// Where tier `index` ranks among the tiers that send the same kind of
    /// notification: 0 for the most urgent page, 1 for the next page, 0 for
    /// the most urgent ticket…
    pub fn rank(&self, index: usize) -> usize {
        let Some(tier) = self.tiers.get(index) else {
            return 0;
        };
        self.tiers[..index]
            .iter()
            .filter(|t| t.notification == tier.notification)
            .count()
    }
}

/// Burn rates per window, exact, with no data kept apart from any number.
///
/// A window with zero valid events has no burn rate: [`WindowBurns::get`]
/// returns `None`, never NaN and never 0.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WindowBurns {
    burns: BTreeMap<TimeDelta, Option<Rate>>,
}

impl WindowBurns {
    /// No windows yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the burn of `window` (`None` = no data), read as the decimal it
    /// is written as. A negative or non-finite number is stored as no data.
    pub fn set(&mut self, window: TimeDelta, burn: Option<f64>) -> &mut Self {
        self.burns.insert(window, burn.and_then(Rate::from_f64));
        self
    }

    /// Sets the exact burn of `window` (`None` = no data).
    pub fn set_exact(&mut self, window: TimeDelta, burn: Option<Rate>) -> &mut Self {
        self.burns.insert(window, burn);
        self
    }

    /// Builder form of [`set`](Self::set).
    pub fn with(mut self, window: TimeDelta, burn: Option<f64>) -> Self {
        self.set(window, burn);
        self
    }

    /// The burn over `window`, or `None` when the window had no traffic or
    /// was not measured.
    pub fn get(&self, window: TimeDelta) -> Option<Rate> {
        self.burns.get(&window).copied().flatten()
    }

    /// The same as a float, for people and charts.
    pub fn get_f64(&self, window: TimeDelta) -> Option<f64> {
        self.get(window).map(Rate::to_f64)
    }

    /// The same burn in every window `policy` reads: a steady state, such
    /// as "the SLI has been 80% for days" (`Some(20.0)` against a 99% SLO),
    /// or `None` for no traffic anywhere.
    pub fn steady(policy: &BurnPolicy, burn: Option<f64>) -> Self {
        let mut out = Self::new();
        for w in policy.windows() {
            out.set(w, burn);
        }
        out
    }

    /// Burn rates from windowed counts, exactly: each window's `bad / valid`
    /// over the SLO's budget ([`Slo::exact_budget`]); empty windows have no
    /// data. (The float [`crate::burn_rate`] gives the same number to within
    /// rounding; the decision must not depend on that rounding.)
    pub fn from_counts(slo: &Slo, counts: &BTreeMap<TimeDelta, Counts>) -> Self {
        let mut out = Self::new();
        for (w, c) in counts {
            out.set_exact(*w, exact_burn(slo, *c));
        }
        out
    }

    /// Every window and its burn, shortest first.
    pub fn iter(&self) -> impl Iterator<Item = (TimeDelta, Option<Rate>)> + '_ {
        self.burns.iter().map(|(w, b)| (*w, *b))
    }
}

/// The exact burn of `counts` against `slo`: `bad / valid / budget`, or
/// `None` without traffic.
pub fn exact_burn(slo: &Slo, counts: Counts) -> Option<Rate> {
    let ratio = Rate::new(u128::from(counts.bad()), u128::from(counts.valid()))?;
    ratio.checked_div(slo.exact_budget())
}

/// A fired tier: what to send, why, and which other tiers agreed.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The tier that the notification is sent for.
    pub tier: BurnTier,
    /// Its position in the policy (0 = most urgent).
    pub tier_index: usize,
    /// Its rank among tiers of the same notification (see [`BurnPolicy::rank`]).
    pub rank: usize,
    /// Burn over the tier's long window.
    pub long_burn: f64,
    /// Burn over the tier's short window.
    pub short_burn: f64,
    /// Names of the other tiers that fired in the same evaluation (folded
    /// into this one notification).
    pub also_firing: Vec<String>,
}

impl Alert {
    /// The alert for tier `index` of `policy`, read from `burns`, naming the
    /// other `firing` tiers. `None` if the index is out of range or a window
    /// has no data (a tier without data cannot have fired).
    pub fn from_tier(
        policy: &BurnPolicy,
        index: usize,
        burns: &WindowBurns,
        firing: &[usize],
    ) -> Option<Self> {
        let tier = policy.tiers().get(index)?.clone();
        let long_burn = burns.get_f64(tier.long)?;
        let short_burn = burns.get_f64(tier.short)?;
        let also_firing = firing
            .iter()
            .filter(|i| **i != index)
            .filter_map(|i| policy.tiers().get(*i).map(|t| t.name.clone()))
            .collect();
        Some(Self {
            rank: policy.rank(index),
            tier,
            tier_index: index,
            long_burn,
            short_burn,
            also_firing,
        })
    }

    /// Page or ticket.
    pub fn notification(&self) -> Notification {
        self.tier.notification
    }

    /// A stable id for linking: `burn:<tier>`.
    pub fn id(&self) -> String {
        format!("burn:{}", self.tier.name)
    }
}

impl std::fmt::Display for Alert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): burn {}× over {}, {}× over {} (threshold {}×)",
            self.tier.notification.to_string().to_uppercase(),
            self.tier.name,
            fmt_burn(self.long_burn),
            span(self.tier.long),
            fmt_burn(self.short_burn),
            span(self.tier.short),
            fmt_burn(self.tier.threshold.to_f64())
        )?;
        if !self.also_firing.is_empty() {
            write!(f, "; also firing: {}", self.also_firing.join(", "))?;
        }
        Ok(())
    }
}

/// What one evaluation of a policy decided.
#[derive(Debug, Clone, PartialEq)]
pub enum BurnDecision {
    /// At least one tier fired: send this one notification.
    Notify(Alert),
    /// Every tier that could be judged stayed under its threshold.
    Quiet,
    /// No tier could be judged: each lacks data in a window. Not a page.
    NoData,
}

impl BurnDecision {
    /// The alert, if one fired.
    pub fn alert(&self) -> Option<&Alert> {
        match self {
            BurnDecision::Notify(a) => Some(a),
            _ => None,
        }
    }
}

/// What a [`Pager`] tells people after an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum PagerEvent {
    /// A new problem: send the notification.
    Fire(Alert),
    /// The open problem got worse: a ticket became a page.
    Escalate(Alert),
    /// The open problem stopped burning (all judged tiers quiet).
    Clear,
}

/// Deduplicates evaluations over time: a policy evaluated every minute
/// during a bad hour fires sixty times, and one notification should go out.
///
/// While a problem is open, further firings are silent unless a ticket
/// becomes a page. `Quiet` closes the problem; `NoData` changes nothing (a
/// gap in traffic neither starts nor ends an incident).
#[derive(Debug, Clone, Default)]
pub struct Pager {
    open: Option<Notification>,
}

impl Pager {
    /// Nothing open.
    pub fn new() -> Self {
        Self::default()
    }

    /// The notification kind of the open problem, if any.
    pub fn open(&self) -> Option<Notification> {
        self.open
    }

    /// Feeds one decision; returns what to tell people, if anything.
    pub fn observe(&mut self, decision: &BurnDecision) -> Option<PagerEvent> {
        match (decision, self.open) {
            (BurnDecision::Notify(a), None) => {
                self.open = Some(a.notification());
                Some(PagerEvent::Fire(a.clone()))
            }
            (BurnDecision::Notify(a), Some(Notification::Ticket))
                if a.notification() == Notification::Page =>
            {
                self.open = Some(Notification::Page);
                Some(PagerEvent::Escalate(a.clone()))
            }
            (BurnDecision::Notify(_), Some(_)) => None,
            (BurnDecision::Quiet, Some(_)) => {
                self.open = None;
                Some(PagerEvent::Clear)
            }
            (BurnDecision::Quiet, None) | (BurnDecision::NoData, _) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burns_print_without_trailing_zeros() {
        assert_eq!(fmt_burn(14.4), "14.4");
        assert_eq!(fmt_burn(6.0), "6");
        assert_eq!(fmt_burn(14.519), "14.52");
        assert_eq!(fmt_burn(0.0), "0");
    }

    #[test]
    fn ranks_count_earlier_tiers_of_the_same_kind() {
        let p = BurnPolicy::sre_workbook();
        let ranks: Vec<usize> = (0..4).map(|i| p.rank(i)).collect();
        assert_eq!(ranks, vec![0, 1, 0, 1]);
        assert_eq!(p.rank(99), 0);
    }

    #[test]
    fn an_alert_needs_data_in_both_windows() {
        let p = BurnPolicy::sre_workbook();
        let b = WindowBurns::new().with(hours(1), Some(20.0));
        assert!(Alert::from_tier(&p, 0, &b, &[0]).is_none());
        let b = b.with(minutes(5), Some(21.0));
        let a = Alert::from_tier(&p, 0, &b, &[0, 2]).expect("both windows have data");
        assert_eq!(a.also_firing, vec!["ticket-1d"]);
        assert_eq!(a.id(), "burn:page-1h");
        assert!(Alert::from_tier(&p, 9, &b, &[]).is_none());
    }
}

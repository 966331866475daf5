//! The burn-rate policy against Prometheus itself (`promtool`, Debian's
//! `prometheus` package).
//!
//! For seeded traffic scenarios — the bad hour, quiet, low traffic, no data
//! in a window, counts landing exactly on each tier's boundary, series that
//! are absent, reset, missed by a scrape or created mid-window — the test
//! feeds the same per-minute events to the Rust policy (a `WindowedSli`
//! evaluated every minute) and, as counter series, to `promtool test rules`
//! over the rules `slo-rules` writes, with one expectation per tier per
//! evaluated minute taken from the Rust decision. promtool fails if any alert
//! fires at a minute the Rust policy says it does not, or the other way
//! round. A last test shows the check has teeth: the same boundary scenario
//! with the threshold written as `1 * (1 - 0.9999)` makes promtool disagree.
//!
//! Without `promtool` the tests say they skipped; under `CI=true` that is a
//! failure.
// Wall-clock time is allowed here: promtool runs as a real process with real deadlines.
#![allow(clippy::disallowed_methods)]
#![cfg(feature = "solution")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use incident::burn::{BurnDecision, BurnPolicy, BurnTier, WindowBurns};
use incident::window::{days, minutes};
use incident::{evaluate, Slo, WindowedSli};
use labkit::{SimClock, SimRng};
use slo_rules::{alert_name, render, Comparison, Counters, NO_TRAFFIC, SLI_ABSENT};

/// Minutes of traffic, each one evaluated. The counters start at 0 at
/// minute 0, so a window reaching back before minute 0 is the whole history
/// on both sides: the Rust `WindowedSli` counts from its origin, and
/// Prometheus, seeing a counter whose first sample is 0, takes it to have
/// started there and extrapolates nothing. A window that fits (5m to 6h
/// after the first hours) has a sample on both of its edges, so again no
/// extrapolation: `increase` is the exact difference of two counts.
const MINUTES: u64 = 480;

/// promtool (`PROMTOOL_BIN` names another), or `None` after saying the
/// test skipped; under `CI=true` a missing promtool fails the test.
fn promtool_or_skip(test: &str) -> Option<PathBuf> {
    labkit::tools::find_or_skip(
        test,
        "PROMTOOL_BIN",
        &["promtool"],
        "apt-get install prometheus",
    )
}

/// One scenario: an SLO target, the good/bad events of every minute
/// `1..=MINUTES`, and how the counters carrying them look to Prometheus.
struct Scenario {
    name: String,
    target: f64,
    minutes: Vec<(u64, u64)>,
    shape: Shape,
}

/// How the two counters are exported and scraped, beyond their values.
#[derive(Debug, Clone, Default)]
struct Shape {
    /// No `sli_good_total` series at all: a labelled counter that the client
    /// library creates on its first increment, in a scenario with no good
    /// event (a total outage).
    good_absent: bool,
    /// No `sli_valid_total` series either: nothing exported at all.
    valid_absent: bool,
    /// The minute of `sli_good_total`'s first sample, when the series does
    /// not exist before it: a labelled counter created by its first
    /// increment, after a total outage in which nothing succeeded. Its first
    /// sample holds that minute's good events, not 0.
    good_from: Option<u64>,
    /// Minutes at which the process restarted just after the previous
    /// scrape: both counters start again from 0, so the sample holds only
    /// that minute's events.
    resets: BTreeSet<u64>,
    /// Minutes whose scrape failed: no sample of either counter (the events
    /// show up in the next sample).
    gaps: BTreeSet<u64>,
}

impl Scenario {
    fn new(name: String, target: f64, f: impl FnMut(u64) -> (u64, u64)) -> Self {
        Self {
            name,
            target,
            minutes: (1..=MINUTES).map(f).collect(),
            shape: Shape::default(),
        }
    }

    /// The same traffic with the good counter never created; refuses a
    /// scenario with good events (they would create it).
    fn without_good_series(mut self) -> Self {
        assert!(self.minutes.iter().all(|(g, _)| *g == 0), "{}", self.name);
        self.shape.good_absent = true;
        self
    }

    /// The good counter created by its first increment: no series before
    /// the first minute with a good event, which must come after a total
    /// outage (no good event before it, and not at minute 1).
    fn with_good_series_from_first_success(mut self) -> Self {
        let first = self
            .minutes
            .iter()
            .position(|(g, _)| *g > 0)
            .map(|i| i as u64 + 1);
        assert!(first.is_some_and(|m| m > 1), "{}", self.name);
        self.shape.good_from = first;
        self
    }

    /// Nothing exported: only for a scenario without any events.
    fn without_any_series(mut self) -> Self {
        assert!(
            self.minutes.iter().all(|(g, b)| g + b == 0),
            "{}",
            self.name
        );
        self.shape.good_absent = true;
        self.shape.valid_absent = true;
        self
    }

    /// Restarts at `minutes`, keeping only those Prometheus can see: a
    /// restart shows as a counter going down, so a counter that had counted
    /// something must come back lower than it was (a restart it cannot see
    /// is a known limit of `increase`, not something the rules can fix).
    fn with_resets(mut self, minutes: impl IntoIterator<Item = u64>) -> Self {
        for m in minutes {
            if !(2..=MINUTES).contains(&m) || self.shape.gaps.contains(&(m - 1)) {
                continue;
            }
            self.shape.resets.insert(m);
            let visible = [self.good_samples(), self.valid_samples()].iter().all(|s| {
                match (s[m as usize - 1], s[m as usize]) {
                    (Some(before), Some(after)) => before == 0 || after < before,
                    _ => false,
                }
            });
            if !visible {
                self.shape.resets.remove(&m);
            }
        }
        self
    }

    /// Failed scrapes of at most 4 minutes each (shorter than the 5-minute
    /// staleness, so the series never looks absent), starting at `starts`,
    /// never on a restart or the minute before one.
    fn with_gaps(mut self, starts: impl IntoIterator<Item = (u64, u64)>) -> Self {
        for (start, len) in starts {
            for m in start..start + len.clamp(1, 4) {
                if (30..=MINUTES).contains(&m)
                    && !self.shape.resets.contains(&m)
                    && !self.shape.resets.contains(&(m + 1))
                {
                    self.shape.gaps.insert(m);
                }
            }
        }
        self
    }

    /// The counter samples at minutes `0..=MINUTES` (`None`: no sample).
    fn samples(&self, per_minute: impl Iterator<Item = u64>) -> Vec<Option<u64>> {
        let mut out = vec![Some(0)];
        let mut counter = 0u64;
        for (i, v) in per_minute.enumerate() {
            let m = i as u64 + 1;
            if self.shape.resets.contains(&m) {
                counter = 0;
            }
            counter += v;
            out.push((!self.shape.gaps.contains(&m)).then_some(counter));
        }
        out
    }

    fn valid_samples(&self) -> Vec<Option<u64>> {
        self.samples(self.minutes.iter().map(|(g, b)| g + b))
    }

    fn good_samples(&self) -> Vec<Option<u64>> {
        let mut samples = self.samples(self.minutes.iter().map(|(g, _)| *g));
        if let Some(first) = self.shape.good_from {
            for sample in samples.iter_mut().take(first as usize) {
                *sample = None;
            }
        }
        samples
    }

    /// Whether the exactness argument holds for a range `window` ending at
    /// minute `m`: a sample on both of its edges (or, for a range reaching
    /// back before minute 0, on its right edge, the counter starting at 0).
    fn edges_sampled(&self, m: u64, window: u64) -> bool {
        !self.shape.gaps.contains(&m) && (window >= m || !self.shape.gaps.contains(&(m - window)))
    }

    fn slo(&self) -> Slo {
        Slo::new("availability", self.target, days(30)).expect("a valid SLO")
    }

    /// The tiers the Rust policy fires at each evaluated minute.
    fn rust_decisions(&self) -> BTreeMap<u64, BTreeSet<String>> {
        self.rust_minutes()
            .into_iter()
            .map(|(m, (firing, _))| (m, firing))
            .collect()
    }

    /// The minutes at which the Rust policy says `NoData` (no tier judged).
    fn rust_no_data(&self) -> BTreeSet<u64> {
        self.rust_minutes()
            .into_iter()
            .filter(|(_, (_, no_data))| *no_data)
            .map(|(m, _)| m)
            .collect()
    }

    /// Per evaluated minute: the tiers fired, and whether the decision was
    /// `NoData`.
    fn rust_minutes(&self) -> BTreeMap<u64, (BTreeSet<String>, bool)> {
        let slo = self.slo();
        let policy = BurnPolicy::for_slo(&slo);
        let t0 = SimClock::course_epoch();
        let mut sli = WindowedSli::per_minute(t0, &policy.windows()).expect("windows");
        let mut out = BTreeMap::new();
        for (i, (good, bad)) in self.minutes.iter().enumerate() {
            let m = i as u64 + 1;
            let at = t0 + minutes(m as i64);
            sli.record(at, *good, *bad).expect("in order");
            {
                let counts = sli.counts_at(at).expect("in order");
                let burns = WindowBurns::from_counts(&slo, &counts);
                let decision = evaluate(&policy, &burns);
                let firing: BTreeSet<String> = match &decision {
                    BurnDecision::Notify(a) => std::iter::once(a.tier.name.clone())
                        .chain(a.also_firing.iter().cloned())
                        .collect(),
                    _ => BTreeSet::new(),
                };
                out.insert(m, (firing, matches!(decision, BurnDecision::NoData)));
            }
        }
        out
    }
}

/// A counter's samples in promtool's notation: runs with one increment
/// become `start+stepxN`, a missing sample is `_`.
fn series_values(samples: &[Option<u64>]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < samples.len() {
        let Some(first) = samples[i] else {
            parts.push("_".to_string());
            i += 1;
            continue;
        };
        // The longest run from i with a constant, non-negative step.
        let mut j = i;
        let step = match samples.get(i + 1) {
            Some(Some(next)) if *next >= first => Some(next - first),
            _ => None,
        };
        if let Some(step) = step {
            while let Some(Some(next)) = samples.get(j + 1) {
                match samples[j] {
                    Some(cur) if *next >= cur && next - cur == step => j += 1,
                    _ => break,
                }
            }
        }
        if j > i {
            parts.push(format!("{first}+{}x{}", step.unwrap_or(0), j - i));
        } else {
            parts.push(first.to_string());
        }
        i = j + 1;
    }
    parts.join(" ")
}

fn test_file(rules: &str, scenarios: &[&Scenario], policy: &BurnPolicy) -> String {
    let mut y = format!("rule_files: [{rules}]\nevaluation_interval: 1m\ntests:\n");
    for s in scenarios {
        y.push_str(&format!(
            "  - name: '{}'\n    interval: 1m\n    input_series:\n",
            s.name
        ));
        if !s.shape.valid_absent {
            y.push_str(&format!(
                "      - series: 'sli_valid_total'\n        values: '{}'\n",
                series_values(&s.valid_samples())
            ));
        }
        if !s.shape.good_absent {
            y.push_str(&format!(
                "      - series: 'sli_good_total'\n        values: '{}'\n",
                series_values(&s.good_samples())
            ));
        }
        if s.shape.good_absent && s.shape.valid_absent {
            // promtool wants at least one series: an unrelated one.
            y.push_str("      - series: 'up'\n        values: '1+0x480'\n");
        }
        y.push_str("    alert_rule_test:\n");
        let no_data = s.rust_no_data();
        for m in 1..=MINUTES {
            if s.shape.gaps.contains(&m) {
                continue;
            }
            y.push_str(&format!(
                "      - eval_time: {m}m\n        alertname: {NO_TRAFFIC}\n"
            ));
            if no_data.contains(&m) {
                y.push_str(&format!(
                    "        exp_alerts:\n          - exp_labels: {{severity: ticket, slo: availability}}\n            exp_annotations: {{summary: 'no valid events over {}, no burn tier can be judged (SLO availability)'}}\n",
                    incident::window::span(quiet_window(policy)),
                ));
            } else {
                y.push_str("        exp_alerts: []\n");
            }
            y.push_str(&format!(
                "      - eval_time: {m}m\n        alertname: {SLI_ABSENT}\n"
            ));
            if s.shape.valid_absent {
                y.push_str("        exp_alerts:\n          - exp_labels: {severity: page, slo: availability}\n            exp_annotations: {summary: 'sli_valid_total is not exported or not scraped, the burn tiers are blind (SLO availability)'}\n");
            } else {
                y.push_str("        exp_alerts: []\n");
            }
        }
        for (m, firing) in s.rust_decisions() {
            for tier in policy.tiers() {
                let sampled = s.edges_sampled(m, tier.long.num_minutes() as u64)
                    && s.edges_sampled(m, tier.short.num_minutes() as u64)
                    && s.shape.good_from != Some(m);
                if !sampled {
                    continue;
                }
                y.push_str(&tier_expectation(m, tier, firing.contains(&tier.name)));
            }
        }
    }
    y
}

/// promtool's expectation that `tier`'s alert is firing (or not) at minute
/// `m`, with the labels and summary the rules give it.
fn tier_expectation(m: u64, tier: &BurnTier, firing: bool) -> String {
    let mut y = format!(
        "      - eval_time: {m}m\n        alertname: {}\n",
        alert_name(tier)
    );
    if firing {
        let severity = if tier.notification == incident::Notification::Page {
            "page"
        } else {
            "ticket"
        };
        y.push_str(&format!(
            "        exp_alerts:\n          - exp_labels: {{severity: {severity}, tier: {}, slo: availability}}\n            exp_annotations: {{summary: 'burn above {} over {} and {} (SLO availability)'}}\n",
            tier.name,
            tier.threshold,
            incident::window::span(tier.long),
            incident::window::span(tier.short),
        ));
    } else {
        y.push_str("        exp_alerts: []\n");
    }
    y
}

/// The longest short window: no traffic in it means no tier can be judged.
fn quiet_window(policy: &BurnPolicy) -> chrono::TimeDelta {
    policy
        .tiers()
        .iter()
        .map(|t| t.short)
        .max()
        .expect("a policy has tiers")
}

/// Runs promtool on `scenarios` (one target) with `rules`; the output and
/// whether it passed.
fn promtool(bin: &Path, dir: &Path, rules: &str, scenarios: &[&Scenario]) -> (bool, String) {
    let policy = BurnPolicy::for_slo(&scenarios[0].slo());
    std::fs::write(dir.join("rules.yml"), rules).expect("write rules");
    let check = Command::new(bin)
        .arg("check")
        .arg("rules")
        .arg(dir.join("rules.yml"))
        .output()
        .expect("run promtool check rules");
    assert!(
        check.status.success(),
        "promtool check rules refused the rules:\n{}{}\n{rules}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    std::fs::write(
        dir.join("test.yml"),
        test_file("rules.yml", scenarios, &policy),
    )
    .expect("write tests");
    let out = Command::new(bin)
        .arg("test")
        .arg("rules")
        .arg(dir.join("test.yml"))
        .output()
        .expect("run promtool test rules");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slo-rules-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn rules_for(target: f64) -> String {
    let slo = Slo::new("availability", target, days(30)).expect("a valid SLO");
    render(
        &BurnPolicy::for_slo(&slo),
        &slo,
        &Counters::default(),
        Comparison::REFERENCE,
        "test",
    )
    .expect("the workbook policy renders")
}

/// Events per minute that land exactly on tier `k`'s boundary at `target`:
/// `bad / valid = threshold × budget`.
fn on_boundary(target: f64, k: usize) -> (u64, u64) {
    let slo = Slo::new("a", target, days(30)).expect("a valid SLO");
    let policy = BurnPolicy::for_slo(&slo);
    let tier = &policy.tiers()[k];
    let product = tier
        .threshold
        .checked_mul(slo.exact_budget())
        .expect("small numbers");
    let (bad, valid) = product.parts();
    (valid as u64 - bad as u64, bad as u64)
}

/// Half-hour segments of seeded traffic and error ratio.
fn seeded_segments(mut r: SimRng) -> impl FnMut(u64) -> (u64, u64) {
    let mut level = (1000u64, 0u64);
    move |m| {
        if m % 30 == 0 || m == 1 {
            let valid = [0, 5, 100, 1000, 5000][r.below(5) as usize];
            let per_10k = [0, 1, 10, 50, 300, 2000][r.below(6) as usize];
            level = (valid, valid * per_10k / 10_000);
        }
        (level.0 - level.1, level.1)
    }
}

fn scenarios() -> Vec<Scenario> {
    let mut rng = SimRng::seed(3131);
    let targets: [f64; 3] = [0.99, 0.999, 0.9999];
    let mut out = Vec::new();
    let e0 = 30;
    for n in 0..20u64 {
        let target = targets[(n % 3) as usize];
        let budget_bad_per_10k = ((1.0 - target) * 10_000.0).round() as u64;
        let kind = n % 6;
        let seed = rng.below(1_000_000);
        let mut r = SimRng::seed(seed);
        let s = match kind {
            // The bad hour: 20% errors for an hour inside the evaluated span.
            0 => {
                let start = e0 + r.between(0, 300);
                Scenario::new(format!("bad hour {n} at {target}"), target, move |m| {
                    if (start..start + 60).contains(&m) {
                        (800, 200)
                    } else {
                        (1000, 0)
                    }
                })
            }
            // Quiet: errors well under the budget.
            1 => Scenario::new(format!("quiet {n} at {target}"), target, move |_| {
                let bad = r.below(budget_bad_per_10k.max(1));
                (10_000 - bad, bad)
            }),
            // Low traffic: a few requests a minute, the odd one failing.
            2 => Scenario::new(format!("low traffic {n} at {target}"), target, move |_| {
                let valid = r.below(4);
                let bad = u64::from(valid > 0 && r.chance(0.05));
                (valid - bad, bad)
            }),
            // No data: no traffic for the first half hour (every window empty),
            // then a 10% error rate that stops for 20 minutes (the 5m window empties).
            3 => {
                let gap = e0 + r.between(60, 300);
                Scenario::new(format!("no data {n} at {target}"), target, move |m| {
                    if m < e0 || (gap..gap + 20).contains(&m) {
                        (0, 0)
                    } else {
                        (90, 10)
                    }
                })
            }
            // Exactly on a tier's boundary in every window, then one more
            // bad event a minute for a while: not above, then above.
            4 => {
                let k = (n / 6) as usize % 4;
                let (good, bad) = on_boundary(target, k);
                let from = e0 + r.between(60, 300);
                Scenario::new(
                    format!("boundary of tier {k} {n} at {target}"),
                    target,
                    move |m| {
                        if (from..from + 10).contains(&m) {
                            (good - 1, bad + 1)
                        } else {
                            (good, bad)
                        }
                    },
                )
            }
            // Seeded segments of traffic and error ratio.
            _ => Scenario::new(
                format!("seeded {n} at {target}"),
                target,
                seeded_segments(r),
            ),
        };
        out.push(s);
    }
    // The shapes of real exports: a good counter never created during a
    // total outage, nothing exported at all, restarts, failed scrapes.
    for n in 0..18u64 {
        let target = targets[(n % 3) as usize];
        let mut r = SimRng::seed(rng.below(1_000_000));
        let restarts: Vec<u64> = (0..r.between(2, 6))
            .map(|_| r.between(2, MINUTES))
            .collect();
        let failed: Vec<(u64, u64)> = (0..r.between(2, 7))
            .map(|_| (r.between(30, MINUTES), r.between(1, 4)))
            .collect();
        let s = match n % 6 {
            0 => {
                let from = r.between(0, 120);
                let rpm = [1, 7, 100, 5000][r.below(4) as usize];
                Scenario::new(
                    format!("outage without good series {n} at {target}"),
                    target,
                    move |m| (0, if m >= from { rpm } else { 0 }),
                )
                .without_good_series()
            }
            1 => Scenario::new(format!("nothing exported {n} at {target}"), target, |_| {
                (0, 0)
            })
            .without_any_series(),
            2 => Scenario::new(
                format!("restarts {n} at {target}"),
                target,
                seeded_segments(SimRng::seed(r.below(1_000_000))),
            )
            .with_resets(restarts),
            3 => Scenario::new(
                format!("failed scrapes {n} at {target}"),
                target,
                seeded_segments(SimRng::seed(r.below(1_000_000))),
            )
            .with_gaps(failed),
            4 => {
                let start = e0 + r.between(0, 300);
                Scenario::new(
                    format!("bad hour with restarts and failed scrapes {n} at {target}"),
                    target,
                    move |m| {
                        if (start..start + 60).contains(&m) {
                            (800, 200)
                        } else {
                            (1000, 0)
                        }
                    },
                )
                .with_resets(restarts)
                .with_gaps(failed)
            }
            _ => {
                let rpm = r.between(1, 50);
                Scenario::new(
                    format!(
                        "outage without good series, restarts and failed scrapes {n} at {target}"
                    ),
                    target,
                    move |_| (0, rpm),
                )
                .without_good_series()
                .with_resets(restarts)
                .with_gaps(failed)
            }
        };
        out.push(s);
    }
    // A good series that first appears mid-window: a total outage in which
    // the good counter was never created, then a recovery that creates it
    // with its first increment. Recoveries at a steady rate with a few
    // errors, ramping up, and half-hearted (half the requests still
    // failing), early (inside the 5m and 1h windows) or late, at each target.
    for n in 0..9u64 {
        let target = targets[(n / 3) as usize];
        let mut r = SimRng::seed(rng.below(1_000_000));
        let first = if n % 2 == 0 {
            r.between(3, 40)
        } else {
            r.between(60, 300)
        };
        let rpm = [1, 7, 100, 5000][r.below(4) as usize];
        let kind = ["steady", "ramping", "half failing"][(n % 3) as usize];
        let recovery = move |m: u64| match n % 3 {
            0 => (rpm - rpm / 100, rpm / 100),
            1 => (rpm.min(m - first + 1), 0),
            _ => (rpm / 2 + 1, rpm - rpm / 2),
        };
        out.push(
            Scenario::new(
                format!("good series from minute {first}, {kind} {n} at {target}"),
                target,
                move |m| if m < first { (0, rpm) } else { recovery(m) },
            )
            .with_good_series_from_first_success(),
        );
    }
    // The same on each tier's exact boundary: two minutes of total outage
    // (B bad events each), then G good events a minute, with B / (B + G)
    // the tier's threshold × budget. A minute after the good series
    // appears, every window holds 2B bad of 2B + 2G: on the boundary, so the
    // tier is quiet, and it would fire if Prometheus lost the new series'
    // first increment. Nothing before the outage: the windows hold only it.
    for target in targets {
        for k in 0..4 {
            let (good, bad) = on_boundary(target, k);
            let first = 40 + 10 * k as u64;
            out.push(
                Scenario::new(
                    format!(
                        "good series from minute {first} on the boundary of tier {k} at {target}"
                    ),
                    target,
                    move |m| match m {
                        m if m + 2 < first => (0, 0),
                        m if m < first => (0, bad),
                        _ => (good, 0),
                    },
                )
                .with_good_series_from_first_success(),
            );
        }
    }
    // And every tier's exact boundary at 99.99%, held throughout.
    for k in 0..4 {
        let (good, bad) = on_boundary(0.9999, k);
        out.push(Scenario::new(
            format!("exactly at tier {k} at 0.9999"),
            0.9999,
            move |_| (good, bad),
        ));
    }
    out
}

#[test]
fn promtool_fires_each_tier_exactly_when_the_rust_policy_does() {
    let Some(bin) = promtool_or_skip("promtool_fires_each_tier_exactly_when_the_rust_policy_does")
    else {
        return;
    };
    let started = Instant::now();
    let all = scenarios();
    assert!(all.len() >= 20);
    let mut compared = 0usize;
    let mut fired = 0usize;
    let (mut skipped, mut shaped, mut restarts, mut failed) = (0usize, 0usize, 0usize, 0usize);
    let mut created = 0usize;
    let targets: BTreeSet<String> = all.iter().map(|s| s.target.to_string()).collect();
    for target in targets {
        let group: Vec<&Scenario> = all
            .iter()
            .filter(|s| s.target.to_string() == target)
            .collect();
        let t: f64 = target.parse().expect("a target");
        let slo = Slo::new("availability", t, days(30)).expect("a valid SLO");
        let policy = BurnPolicy::for_slo(&slo);
        let mut shapes = 0;
        for s in &group {
            let file = test_file("rules.yml", &[s], &policy);
            let n = file.matches("alertname:").count();
            compared += n;
            fired += file.matches("exp_labels:").count();
            let possible = MINUTES as usize * (policy.tiers().len() + 2);
            skipped += possible - n;
            created += usize::from(s.shape.good_from.is_some());
            if s.shape.good_absent
                || s.shape.good_from.is_some()
                || !s.shape.resets.is_empty()
                || !s.shape.gaps.is_empty()
            {
                shapes += 1;
                restarts += s.shape.resets.len();
                failed += s.shape.gaps.len();
            }
        }
        shaped += shapes;
        let dir = scratch(&target);
        let (ok, text) = promtool(&bin, &dir, &rules_for(t), &group);
        if std::env::var_os("KEEP_PROMTOOL_FILES").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        assert!(
            ok,
            "promtool disagrees with the Rust policy at SLO {target}:\n{text}"
        );
    }
    assert!(
        fired > 0 && fired < compared,
        "the scenarios both fire and stay quiet"
    );
    assert!(
        shaped >= 39 && created >= 21 && restarts > 0 && failed > 0 && skipped > 0,
        "absent series, good series created mid-window, restarts and failed scrapes were all exercised"
    );
    eprintln!(
        "promtool differential: {} scenarios ({} with absent series, a good series created \
         mid-window, restarts or failed scrapes: {} created, {} restarts, {} failed scrapes), \
         {} (minute, alert) decisions agreed ({} firing), {} not compared (a window edge on a \
         failed scrape, or the minute a good series appears) in {:.1} s",
        all.len(),
        shaped,
        created,
        restarts,
        failed,
        compared,
        fired,
        skipped,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn a_threshold_written_as_float_arithmetic_fires_on_the_boundary() {
    let Some(bin) =
        promtool_or_skip("a_threshold_written_as_float_arithmetic_fires_on_the_boundary")
    else {
        return;
    };
    let (good, bad) = on_boundary(0.9999, 3);
    let s = Scenario::new("exactly 1x at 0.9999".into(), 0.9999, move |_| (good, bad));
    assert!(
        s.rust_decisions().values().all(BTreeSet::is_empty),
        "exactly at the threshold, the Rust policy stays quiet"
    );
    let exact = rules_for(0.9999);
    let float = exact.replace("> 0.0001", "> 1 * (1 - 0.9999)");
    assert_ne!(exact, float);
    let dir = scratch("float");
    let (ok_exact, _) = promtool(&bin, &dir, &exact, &[&s]);
    let (ok_float, text) = promtool(&bin, &dir, &float, &[&s]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ok_exact, "the exact literal agrees with the Rust policy");
    assert!(
        !ok_float && text.contains("SloBurnTicket3d"),
        "with `1 * (1 - 0.9999)` Prometheus pages on a burn of exactly 1:\n{text}"
    );
}

#[test]
fn promtool_accepts_the_rule_file_the_command_writes() {
    let Some(bin) = promtool_or_skip("promtool_accepts_the_rule_file_the_command_writes") else {
        return;
    };
    let dir = scratch("command");
    for target in ["0.99", "0.999", "0.9999"] {
        // What `cargo xtask rules m31 --target …` runs.
        let out = Command::new(env!("CARGO_BIN_EXE_slo-rules"))
            .args(["--target", target])
            .output()
            .expect("run slo-rules");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = dir.join(format!("rules-{target}.yml"));
        std::fs::write(&file, &out.stdout).expect("write rules");
        let check = Command::new(&bin)
            .args(["check", "rules"])
            .arg(&file)
            .output()
            .expect("run promtool check rules");
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success() && said.contains("SUCCESS: 13 rules found"),
            "{said}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The total outage: `sli_valid_total` rising, every request
/// failing, and no `sli_good_total` series at all (a labelled counter is
/// created on its first increment, and there is none). The Rust policy pages
/// within minutes; the rules must too.
#[test]
fn a_total_outage_without_a_good_series_pages_when_the_rust_policy_does() {
    let Some(bin) =
        promtool_or_skip("a_total_outage_without_a_good_series_pages_when_the_rust_policy_does")
    else {
        return;
    };
    for target in [0.99, 0.999, 0.9999] {
        let s = Scenario::new(
            format!("total outage, no good series, at {target}"),
            target,
            |_| (0, 100),
        )
        .without_good_series();
        let first_page = s
            .rust_decisions()
            .into_iter()
            .find(|(_, firing)| !firing.is_empty())
            .map(|(m, _)| m);
        assert!(
            first_page.is_some_and(|m| m <= 10),
            "the Rust policy pages within 10 minutes: {first_page:?}"
        );
        let dir = scratch(&format!("outage-{target}"));
        let (ok, text) = promtool(&bin, &dir, &rules_for(target), &[&s]);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            ok,
            "with no good series promtool disagrees with the Rust policy at {target}:\n{}",
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The generator has teeth for the outage: with the ratio written
/// the old way (`valid − good`, no fallback for a missing good series),
/// promtool disagrees on the generated outage scenarios.
#[test]
fn the_generated_outages_catch_a_ratio_without_the_missing_good_fallback() {
    let Some(bin) =
        promtool_or_skip("the_generated_outages_catch_a_ratio_without_the_missing_good_fallback")
    else {
        return;
    };
    let all = scenarios();
    let outages: Vec<&Scenario> = all
        .iter()
        .filter(|s| s.target == 0.99 && s.shape.good_absent && !s.shape.valid_absent)
        .collect();
    assert!(!outages.is_empty());
    let fixed = rules_for(0.99);
    let old = fixed.replace(
        "(sum(increase(sli_good_total[1h])) or sum(increase(sli_valid_total[1h])) * 0)",
        "sum(increase(sli_good_total[1h]))",
    );
    assert_ne!(fixed, old);
    let dir = scratch("old-ratio");
    let (ok_fixed, _) = promtool(&bin, &dir, &fixed, &outages);
    let (ok_old, text) = promtool(&bin, &dir, &old, &outages);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ok_fixed, "the rules as written agree on every outage");
    assert!(
        !ok_old && text.contains("SloBurnPage1h"),
        "without the fallback the 1h page stays silent through the outage:\n{text}"
    );
}

/// `SloSliAbsent` after a scrape that stops for good: the valid counter has
/// samples for an hour, then none (the process died, or its scrape broke).
/// Prometheus keeps the last sample for its 5-minute lookback, so the alert
/// is quiet two minutes after the last sample and firing ten minutes after;
/// the burn tiers, meanwhile, see no series and cannot fire. (The exact
/// minute, at the lookback's edge, is not asserted.)
#[test]
fn a_valid_counter_that_stops_being_scraped_pages_as_absent() {
    let Some(bin) = promtool_or_skip("a_valid_counter_that_stops_being_scraped_pages_as_absent")
    else {
        return;
    };
    let dir = scratch("stops");
    std::fs::write(dir.join("rules.yml"), rules_for(0.999)).expect("write rules");
    let expect = |m: u64, firing: bool| {
        let alerts = if firing {
            "\n          - exp_labels: {severity: page, slo: availability}\n            exp_annotations: {summary: 'sli_valid_total is not exported or not scraped, the burn tiers are blind (SLO availability)'}"
        } else {
            " []"
        };
        format!("      - eval_time: {m}m\n        alertname: {SLI_ABSENT}\n        exp_alerts:{alerts}\n")
    };
    let mut test = "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - name: 'scrape stops at 60m'\n    interval: 1m\n    input_series:\n      - series: 'sli_valid_total'\n        values: '0+100x60'\n      - series: 'sli_good_total'\n        values: '0+100x60'\n    alert_rule_test:\n".to_string();
    for (m, firing) in [
        (30, false),
        (60, false),
        (62, false),
        (70, true),
        (120, true),
    ] {
        test.push_str(&expect(m, firing));
    }
    std::fs::write(dir.join("test.yml"), &test).expect("write test");
    let out = Command::new(&bin)
        .args(["test", "rules"])
        .arg(dir.join("test.yml"))
        .output()
        .expect("run promtool test rules");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What the differential leaves out for a good series created mid-window,
/// and why. At the minute it appears the series has one sample, and
/// `increase` of one sample is empty, so the rules count no good event in
/// any window (the fallback's zero): Prometheus sees the outage one minute
/// longer than the Rust policy, which counts that minute's successes. Here
/// (99%, two minutes of 3 failures, then 97 successes a minute from minute
/// 60) the Rust policy has stopped the 6h page at minute 60 and Prometheus
/// still fires it. From the next minute on, Prometheus 2.x extrapolates a
/// counter's first sample back towards zero (at the rate that follows,
/// when that is within 1.1 scrape intervals) and counts the first
/// increment again, exactly: at minute 61 both sit exactly on the 1d
/// ticket's boundary and stay quiet, and a series one increment short (its
/// first sample 0 instead of 97) makes that ticket fire.
#[test]
fn a_good_series_created_mid_window_is_late_by_its_first_minute_only() {
    let Some(bin) =
        promtool_or_skip("a_good_series_created_mid_window_is_late_by_its_first_minute_only")
    else {
        return;
    };
    let all = scenarios();
    let s = all
        .iter()
        .find(|s| s.name == "good series from minute 60 on the boundary of tier 2 at 0.99")
        .expect("the boundary scenario");
    // Minutes 57 to 60 (`minutes[0]` is minute 1).
    assert_eq!(s.minutes[56..60], [(0, 0), (0, 3), (0, 3), (97, 0)]);
    let policy = BurnPolicy::for_slo(&s.slo());
    let [_, page_6h, ticket_1d, _] = policy.tiers() else {
        panic!("the workbook's four tiers");
    };
    let rust = s.rust_decisions();
    assert!(rust[&59].contains(&page_6h.name) && !rust[&60].contains(&page_6h.name));
    assert!(rust[&60].contains(&ticket_1d.name) && !rust[&61].contains(&ticket_1d.name));

    let run = |good: &str, expectations: &[String]| {
        let test = format!(
            "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - name: 'created at 60m'\n    interval: 1m\n    input_series:\n      - series: 'sli_valid_total'\n        values: '{}'\n      - series: 'sli_good_total'\n        values: '{good}'\n    alert_rule_test:\n{}",
            series_values(&s.valid_samples()),
            expectations.concat()
        );
        let dir = scratch("created-late");
        std::fs::write(dir.join("rules.yml"), rules_for(0.99)).expect("write rules");
        std::fs::write(dir.join("test.yml"), &test).expect("write test");
        let out = Command::new(&bin)
            .args(["test", "rules"])
            .arg(dir.join("test.yml"))
            .output()
            .expect("run promtool test rules");
        let _ = std::fs::remove_dir_all(&dir);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let good = series_values(&s.good_samples());
    assert!(
        good.starts_with("_ ") && good.ends_with("97+97x420"),
        "{good}"
    );
    // Minute 60: Prometheus fires the 6h page the Rust policy has stopped.
    let (ok, text) = run(&good, &[tier_expectation(60, page_6h, true)]);
    assert!(ok, "at the creation minute Prometheus still pages:\n{text}");
    let (ok, _) = run(&good, &[tier_expectation(60, page_6h, false)]);
    assert!(!ok, "so minute 60 cannot be compared");
    // Minute 61: exactly on the 1d ticket's boundary, quiet on both sides.
    let on_boundary = [
        tier_expectation(61, page_6h, false),
        tier_expectation(61, ticket_1d, false),
    ];
    let (ok, text) = run(&good, &on_boundary);
    assert!(
        ok,
        "a minute later the first increment counts again:\n{text}"
    );
    let short = good.replace("97+97x420", "0+97x420");
    let (ok, text) = run(&short, &on_boundary);
    assert!(
        !ok && text.contains(&alert_name(ticket_1d)),
        "one increment short, the ticket fires on the boundary:\n{text}"
    );
}

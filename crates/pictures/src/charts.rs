//! The pictures themselves: one function per chart, each turning the data
//! of [`crate::data`] into an SVG document.
//!
//! Every chart reads only its data argument, so the same function draws the
//! reference run and a learner's run; [`all`] draws a whole course.

use crate::data::{Course, Event, M31, M32, M33, M34};
use crate::svg::{hhmm, n, Anchor, Scale, Svg, GREY, LIGHT, LIMIT, PALETTE};

/// One finished picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// File name, e.g. `m31-burn.svg`.
    pub file: &'static str,
    /// The module it belongs to (`m31` …).
    pub module: &'static str,
    /// A caption: what to look at.
    pub caption: &'static str,
    /// The SVG document.
    pub svg: String,
}

/// Every picture of a course run, in book order. A module whose run did not
/// complete gets a picture that says why, so a page never shows a broken
/// image.
pub fn all(course: &Course) -> Vec<Picture> {
    let mut out = Vec::new();
    let mut add = |file, module, caption, svg| {
        out.push(Picture {
            file,
            module,
            caption,
            svg,
        })
    };
    let who = course.label.as_str();
    add(
        "m31-burn.svg",
        "m31",
        "The bad hour: the SLI falls through the SLO when v2 goes live; the burn over each tier's long window climbs toward its threshold, and the 1-hour page tier fires first. The rollback ends the impact and the 5-minute SLI recovers within minutes.",
        match &course.m31 {
            Ok(d) => m31_burn(d, who),
            Err(e) => missing("M31: the bad hour", e),
        },
    );
    let (storm, funnel) = match &course.m32 {
        Ok(d) => (m32_storm(d, who), m32_reduction(d, who)),
        Err(e) => (
            missing("M32: the storm", e),
            missing("M32: the reduction", e),
        ),
    };
    add(
        "m32-storm.svg",
        "m32",
        "The storm: every alert record on the row of the alert it deduplicates into, coloured by the incident it was correlated into; rings are alerts muted by inhibition.",
        storm,
    );
    add(
        "m32-reduction.svg",
        "m32",
        "The reduction: records, distinct alerts, alerts left after inhibition, incidents.",
        funnel,
    );
    let (ramp, rotation, sync) = match &course.m33 {
        Ok(d) => (m33_ramp(d, who), m33_rotation(d, who), m33_sync(d, who)),
        Err(e) => (
            missing("M33: the canary ramp", e),
            missing("M33: secret rotation", e),
            missing("M33: sync work", e),
        ),
    };
    add(
        "m33-ramp.svg",
        "m33",
        "The progressive canary: the candidate's share of traffic per stage, and its error rate against the budget. The bad candidate breaches at 50% and every request goes back to stable; the healthy one reaches 100%.",
        ramp,
    );
    add(
        "m33-rotation.svg",
        "m33",
        "Secret rotation: which secret the service accepts, minute by minute. With a grace window as long as the slowest client's refresh, no request fails; without one, every client fails until it refreshes.",
        rotation,
    );
    add(
        "m33-sync.svg",
        "m33",
        "Sync work: each sync embeds only what is new or changed; unchanged documents cost nothing, and a second sync of the same sources does no work at all.",
        sync,
    );
    add(
        "m34-shift.svg",
        "m34",
        "The whole shift on one timeline: the deploy, the storm, the ticket, the page, the rollback, the recovery, the postmortem, the canary of the fix and the gate. The first hour and a half is drawn wider than the rest.",
        match &course.m34 {
            Ok(d) => m34_shift(d, who),
            Err(e) => missing("M34: the shift", e),
        },
    );
    out
}

/// A placeholder for a run that did not complete.
pub fn missing(title: &str, why: &str) -> String {
    let mut s = Svg::new(720.0, 120.0, title);
    s.title(20.0, 30.0, title);
    s.text(
        20.0,
        60.0,
        "not drawn: this run did not complete.",
        13.0,
        Anchor::Start,
        "#444444",
    );
    let why: String = why.chars().take(110).collect();
    s.text(20.0, 85.0, &why, 12.0, Anchor::Start, LIMIT);
    s.finish()
}

fn subtitle(s: &mut Svg, x: f64, y: f64, who: &str, seed: u64) {
    s.text(
        x,
        y,
        &format!("{who} run, seed {seed}"),
        11.0,
        Anchor::Start,
        GREY,
    );
}

/// Horizontal grid lines with labels at `ticks` on a y scale.
fn y_grid(s: &mut Svg, y: &Scale, x0: f64, x1: f64, ticks: &[f64], fmt: impl Fn(f64) -> String) {
    for &t in ticks {
        let py = y.at(t);
        s.line((x0, py), (x1, py), LIGHT, 1.0, None);
        s.text(x0 - 6.0, py + 4.0, &fmt(t), 11.0, Anchor::End, "#444444");
    }
}

/// Vertical time ticks every `step` minutes on an x scale, labelled `+HH:MM`.
fn x_ticks(
    s: &mut Svg,
    x: &Scale,
    (y0, y1): (f64, f64),
    (from, to): (f64, f64),
    step: f64,
    labels: bool,
) {
    let mut t = (from / step).ceil() * step;
    while t <= to + 1e-9 {
        let px = x.at(t);
        s.line((px, y0), (px, y1), LIGHT, 1.0, None);
        if labels {
            // 16 below the axis: clear of a y label at the axis' foot.
            s.text(px, y1 + 16.0, &hhmm(t), 10.0, Anchor::Middle, "#444444");
        }
        t += step;
    }
}

// ---------------------------------------------------------------- M31

/// M31: the SLI against the SLO, and each tier's burn against its threshold.
pub fn m31_burn(d: &M31, who: &str) -> String {
    let (w, h) = (900.0, 560.0);
    let (x0, x1) = (70.0, 730.0);
    let mut s = Svg::new(
        w,
        h,
        "M31: the SLI through the SLO, and the burn-rate tiers",
    );
    s.title(
        x0,
        24.0,
        "M31 · the bad hour: SLI against the SLO, burn against each tier",
    );
    subtitle(&mut s, x0, 40.0, who, d.seed);
    let from = d.minutes.first().map(|m| m.t).unwrap_or(-60.0);
    let to = d
        .minutes
        .last()
        .map(|m| m.t)
        .unwrap_or(60.0)
        .max(from + 1.0);
    let x = Scale::new(from, to, x0, x1);

    // Panel 1: SLI.
    let (top, bottom) = (80.0, 270.0);
    let y = Scale::new(0.70, 1.0, bottom, top);
    s.rect(
        x.at(0.0),
        top,
        x.at(d.mitigated) - x.at(0.0),
        bottom - top,
        "#fbe9e7",
        None,
    );
    s.text(
        x.at(0.0) + 4.0,
        bottom - 6.0,
        "v2 live",
        10.0,
        Anchor::Start,
        LIMIT,
    );
    y_grid(&mut s, &y, x0, x1, &[0.7, 0.8, 0.9, 1.0], |v| {
        format!("{}%", n(v * 100.0))
    });
    x_ticks(&mut s, &x, (top, bottom), (from, to), 30.0, false);
    s.vtext(22.0, (top + bottom) / 2.0, "SLI", 12.0);
    let slo_y = y.at(d.slo);
    s.line((x0, slo_y), (x1, slo_y), LIMIT, 1.5, Some("6 4"));
    s.text(
        x1 + 6.0,
        slo_y + 4.0,
        &format!("SLO {}%", n(d.slo * 100.0)),
        11.0,
        Anchor::Start,
        LIMIT,
    );
    let series = |f: fn(&crate::data::Minute) -> Option<f64>| -> Vec<Option<(f64, f64)>> {
        d.minutes
            .iter()
            .map(|m| f(m).map(|v| (x.at(m.t), y.at(v))))
            .collect()
    };
    s.path(&series(|m| m.sli_5m), PALETTE[0], 1.5, None);
    s.path(&series(|m| m.sli_1h), PALETTE[1], 2.0, None);
    let legend_y = bottom - 40.0;
    s.line(
        (x1 + 6.0, legend_y),
        (x1 + 26.0, legend_y),
        PALETTE[0],
        1.5,
        None,
    );
    s.text(
        x1 + 30.0,
        legend_y + 4.0,
        "SLI over 5 min",
        11.0,
        Anchor::Start,
        "#222222",
    );
    s.line(
        (x1 + 6.0, legend_y + 16.0),
        (x1 + 26.0, legend_y + 16.0),
        PALETTE[1],
        2.0,
        None,
    );
    s.text(
        x1 + 30.0,
        legend_y + 20.0,
        "SLI over 1 hour",
        11.0,
        Anchor::Start,
        "#222222",
    );

    // Panel 2: long-window burn per tier against its threshold.
    let (top2, bottom2) = (310.0, 490.0);
    let ymax = 24.0;
    let y2 = Scale::new(0.0, ymax, bottom2, top2);
    y_grid(&mut s, &y2, x0, x1, &[0.0, 6.0, 12.0, 18.0, 24.0], |v| {
        format!("{}×", n(v))
    });
    x_ticks(&mut s, &x, (top2, bottom2), (from, to), 30.0, true);
    s.vtext(
        22.0,
        (top2 + bottom2) / 2.0,
        "burn over the long window",
        12.0,
    );
    for (i, tier) in d.tiers.iter().enumerate() {
        let c = PALETTE[i % PALETTE.len()];
        let pts: Vec<_> = d
            .minutes
            .iter()
            .map(|m| {
                m.long_burn
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|b| (x.at(m.t), y2.at(b)))
            })
            .collect();
        s.path(&pts, c, 1.5, None);
        let ty = y2.at(tier.threshold);
        s.line((x0, ty), (x1, ty), c, 1.0, Some("4 3"));
        let kind = if tier.page { "page" } else { "ticket" };
        let when = match tier.fired_at {
            Some(t) => format!("fired {}", hhmm(t)),
            None => "never fired".to_string(),
        };
        s.text(
            x1 + 6.0,
            top2 + 14.0 + 30.0 * i as f64,
            &format!("{} ({kind}) > {}×", tier.name, n(tier.threshold)),
            11.0,
            Anchor::Start,
            c,
        );
        s.text(
            x1 + 6.0,
            top2 + 27.0 + 30.0 * i as f64,
            &format!("  {when}"),
            11.0,
            Anchor::Start,
            c,
        );
        if let Some(t) = tier.fired_at {
            s.circle(x.at(t), ty, 5.0, c, true);
        }
    }

    // Events across both panels.
    let mut events = vec![
        (0.0, "release v2".to_string()),
        (d.paged, format!("page {}", hhmm(d.paged))),
    ];
    events.push((d.mitigated, format!("rollback {}", hhmm(d.mitigated))));
    if let Some(r) = d.recovered {
        events.push((r, format!("recovered {}", hhmm(r))));
    }
    events.push((d.resolved, format!("resolved {}", hhmm(d.resolved))));
    for (i, (t, label)) in events.iter().enumerate() {
        let px = x.at(*t);
        s.line((px, top - 4.0), (px, bottom2), "#555555", 1.0, Some("2 3"));
        // Three rows 12 apart (a 10-unit label is 11 tall): labels a few
        // minutes apart sit on different rows without touching.
        let ly = 54.0 + 12.0 * (i % 3) as f64;
        s.text(px, ly, label, 10.0, Anchor::Middle, "#222222");
    }
    s.text(
        (x0 + x1) / 2.0,
        h - 30.0,
        "time from the release (+HH:MM); before it, three quiet days fill the windows",
        11.0,
        Anchor::Middle,
        "#444444",
    );
    s.finish()
}

// ---------------------------------------------------------------- M32

fn incident_colour(id: Option<usize>) -> &'static str {
    match id {
        Some(i) => PALETTE[(i + PALETTE.len() - 1) % PALETTE.len()],
        None => GREY,
    }
}

/// M32: each record on its alert's row, coloured by incident.
pub fn m32_storm(d: &M32, who: &str) -> String {
    let row_h = 22.0;
    let (x0, x1) = (340.0, 860.0);
    let top = 70.0;
    let h = top + row_h * d.rows.len() as f64 + 120.0;
    let mut s = Svg::new(900.0, h, "M32: the alert storm, coloured by incident");
    s.title(
        20.0,
        24.0,
        &format!(
            "M32 · the storm: {} records, {} alerts, {} incidents",
            d.received,
            d.distinct,
            d.incidents.len()
        ),
    );
    subtitle(&mut s, 20.0, 40.0, who, d.seed);
    let all: Vec<f64> = d
        .rows
        .iter()
        .flat_map(|r| r.records.iter().copied())
        .collect();
    let lo = all.iter().copied().fold(0.0_f64, f64::min);
    let hi = all.iter().copied().fold(0.0_f64, f64::max);
    let (from, to) = ((lo / 10.0).floor() * 10.0, (hi / 10.0).ceil() * 10.0 + 0.5);
    let x = Scale::new(from, to, x0, x1);
    let bottom = top + row_h * d.rows.len() as f64;
    let step = if to - from > 60.0 { 15.0 } else { 5.0 };
    x_ticks(&mut s, &x, (top, bottom), (from, to), step, true);
    let px = x.at(0.0);
    s.line((px, top - 12.0), (px, bottom), "#555555", 1.0, Some("2 3"));
    s.text(
        px,
        top - 16.0,
        &format!("deploy {}", d.deploy),
        10.0,
        Anchor::Middle,
        "#222222",
    );
    for (i, row) in d.rows.iter().enumerate() {
        let cy = top + row_h * (i as f64 + 0.5);
        let c = incident_colour(row.incident);
        let mark = if row.muted { " (muted)" } else { "" };
        s.text(
            x0 - 8.0,
            cy + 4.0,
            &format!("{}{mark}", row.label),
            11.0,
            Anchor::End,
            c,
        );
        s.line((x0, cy), (x1, cy), "#f2f2f2", 1.0, None);
        for t in &row.records {
            s.circle(x.at(*t), cy, 4.5, c, !row.muted);
        }
    }
    // The legend starts a line below the axis caption, clear of it.
    let mut ly = bottom + 52.0;
    for inc in &d.incidents {
        let c = incident_colour(Some(inc.id));
        s.circle(x0 + 6.0, ly - 4.0, 5.0, c, true);
        let deploy = inc
            .deploy
            .as_ref()
            .map(|d| format!(", follows deploy {d}"))
            .unwrap_or_default();
        s.text(
            x0 + 18.0,
            ly,
            &format!(
                "INC-{}: {} alert(s), probable cause {}{deploy}",
                inc.id, inc.alerts, inc.cause
            ),
            11.0,
            Anchor::Start,
            c,
        );
        ly += 16.0;
    }
    s.text(
        x0 - 8.0,
        bottom + 52.0,
        "filled: notifies · ring: muted",
        11.0,
        Anchor::End,
        "#444444",
    );
    s.text(
        (x0 + x1) / 2.0,
        bottom + 32.0,
        "arrival, minutes from the deploy",
        10.0,
        Anchor::Middle,
        "#444444",
    );
    s.finish()
}

/// M32: records → alerts → notifying → incidents.
pub fn m32_reduction(d: &M32, who: &str) -> String {
    let mut s = Svg::new(900.0, 250.0, "M32: the storm's reduction");
    let ratio = if d.incidents.is_empty() {
        "no incidents".to_string()
    } else {
        format!(
            "{} records per incident",
            n(d.received as f64 / d.incidents.len() as f64)
        )
    };
    s.title(
        20.0,
        24.0,
        &format!(
            "M32 · from {} records to {} incidents: {ratio}",
            d.received,
            d.incidents.len()
        ),
    );
    subtitle(&mut s, 20.0, 40.0, who, d.seed);
    let notifying = d.distinct.saturating_sub(d.muted);
    let rows = [
        (
            "records received",
            d.received,
            "two replicas, re-sends, downstream symptoms, noise",
        ),
        (
            "distinct alerts",
            d.distinct,
            "deduplicated by the fingerprint of their labels",
        ),
        (
            "after inhibition",
            notifying,
            "critical alerts mute the warnings they explain",
        ),
        (
            "incidents",
            d.incidents.len(),
            "grouped by topology and time; one probable cause each",
        ),
    ];
    let max = d.received.max(1) as f64;
    let x = Scale::new(0.0, max, 180.0, 560.0);
    for (i, (label, v, why)) in rows.iter().enumerate() {
        let y = 60.0 + 44.0 * i as f64;
        s.text(170.0, y + 20.0, label, 12.0, Anchor::End, "#222222");
        s.rect(
            180.0,
            y + 4.0,
            x.at(*v as f64) - 180.0,
            24.0,
            PALETTE[i % PALETTE.len()],
            None,
        );
        s.text(
            x.at(*v as f64) + 6.0,
            y + 21.0,
            &v.to_string(),
            13.0,
            Anchor::Start,
            "#222222",
        );
        s.text(600.0, y + 20.0, why, 11.0, Anchor::Start, "#444444");
    }
    s.finish()
}

// ---------------------------------------------------------------- M33

/// M33: the progressive canary, stage by stage.
pub fn m33_ramp(d: &M33, who: &str) -> String {
    let mut s = Svg::new(900.0, 520.0, "M33: a progressive canary, stage by stage");
    s.title(
        20.0,
        24.0,
        "M33 · the canary ramp: 1% → 10% → 50% → 100%, checked against the budget at each stage",
    );
    subtitle(&mut s, 20.0, 40.0, who, d.seed);
    let Some(bad) = d.ramps.first() else {
        return s.finish();
    };
    let stages = bad.stages.len().max(1);
    let (x0, x1) = (90.0, 640.0);
    let slot = (x1 - x0) / stages as f64;

    // Panel 1: traffic share.
    let (top, bottom) = (70.0, 220.0);
    let y = Scale::new(0.0, 100.0, bottom, top);
    y_grid(&mut s, &y, x0, x1, &[0.0, 50.0, 100.0], |v| {
        format!("{}%", n(v))
    });
    s.vtext(30.0, (top + bottom) / 2.0, "candidate's share", 12.0);
    for (i, st) in bad.stages.iter().enumerate() {
        let cx = x0 + slot * (i as f64 + 0.5);
        let py = y.at(st.percent as f64);
        if st.ran {
            let c = if st.breached { LIMIT } else { PALETTE[0] };
            s.rect(cx - 28.0, py, 56.0, bottom - py, c, None);
        } else {
            s.rect(cx - 28.0, py, 56.0, bottom - py, "#ffffff", Some(GREY));
            s.text(cx, py - 6.0, "never reached", 10.0, Anchor::Middle, GREY);
        }
        s.text(
            cx,
            bottom + 16.0,
            &format!("stage {} · {}%", i + 1, st.percent),
            11.0,
            Anchor::Middle,
            "#222222",
        );
    }

    // Panel 2: error rate per stage, both candidates, against the budget.
    let (top2, bottom2) = (270.0, 440.0);
    let max_rate = d
        .ramps
        .iter()
        .flat_map(|r| r.stages.iter())
        .filter(|st| st.ran && st.served > 0)
        .map(|st| st.errors as f64 * 100.0 / st.served as f64)
        .fold(1.0_f64, f64::max);
    let ymax = (max_rate * 1.15).ceil();
    let y2 = Scale::new(0.0, ymax, bottom2, top2);
    let ticks: Vec<f64> = (0..=ymax as i64).map(|v| v as f64).collect();
    y_grid(&mut s, &y2, x0, x1, &ticks, |v| format!("{}%", n(v)));
    s.vtext(30.0, (top2 + bottom2) / 2.0, "error rate", 12.0);
    let budget = d.budget_ppm as f64 / 10_000.0;
    let by = y2.at(budget);
    s.line((x0, by), (x1, by), LIMIT, 1.5, Some("6 4"));
    s.text(
        x1 + 6.0,
        by + 4.0,
        &format!("budget {}%", n(budget)),
        11.0,
        Anchor::Start,
        LIMIT,
    );
    let colours = [PALETTE[1], PALETTE[2]];
    for (k, ramp) in d.ramps.iter().enumerate() {
        let c = colours[k % colours.len()];
        for (i, st) in ramp.stages.iter().enumerate() {
            let cx = x0 + slot * (i as f64 + 0.5) + if k == 0 { -16.0 } else { 16.0 };
            if !st.ran || st.served == 0 {
                s.text(cx, bottom2 - 4.0, "–", 11.0, Anchor::Middle, GREY);
                continue;
            }
            let rate = st.errors as f64 * 100.0 / st.served as f64;
            let py = y2.at(rate);
            s.rect(cx - 13.0, py, 26.0, bottom2 - py, c, None);
            if st.breached {
                s.text(
                    cx,
                    py - 20.0,
                    "BREACH: rollback,",
                    11.0,
                    Anchor::Middle,
                    LIMIT,
                );
                s.text(
                    cx,
                    py - 7.0,
                    "all traffic to stable",
                    11.0,
                    Anchor::Middle,
                    LIMIT,
                );
            }
        }
        let ly = top2 + 40.0 + 34.0 * k as f64;
        s.rect(x1 + 6.0, ly - 10.0, 12.0, 12.0, c, None);
        s.text(x1 + 22.0, ly, &ramp.label, 11.0, Anchor::Start, "#222222");
        let outcome = format!(
            "served {}, errors seen {}",
            ramp.blast_radius, ramp.errors_seen
        );
        s.text(
            x1 + 22.0,
            ly + 14.0,
            &outcome,
            10.0,
            Anchor::Start,
            "#444444",
        );
    }
    s.text(
        x0,
        bottom2 + 40.0,
        &format!(
            "Blast radius of the bad build: {} requests, {} errors. Shipped to 100% at once: {} errors.",
            bad.blast_radius, bad.errors_seen, d.big_bang_errors
        ),
        12.0,
        Anchor::Start,
        "#222222",
    );
    s.finish()
}

/// M33: which secret the service accepts, with and without grace.
pub fn m33_rotation(d: &M33, who: &str) -> String {
    let rows = d.rotations.len();
    let h = 90.0 + 130.0 * rows as f64;
    let mut s = Svg::new(
        900.0,
        h,
        "M33: secret rotation with and without a grace window",
    );
    s.title(
        20.0,
        24.0,
        "M33 · secret rotation: which secret is accepted, and who fails",
    );
    subtitle(&mut s, 20.0, 40.0, who, d.seed);
    let horizon = d
        .rotations
        .iter()
        .map(|r| r.horizon)
        .fold(30.0_f64, f64::max);
    let (x0, x1) = (170.0, 740.0);
    let x = Scale::new(0.0, horizon, x0, x1);
    for (k, r) in d.rotations.iter().enumerate() {
        let top = 70.0 + 130.0 * k as f64;
        s.text(20.0, top + 4.0, &r.label, 13.0, Anchor::Start, "#222222");
        let finish = r.finished.unwrap_or(horizon);
        let create = r.steps.first().map(|(t, _)| *t).unwrap_or(0.0);
        // Old secret: current until finish, then previous through the grace.
        let y_old = top + 14.0;
        s.text(
            x0 - 8.0,
            y_old + 13.0,
            "secret#1",
            11.0,
            Anchor::End,
            "#222222",
        );
        s.rect(
            x.at(0.0),
            y_old,
            x.at(finish) - x.at(0.0),
            18.0,
            PALETTE[0],
            None,
        );
        if r.grace > 0.0 {
            s.rect(
                x.at(finish),
                y_old,
                x.at(finish + r.grace) - x.at(finish),
                18.0,
                PALETTE[5],
                None,
            );
            s.text(
                x.at(finish) + 4.0,
                y_old + 13.0,
                "previous (grace)",
                10.0,
                Anchor::Start,
                "#222222",
            );
        }
        // New secret: pending from create, current from finish.
        let y_new = top + 38.0;
        s.text(
            x0 - 8.0,
            y_new + 13.0,
            "secret#2",
            11.0,
            Anchor::End,
            "#222222",
        );
        s.rect(
            x.at(create),
            y_new,
            x.at(finish) - x.at(create),
            18.0,
            "#ffffff",
            Some(PALETTE[2]),
        );
        s.rect(
            x.at(finish),
            y_new,
            x1 - x.at(finish),
            18.0,
            PALETTE[2],
            None,
        );
        s.text(
            x.at(create) - 4.0,
            y_new + 13.0,
            "pending",
            10.0,
            Anchor::End,
            PALETTE[2],
        );
        // Failures.
        let y_fail = top + 62.0;
        s.text(
            x0 - 8.0,
            y_fail + 13.0,
            "failed requests",
            11.0,
            Anchor::End,
            "#222222",
        );
        match r.failures {
            Some((a, b)) => {
                s.rect(
                    x.at(a),
                    y_fail,
                    (x.at(b) - x.at(a)).max(2.0),
                    18.0,
                    LIMIT,
                    None,
                );
                s.text(
                    x.at(b) + 6.0,
                    y_fail + 13.0,
                    &format!("{} failed, {} clients hit", r.failed, r.clients_hit),
                    11.0,
                    Anchor::Start,
                    LIMIT,
                );
            }
            None => s.text(
                x.at(finish) + 6.0,
                y_fail + 13.0,
                &format!("none of {} requests failed", r.requests),
                11.0,
                Anchor::Start,
                PALETTE[2],
            ),
        }
        for (t, _) in &r.steps {
            let px = x.at(*t);
            s.line(
                (px, top + 10.0),
                (px, top + 84.0),
                "#555555",
                1.0,
                Some("2 2"),
            );
        }
        let names: Vec<String> = r
            .steps
            .iter()
            .map(|(t, step)| {
                format!(
                    "{} {}",
                    hhmm(*t),
                    step.split([':', ' ']).next().unwrap_or("")
                )
            })
            .collect();
        s.text(
            x0,
            top + 100.0,
            &format!("steps: {}", names.join(" · ")),
            10.0,
            Anchor::Start,
            "#444444",
        );
    }
    let axis_y = h - 14.0;
    let mut t = 0.0;
    while t <= horizon + 1e-9 {
        s.text(x.at(t), axis_y, &hhmm(t), 10.0, Anchor::Middle, "#444444");
        t += 10.0;
    }
    s.finish()
}

/// M33: what each sync embedded, and what it left alone.
pub fn m33_sync(d: &M33, who: &str) -> String {
    let rows = d.syncs.len();
    let h = 100.0 + 40.0 * rows as f64;
    let mut s = Svg::new(900.0, h, "M33: sync work, re-embedded against unchanged");
    s.title(
        20.0,
        24.0,
        "M33 · sync work: only what changed is embedded again",
    );
    subtitle(&mut s, 20.0, 40.0, who, d.seed);
    let max = d
        .syncs
        .iter()
        .map(|r| r.added + r.updated + r.reredacted + r.unchanged + r.deleted)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (x0, x1) = (200.0, 640.0);
    let x = Scale::new(0.0, max, x0, x1);
    let parts = [
        ("added", PALETTE[0]),
        ("updated (re-embedded)", PALETTE[1]),
        ("re-redacted (older redactor)", PALETTE[2]),
        ("unchanged (no work)", LIGHT),
        ("deleted", LIMIT),
    ];
    for (i, r) in d.syncs.iter().enumerate() {
        let y = 60.0 + 40.0 * i as f64;
        s.text(
            x0 - 8.0,
            y + 17.0,
            &format!("{}. {}", i + 1, r.label),
            11.0,
            Anchor::End,
            "#222222",
        );
        let mut at = 0.0;
        for (v, (_, c)) in [r.added, r.updated, r.reredacted, r.unchanged, r.deleted]
            .iter()
            .zip(parts)
        {
            if *v == 0 {
                continue;
            }
            let w = x.at(at + *v as f64) - x.at(at);
            s.rect(x.at(at), y + 4.0, w, 20.0, c, Some("#ffffff"));
            let tc = if c == LIGHT { "#222222" } else { "#ffffff" };
            s.text(
                x.at(at) + w / 2.0,
                y + 18.0,
                &v.to_string(),
                11.0,
                Anchor::Middle,
                tc,
            );
            at += *v as f64;
        }
        s.text(
            x1 + 10.0,
            y + 18.0,
            &format!("{} embedding call(s)", r.embedded),
            11.0,
            Anchor::Start,
            "#222222",
        );
    }
    let ly = h - 24.0;
    let mut lx = x0;
    for (label, c) in parts {
        s.rect(lx, ly - 10.0, 12.0, 12.0, c, Some("#999999"));
        s.text(lx + 16.0, ly, label, 11.0, Anchor::Start, "#222222");
        lx += 24.0 + 7.0 * label.len() as f64;
    }
    s.finish()
}

// ---------------------------------------------------------------- M34

/// A milestone of the shift: its label, and the test a trace line must pass
/// to be it.
pub type Milestone = (&'static str, fn(&Event) -> bool);

/// The shift's milestones, found in its trace (the first line that passes
/// each test).
pub const MILESTONES: [Milestone; 11] = [
    ("deploy v2, no canary", |e| {
        e.actor == "m33" && e.text.contains("deployed")
    }),
    ("storm → incidents", |e| {
        e.actor == "m32" && e.text.contains("correlated into")
    }),
    ("ticket triaged", |e| {
        e.actor == "m32" && e.text.starts_with("ticket")
    }),
    ("page", |e| e.actor == "m31" && e.text.starts_with("PAGE")),
    ("rollback", |e| {
        e.actor == "m33" && e.text.contains("flip the release pointer")
    }),
    ("SLI recovered", |e| {
        e.actor == "m31" && e.text.starts_with("SLI") && e.text.contains("back to")
    }),
    ("resolved", |e| {
        e.actor == "m31" && e.text.contains("resolved after")
    }),
    ("postmortem", |e| {
        e.actor == "m31" && e.text.starts_with("blameless postmortem")
    }),
    ("regression case", |e| {
        e.actor == "gate" && e.text.starts_with("regression case")
    }),
    ("canary of the fix", |e| {
        e.actor == "m33" && e.stage == "ship"
    }),
    ("gate", |e| {
        e.actor == "gate" && e.stage == "verify" && e.text.starts_with("gate ")
    }),
];

/// The lanes of the shift picture, top to bottom.
pub const LANES: [(&str, &str); 4] = [
    ("m32", "M32 desk"),
    ("m31", "M31 incident"),
    ("m33", "M33 release"),
    ("gate", "gate"),
];

/// M34: the whole shift on one timeline, one lane per module.
pub fn m34_shift(d: &M34, who: &str) -> String {
    // As wide as every other picture: a page or the report frames them at 900.
    let (w, h) = (900.0, 400.0);
    let mut s = Svg::new(w, h, "M34: the whole on-call shift on one timeline");
    s.title(
        20.0,
        24.0,
        "M34 · the on-call shift: every module on one outage",
    );
    let verdict = if d.exit == 0 { "GREEN" } else { "RED" };
    s.text(
        20.0,
        40.0,
        &format!(
            "{who} run, seed {} · gate {verdict}: {} of {} hold, exit {}",
            d.seed, d.gate.0, d.gate.1, d.exit
        ),
        11.0,
        Anchor::Start,
        if d.exit == 0 { PALETTE[2] } else { LIMIT },
    );
    // A broken time axis: the first 90 minutes get most of the width.
    let (x0, xb, x1) = (130.0, 600.0, 860.0);
    let end = d.events.iter().map(|e| e.t).fold(120.0_f64, f64::max);
    let split = 90.0;
    let early = Scale::new(0.0, split, x0, xb);
    let late = Scale::new(split, end, xb + 20.0, x1);
    let px = |t: f64| if t <= split { early.at(t) } else { late.at(t) };
    let lane_y = |actor: &str| {
        LANES
            .iter()
            .position(|(a, _)| *a == actor)
            .map(|i| 80.0 + 42.0 * i as f64)
    };
    let bottom = 80.0 + 42.0 * LANES.len() as f64 - 21.0;
    for (i, (_, label)) in LANES.iter().enumerate() {
        let y = 80.0 + 42.0 * i as f64;
        s.text(x0 - 10.0, y + 4.0, label, 12.0, Anchor::End, PALETTE[i]);
        s.line((x0, y), (xb, y), "#eeeeee", 8.0, None);
        s.line((xb + 20.0, y), (x1, y), "#eeeeee", 8.0, None);
    }
    s.line(
        (xb + 6.0, 60.0),
        (xb + 14.0, bottom + 10.0),
        GREY,
        1.0,
        None,
    );
    s.line(
        (xb + 10.0, 60.0),
        (xb + 18.0, bottom + 10.0),
        GREY,
        1.0,
        None,
    );
    let mut t = 0.0;
    while t <= split {
        s.text(
            early.at(t),
            bottom + 24.0,
            &hhmm(t),
            10.0,
            Anchor::Middle,
            "#444444",
        );
        t += 15.0;
    }
    let mut t = ((split / 120.0).floor() + 1.0) * 120.0;
    while t <= end + 1e-9 {
        if late.at(t) > xb + 60.0 {
            s.text(
                late.at(t),
                bottom + 24.0,
                &hhmm(t),
                10.0,
                Anchor::Middle,
                "#444444",
            );
        }
        t += 120.0;
    }
    for e in &d.events {
        if let (Some(y), Some(i)) = (
            lane_y(&e.actor),
            LANES.iter().position(|(a, _)| *a == e.actor),
        ) {
            s.circle(px(e.t), y, 3.5, PALETTE[i], true);
        }
    }
    // Milestones: a leader line from the dot down to a label row.
    let label_top = bottom + 50.0;
    for (k, (label, test)) in MILESTONES.iter().enumerate() {
        let Some(e) = d.events.iter().find(|e| test(e)) else {
            continue;
        };
        let Some(y) = lane_y(&e.actor) else { continue };
        let x = px(e.t);
        let ly = label_top + 26.0 * (k % 4) as f64;
        s.circle(x, y, 6.0, "#222222", false);
        s.line((x, y + 6.0), (x, ly - 10.0), "#999999", 1.0, Some("2 2"));
        let anchor = if x > w - 90.0 {
            Anchor::End
        } else if x < 90.0 {
            Anchor::Start
        } else {
            Anchor::Middle
        };
        let tx = match anchor {
            Anchor::End => x + 4.0,
            Anchor::Start => x - 4.0,
            Anchor::Middle => x,
        };
        s.text(tx, ly, label, 11.0, anchor, "#222222");
        s.text(tx, ly + 11.0, &hhmm(e.t), 9.0, anchor, "#666666");
    }
    s.finish()
}

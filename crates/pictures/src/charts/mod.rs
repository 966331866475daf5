//! The pictures themselves: one function per chart, each turning the data
//! of [`crate::data`] into an SVG document.
//!
//! Every chart reads only its data argument, so the same function draws the
//! reference run and a learner's run; [`all`] draws a whole course.

use crate::data::Course;
use crate::svg::{hhmm, Anchor, Scale, Svg, GREY, LIGHT, LIMIT};

mod m31;
mod m32;
mod m33;
mod m34;

pub use m31::m31_burn;
pub use m32::{m32_reduction, m32_storm};
pub use m33::{m33_ramp, m33_rotation, m33_sync};
pub use m34::{m34_shift, Milestone, LANES, MILESTONES};

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

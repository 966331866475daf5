//! M34's picture: the on-call shift, lane by lane, with its milestones.

use crate::data::{Event, M34};
use crate::svg::{hhmm, Anchor, Scale, Svg, GREY, LIMIT, PALETTE};

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

//! M32's pictures: the alert storm correlated into incidents, and the funnel
//! from alerts to notifications.

use crate::data::M32;
use crate::svg::{n, Anchor, Scale, Svg, GREY, PALETTE};

use super::{subtitle, x_ticks};

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

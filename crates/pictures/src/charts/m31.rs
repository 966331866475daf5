//! M31's picture: the SLI against its SLO and each tier's burn.

use crate::data::M31;
use crate::svg::{hhmm, n, Anchor, Scale, Svg, LIMIT, PALETTE};

use super::{subtitle, x_ticks, y_grid};

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

//! M33's pictures: the canary ramp, the secret rotation's grace windows and
//! the index syncs.

use crate::data::M33;
use crate::svg::{hhmm, n, Anchor, Scale, Svg, GREY, LIGHT, LIMIT, PALETTE};

use super::{subtitle, y_grid};

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

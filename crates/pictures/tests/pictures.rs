//! The pictures of the reference run: the same bytes every time, reviewed
//! as snapshots, and drawn from numbers that agree with the traces.
#![cfg(feature = "reference")]

use pictures::charts;
use pictures::data;

fn reference() -> data::Course {
    data::course("reference")
}

#[test]
fn every_picture_is_the_same_bytes_on_every_run() {
    let a = charts::all(&reference());
    let b = charts::all(&reference());
    assert_eq!(a, b);
    assert_eq!(a.len(), 7);
}

/// A change to a chart is a reviewed change: `cargo insta review`.
#[test]
fn pictures_match_their_snapshots() {
    for p in charts::all(&reference()) {
        let name = p.file.trim_end_matches(".svg").to_string();
        insta::assert_snapshot!(name, p.svg);
    }
}

#[test]
fn every_picture_is_well_formed_enough_for_a_browser() {
    for p in charts::all(&reference()) {
        assert!(
            p.svg
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{}",
            p.file
        );
        assert!(p.svg.trim_end().ends_with("</svg>"), "{}", p.file);
        assert!(
            !p.svg.contains("NaN") && !p.svg.contains("inf"),
            "{}",
            p.file
        );
        assert!(!p.svg.contains("not drawn"), "{} was not drawn", p.file);
        let opened = p.svg.matches('<').count();
        let closed = p.svg.matches("/>").count() + p.svg.matches("</").count() * 2;
        assert_eq!(opened, closed, "{}: unbalanced elements", p.file);
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| {
        format!(
            "{}%",
            incident::slo::fmt_percent((v * 1000.0).round() / 1000.0)
        )
    })
    .unwrap_or_else(|| "no data".into())
}

/// The M31 replay sees exactly what the story printed every 15 minutes.
#[test]
fn the_m31_replay_agrees_with_the_story_trace() {
    let d = data::m31(incident::story::SEED).expect("the story runs");
    let trace = incident::story::trace(incident::story::SEED);
    let t0 = labkit::SimClock::course_epoch();
    let mut compared = 0;
    for line in trace.lines() {
        let (Some(at), Some(rest)) = (line.at, line.text.strip_prefix("SLI 5m ")) else {
            continue;
        };
        let t = (at - t0).num_minutes() as f64;
        let m = d
            .minutes
            .iter()
            .find(|m| m.t == t)
            .expect("the replay has this minute");
        let ours = format!("{}, 1h {}", pct(m.sli_5m), pct(m.sli_1h));
        assert!(
            rest.starts_with(&ours),
            "at {t}: story `{rest}`, replay `{ours}`"
        );
        compared += 1;
    }
    assert!(compared >= 3, "only {compared} lines compared");
    assert_eq!(
        d.tiers[0].fired_at,
        Some(d.paged),
        "the fast tier fired when the page opened the incident"
    );
}

/// The ramp drawn is the ramp the story printed.
#[test]
fn the_m33_ramp_agrees_with_the_story_trace() {
    let d = data::m33(release_ops::story::SEED);
    let trace = release_ops::story::ramp(release_ops::story::SEED).to_text();
    for s in d.ramps[0].stages.iter().filter(|s| s.ran) {
        let needle = format!(
            "at {}%: {} served, {} errors",
            s.percent, s.served, s.errors
        );
        assert!(trace.contains(&needle), "the trace lacks `{needle}`");
    }
    assert!(trace.contains(&format!(
        "{} requests served by the candidate, {} errors",
        d.ramps[0].blast_radius, d.ramps[0].errors_seen
    )));
    assert_eq!(d.syncs.len(), 5, "every sync line of Part A was read");
    assert_eq!(
        d.syncs[2].embedded, 0,
        "the second sync of the same sources does nothing"
    );
}

#[test]
fn the_shift_shows_every_milestone() {
    let d = data::m34(capstone::shift::SEED);
    for (name, found) in charts::MILESTONES {
        assert!(
            d.events.iter().any(found),
            "no `{name}` in the shift's trace"
        );
    }
    assert_eq!(d.exit, 0);
}

/// The report's headline tells the drill's outage, not a module's own story:
/// the deploy, the page and the resolution are the ones `cargo xtask drill`
/// prints, and the M32 story's deploy (another run) is not among them.
#[test]
fn the_report_headline_is_the_shift_the_drill_tells() {
    let course = reference();
    let headline = pictures::html_report::headline(&course);
    let (shift, _) = capstone::shift::drill(capstone::shift::SEED, capstone::Scenario::Clean);
    let drill = shift.trace.to_text();
    let deploy = &shift.report.deploy_id;
    assert!(headline.contains(deploy.as_str()), "{headline}");
    assert!(drill.contains(deploy.as_str()));
    let page = shift.report.page.as_ref().expect("the shift paged");
    let paged = labkit::clock::stamp(page.at);
    let paged = paged.trim_start_matches('+');
    assert!(
        headline.contains(&format!("paged at +{}", &paged[..5])),
        "{headline} vs the drill's page at {paged}"
    );
    let m32 = course.m32.as_ref().expect("M32 drawn");
    assert_ne!(&m32.deploy, deploy, "the M32 story is another run");
    assert!(!headline.contains(m32.deploy.as_str()), "{headline}");
    assert_eq!(
        pictures::html_report::run_of(&course, "m32"),
        "its own lab story, seed 32, not the shift"
    );
}

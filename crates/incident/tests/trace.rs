//! The reference trace of M31, pinned. A change here changes what learners
//! see and compare against: review it with `cargo insta review`.
#![cfg(feature = "solution")]

#[test]
fn the_bad_hour_trace_is_pinned() {
    let trace = incident::story::trace(incident::story::SEED);
    insta::assert_snapshot!("m31_bad_hour", trace.to_text());
}

#[test]
fn the_story_runs_the_whole_loop() {
    let shift = incident::story::run(incident::story::SEED).unwrap();
    assert_eq!(shift.incident.status(), incident::Status::Resolved);
    assert_eq!(shift.incident.severity(), incident::Severity::Sev1);
    assert_eq!(shift.page.tier.name, "page-1h");
    // One page, one clear: the pager deduplicated a minute-by-minute stream.
    assert_eq!(shift.notifications, 2);
    assert!(
        shift.postmortem.lint().is_empty(),
        "{:?}",
        shift.postmortem.lint()
    );
    assert!(!shift.case.passes("You can return items within 90 days."));
    assert!(shift.case.passes("You can return items within 30 days."));
}

#[test]
fn other_seeds_tell_the_same_story() {
    for seed in 0..8 {
        let shift = incident::story::run(seed).unwrap();
        assert_eq!(
            shift.incident.status(),
            incident::Status::Resolved,
            "seed {seed}"
        );
        assert_eq!(
            shift.incident.severity(),
            incident::Severity::Sev1,
            "seed {seed}"
        );
        let inc = &shift.incident;
        let (ttd, tta) = (inc.time_to_detect(), inc.time_to_acknowledge().unwrap());
        let ttm = inc.time_to_mitigate().unwrap();
        assert!(
            ttd + tta < ttm,
            "seed {seed}: detect, acknowledge, then mitigate"
        );
        assert!(
            inc.mitigated_at() < inc.resolved_at(),
            "seed {seed}: mitigated before resolved"
        );
        assert!(
            ttm <= inc.outage_duration().unwrap(),
            "seed {seed}: the SLI recovers after the rollback"
        );
        // At a ~20x burn the 1h/5m tier needs about 14.4/20 of an hour.
        let detect = shift.incident.opened_at() - labkit::SimClock::course_epoch();
        assert!(
            (38..=50).contains(&detect.num_minutes()),
            "seed {seed}: {detect}"
        );
    }
}

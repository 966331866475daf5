#![cfg(feature = "solution")]
//! The course storm, over many seeds: always 40 + 3 records, 13 alerts,
//! 6 muted, 3 incidents, the retriever's deploy blamed.

use desk::{correlate, storm, CorrelationConfig};

#[test]
fn every_seed_gives_three_incidents() {
    let config = CorrelationConfig::default();
    for seed in 0..200 {
        let s = storm::storm(seed);
        assert_eq!(s.alerts.len(), storm::STORM_RECORDS + storm::NOISE_RECORDS);
        assert!(s
            .alerts
            .iter()
            .any(|a| a.deploy.as_deref() == Some(s.deploy.id.as_str())));
        let c = correlate(&s.alerts, &config);
        assert_eq!(c.alerts.len(), 13, "seed {seed}");
        assert_eq!(c.muted.len(), 6, "seed {seed}");
        assert_eq!(c.groups.len(), 6, "seed {seed}");
        assert_eq!(c.incidents.len(), 3, "seed {seed}");
        let storm_inc = c
            .incidents
            .iter()
            .find(|i| i.services.len() == 4)
            .expect("the deploy's incident");
        let cause = storm_inc.cause.as_ref().unwrap();
        assert_eq!(cause.service, "retriever", "seed {seed}");
        assert_eq!(
            cause.deploy.as_deref(),
            Some(s.deploy.id.as_str()),
            "seed {seed}"
        );
        assert_eq!(storm_inc.alerts.len(), 11);
        assert!((c.reduction_ratio() - 43.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            c.summary(),
            "43 records -> 13 alerts -> 6 muted -> 6 groups -> 3 incidents (14.3 records per incident)"
        );
        assert_eq!(
            c.incident_caused_by("retriever").map(|i| i.services.len()),
            Some(4)
        );
        assert!(c.incident_caused_by("vector-index").is_none());
    }
}

#[test]
fn seeds_change_the_details_not_the_outcome() {
    let a = storm::storm(1);
    let b = storm::storm(2);
    assert_ne!(a.alerts, b.alerts);
    assert_ne!(a.deploy.id, b.deploy.id);
    assert_eq!(storm::storm(1), a, "same seed, same storm");
}

#[test]
fn many_storms_stay_apart() {
    let alerts = storm::many(5, 43 * 10);
    assert_eq!(alerts.len(), 430);
    let c = correlate(&alerts, &CorrelationConfig::default());
    // The auth certificate alert has no cluster label: one alert across all nights.
    assert_eq!(c.alerts.len(), 12 * 10 + 1);
    assert_eq!(c.incidents.len(), 10 * 2 + 1);
}

#[test]
fn the_story_blames_the_deploy_and_closes_the_loop() {
    let trace = desk::story::run(desk::story::STORY_SEED);
    assert!(trace.mentions("43 records -> 3 incidents"));
    assert!(trace.mentions("probable cause: retriever"));
    assert!(trace.mentions("linked to INC-2"));
    assert!(trace.mentions("opened INC-4"));
    assert!(trace.mentions("INC-2 resolved: 1 linked ticket(s) updated"));
}

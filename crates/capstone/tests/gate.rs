//! The eval gate on the solutions: green on the clean shift for many seeds,
//! and each break-on-purpose scenario turns exactly its checks red while
//! live stays safe.
#![cfg(all(feature = "solution", feature = "reference-parts"))]

use capstone::{extension, shift, AssertionId, Scenario};
use incident::{Notification, Play, Severity, Status};
use release_ops::Decision;

#[test]
fn the_clean_shift_has_the_course_numbers() {
    let s = shift::run(shift::SEED, Scenario::Clean);
    let r = &s.report;
    assert_eq!(r.alerts_in, 43);
    assert_eq!(r.incidents_out, 3);
    assert!((r.reduction_ratio - 43.0 / 3.0).abs() < 1e-9);
    assert_eq!(r.sli_before, Some(0.8));
    assert!(r.burn.is_some_and(|b| (b - 20.0).abs() < 1e-9));
    let page = r.page.as_ref().unwrap();
    assert_eq!(
        (page.notification, page.severity),
        (Notification::Page, Severity::Sev1)
    );
    assert_eq!(page.tier, "page-1h");
    let ticket = r.ticket.as_ref().unwrap();
    assert_eq!(ticket.queue, desk::Queue::SreOncall);
    assert_eq!(ticket.priority, 2);
    assert!(ticket.resolved);
    let inc = r.incident.as_ref().unwrap();
    assert_eq!(Some(&inc.id), r.deploy_incident.as_ref());
    assert_eq!(ticket.incident, inc.id);
    assert_eq!(inc.status, Status::Resolved);
    assert_eq!(inc.tickets, vec![ticket.id.clone()]);
    assert_eq!(r.play, Some(Play::RollbackToLastGood));
    match r.mitigation.as_ref().unwrap() {
        capstone::Mitigation::Rollback(rb) => {
            assert_eq!((rb.from.as_str(), rb.to.as_str()), ("v2", "v1"));
            assert!(rb.recovered());
            assert_eq!(rb.kinds().first(), Some(&"capture-state"));
        }
        other => panic!("expected a rollback, got {other:?}"),
    }
    assert!(r.sli_after.unwrap() >= 0.99);
    let pm = r.postmortem.as_ref().unwrap();
    assert_eq!(pm.lint_findings, 0);
    assert!(pm
        .root_causes
        .iter()
        .any(|c| c.contains("without a canary")));
    assert!(pm.markdown.contains("## Action items"));
    let case = r.regression_case.as_ref().unwrap();
    assert!(case.regression);
    assert_eq!(case.topic, release_ops::Topic::Refunds);
    assert_eq!(
        r.bad_release_canary.as_ref().unwrap().decision,
        Decision::Rollback
    );
    assert_eq!(r.fix_canary.as_ref().unwrap().decision, Decision::Promote);
    assert_eq!(r.live_at_end.as_deref(), Some("v3"));
    assert!(r.live_verified_at_end);
    assert!(r.halted.is_empty());
}

#[test]
fn the_gate_is_green_on_many_seeds() {
    for seed in 0..12 {
        let s = shift::run(seed, Scenario::Clean);
        let g = shift::gate(&s.report);
        assert!(g.green(), "seed {seed}:\n{}", g.to_text());
        assert_eq!(g.exit_code, 0);
        let names: Vec<AssertionId> = g.assertions.iter().map(|a| a.check).collect();
        assert_eq!(names, AssertionId::SHIFT.to_vec());
        assert!(g.assertions.iter().all(|a| !a.why.is_empty()));
    }
}

fn red(scenario: Scenario, seed: u64) -> (Vec<AssertionId>, capstone::Shift) {
    let s = shift::run(seed, scenario);
    let g = shift::gate(&s.report);
    assert_eq!(g.exit_code, u8::from(!g.green()));
    (g.failed(), s)
}

#[test]
fn a_fix_that_reintroduces_the_bug_is_blocked_and_live_stays_last_good() {
    for seed in [shift::SEED, 1, 2, 3] {
        let (failed, s) = red(Scenario::FixReintroducesBug, seed);
        assert_eq!(failed, vec![AssertionId::FixPromoted]);
        let c = s.report.fix_canary.as_ref().unwrap();
        assert_eq!(c.decision, Decision::Rollback);
        assert!(c
            .failed_regressions
            .contains(&s.report.regression_case.as_ref().unwrap().id));
        assert_eq!(s.report.live_at_end.as_deref(), Some("v1"));
        assert!(s.report.live_verified_at_end);
    }
}

#[test]
fn no_rollback_target_stops_at_mitigate_and_changes_nothing() {
    for seed in [shift::SEED, 5] {
        let (failed, s) = red(Scenario::NoRollbackTarget, seed);
        assert_eq!(
            failed,
            vec![
                AssertionId::IncidentResolved,
                AssertionId::SliRecovered,
                AssertionId::RegressionCatchesBadRelease,
                AssertionId::FixPromoted
            ]
        );
        assert_eq!(s.report.halted.len(), 1);
        assert!(s.report.halted[0].reason.contains("no last-good release"));
        let ops = s.ops.as_ref().unwrap();
        // The refused rollback changed nothing: no frozen writers, no throttle.
        assert!(!ops.releases.writers_frozen());
        assert!(!ops.releases.throttled());
        assert_eq!(ops.releases.live(), Some("v2"));
        assert!(
            !s.report.live_verified_at_end,
            "v2 went live as the region's first release, without a canary: not verified"
        );
        assert!(s.report.fix_canary.is_none());
    }
}

#[test]
fn a_storm_that_does_not_correlate_splits_the_human_and_machine_stories() {
    for seed in [shift::SEED, 9] {
        let (failed, s) = red(Scenario::StormDoesNotCorrelate, seed);
        assert_eq!(
            failed,
            vec![AssertionId::StormReduced, AssertionId::TicketRouted]
        );
        assert!(s.report.incidents_out > 5);
        assert_eq!(s.report.live_at_end.as_deref(), Some("v3"));
    }
}

#[test]
fn a_regression_case_the_bad_release_passes_is_caught() {
    let (failed, s) = red(Scenario::WrongRegressionCase, shift::SEED);
    assert_eq!(failed, vec![AssertionId::RegressionCatchesBadRelease]);
    assert!(s
        .report
        .bad_release_canary
        .as_ref()
        .unwrap()
        .failed_regressions
        .is_empty());
}

#[test]
fn a_postmortem_without_an_example_leaves_no_case_but_the_fix_still_ships() {
    let (failed, s) = red(Scenario::PostmortemWithoutExample, shift::SEED);
    assert_eq!(failed, vec![AssertionId::RegressionCatchesBadRelease]);
    assert!(s.report.regression_case.is_none());
    assert_eq!(s.report.halted.len(), 1);
    assert_eq!(s.report.live_at_end.as_deref(), Some("v3"));
}

#[test]
fn every_scenario_fails_what_it_declares_and_never_promotes_a_blocked_build() {
    for scenario in Scenario::ALL {
        let (failed, s) = red(scenario, shift::SEED);
        assert_eq!(failed, scenario.should_fail().to_vec(), "{scenario}");
        if let Some(c) = &s.report.fix_canary {
            if c.decision == Decision::Rollback {
                assert_ne!(s.report.live_at_end.as_deref(), Some(c.candidate.as_str()));
            }
        }
        assert_ne!(s.report.live_at_end.as_deref(), Some("v4"));
    }
}

#[test]
fn the_stale_index_extension_reindexes_only_what_changed_and_keeps_the_gate_green() {
    for seed in [extension::SEED, 1, 2] {
        let stale = extension::run(seed);
        let r = &stale.report;
        assert!(r.halted.is_empty(), "{:?}", r.halted);
        assert_eq!(r.play, Some(Play::ReindexChangedDocuments));
        assert_eq!(
            r.changed_docs.len(),
            extension::PAGES / extension::CHANGE_EVERY
        );
        assert_eq!(r.stale_before, r.changed_docs.len());
        assert_eq!(r.stale_after, 0);
        assert_eq!(r.live_before, r.live_after);
        match r.mitigation.as_ref().unwrap() {
            capstone::Mitigation::Reindex(x) => {
                assert_eq!(x.embedded, r.changed_docs.len() as u64);
                assert_ne!(x.index_hash, x.index_hash_before);
            }
            other => panic!("expected a re-index, got {other:?}"),
        }
        let shift = shift::run(shift::SEED, Scenario::Clean);
        let g = extension::gate_with_extension(&shift.report, r);
        assert_eq!(g.assertions.len(), 8);
        assert!(g.green(), "{}", g.to_text());
    }
}

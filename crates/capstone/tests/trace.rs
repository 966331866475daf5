//! The reference traces: the shift (stages intake to ship), the drill (the
//! shift and its gate), and the optional stale-index outage. What learners
//! read, post, and compare their own trace with.
#![cfg(all(feature = "solution", feature = "reference-parts"))]

use capstone::{extension, shift, Scenario};

#[test]
fn the_shift() {
    let s = shift::run(shift::SEED, Scenario::Clean);
    insta::assert_snapshot!("shift", s.trace.to_text());
}

#[test]
fn the_drill() {
    let (s, gate) = shift::drill(shift::SEED, Scenario::Clean);
    assert_eq!(gate.exit_code, 0);
    insta::assert_snapshot!("drill", s.trace.to_text());
}

#[test]
fn the_stale_index_outage() {
    let s = extension::run(extension::SEED);
    insta::assert_snapshot!("stale_index", s.trace.to_text());
}

#[test]
fn every_line_names_the_module_that_acted() {
    let (s, _) = shift::drill(shift::SEED, Scenario::Clean);
    let mut stale = extension::run(extension::SEED).trace;
    stale.extend(&s.trace);
    for l in stale.lines() {
        assert!(
            ["m31", "m32", "m33", "gate"].contains(&l.actor.as_str()),
            "line without a module: {l:?}"
        );
    }
    for actor in ["m31", "m32", "m33", "gate"] {
        assert!(
            s.trace.lines().iter().any(|l| l.actor == actor),
            "{actor} never acted"
        );
    }
}

#[test]
fn the_trace_is_the_same_on_every_run_and_changes_with_the_seed() {
    let a = shift::run(7, Scenario::Clean).trace.to_text();
    let b = shift::run(7, Scenario::Clean).trace.to_text();
    let c = shift::run(8, Scenario::Clean).trace.to_text();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_postmortem_blames_the_rule_its_failing_example_is_about() {
    let shipping =
        shift::run_with_example_about(shift::SEED, Scenario::Clean, release_ops::Topic::Shipping);
    let pm = shipping
        .report
        .postmortem
        .expect("the shipping shift writes a postmortem");
    assert!(
        pm.root_causes
            .iter()
            .any(|c| c.contains("regression case for the shipping rule")),
        "{:?}",
        pm.root_causes
    );
    assert!(!pm.markdown.contains("refund"), "{}", pm.markdown);
    assert!(shipping
        .trace
        .title()
        .ends_with("failing example about shipping"));
    let refunds = shift::run(shift::SEED, Scenario::Clean);
    let pm = refunds
        .report
        .postmortem
        .expect("the reference shift writes a postmortem");
    assert!(
        pm.root_causes
            .iter()
            .any(|c| c.contains("regression case for the refund rule")),
        "{:?}",
        pm.root_causes
    );
}

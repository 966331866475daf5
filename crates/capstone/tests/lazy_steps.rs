//! Lazy versions of a step that its own check catches must fail the story
//! checks too: m34.a.4 (the shift's trace, Part A's steps) and m34.b.4
//! (break it on purpose, every step with the gate) run steps together, and
//! a lazy step can give the right answer on the usual shift. And m34.a.4
//! must not need Part B at all.
//!
//! Each test installs the reference steps through the port, with one step
//! swapped for a lazy version, and runs the check from
//! `capstone::checks::CHECKS` as the lab does. The port only exists in a lab
//! build, so this file only compiles in one (`cargo xtask verify` runs it,
//! on the reference M31–M33):
//!
//! ```sh
//! cargo test -p capstone --features capstone/external-steps,capstone/reference-parts --test lazy_steps
//! ```
#![cfg(all(feature = "external-steps", not(feature = "solution")))]

use std::cell::Cell;

// The reference files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use capstone::*;

// The reference steps and files, generated from the port.
mod reference;
#[allow(unused_imports)]
use reference::{gate, learn, mitigate, stale};

use capstone::assertion::{Assertion, AssertionId};
use capstone::shift_report::ShiftReport;
use incident::RegressionCase;
use release_ops::{EvalCase, Topic};

thread_local! {
    /// The step this test thread swaps for its lazy version.
    static LAZY: Cell<Option<&'static str>> = const { Cell::new(None) };
}

fn lazy(step: &str) -> bool {
    LAZY.with(|l| l.get() == Some(step))
}

/// Every case is about refunds, whatever its question.
fn to_release_case(case: &RegressionCase) -> Result<EvalCase, ShiftError> {
    let mut got = learn::to_release_case(case)?;
    if lazy("to_release_case") {
        got.topic = Topic::Refunds;
    }
    Ok(got)
}

/// Copies the answer key: an assertion fails when the scenario says it
/// should, whatever the numbers.
fn copy_the_answer_key(r: &ShiftReport, checks: &[AssertionId]) -> Vec<Assertion> {
    checks
        .iter()
        .map(|&c| {
            if r.scenario.should_fail().contains(&c) {
                Assertion::fail(c, "the scenario says so")
            } else {
                Assertion::pass(c, "the scenario says so")
            }
        })
        .collect()
}

fn assert_intake_and_detect(r: &ShiftReport) -> Vec<Assertion> {
    if lazy("part B") {
        todo!("assert_intake_and_detect: as the starter has it")
    }
    if lazy("gate") {
        copy_the_answer_key(
            r,
            &[
                AssertionId::StormReduced,
                AssertionId::PageSev1,
                AssertionId::TicketRouted,
            ],
        )
    } else {
        gate::assert_intake_and_detect(r)
    }
}

fn assert_recovery(r: &ShiftReport) -> Vec<Assertion> {
    if lazy("part B") {
        todo!("assert_recovery: as the starter has it")
    }
    if lazy("gate") {
        copy_the_answer_key(
            r,
            &[
                AssertionId::IncidentResolved,
                AssertionId::SliRecovered,
                AssertionId::RegressionCatchesBadRelease,
                AssertionId::FixPromoted,
            ],
        )
    } else {
        gate::assert_recovery(r)
    }
}

fn install(step: Option<&'static str>) {
    capstone::port::install(capstone::port::Steps {
        to_release_case,
        assert_intake_and_detect,
        assert_recovery,
        ..reference::steps()
    });
    LAZY.with(|l| l.set(step));
}

fn run(id: &str, step: Option<&'static str>) -> Result<(), String> {
    install(step);
    let check = capstone::checks::CHECKS
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"));
    (check.run)()
}

#[test]
fn the_reference_passes_the_story_checks() {
    for id in ["m34.a.3", "m34.a.4", "m34.b.4"] {
        assert_eq!(run(id, None), Ok(()), "{id}");
    }
}

#[test]
fn a_release_case_whose_topic_is_a_constant_fails_the_shift() {
    assert!(
        run("m34.a.3", Some("to_release_case")).is_err(),
        "its own check"
    );
    let e = run("m34.a.4", Some("to_release_case")).unwrap_err();
    assert!(e.contains("shipping"), "the shipping shift catches it: {e}");
}

#[test]
fn a_gate_that_copies_the_answer_key_fails_break_it_on_purpose() {
    let e = run("m34.b.4", Some("gate")).unwrap_err();
    assert!(
        e.contains("labelled as scenario"),
        "a relabelled report catches it: {e}"
    );
}

/// Part A's trace step is judged on Part A alone: with the gate's steps
/// still `todo!()` (Part B not started), m34.a.4 passes, and the drill
/// prints the shift through the ship stage and says the gate did not run.
#[test]
fn the_trace_step_passes_with_only_part_a_written() {
    assert_eq!(run("m34.a.4", Some("part B")), Ok(()));
    install(Some("part B"));
    let o = capstone::cli::parse(&[], &[], capstone::shift::SEED).expect("no arguments");
    let (trace, not_run) = capstone::cli::drill_trace(&o).expect("the shift runs on Part A");
    let reference = capstone::shift::run(capstone::shift::SEED, Scenario::Clean);
    assert_eq!(
        trace.to_text(),
        reference.trace.to_text(),
        "the trace through ship"
    );
    assert!(!trace
        .lines()
        .iter()
        .any(|l| l.actor == "gate" && l.text.starts_with("verify")));
    assert_eq!(not_run.len(), 1, "{not_run:?}");
    assert!(
        not_run[0].contains("did not run") && not_run[0].contains("assert_intake_and_detect"),
        "{not_run:?}"
    );
}

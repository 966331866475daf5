//! A lazy version of a step that its own check catches must fail the story
//! check too: m31.b.6 runs every step together, and a regression case
//! written down in advance gives the right answer on the reference story.
//!
//! The test installs the reference steps through the port, with one step
//! swapped for a lazy version, and runs the check from
//! `incident::checks::CHECKS` as the lab does. The port only exists in a lab
//! build, so this file only compiles in one (`cargo xtask verify` runs it):
//!
//! ```sh
//! cargo test -p incident --features incident/external-steps --test lazy_steps
//! ```
#![cfg(all(feature = "external-steps", not(feature = "solution")))]

use std::cell::Cell;

// The reference files refer to the crate's items as `crate::…` (`::`
// because the crate has a module of its own name).
#[allow(unused_imports)]
use ::incident::*;

// The reference steps and files, generated from the port.
mod reference;
#[allow(unused_imports)]
use reference::{budget, learn, paging, respond};

use ::incident::postmortem::{Postmortem, RegressionCase};

thread_local! {
    /// The step this test thread swaps for its lazy version.
    static LAZY: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The reference story's case, written down instead of made from the
/// postmortem.
fn to_eval_case_hard_coded(_postmortem: &Postmortem) -> Result<RegressionCase, IncidentError> {
    Ok(RegressionCase {
        id: "regression-inc-1".to_string(),
        input: "How many days do I have to return an item?".to_string(),
        expected: "30 days".to_string(),
        forbidden: "90 days".to_string(),
        origin_incident: "INC-1".to_string(),
    })
}

fn to_eval_case(postmortem: &Postmortem) -> Result<RegressionCase, IncidentError> {
    if LAZY.with(|l| l.get()) == Some("to_eval_case") {
        to_eval_case_hard_coded(postmortem)
    } else {
        learn::to_eval_case(postmortem)
    }
}

/// The lint done in two passes over each line, phrases first, then the
/// people: every finding right, in the wrong order when a line blames a
/// person before it uses a blaming phrase (issue 22: only the story check
/// caught it).
fn lint_blame_phrases_first(text: &str) -> Vec<::incident::lint::BlameFinding> {
    let all = learn::lint_blame(text);
    let mut out = Vec::new();
    let lines: std::collections::BTreeSet<usize> = all.iter().map(|f| f.line).collect();
    for line in lines {
        for rule in [
            ::incident::lint::BlameRule::BlamingPhrase,
            ::incident::lint::BlameRule::PersonBlamed,
        ] {
            out.extend(
                all.iter()
                    .filter(|f| f.line == line && f.rule == rule)
                    .cloned(),
            );
        }
    }
    out
}

fn lint_blame(text: &str) -> Vec<::incident::lint::BlameFinding> {
    if LAZY.with(|l| l.get()) == Some("lint_blame") {
        lint_blame_phrases_first(text)
    } else {
        learn::lint_blame(text)
    }
}

fn run(id: &str, step: Option<&'static str>) -> Result<(), String> {
    ::incident::port::install(::incident::port::Steps {
        to_eval_case,
        lint_blame,
        ..reference::steps()
    });
    LAZY.with(|l| l.set(step));
    let check = ::incident::checks::CHECKS
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"));
    (check.run)()
}

#[test]
fn the_reference_passes_the_story_check() {
    for id in ["m31.b.4", "m31.b.5", "m31.b.6"] {
        assert_eq!(run(id, None), Ok(()), "{id}");
    }
}

#[test]
fn a_hard_coded_regression_case_fails_the_trace_check() {
    assert!(
        run("m31.b.5", Some("to_eval_case")).is_err(),
        "its own check"
    );
    let e = run("m31.b.6", Some("to_eval_case")).unwrap_err();
    assert!(e.contains("INC-42"), "the second story catches it: {e}");
}

#[test]
fn blame_findings_in_the_wrong_order_fail_their_own_step() {
    let e = run("m31.b.4", Some("lint_blame")).unwrap_err();
    assert!(e.contains("in the order they appear"), "{e}");
}

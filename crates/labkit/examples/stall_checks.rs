//! A check binary whose first step never returns: the course tool's own
//! tests run it to prove a loop is waited for once and named in every check
//! that needs that step. It is not a lab.
//!
//! `luhn_valid` here stands for a learner's step: like the forwarding
//! modules of `labkit::learner_steps!` in a lab build, it tells the harness
//! it is running ([`labkit::stall::enter`]) before the learner's body.

use labkit::{ensure, Check, CheckResult, Edit};

const FILE: &str = "starters/m99/validity.rs";

/// The learner's step, written with `loop {}` at the top.
fn luhn_valid(digits: &str) -> bool {
    let _running = labkit::stall::enter("luhn_valid", FILE);
    loop {
        std::hint::black_box(digits);
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// A later step that calls the stuck one, the way `redact` calls it.
fn redact(text: &str) -> String {
    let _running = labkit::stall::enter("redact", "starters/m99/redact.rs");
    if luhn_valid(text) {
        "[CARD]".into()
    } else {
        text.into()
    }
}

const fn check(id: &'static str, function: &'static str, run: fn() -> CheckResult) -> Check {
    Check {
        id,
        part: "A",
        guide_step: function,
        kind: labkit::CheckKind::Step,
        title: id,
        points: 1,
        plan: labkit::Plan::core(1),
        hint: "This is a fixture for the runner's own tests.",
        edit: Some(Edit {
            file: FILE,
            function,
        }),
        run,
    }
}

const CHECKS: &[Check] = &[
    check("m99.a.1", "luhn_valid", || {
        ensure!(luhn_valid("4111111111111111"), "a real card number");
        Ok(())
    }),
    check("m99.a.2", "redact", || {
        ensure!(redact("4111111111111111") == "[CARD]", "a card is redacted");
        Ok(())
    }),
    check("m99.a.3", "redact", || {
        ensure!(redact("hello") == "hello", "clean text stays");
        Ok(())
    }),
    check("m99.a.4", "ssn_valid", || Ok(())),
    check("m99.a.5", "redact", || {
        ensure!(!redact("1").is_empty(), "something is left");
        Ok(())
    }),
    check("m99.a.6", "luhn_valid", || {
        ensure!(!luhn_valid("4111111111111112"), "a typo");
        Ok(())
    }),
    check("m99.a.7", "redact", || {
        ensure!(redact("0").len() == 1, "one digit");
        Ok(())
    }),
];

fn main() -> std::process::ExitCode {
    labkit::check::main(CHECKS)
}

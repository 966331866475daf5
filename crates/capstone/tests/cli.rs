//! The binaries' command line: scenarios by name, one-line errors.

use capstone::{cli, Scenario};

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn scenarios_parse_by_name_and_unknown_ones_name_the_valid_ones() {
    for s in Scenario::ALL {
        let o = cli::parse(&args(&["--scenario", s.name()]), &["--scenario"], 1).unwrap();
        assert_eq!(o.scenario, s);
    }
    let e = cli::parse(&args(&["--scenario=nope"]), &["--scenario"], 1).unwrap_err();
    assert!(e.0.contains("unknown scenario `nope`"));
    assert!(e.0.contains("fix-reintroduces-bug"));
    assert!(!e.0.contains('\n'));
    let e = cli::parse(&args(&["--json"]), &["--scenario"], 1).unwrap_err();
    assert!(e.0.contains("unknown argument"));
    let o = cli::parse(&args(&["--seed", "9", "--json"]), &["--seed", "--json"], 1).unwrap();
    assert_eq!((o.seed, o.json), (9, true));
    assert!(cli::parse(&args(&["--seed", "x"]), &["--seed"], 1).is_err());
}

/// `drill --mine` on a learner whose M33 `rollback` is still a `todo!()`:
/// the message names M33's step and the way round it, not "see the lab",
/// whose Next line would say the same.
#[test]
fn a_shift_stopped_in_another_modules_starter_names_that_step() {
    let msg = "not yet implemented: rollback: run the checklist";
    let at = "crates/release-ops/../../starters/m33/release/rollback.rs";
    let told = cli::stopped_in_your_code(msg, Some(at));
    assert!(
        told.contains("M33's `rollback` (starters/m33/release/rollback.rs)")
            && told.contains("cargo xtask lab m33")
            && told.contains("--reference-parts"),
        "{told}"
    );
    // The learner's own M34 step: the lab report says what next.
    let own = cli::stopped_in_your_code(
        "not yet implemented: execute_play: match on the play",
        Some("starters/m34/mitigate.rs"),
    );
    assert!(own.contains("see `cargo xtask lab m34`"), "{own}");
    assert!(!own.contains("--reference-parts"), "{own}");
}

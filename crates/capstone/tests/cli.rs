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

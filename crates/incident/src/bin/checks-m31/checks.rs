use labkit::{ensure, Check, CheckResult, Edit};

const BURN: Edit = Edit {
    file: "starters/m31/burn.rs",
    function: "burn_rate",
};

pub const CHECKS: &[Check] = &[Check {
    id: "m31.a.1",
    part: "A",
    step: "burn_rate",
    title: "burn rate is the error ratio over the error budget",
    points: 2,
    hint: "The budget is the share of events an SLO allows to fail; burn compares what failed with that share.",
    edit: Some(BURN),
    run: burn_rate_matches_definition,
}];

fn burn_rate_matches_definition() -> CheckResult {
    let got = incident::burn_rate(0.20, 0.99);
    ensure!((got - 20.0).abs() < 1e-9, "SLI 80% against a 99% SLO should burn at 20x, got {got}");
    Ok(())
}

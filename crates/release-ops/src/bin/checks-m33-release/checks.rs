use labkit::{ensure, Check, CheckResult, Edit};

pub const CHECKS: &[Check] = &[Check {
    id: "m33.b.1",
    part: "B",
    step: "within_tolerance",
    title: "the gate passes a 2% drop and blocks a larger one",
    points: 2,
    hint: "The tolerance is relative to the live score, and its boundary is inclusive.",
    edit: Some(Edit { file: "starters/m33/release/gate.rs", function: "within_tolerance" }),
    run: gate,
}];

fn gate() -> CheckResult {
    ensure!(release_ops::within_tolerance(0.90, 0.882), "0.882 is exactly 2% below 0.90 and passes");
    ensure!(!release_ops::within_tolerance(0.90, 0.88), "0.88 is more than 2% below 0.90");
    Ok(())
}

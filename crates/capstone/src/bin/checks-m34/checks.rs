use labkit::{ensure_eq, Check, CheckResult, Edit};

pub const CHECKS: &[Check] = &[Check {
    id: "m34.b.1",
    part: "B",
    step: "gate_exit_code",
    title: "the gate exits non-zero when any assertion fails",
    points: 2,
    hint: "CI trusts exit codes: zero means every assertion held.",
    edit: Some(Edit { file: "starters/m34/gate.rs", function: "gate_exit_code" }),
    run: exit_code,
}];

fn exit_code() -> CheckResult {
    ensure_eq!(capstone::gate_exit_code(&[true, true]), 0, "all pass");
    ensure_eq!(capstone::gate_exit_code(&[true, false]), 1, "one fails");
    Ok(())
}

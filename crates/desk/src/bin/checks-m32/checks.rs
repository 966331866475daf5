use labkit::{ensure_eq, Check, CheckResult, Edit};

pub const CHECKS: &[Check] = &[Check {
    id: "m32.b.1",
    part: "B",
    step: "priority",
    title: "priority follows the ITIL impact x urgency matrix",
    points: 2,
    hint: "Impact and urgency each run from 1 (high) to 3 (low); the matrix adds them up.",
    edit: Some(Edit { file: "starters/m32/priority.rs", function: "priority" }),
    run: priority_matrix,
}];

fn priority_matrix() -> CheckResult {
    ensure_eq!(desk::priority(1, 1), 1, "impact 1, urgency 1");
    ensure_eq!(desk::priority(3, 3), 5, "impact 3, urgency 3");
    Ok(())
}

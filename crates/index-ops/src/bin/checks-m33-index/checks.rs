use labkit::{ensure, Check, CheckResult, Edit};

pub const CHECKS: &[Check] = &[Check {
    id: "m33.a.1",
    part: "A",
    step: "luhn_valid",
    title: "Luhn checksum accepts real card numbers and rejects typos",
    points: 2,
    hint: "A card number's last digit is a checksum over the others; look up how it weights alternate digits.",
    edit: Some(Edit { file: "starters/m33/index/luhn.rs", function: "luhn_valid" }),
    run: luhn,
}];

fn luhn() -> CheckResult {
    ensure!(index_ops::luhn_valid("4111 1111 1111 1111"), "4111 1111 1111 1111 is a valid test card");
    ensure!(!index_ops::luhn_valid("4111 1111 1111 1112"), "4111 1111 1111 1112 fails Luhn");
    Ok(())
}

//! Checks of `starters/m33/index/validity.rs`: the Luhn and SSN rules.

use labkit::{ensure, ensure_eq, CheckResult, SimRng};

/// The check's own Luhn sum.
fn luhn_oracle(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum % 10 == 0
}

fn text_of(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

pub(super) fn luhn_rejects_every_typo() -> CheckResult {
    ensure!(
        crate::luhn_valid("4111111111111111"),
        "4111111111111111 is a valid test card"
    );
    for (number, valid) in [
        ("4111111111111112", false),
        ("79927398713", true),
        ("79927398710", false),
        ("378282246310005", true),
        ("5555555555554444", true),
        ("", false),
        ("4111 1111 1111 1111", false),
        ("41111111a1111111", false),
    ] {
        ensure_eq!(crate::luhn_valid(number), valid, "luhn_valid({number:?})");
    }
    let mut rng = SimRng::seed(31);
    for _ in 0..300 {
        let len = rng.between(13, 19) as usize;
        let mut digits: Vec<u8> = (0..len).map(|_| rng.below(10) as u8).collect();
        let expected = luhn_oracle(&digits);
        ensure_eq!(
            crate::luhn_valid(&text_of(&digits)),
            expected,
            "luhn_valid({:?})",
            text_of(&digits)
        );
        // Make it valid, then break one digit: Luhn catches every such typo.
        let last = len - 1;
        digits[last] = (0..10)
            .find(|c| {
                digits[last] = *c;
                luhn_oracle(&digits)
            })
            .unwrap_or(0);
        ensure!(
            crate::luhn_valid(&text_of(&digits)),
            "{} passes the Luhn check",
            text_of(&digits)
        );
        let at = rng.below(len as u64) as usize;
        digits[at] = (digits[at] + 1 + rng.below(9) as u8) % 10;
        ensure!(
            !crate::luhn_valid(&text_of(&digits)),
            "{} has one digit changed (position {at}) and fails the Luhn check",
            text_of(&digits)
        );
    }
    Ok(())
}

/// The check's own restatement of the SSN rules.
fn ssn_oracle(s: &[u8]) -> bool {
    if s.len() != 11 || !matches!(s[3], b'-' | b' ' | b'.') || s[3] != s[6] {
        return false;
    }
    let d: Vec<u8> = [0, 1, 2, 4, 5, 7, 8, 9, 10].iter().map(|&i| s[i]).collect();
    if !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let area = (d[0] - b'0') as u32 * 100 + (d[1] - b'0') as u32 * 10 + (d[2] - b'0') as u32;
    let group = &d[3..5];
    let serial = &d[5..9];
    area != 0
        && area != 666
        && area < 900
        && group != b"00"
        && serial != b"0000"
        && !d.iter().all(|x| *x == d[0])
}

pub(super) fn ssn_rules_are_applied() -> CheckResult {
    ensure!(
        crate::ssn_valid("123-45-6789"),
        "123-45-6789 is a valid SSN"
    );
    for (s, valid) in [
        ("123 45 6789", true),
        ("123.45.6789", true),
        ("078-05-1120", true),
        ("000.12.3456", false),
        ("123.45-6789", false),
        ("123.00.4567", false),
        ("912.70.1234", false),
        ("000-12-3456", false),
        ("666-12-3456", false),
        ("912-34-5678", false),
        ("123-00-4567", false),
        ("123-45-0000", false),
        ("123-45 6789", false),
        ("123 45-6789", false),
        ("111-11-1111", false),
        ("123456789", false),
        ("123-456-789", false),
        ("12a-45-6789", false),
        ("123-45-67890", false),
        ("", false),
    ] {
        ensure_eq!(crate::ssn_valid(s), valid, "ssn_valid({s:?})");
    }
    let mut rng = SimRng::seed(32);
    let seps = [b'-', b' ', b'.', b'-', b' ', b'.', b'/', b'_'];
    for _ in 0..600 {
        let mut s = Vec::with_capacity(11);
        let mode = rng.below(4);
        for i in 0..11 {
            if i == 3 || i == 6 {
                s.push(*rng.pick(&seps).unwrap_or(&b'-'));
            } else {
                // Bias towards the edge values the rules care about.
                let d = match mode {
                    0 => rng.below(10) as u8,
                    1 => *rng.pick(&[0u8, 6, 9]).unwrap_or(&0),
                    2 => *rng.pick(&[0u8, 1]).unwrap_or(&0),
                    _ => 7,
                };
                s.push(b'0' + d);
            }
        }
        if rng.chance(0.3) {
            let sep = s[3];
            s[6] = sep;
        }
        let text = String::from_utf8_lossy(&s).into_owned();
        ensure_eq!(
            crate::ssn_valid(&text),
            ssn_oracle(&s),
            "ssn_valid({text:?})"
        );
    }
    Ok(())
}

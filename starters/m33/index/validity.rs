//! Step A1 · Validity rules: tell a real card number or SSN from a
//! look-alike. Guide: `labs/m33/README.md`, Part A, step A1.
//!
//! The detectors (`crates/index-ops/src/detect.rs`) find things *shaped* like
//! a card or an SSN; these two functions decide whether the shape is real.
//! Without them an order number or a date would be redacted (noise), and with
//! wrong ones a real number would be stored raw (a leak).

/// `true` when `digits` (ASCII digits only, separators already removed) pass
/// the Luhn checksum: from the rightmost digit leftwards, double every second
/// digit (the rightmost itself is not doubled, the one left of it is),
/// subtract 9 from any result above 9, add everything up; the number is
/// valid when the total is a multiple of 10.
///
/// `luhn_valid("4111111111111111")` is `true`; change any one digit and it
/// becomes `false`. Given: the refusal of empty or non-digit input, and the
/// digits as numbers, rightmost first; you write the sum and the verdict.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    // The rightmost digit first, each as its value 0–9.
    let from_right = digits.bytes().rev().map(|b| u32::from(b - b'0'));
    todo!("luhn_valid: double every second digit from the right (minus 9 above 9); valid when the sum is a multiple of 10")
}

/// `true` when `ssn` is a US Social Security number that could have been
/// issued, written `AAA-GG-SSSS`, `AAA GG SSSS` or `AAA.GG.SSSS` (exactly 11
/// bytes; forms, letters and spreadsheets use all three):
///
/// - one separator (`-`, space or `.`), used in both places: `123-45 6789`
///   is not an SSN;
/// - area `AAA` is not `000`, not `666`, and not `900`–`999`;
/// - group `GG` is not `00`; serial `SSSS` is not `0000`;
/// - not all nine digits the same (`111-11-1111` is a placeholder).
///
/// The shape (the first rule) is given below; you write the other three:
/// the area, the group and serial, and the same-digit rule. Every 9xx area
/// is refused here, ITINs included: they have their own detector.
pub fn ssn_valid(ssn: &str) -> bool {
    // Given: the shape (3-2-4 digits, one of the three separators used twice).
    let b = ssn.as_bytes();
    if b.len() != 11 || !matches!(b[3], b'-' | b' ' | b'.') || b[3] != b[6] {
        return false;
    }
    let digits: Vec<u8> = b
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 6)
        .map(|(_, d)| *d)
        .collect();
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (area, group, serial) = (&ssn[0..3], &ssn[4..6], &ssn[7..11]);
    todo!("ssn_valid: the area, group, serial and same-digit rules")
}

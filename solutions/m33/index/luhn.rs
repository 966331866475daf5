//! Step A1 · Luhn checksum. Guide: `labs/m33/README.md`, Part A.

/// `true` when the digits of `number` pass the Luhn checksum.
pub fn luhn_valid(number: &str) -> bool {
    // BEGIN SOLUTION luhn_valid: double every second digit from the right and check the sum
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { let x = d * 2; if x > 9 { x - 9 } else { x } } else { *d })
        .sum();
    !digits.is_empty() && sum % 10 == 0
    // END SOLUTION
}

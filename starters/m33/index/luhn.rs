//! Step A1 · Luhn checksum. Guide: `labs/m33/README.md`, Part A.

/// `true` when the digits of `number` pass the Luhn checksum.
pub fn luhn_valid(number: &str) -> bool {
    todo!("luhn_valid: double every second digit from the right and check the sum")
}

//! Which variant these tests need. This crate's tests prove the reference
//! (`solutions/`), so most of them are compiled only with the `solution`
//! feature; in the default (starter) variant `cargo test -p index-ops` would
//! otherwise pass with nothing run. This file says so in the test report.
#![cfg(not(feature = "solution"))]

#[test]
#[ignore = "the crate's tests run the reference: cargo test -p index-ops --features solution"]
fn reference_tests_need_the_solution_feature() {}

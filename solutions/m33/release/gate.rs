//! Step B1 · The pre-deploy gate. Guide: `labs/m33/README.md`, Part B.

/// `true` when `candidate` is no more than 2% (relative) below `live`.
pub fn within_tolerance(live: f64, candidate: f64) -> bool {
    // BEGIN SOLUTION within_tolerance: compare the relative drop with the 2% tolerance
    candidate * 100.0 >= live * 98.0
    // END SOLUTION
}

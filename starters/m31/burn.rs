//! Step A1 · Burn rate. Guide: `labs/m31/README.md`, Part A.

/// How fast an error budget is being spent: the observed error ratio divided
/// by the budget, `1 − SLO`. A burn rate of 1 spends exactly the whole budget
/// over the SLO period.
pub fn burn_rate(error_ratio: f64, slo_target: f64) -> f64 {
    todo!("burn_rate: divide the observed error ratio by the error budget")
}

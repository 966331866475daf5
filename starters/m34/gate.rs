//! Step B1 · The gate's exit code. Guide: `labs/m34/README.md`, Part B.

/// The process exit code for a list of assertion results: 0 only when all hold.
pub fn gate_exit_code(results: &[bool]) -> i32 {
    todo!("gate_exit_code: exit 0 only when every assertion held")
}

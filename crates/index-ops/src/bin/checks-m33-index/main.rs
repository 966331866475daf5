//! The lab checks of m33, run one per process by `cargo xtask lab m33`.

mod checks;

fn main() -> std::process::ExitCode {
    labkit::check::main(checks::CHECKS)
}

//! The lab checks of m34, run one per process by `cargo xtask lab m34`.

mod checks;

fn main() -> std::process::ExitCode {
    labkit::check::main(checks::CHECKS)
}

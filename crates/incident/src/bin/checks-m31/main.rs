//! The lab checks of m31, run one per process by `cargo xtask lab m31`.

mod checks;

fn main() -> std::process::ExitCode {
    labkit::check::main(checks::CHECKS)
}

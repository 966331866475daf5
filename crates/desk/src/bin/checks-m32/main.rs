//! The lab checks of m32, run one per process by `cargo xtask lab m32`.

mod checks;

fn main() -> std::process::ExitCode {
    labkit::check::main(checks::CHECKS)
}

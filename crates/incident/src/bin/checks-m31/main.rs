//! The lab checks of m31, run one per process by `cargo xtask lab m31`.

mod checks;
mod part_b;

fn main() -> std::process::ExitCode {
    labkit::check::main(checks::CHECKS)
}

//! The lab checks of m31, run one per process by `cargo xtask lab m31`.
//!
//! This binary compiles the learner's files itself and installs them as the
//! crate's steps; the checks are in the library (`incident::checks`). In a
//! lab build the library does not contain the learner's files at all, so an
//! edit to them recompiles only this binary (see `labkit::steps`).

// The learner's files refer to the crate's items as `crate::…`. (`::`
// because the crate has a module of its own name, `incident::incident`.)
#[allow(unused_imports)]
use ::incident::*;

labkit::learner_modules! {
    budget: "../../../../../solutions/m31/budget.rs",
        "../../../../../starters/m31/budget.rs";
    paging: "../../../../../solutions/m31/paging.rs",
        "../../../../../starters/m31/paging.rs";
    respond: "../../../../../solutions/m31/respond.rs",
        "../../../../../starters/m31/respond.rs";
    learn: "../../../../../solutions/m31/learn.rs",
        "../../../../../starters/m31/learn.rs";
}

fn main() -> std::process::ExitCode {
    ::incident::port::install(::incident::port::Steps {
        sli: budget::sli,
        error_ratio: budget::error_ratio,
        burn_rate: budget::burn_rate,
        budget_spent: budget::budget_spent,
        tier_fires: paging::tier_fires,
        evaluate: paging::evaluate,
        severity_for: respond::severity_for,
        transition: respond::transition,
        first_play: respond::first_play,
        lint_blame: learn::lint_blame,
        to_eval_case: learn::to_eval_case,
    });
    labkit::check::main(::incident::checks::CHECKS)
}

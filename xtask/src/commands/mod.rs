//! One module per command of [`crate::cli::COMMANDS`], each with its
//! `run`, and the few helpers they share.

pub mod bench;
pub mod book;
pub mod check;
pub mod grade;
pub mod gradescope;
pub mod lab;
pub mod lms;
pub mod refresh;
pub mod shift;
pub mod starters;
pub mod story;
pub mod verify;

use std::time::Duration;

use anyhow::Result;

use crate::cargo::Variant;
use crate::cli::{usage, Args};
use crate::modules::{self, Module};
use crate::runner::Limits;

/// The module named `name`, or a usage error listing the valid ones.
pub fn module_arg(name: &str) -> Result<&'static Module> {
    modules::find(name).ok_or_else(|| {
        usage(format!(
            "unknown module `{name}`; valid modules: {}",
            modules::names()
        ))
    })
}

/// The check limits, with `--timeout` if given.
pub fn limits(a: &Args) -> Result<Limits> {
    let mut l = Limits::default();
    if let Some(v) = a.value("--timeout") {
        let secs: u64 = v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
            usage(format!(
                "--timeout takes a whole number of seconds above 0, not `{v}`"
            ))
        })?;
        l.timeout = Duration::from_secs(secs);
    }
    Ok(l)
}

/// `--solution` chooses the reference.
pub fn variant(a: &Args) -> Variant {
    if a.has("--solution") {
        Variant::Solution
    } else {
        Variant::Starter
    }
}

//! Stalls: which learner step a check was stuck in when it ran out of time,
//! and how the checks after it are spared the same wait.
//!
//! In a lab build every call from the crate into a learner's function goes
//! through the forwarding modules of [`learner_steps!`](crate::learner_steps),
//! and each of those calls [`enter`] first. So the harness always knows
//! which learner steps are running right now, innermost last, the way it
//! knows from a `todo!()` message which step is not started.
//!
//! Two things follow:
//!
//! - **A loop is reported at the right place.** The check runs on a thread
//!   of its own; the harness's main thread keeps a watchdog a little shorter
//!   than the tool's time limit ([`LIMIT_ENV`]). When it fires, the harness
//!   reports *timed out* with [`Stall::LoopedIn`] naming the innermost step
//!   still running, sealed like any verdict, and ends the process.
//! - **A loop is waited for once.** The tool hands every later check the
//!   steps that already failed to return ([`STALLED_ENV`]). A check that
//!   reaches one of them stops there at once with [`Stall::NotRun`] instead
//!   of spending its own time limit in the same loop.
//!
//! The step names come in through the environment, which learner code can
//! read and change; that is harmless. What the tool believes comes back
//! only in the sealed verdict, and learner code cannot seal one.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Environment variable with the tool's time limit for one check, in
/// milliseconds. Without it (a person running the binary by hand) there is
/// no watchdog.
pub const LIMIT_ENV: &str = "LABKIT_TIME_LIMIT_MS";

/// Environment variable listing the steps that did not return in an
/// earlier check of this run, as `function@file` separated by spaces.
pub const STALLED_ENV: &str = "LABKIT_STALLED";

/// A learner step: the function and the file it is written in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StepRef {
    /// The function, e.g. `luhn_valid`.
    pub function: String,
    /// Its file from the workspace root, e.g. `starters/m33/index/validity.rs`.
    pub file: String,
}

impl StepRef {
    /// The form [`STALLED_ENV`] lists: `luhn_valid@starters/m33/index/validity.rs`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.function, self.file)
    }

    /// Reads [`StepRef::key`] back.
    pub fn from_key(key: &str) -> Option<Self> {
        let (function, file) = key.split_once('@')?;
        (!function.is_empty() && !file.is_empty()).then(|| Self {
            function: function.to_string(),
            file: file.to_string(),
        })
    }
}

impl std::fmt::Display for StepRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` ({})", self.function, self.file)
    }
}

/// The learner step that held a check up, and how: it looped, it had
/// looped in an earlier check, or it is not written yet. Typed and sealed
/// with the verdict, so the tool reads it here and never out of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Stall {
    /// The check ran out of time while this step was running (the innermost
    /// learner step still on the stack).
    LoopedIn { step: StepRef },
    /// The check reached a step that did not return in an earlier check,
    /// and was stopped there without waiting.
    NotRun { step: StepRef },
    /// The check reached this step's `todo!()` (the innermost learner step
    /// on the stack when it panicked): *not started* because of it, which
    /// need not be the step the check is about.
    Unwritten { step: StepRef },
}

impl Stall {
    /// The step the stall is about.
    pub fn step(&self) -> &StepRef {
        match self {
            Stall::LoopedIn { step } | Stall::NotRun { step } | Stall::Unwritten { step } => step,
        }
    }

    /// A stable text form, the part of the seal that covers the stall.
    pub fn sealed_text(&self) -> String {
        match self {
            Stall::LoopedIn { step } => format!("looped_in {}", step.key()),
            Stall::NotRun { step } => format!("not_run {}", step.key()),
            Stall::Unwritten { step } => format!("unwritten {}", step.key()),
        }
    }
}

/// The learner steps running now, outermost first.
static RUNNING: Mutex<Vec<(&'static str, &'static str)>> = Mutex::new(Vec::new());

/// The learner step entered last, running or returned.
static LAST_ENTERED: Mutex<Option<(&'static str, &'static str)>> = Mutex::new(None);

/// The steps an earlier check stalled in, read from [`STALLED_ENV`] on the
/// first call of [`enter`] unless [`set_stalled`] came first.
static STALLED: Mutex<Option<Vec<StepRef>>> = Mutex::new(None);

/// The panic payload that stops a check at a stalled step.
#[derive(Debug)]
pub(crate) struct StoppedAt(pub StepRef);

/// Marks a learner step as running until the guard is dropped (on return or
/// unwind). Called by the forwarding modules before every learner call;
/// stops the check at once (see [`Stall::NotRun`]) when this step already
/// failed to return in an earlier check.
pub fn enter(function: &'static str, file: &'static str) -> Entered {
    let is_stalled = {
        let mut stalled = STALLED.lock().unwrap_or_else(|p| p.into_inner());
        stalled
            .get_or_insert_with(read_stalled_env)
            .iter()
            .any(|s| s.function == function && s.file == file)
    };
    if is_stalled {
        std::panic::panic_any(StoppedAt(StepRef {
            function: function.to_string(),
            file: file.to_string(),
        }));
    }
    running().push((function, file));
    *LAST_ENTERED.lock().unwrap_or_else(|p| p.into_inner()) = Some((function, file));
    Entered(())
}

/// Guard returned by [`enter`].
#[must_use]
#[derive(Debug)]
pub struct Entered(());

impl Drop for Entered {
    fn drop(&mut self) {
        running().pop();
    }
}

fn running() -> std::sync::MutexGuard<'static, Vec<(&'static str, &'static str)>> {
    RUNNING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The innermost learner step running now, if any.
pub fn innermost() -> Option<StepRef> {
    running().last().map(|(function, file)| StepRef {
        function: function.to_string(),
        file: file.to_string(),
    })
}

/// The step that most likely made what happens now: the innermost learner
/// step running, or else the one entered last (the crate writes a trace
/// line about a step right after the step returns). `None` outside a lab
/// build, where no step is entered through the port.
pub fn current_or_last() -> Option<StepRef> {
    innermost().or_else(|| {
        LAST_ENTERED
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map(|(function, file)| StepRef {
                function: function.to_string(),
                file: file.to_string(),
            })
    })
}

fn read_stalled_env() -> Vec<StepRef> {
    std::env::var(STALLED_ENV)
        .map(|v| v.split_whitespace().filter_map(StepRef::from_key).collect())
        .unwrap_or_default()
}

/// Sets the stalled steps for this process, in place of what
/// [`STALLED_ENV`] says (for tests; the harness reads the environment).
pub fn set_stalled(steps: Vec<StepRef>) {
    *STALLED.lock().unwrap_or_else(|p| p.into_inner()) = Some(steps);
}

/// How long the harness's watchdog waits, given the tool's time limit: a
/// little less, so the sealed verdict is written before the tool gives up
/// and kills the process.
pub fn watchdog(limit: Duration) -> Duration {
    let margin = (limit / 10).clamp(Duration::from_millis(200), Duration::from_secs(1));
    limit.saturating_sub(margin)
}

/// The tool's time limit from [`LIMIT_ENV`], if set.
pub fn limit_from_env() -> Option<Duration> {
    std::env::var(LIMIT_ENV)
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_key_round_trips_and_rejects_half_keys() {
        let s = StepRef {
            function: "luhn_valid".into(),
            file: "starters/m33/index/validity.rs".into(),
        };
        assert_eq!(StepRef::from_key(&s.key()), Some(s.clone()));
        assert_eq!(StepRef::from_key("luhn_valid"), None);
        assert_eq!(StepRef::from_key("@x.rs"), None);
        assert_eq!(
            s.to_string(),
            "`luhn_valid` (starters/m33/index/validity.rs)"
        );
    }

    #[test]
    fn the_watchdog_fires_before_the_tool_does() {
        assert_eq!(watchdog(Duration::from_secs(10)), Duration::from_secs(9));
        assert_eq!(
            watchdog(Duration::from_secs(2)),
            Duration::from_millis(1800)
        );
        assert_eq!(
            watchdog(Duration::from_millis(500)),
            Duration::from_millis(300)
        );
    }
}

//! The ship stage (M33): the fix canaried against live on the eval set, the
//! regression case included, then promoted or refused.

use crate::error::ShiftError;

use super::{canary_outcome, Run};

impl Run {
    pub(super) fn ship(&mut self) -> Result<(), ShiftError> {
        let now = self.clock.now();
        let fix = self.report.fix_release.clone();
        let ops = self.ops();
        let lag = now - ops.releases.now();
        ops.releases.advance(lag);
        let regressions = ops.releases.eval_set().regression_cases().count();
        let cases = ops.releases.eval_set().len();
        let report = ops.releases.ship(&fix)?;
        let live = ops.releases.live().unwrap_or("none").to_string();
        let line = format!(
            "ship: canary {fix} vs live {} on {cases} cases ({regressions} regression): {} -> {}; live is {live}",
            report.live, report.verdict, report.decision
        );
        self.trace.at(now, "m33", line);
        self.report.fix_canary = Some(canary_outcome(&report));
        Ok(())
    }
}

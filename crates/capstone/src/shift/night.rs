//! The night before the shift: the index built, the registry filled, last-good
//! live, and the bad release deployed at 02:00 without a canary.

use incident::window::hours;
use index_ops::Index;
use labkit::SimClock;
use release_ops::registry::{ReleaseSpec, BUILD_EVAL_SEED, BUILD_EVAL_SIZE};
use release_ops::{EvalSet, Registry, ReleaseManager, SimModel};

use crate::error::ShiftError;
use crate::ops::{index_hash, knowledge_base, Operations};
use crate::scenario::Scenario;

use super::{Run, BAD, EVAL_SIZE, KB_PAGES, LAST_GOOD, REINTRODUCED};

impl Run {
    /// Before the shift: the index, the registry, last-good live, and the
    /// bad deploy at 02:00 without a canary.
    pub(super) fn night(&mut self) -> Result<(), ShiftError> {
        let t0 = SimClock::course_epoch();
        self.deploy_at = t0;
        let sources = knowledge_base(KB_PAGES, 0, 0);
        let index = Index::rebuild("docs_vA", &sources, t0 - hours(24))?;
        let hash = index_hash(&index);
        let mut registry = Registry::course();
        if self.scenario == Scenario::FixReintroducesBug {
            let mut m = SimModel::v2();
            m.version = REINTRODUCED.to_string();
            let build = EvalSet::generate(BUILD_EVAL_SEED, BUILD_EVAL_SIZE);
            registry.publish(ReleaseSpec::for_model(m, 104, "p8"), &build)?;
        }
        let mut releases =
            ReleaseManager::new(registry, EvalSet::generate(self.seed, EVAL_SIZE), &hash)
                .with_clock(SimClock::at(t0 - hours(24)));
        self.clock = SimClock::at(t0);
        if self.scenario == Scenario::NoRollbackTarget {
            releases.install_first(BAD)?;
            releases.advance(hours(24));
            self.trace.at(
                t0,
                "m33",
                format!(
                    "night: region eu-1 comes up with {BAD} as its first release; index {hash} ({} pages); last-good: none",
                    index.len()
                ),
            );
        } else {
            releases.install_first(LAST_GOOD)?;
            releases.advance(hours(24));
            releases.deploy(BAD)?;
            let m = releases.live_manifest()?;
            let line = format!(
                "night: {BAD} ({}, prompt {}) deployed straight to live, no canary; last-good {}; index {hash} ({} pages)",
                m.build_id,
                m.prompt_version,
                releases.last_good().unwrap_or("none"),
                index.len()
            );
            self.trace.at(t0, "m33", line);
        }
        self.ops = Some(Operations {
            releases,
            index,
            sources,
        });
        Ok(())
    }
}

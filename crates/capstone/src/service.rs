//! The service under watch: minute-by-minute traffic measured by M31.
//!
//! The assistant answers [`RPM`] requests a minute. How many go bad in a
//! minute is decided by whatever is live — a release's serving profile, the
//! share of stale documents in the index — as a rate in parts per million;
//! [`Service::minute`] draws that minute's bad count (rounding by chance, so
//! 800 ppm of 1000 requests is sometimes 0 and sometimes 1 bad answer, 0.8 on
//! average), feeds it to M31's windowed SLI, and evaluates the SRE Workbook
//! burn-rate policy through M31's pager.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use incident::window::{days, minutes};
use incident::{
    BurnPolicy, Counts, IncidentError, Pager, PagerEvent, Slo, WindowBurns, WindowedSli,
};
use labkit::SimRng;

/// Requests a minute.
pub const RPM: u64 = 1000;

/// Bad answers per million of the healthy service (v1's serving profile).
pub const BASELINE_PPM: u32 = 800;

/// The watched service.
#[derive(Debug, Clone)]
pub struct Service {
    slo: Slo,
    policy: BurnPolicy,
    sli: WindowedSli,
    pager: Pager,
    rng: SimRng,
    next: DateTime<Utc>,
    counts: BTreeMap<TimeDelta, Counts>,
    impact: Counts,
    measuring_impact: bool,
}

impl Service {
    /// A service whose windows hold three healthy days before `t0`, the
    /// first minute still to come.
    pub fn warmed_up(t0: DateTime<Utc>, rng: SimRng) -> Result<Self, IncidentError> {
        let slo = Slo::course_default();
        let policy = BurnPolicy::for_slo(&slo);
        let origin = t0 - days(3);
        let sli = WindowedSli::per_minute(origin, &policy.windows())?;
        let mut s = Self {
            slo,
            policy,
            sli,
            pager: Pager::new(),
            rng,
            next: origin,
            counts: BTreeMap::new(),
            impact: Counts::default(),
            measuring_impact: false,
        };
        while s.next < t0 {
            let at = s.next;
            let bad = s.draw(BASELINE_PPM);
            s.sli.record(at, RPM - bad, bad)?;
            s.next = at + minutes(1);
        }
        Ok(s)
    }

    fn draw(&mut self, ppm: u32) -> u64 {
        let expected = RPM * u64::from(ppm);
        ((expected + self.rng.below(1_000_000)) / 1_000_000).min(RPM)
    }

    /// The SLO watched.
    pub fn slo(&self) -> &Slo {
        &self.slo
    }

    /// The minute the next call to [`minute`](Self::minute) records.
    pub fn next(&self) -> DateTime<Utc> {
        self.next
    }

    /// Starts or stops counting requests towards the incident's impact.
    pub fn measure_impact(&mut self, on: bool) {
        self.measuring_impact = on;
    }

    /// The requests counted towards the impact so far.
    pub fn impact(&self) -> Counts {
        self.impact
    }

    /// Serves one minute at `ppm` bad answers per million, measures, and
    /// evaluates the burn-rate policy. Returns the minute and what the pager
    /// says, if anything.
    pub fn minute(
        &mut self,
        ppm: u32,
    ) -> Result<(DateTime<Utc>, Option<PagerEvent>), IncidentError> {
        let at = self.next;
        let bad = self.draw(ppm);
        self.sli.record(at, RPM - bad, bad)?;
        if self.measuring_impact {
            self.impact.add(Counts::new(RPM - bad, bad));
        }
        self.counts = self.sli.counts_at(at)?;
        let burns = WindowBurns::from_counts(&self.slo, &self.counts);
        let decision = incident::evaluate(&self.policy, &burns);
        let event = self.pager.observe(&decision);
        self.next = at + minutes(1);
        Ok((at, event))
    }

    /// The SLI over the last `window` (as of the last minute served).
    pub fn sli(&self, window: TimeDelta) -> Option<f64> {
        self.counts.get(&window).and_then(Counts::sli)
    }

    /// The burn rate over the last `window`.
    pub fn burn(&self, window: TimeDelta) -> Option<f64> {
        self.counts
            .get(&window)
            .and_then(Counts::error_ratio)
            .map(|r| incident::burn_rate(r, &self.slo))
    }
}

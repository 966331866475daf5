//! Trial estimates: how long a step took a learner, as a trial measured it.
//!
//! A budget ([`crate::budgets`]) is what the run of show gives a step; a
//! **trial estimate** is what a learner trial found it takes a person who
//! knows Rust basics (from the text read, the lines written, the concepts
//! and the lookups; a range, because it is a judgement). The estimates live
//! in one data file, [`FILE`], one line per step:
//!
//! ```text
//! module,part,step,low,high,report
//! m33,A,luhn_valid,3,5,docs/trials/m33-retrial-2.md
//! ```
//!
//! `step` is the step's name in the budget table (the learner function, or
//! the guide's name for a story check), `low`–`high` the minutes, `report`
//! the trial report that measured it. A step tried by several trials of the
//! same text has a line per trial: one helper's estimate differs from the
//! next by a few minutes, so a step's range is the mean of its trials'
//! (a measurement repeated, not the kindest one picked). `cargo xtask
//! catalog` shows the ranges beside the budgets in `docs/authoring.md`;
//! `cargo xtask verify` fails when a core step has no estimate, when an
//! estimate names a step or a report that does not exist, or when even the
//! low ends of a part's core estimates add up to more than its slot: then
//! the trials say the part cannot fit, whatever the budgets claim.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Where the estimates live.
pub const FILE: &str = "docs/trials/estimates.csv";

/// The header line the file starts with.
const HEADER: &str = "module,part,step,low,high,report";

/// One step's estimate from one trial.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// `m31` … `m34`.
    pub module: String,
    /// `A`, `B` or `X`.
    pub part: String,
    /// The step's name in the budget table.
    pub step: String,
    /// Minutes at the quick end of the range (halves are fine: `5.5`).
    pub low: f64,
    /// Minutes at the slow end of the range.
    pub high: f64,
    /// The trial report, a path from the workspace root.
    pub report: String,
}

/// Every trial's estimate of one step, and the range they give together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepEstimate {
    /// One per trial, in the file's order.
    pub trials: Vec<Estimate>,
}

impl StepEstimate {
    /// The mean of the trials' low ends.
    pub fn low(&self) -> f64 {
        self.mean(|e| e.low)
    }

    /// The mean of the trials' high ends.
    pub fn high(&self) -> f64 {
        self.mean(|e| e.high)
    }

    fn mean(&self, end: impl Fn(&Estimate) -> f64) -> f64 {
        let n = self.trials.len().max(1) as f64;
        self.trials.iter().map(end).sum::<f64>() / n
    }

    /// The range as the tables print it: `4`, `3–5`, or `3–5.5 (2 trials)`.
    pub fn range(&self) -> String {
        let r = range(self.low(), self.high());
        match self.trials.len() {
            0 | 1 => r,
            n => format!("{r} ({n} trials)"),
        }
    }
}

/// Minutes to the nearest half: `4`, `5.5`.
fn minutes(m: f64) -> String {
    let halves = (m * 2.0).round() / 2.0;
    if halves.fract() == 0.0 {
        format!("{halves:.0}")
    } else {
        format!("{halves:.1}")
    }
}

/// `low` alone when the ends meet, `low–high` otherwise, each to the
/// nearest half minute.
pub fn range(low: f64, high: f64) -> String {
    let (l, h) = (minutes(low), minutes(high));
    if l == h {
        l
    } else {
        format!("{l}–{h}")
    }
}

/// The estimates keyed by (module, part, step).
pub type Estimates = BTreeMap<(String, String, String), StepEstimate>;

/// Reads [`FILE`] under `root`. A malformed line is an error that names it.
pub fn load(root: &Path) -> Result<Estimates> {
    let text =
        std::fs::read_to_string(root.join(FILE)).with_context(|| format!("reading {FILE}"))?;
    parse(&text)
}

/// Parses the text of [`FILE`]: the header, then one estimate per line;
/// blank lines and lines starting with `#` are skipped.
pub fn parse(text: &str) -> Result<Estimates> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    match lines.next() {
        Some((_, l)) if l.trim() == HEADER => {}
        Some((n, l)) => bail!(
            "{FILE}:{}: expected the header `{HEADER}`, found `{l}`",
            n + 1
        ),
        None => bail!("{FILE} is empty: it needs the header `{HEADER}`"),
    }
    let mut out = Estimates::new();
    for (n, line) in lines {
        let at = format!("{FILE}:{}", n + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [module, part, step, low, high, report] = fields[..] else {
            bail!(
                "{at}: {} fields, expected 6 ({HEADER}): `{line}`",
                fields.len()
            );
        };
        let minutes = |what: &str, v: &str| -> Result<f64> {
            let m = v
                .parse::<f64>()
                .with_context(|| format!("{at}: {what} `{v}` is not a number of minutes"))?;
            if !m.is_finite() || m <= 0.0 {
                bail!("{at}: {what} `{v}` is not a number of minutes above 0");
            }
            Ok(m)
        };
        let (low, high) = (minutes("low", low)?, minutes("high", high)?);
        if low > high {
            bail!("{at}: the range {low}–{high} is backwards");
        }
        let e = Estimate {
            module: module.to_string(),
            part: part.to_string(),
            step: step.to_string(),
            low,
            high,
            report: report.to_string(),
        };
        let key = (e.module.clone(), e.part.clone(), e.step.clone());
        let step_estimate: &mut StepEstimate = out.entry(key).or_default();
        if step_estimate.trials.iter().any(|t| t.report == e.report) {
            bail!("{at}: a second estimate for {module} Part {part} `{step}` from {report}");
        }
        step_estimate.trials.push(e);
    }
    Ok(out)
}

/// A step as the budget table lists it, for [`problems`].
pub struct Step<'a> {
    /// `A`, `B` or `X`.
    pub part: &'a str,
    /// The step's name.
    pub name: &'a str,
    /// On the core path.
    pub core: bool,
}

/// What is wrong with one module's estimates, given its steps and slots
/// (part, minutes): empty when every core step has one and they fit.
pub fn problems(
    root: &Path,
    module: &str,
    steps: &[Step<'_>],
    slots: &[(&str, u32)],
    estimates: &Estimates,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut lows: BTreeMap<&str, f64> = BTreeMap::new();
    for s in steps {
        let key = (module.to_string(), s.part.to_string(), s.name.to_string());
        match estimates.get(&key) {
            Some(e) if s.core => *lows.entry(s.part).or_insert(0.0) += e.low(),
            Some(_) => {}
            None if s.core => out.push(format!(
                "{module} Part {} `{}`: a core step with no trial estimate in {FILE} \
                 (run a learner trial: docs/authoring.md, The budgets and their basis)",
                s.part, s.name
            )),
            None => {}
        }
    }
    for e in estimates
        .values()
        .flat_map(|s| &s.trials)
        .filter(|e| e.module == module)
    {
        if !steps.iter().any(|s| s.part == e.part && s.name == e.step) {
            out.push(format!(
                "{FILE}: {module} Part {} `{}` is not a step of the module",
                e.part, e.step
            ));
        }
        if !root.join(&e.report).is_file() {
            out.push(format!(
                "{FILE}: {module} `{}` cites {}, which does not exist",
                e.step, e.report
            ));
        }
    }
    for (part, low) in lows {
        if let Some((_, slot)) = slots.iter().find(|(p, _)| *p == part) {
            if low > f64::from(*slot) {
                out.push(format!(
                    "{module} Part {part}: the trial estimates' low ends add up to {} min, \
                     more than the part's {slot} min slot: the trials say the core cannot fit",
                    minutes(low)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# a comment\nmodule,part,step,low,high,report\n\n\
                        m33,A,luhn_valid,3,5,docs/trials/m33-retrial-2.md\n\
                        m34,B,break it on purpose,8,10,docs/trials/m34-trial.md\n";

    #[test]
    fn a_file_parses_into_one_estimate_per_step() {
        let e = parse(GOOD).expect("parses");
        assert_eq!(e.len(), 2);
        let b4 = &e[&("m34".into(), "B".into(), "break it on purpose".into())];
        assert_eq!(
            (b4.low(), b4.high(), b4.range()),
            (8.0, 10.0, "8–10".to_string())
        );
        assert_eq!(range(4.0, 4.0), "4");
    }

    #[test]
    fn several_trials_of_a_step_give_the_mean_of_their_ranges() {
        let text =
            format!("{HEADER}\nm31,A,evaluate,7,11,docs/a.md\nm31,A,evaluate,8,14,docs/b.md\n");
        let e = parse(&text).expect("parses");
        let ev = &e[&("m31".into(), "A".into(), "evaluate".into())];
        assert_eq!((ev.low(), ev.high()), (7.5, 12.5));
        assert_eq!(ev.range(), "7.5–12.5 (2 trials)");
        let same =
            format!("{HEADER}\nm31,A,evaluate,7,11,docs/a.md\nm31,A,evaluate,8,14,docs/a.md\n");
        assert!(format!("{:#}", parse(&same).unwrap_err()).contains("from docs/a.md"));
    }

    #[test]
    fn malformed_lines_are_named() {
        let no_header = "m33,A,luhn_valid,3,5,r\n";
        assert!(format!("{:#}", parse(no_header).unwrap_err()).contains(":1: expected the header"));
        let short = format!("{HEADER}\nm33,A,luhn_valid,3,5\n");
        assert!(format!("{:#}", parse(&short).unwrap_err()).contains(":2: 5 fields"));
        let text = format!("{HEADER}\nm33,A,luhn_valid,three,5,r\n");
        assert!(format!("{:#}", parse(&text).unwrap_err()).contains("`three` is not a number"));
        let zero = format!("{HEADER}\nm33,A,luhn_valid,0,5,r\n");
        assert!(format!("{:#}", parse(&zero).unwrap_err()).contains("above 0"));
        let backwards = format!("{HEADER}\nm33,A,luhn_valid,6,5,r\n");
        assert!(format!("{:#}", parse(&backwards).unwrap_err()).contains("backwards"));
        let twice = format!("{HEADER}\nm33,A,s,1,2,r\nm33,A,s,1,2,r\n");
        assert!(format!("{:#}", parse(&twice).unwrap_err()).contains(":3: a second estimate"));
    }

    #[test]
    fn a_missing_estimate_an_unknown_step_and_a_part_that_cannot_fit_are_problems() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let report = "docs/trials/m33-retrial-2.md";
        let text = format!(
            "{HEADER}\nm33,A,a,12,14,{report}\nm33,A,b,9,10,{report}\nm33,A,gone,1,1,{report}\n\
             m33,B,c,1,2,docs/trials/no-such-report.md\n"
        );
        let est = parse(&text).expect("parses");
        let steps = [
            Step {
                part: "A",
                name: "a",
                core: true,
            },
            Step {
                part: "A",
                name: "b",
                core: true,
            },
            Step {
                part: "B",
                name: "c",
                core: true,
            },
            Step {
                part: "B",
                name: "d",
                core: true,
            },
            Step {
                part: "B",
                name: "later",
                core: false,
            },
        ];
        let p = problems(&root, "m33", &steps, &[("A", 20), ("B", 20)], &est);
        let has = |s: &str| p.iter().any(|x| x.contains(s));
        assert!(
            has("Part B `d`: a core step with no trial estimate"),
            "{p:?}"
        );
        assert!(!has("`later`"), "after-class steps need no estimate: {p:?}");
        assert!(has("`gone` is not a step"), "{p:?}");
        assert!(has("no-such-report.md, which does not exist"), "{p:?}");
        assert!(
            has("Part A: the trial estimates' low ends add up to 21 min"),
            "{p:?}"
        );
        assert_eq!(p.len(), 4, "{p:?}");
        let fits = parse(&format!("{HEADER}\nm33,A,a,10,14,{report}\n")).expect("parses");
        let steps = [Step {
            part: "A",
            name: "a",
            core: true,
        }];
        assert!(problems(&root, "m33", &steps, &[("A", 20)], &fits).is_empty());
    }
}

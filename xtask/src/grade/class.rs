//! `class.html`: the class at a glance, for the staff who teach it.
//!
//! One self-contained page (inline styles and SVG, nothing fetched), laid
//! out like the shift report: the batch in numbers, a histogram of totals,
//! then per check how many submissions pass it, the spread of outcomes and
//! the commonest failure message, so staff see which step the class
//! struggles with. Then every submission with its flags.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use labkit::check::Outcome;

use super::gradebook::flag_names;
use super::{Graded, Status};
use crate::check_report::label;

const STYLE: &str = "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;width:100%}td,th{padding:.25em .6em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em}.msg{color:#555;font-size:.85em;white-space:pre-wrap}\
.flag{background:#fde8e8;color:#8a1c1c;border-radius:3px;padding:0 .3em;margin-right:.3em;font-size:.85em}";

/// Colours of the outcomes in the bars.
fn colour(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "#3a9d5d",
        Outcome::Fail => "#d9534f",
        Outcome::NotStarted => "#e0c04c",
        Outcome::Panicked | Outcome::Crashed | Outcome::TimedOut => "#b5533c",
        Outcome::DidNotCompile => "#8e6bbf",
        Outcome::Tampered => "#222222",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A stacked bar of outcome counts, `width` pixels for `total`.
fn bar(counts: &BTreeMap<&'static str, (Outcome, usize)>, total: usize) -> String {
    let width = 240.0;
    let mut x = 0.0;
    let mut s =
        format!("<svg width=\"{width}\" height=\"14\" role=\"img\"><title>outcomes</title>");
    for (o, n) in counts.values() {
        let w = width * *n as f64 / total.max(1) as f64;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"0\" width=\"{w:.1}\" height=\"14\" fill=\"{}\"><title>{}: {n}</title></rect>",
            colour(*o),
            label(*o)
        );
        x += w;
    }
    s.push_str("</svg>");
    s
}

/// A histogram of total points, ten bins from 0 to the maximum.
fn histogram(totals: &[(u32, u32)]) -> String {
    let bins = 10usize;
    let mut counts = vec![0usize; bins];
    for (got, max) in totals {
        let share = if *max == 0 {
            0.0
        } else {
            f64::from(*got) / f64::from(*max)
        };
        let b = ((share * bins as f64) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, pad) = (40.0, 120.0, 24.0);
    let mut s = format!(
        "<svg viewBox=\"0 0 {} {}\" width=\"{}\" role=\"img\"><title>totals of the class</title>",
        w * bins as f64 + 2.0 * pad,
        h + 2.0 * pad + 16.0,
        w * bins as f64 + 2.0 * pad
    );
    for (i, n) in counts.iter().enumerate() {
        let bh = h * *n as f64 / top as f64;
        let x = pad + w * i as f64;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#4a78b5\"><title>{}–{}%: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x + 2.0,
            pad + h - bh,
            w - 4.0,
            i * 10,
            i * 10 + 10,
            x + w / 2.0,
            pad + h + 14.0,
            i * 10
        );
        if *n > 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{n}</text>",
                x + w / 2.0,
                pad + h - bh - 4.0
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">% of points</text></svg>",
        pad + w * bins as f64,
        pad + h + 28.0
    );
    s
}

/// The page.
pub fn html(graded: &[Graded]) -> String {
    let scored: Vec<&Graded> = graded.iter().filter(|g| !g.runs.is_empty()).collect();
    let mut s = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Class grades</title><style>{STYLE}</style></head><body>"
    );
    let flagged = graded.iter().filter(|g| !flag_names(g).is_empty()).count();
    let invalid = graded
        .iter()
        .filter(|g| g.status == Status::Invalid)
        .count();
    let mut totals: Vec<u32> = scored.iter().map(|g| g.points()).collect();
    totals.sort_unstable();
    let median = median_label(&totals);
    let max = scored.iter().map(|g| g.max_points()).max().unwrap_or(0);
    let _ = write!(
        s,
        "<h1>Class grades</h1><p>{} submissions: {} graded, {invalid} not gradable, {flagged} flagged. \
         Median total {median} of {max} points.</p>",
        graded.len(),
        scored.len()
    );
    let pairs: Vec<(u32, u32)> = scored
        .iter()
        .map(|g| (g.points(), g.max_points()))
        .collect();
    s.push_str("<h2>Totals</h2><figure>");
    s.push_str(&histogram(&pairs));
    s.push_str(
        "<figcaption>How many submissions earned each tenth of the points.</figcaption></figure>",
    );

    s.push_str("<h2>Checks</h2><p>");
    for o in Outcome::ALL {
        let _ = write!(
            s,
            "<span style=\"display:inline-block;width:.9em;height:.9em;background:{};margin:0 .3em 0 1em;vertical-align:middle\"></span>{}",
            colour(o),
            label(o)
        );
    }
    s.push_str("</p><table><tr><th>check</th><th>step</th><th>passes</th><th>outcomes</th><th>commonest failure</th></tr>");
    for c in check_stats(&scored) {
        let common = c
            .commonest
            .as_ref()
            .map(|(m, n)| format!("{} ({n}×)", esc(m)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td><code>{}</code> {}</td><td>{}</td><td class=\"n\">{}/{}</td><td>{}</td><td class=\"msg\">{common}</td></tr>",
            esc(&c.id),
            esc(&c.title),
            esc(&c.step),
            c.passes,
            c.seen,
            bar(&c.counts, c.seen)
        );
    }
    s.push_str("</table>");

    s.push_str("<h2>Submissions</h2><table><tr><th>id</th><th>points</th><th>status</th><th>flags</th></tr>");
    let mut rows: Vec<&Graded> = graded.iter().collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    for g in rows {
        let names = flag_names(g);
        let spans: String = names
            .iter()
            .map(|f| format!("<span class=\"flag\">{}</span>", esc(f)))
            .collect();
        // Each flag opens on what it means for this submission.
        let flags = if g.flags.is_empty() {
            spans
        } else {
            let items: String = g
                .flags
                .iter()
                .map(|f| format!("<li>{}</li>", esc(&f.describe())))
                .collect();
            format!("<details><summary>{spans}</summary><ul class=\"msg\">{items}</ul></details>")
        };
        let points = if g.runs.is_empty() {
            "–".to_string()
        } else {
            format!("{}/{}", g.points(), g.max_points())
        };
        let _ = write!(
            s,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{points}</td><td>{}</td><td>{flags}{}</td></tr>",
            esc(&feedback_href(g)),
            esc(&g.id),
            g.status.as_str(),
            g.reason.as_deref().map(esc).unwrap_or_default()
        );
    }
    s.push_str("</table></body></html>\n");
    s
}

/// Where a submission's `feedback.md` is, from `class.html` beside the
/// submissions' folders: the folder is the id (percent-encoded for a link).
fn feedback_href(g: &Graded) -> String {
    // The learner's folder is named by `discover::file_name` (an id with
    // `@` or spaces gets a safe name); percent-encoding keeps the link valid
    // for whatever that leaves.
    let folder = super::discover::file_name(&g.id);
    let mut out = String::new();
    for b in folder.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out + "/feedback.md"
}

/// How the class did on one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckStat {
    pub id: String,
    pub title: String,
    pub step: String,
    /// Submissions that pass it, of those graded on it.
    pub passes: usize,
    pub seen: usize,
    /// Outcome counts, by outcome name.
    counts: BTreeMap<&'static str, (Outcome, usize)>,
    /// The commonest failure (`outcome: first line of the message`) and how
    /// many submissions it is; ties go to the first in sort order.
    pub commonest: Option<(String, usize)>,
}

/// Per check, in guide order (the order of the first graded run), how the
/// graded submissions did.
pub fn check_stats(scored: &[&Graded]) -> Vec<CheckStat> {
    let mut out = Vec::new();
    let Some(first) = scored.first() else {
        return out;
    };
    for (ri, run) in first.runs.iter().enumerate() {
        for (ci, check) in run.checks.iter().enumerate() {
            let mut counts: BTreeMap<&'static str, (Outcome, usize)> = BTreeMap::new();
            let mut messages: BTreeMap<String, usize> = BTreeMap::new();
            let mut passes = 0;
            let mut seen = 0;
            for g in scored {
                let Some(c) = g.runs.get(ri).and_then(|r| r.checks.get(ci)) else {
                    continue;
                };
                seen += 1;
                let o = c.verdict.outcome;
                counts.entry(o.as_str()).or_insert((o, 0)).1 += 1;
                if o == Outcome::Pass {
                    passes += 1;
                } else {
                    let first_line = c
                        .verdict
                        .message
                        .as_deref()
                        .and_then(|m| m.lines().next())
                        .unwrap_or("");
                    *messages
                        .entry(format!("{}: {}", label(o), first_line))
                        .or_insert(0) += 1;
                }
            }
            let commonest = messages
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
            out.push(CheckStat {
                id: check.info.id.clone(),
                title: check.info.title.clone(),
                step: check.info.step.clone(),
                passes,
                seen,
                counts,
                commonest,
            });
        }
    }
    out
}

/// The file name of the commonest failures, beside `class.html`.
pub const FAILURES: &str = "failures.csv";

/// `failures.csv`: the checks the class fails, the most failed first (ties
/// in guide order), with the commonest failure of each, for a spreadsheet.
/// Columns: `check`, `title`, `step`, `failing`, `graded`, `commonest`,
/// `commonest_count`. Checks nobody fails are left out.
pub fn failures_csv(graded: &[Graded]) -> String {
    use super::gradebook::field;
    let scored: Vec<&Graded> = graded.iter().filter(|g| !g.runs.is_empty()).collect();
    let mut stats: Vec<CheckStat> = check_stats(&scored)
        .into_iter()
        .filter(|c| c.passes < c.seen)
        .collect();
    stats.sort_by_key(|c| std::cmp::Reverse(c.seen - c.passes));
    let mut out = "check,title,step,failing,graded,commonest,commonest_count\n".to_string();
    for c in stats {
        let (msg, n) = c.commonest.unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{n}",
            field(&c.id),
            field(&c.title),
            field(&c.step),
            c.seen - c.passes,
            c.seen,
            field(&msg)
        );
    }
    out
}

/// The usual median of sorted totals: the middle value, or the mean of the
/// two middle values for an even count (shown with `.5` when it is not whole).
fn median_label(sorted: &[u32]) -> String {
    let n = sorted.len();
    if n == 0 {
        return "0".to_string();
    }
    if n % 2 == 1 {
        return sorted[n / 2].to_string();
    }
    let sum = u64::from(sorted[n / 2 - 1]) + u64::from(sorted[n / 2]);
    if sum % 2 == 0 {
        (sum / 2).to_string()
    } else {
        format!("{}.5", sum / 2)
    }
}

#[cfg(test)]
mod median_tests {
    use super::median_label;

    #[test]
    fn even_class_takes_the_mean_of_the_two_middle_values() {
        assert_eq!(
            median_label(&[30, 30, 30, 30, 56, 100, 115, 122, 122, 122]),
            "78"
        );
        assert_eq!(median_label(&[1, 2]), "1.5");
        assert_eq!(median_label(&[3, 5, 9]), "5");
        assert_eq!(median_label(&[]), "0");
    }
}

#[cfg(test)]
mod page_tests {
    use std::collections::BTreeMap;

    use labkit::check::{CheckInfo, Outcome};

    use super::*;
    use crate::cargo::Variant;
    use crate::grade::flags::Flag;
    use crate::lab::{CheckRun, ModuleRun};
    use crate::runner::Verdict;

    fn check(id: &str, o: Outcome, msg: &str) -> CheckRun {
        CheckRun {
            bin: "checks-m31",
            info: CheckInfo {
                id: id.into(),
                part: "A".into(),
                step: format!("step {id}"),
                kind: labkit::check::CheckKind::Story,
                title: format!("title {id}"),
                points: 2,
                track: labkit::check::Track::Core,
                minutes: 2,
                hint: String::new(),
                file: None,
                function: None,
            },
            verdict: Verdict {
                outcome: o,
                message: Some(msg.to_string()).filter(|m| !m.is_empty()),
                output: String::new(),
                stall: None,
            },
        }
    }

    fn learner(id: &str, outcomes: [(Outcome, &str); 3], flags: Vec<Flag>) -> Graded {
        let checks = ["m31.a.1", "m31.a.2", "m31.a.3"]
            .iter()
            .zip(outcomes)
            .map(|(c, (o, m))| check(c, o, m))
            .collect();
        Graded {
            id: id.into(),
            source: "folder".into(),
            provenance: Default::default(),
            status: Status::Fail,
            reason: None,
            runs: vec![ModuleRun {
                module: &crate::modules::MODULES[0],
                variant: Variant::Starter,
                checks,
                compile_error: None,
                warnings: Vec::new(),
            }],
            files: Vec::new(),
            ignored: Vec::new(),
            ignored_docs: Vec::new(),
            flags,
            fingerprints: BTreeMap::new(),
            seconds: 0.0,
            sandbox: None,
        }
    }

    fn class() -> Vec<Graded> {
        use Outcome::*;
        vec![
            learner(
                "ann",
                [(Pass, ""), (Fail, "want 3\ngot 2"), (NotStarted, "todo")],
                vec![],
            ),
            learner(
                "kim lee@uni.example",
                [(Pass, ""), (Fail, "want 3\ngot 4"), (NotStarted, "todo")],
                vec![Flag::ReferenceCopy {
                    file: "starters/m31/sli.rs".into(),
                }],
            ),
            learner(
                "zed",
                [(Pass, ""), (Fail, "want 3\ngot 9"), (Pass, "")],
                vec![],
            ),
        ]
    }

    #[test]
    fn each_row_links_its_feedback_and_flags_open_their_details() {
        let page = html(&class());
        assert!(
            page.contains("<a href=\"ann/feedback.md\">ann</a>"),
            "{page}"
        );
        // The link goes to the folder the grader wrote (an id with a space
        // and `@` gets a safe folder name), not to the id itself.
        let folder = crate::grade::discover::file_name("kim lee@uni.example");
        assert!(!folder.contains(' ') && !folder.contains('@'), "{folder}");
        assert!(
            page.contains(&format!(
                "<a href=\"{folder}/feedback.md\">kim lee@uni.example</a>"
            )),
            "{page}"
        );
        let flag = Flag::ReferenceCopy {
            file: "starters/m31/sli.rs".into(),
        };
        let details = format!(
            "<details><summary><span class=\"flag\">reference-copy</span></summary><ul class=\"msg\"><li>{}</li></ul></details>",
            esc(&flag.describe())
        );
        assert!(page.contains(&details), "{page}");
        // A row without flags has no details to open.
        assert_eq!(page.matches("<details>").count(), 1);
    }

    #[test]
    fn failures_csv_lists_the_most_failed_checks_first_with_their_commonest_failure() {
        let csv = failures_csv(&class());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            vec![
                "check,title,step,failing,graded,commonest,commonest_count",
                "m31.a.2,title m31.a.2,step m31.a.2,3,3,fail: want 3,3",
                "m31.a.3,title m31.a.3,step m31.a.3,2,3,not started: todo,2",
            ]
        );
        // A check the whole class passes is not a failure.
        assert!(!csv.contains("m31.a.1"));
    }
}

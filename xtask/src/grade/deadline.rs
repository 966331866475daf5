//! Deadlines by commit date: `grade --before DATETIME`.
//!
//! A fresh clone has no reflog, so `main@{2026-12-15}` cannot say what a
//! branch held at a time. What every clone does have is each commit's
//! *committer date*. With a deadline, the grader takes in each repository
//! the newest commit (by committer date) reachable from `HEAD` (or from
//! `--rev`) that is at or before the deadline, and lists every reachable
//! commit after it as **late**: visible in the results, not graded.
//!
//! A shallow clone holds only part of the history: when none of the
//! commits it holds is early enough, the grader says the history is too
//! shallow to know rather than calling the learner late.
//!
//! Times are read and written in UTC (`2026-12-15T23:59:59Z`); a deadline
//! given without a zone is UTC, one with an offset (`+01:00`) is converted.

use std::fmt;

use serde::Serialize;

use super::submission::git;
use std::path::Path;

/// A point in time, in seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(pub i64);

impl Deadline {
    /// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or the same with `T`,
    /// each optionally followed by `Z` or `±HH:MM`; or `@SECONDS`. A date
    /// alone means the last second of that day.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{text}` is not a date and time: write YYYY-MM-DD HH:MM:SS \
                 (UTC, or with Z or an offset such as +01:00)"
            )
        };
        let t = text.trim();
        if let Some(secs) = t.strip_prefix('@') {
            return secs.parse().map(Deadline).map_err(|_| bad());
        }
        let num = |s: &str| -> Result<i64, String> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse().map_err(|_| bad())
        };
        let (date, rest) = t.split_at(t.len().min(10));
        let parts: Vec<&str> = date.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let (y, mo, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
            return Err(bad());
        }
        let day = days_from_civil(y, mo, d) * 86_400;
        let rest = rest.trim_start_matches(['T', ' ']);
        if rest.is_empty() {
            return Ok(Deadline(day + 86_399));
        }
        // The zone: `Z`, `+HH:MM`, `-HH:MM` or nothing (UTC).
        let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
            (c, 0)
        } else if let Some(at) = rest.rfind(['+', '-']) {
            let (c, z) = rest.split_at(at);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z[1..].split_once(':').ok_or_else(bad)?;
            let (h, m) = (num(h)?, num(m)?);
            if h > 23 || m > 59 {
                return Err(bad());
            }
            (c, sign * (h * 3600 + m * 60))
        } else {
            (rest, 0)
        };
        let hms: Vec<&str> = clock.split(':').collect();
        if !(2..=3).contains(&hms.len()) {
            return Err(bad());
        }
        let h = num(hms[0])?;
        let m = num(hms[1])?;
        let s = if hms.len() == 3 { num(hms[2])? } else { 0 };
        if h > 23 || m > 59 || s > 60 {
            return Err(bad());
        }
        Ok(Deadline(day + h * 3600 + m * 60 + s - offset))
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&utc(self.0))
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `seconds` as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A commit, as results name it: its id, its committer date (UTC) and the
/// first line of its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Commit {
    pub commit: String,
    pub date: String,
    #[serde(default)]
    pub subject: String,
    #[serde(skip)]
    pub seconds: i64,
}

/// The commits reachable from `rev` in `repo`, newest first by committer
/// date.
pub fn history(repo: &Path, rev: &str) -> Result<Vec<Commit>, String> {
    let out = git(repo)
        .args([
            "log",
            "--date-order",
            "--format=%H%x09%ct%x09%s",
            "--end-of-options",
            rev,
            "--",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("cannot read the history of `{rev}`"));
    }
    let mut commits: Vec<Commit> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            let commit = f.next()?.to_string();
            let seconds: i64 = f.next()?.parse().ok()?;
            Some(Commit {
                commit,
                date: utc(seconds),
                subject: f.next().unwrap_or("").to_string(),
                seconds,
            })
        })
        .collect();
    commits.sort_by_key(|c| std::cmp::Reverse(c.seconds));
    Ok(commits)
}

/// The commit `rev` names, with its date.
pub fn stamp(repo: &Path, rev: &str) -> Option<Commit> {
    let out = git(repo)
        .args([
            "log",
            "-1",
            "--format=%H%x09%ct%x09%s",
            "--end-of-options",
            rev,
            "--",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut f = text.trim_end_matches('\n').splitn(3, '\t');
    let commit = f.next()?.to_string();
    let seconds: i64 = f.next()?.parse().ok()?;
    Some(Commit {
        commit,
        date: utc(seconds),
        subject: f.next().unwrap_or("").to_string(),
        seconds,
    })
}

/// Whether `repo` is a shallow clone (part of its history is missing).
pub fn is_shallow(repo: &Path) -> bool {
    git(repo)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
        .unwrap_or(false)
}

/// What a deadline picks in one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// The commit graded: the newest at or before the deadline.
    pub graded: Commit,
    /// The commits after the deadline, newest first (not graded).
    pub late: Vec<Commit>,
}

/// Picks, among `history` (newest first), the commit to grade for
/// `deadline`. `shallow` says whether older history may be missing.
pub fn pick(history: &[Commit], deadline: Deadline, shallow: bool) -> Result<Picked, String> {
    let late: Vec<Commit> = history
        .iter()
        .filter(|c| c.seconds > deadline.0)
        .cloned()
        .collect();
    match history.iter().find(|c| c.seconds <= deadline.0) {
        Some(graded) => Ok(Picked {
            graded: graded.clone(),
            late,
        }),
        None if shallow => Err(format!(
            "history too shallow to know what was committed by {deadline}: the oldest \
             commit in this clone is from {}; clone with more history \
             (git clone --shallow-since=…, or without --depth)",
            history.last().map(|c| c.date.as_str()).unwrap_or("(none)")
        )),
        None => Err(format!(
            "no commit at or before {deadline} (the first is from {}; {} commit(s), all late)",
            history.last().map(|c| c.date.as_str()).unwrap_or("(none)"),
            late.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_in_utc_or_with_an_offset() {
        let at = |s: &str| Deadline::parse(s).map(|d| d.to_string());
        assert_eq!(
            at("2026-12-15 23:59:59").as_deref(),
            Ok("2026-12-15T23:59:59Z")
        );
        assert_eq!(
            at("2026-12-15T23:59:59Z").as_deref(),
            Ok("2026-12-15T23:59:59Z")
        );
        assert_eq!(at("2026-12-15").as_deref(), Ok("2026-12-15T23:59:59Z"));
        assert_eq!(
            at("2026-12-16 00:30+01:00").as_deref(),
            Ok("2026-12-15T23:30:00Z")
        );
        assert_eq!(
            at("2024-02-29 12:00:00-05:30").as_deref(),
            Ok("2024-02-29T17:30:00Z")
        );
        assert_eq!(at("@0").as_deref(), Ok("1970-01-01T00:00:00Z"));
        assert_eq!(Deadline::parse("1970-01-01T00:00:00Z"), Ok(Deadline(0)));
        for bad in [
            "",
            "tomorrow",
            "2026-13-01",
            "2025-02-29",
            "2026-12-15 25:00",
            "2026-1-5",
        ] {
            assert!(Deadline::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_newest_commit_by_the_deadline_is_picked_and_later_ones_are_late() {
        let c = |id: &str, s: i64| Commit {
            commit: id.into(),
            date: utc(s),
            subject: String::new(),
            seconds: s,
        };
        let history = vec![
            c("late2", 300),
            c("late1", 200),
            c("ontime", 100),
            c("first", 50),
        ];
        let p = pick(&history, Deadline(150), false).unwrap();
        assert_eq!(p.graded.commit, "ontime");
        assert_eq!(
            p.late.iter().map(|c| c.commit.as_str()).collect::<Vec<_>>(),
            ["late2", "late1"]
        );
        // At the deadline is on time.
        assert_eq!(
            pick(&history, Deadline(200), false).unwrap().graded.commit,
            "late1"
        );
        let early = pick(&history, Deadline(10), false).unwrap_err();
        assert!(early.contains("no commit at or before"), "{early}");
        let shallow = pick(&history, Deadline(10), true).unwrap_err();
        assert!(shallow.contains("too shallow"), "{shallow}");
    }

    /// On real clones: a fresh full clone and a shallow one deep enough
    /// pick the same commit; a clone too shallow says so.
    #[test]
    fn fresh_and_shallow_clones_pick_by_committer_date() {
        let base = crate::cargo::target_base(&crate::root()).join("deadline-clones");
        let _ = std::fs::remove_dir_all(&base);
        let origin = base.join("origin");
        std::fs::create_dir_all(&origin).unwrap();
        let git = |dir: &Path, at: &str, args: &[&str]| {
            let out = std::process::Command::new("git")
                .current_dir(dir)
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_AUTHOR_NAME", "L")
                .env("GIT_AUTHOR_EMAIL", "l@example.invalid")
                .env("GIT_COMMITTER_NAME", "L")
                .env("GIT_COMMITTER_EMAIL", "l@example.invalid")
                .env("GIT_AUTHOR_DATE", at)
                .env("GIT_COMMITTER_DATE", at)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        git(
            &origin,
            "2026-12-01T00:00:00Z",
            &["init", "-q", "-b", "main"],
        );
        let mut ids = Vec::new();
        for (i, at) in [
            "2026-12-01T10:00:00Z",
            "2026-12-10T10:00:00Z",
            "2026-12-20T10:00:00Z",
        ]
        .iter()
        .enumerate()
        {
            std::fs::write(origin.join("work.txt"), format!("{i}\n")).unwrap();
            git(&origin, at, &["add", "-A"]);
            git(&origin, at, &["commit", "-q", "-m", &format!("c{i}")]);
            ids.push(git(&origin, at, &["rev-parse", "HEAD"]));
        }
        let url = format!("file://{}", origin.display());
        let at = "2026-12-21T00:00:00Z";
        git(&base, at, &["clone", "-q", &url, "full"]);
        git(&base, at, &["clone", "-q", "--depth", "2", &url, "shallow"]);
        let pick_in = |name: &str, deadline: &str| {
            let repo = base.join(name);
            let h = history(&repo, "HEAD").unwrap();
            pick(&h, Deadline::parse(deadline).unwrap(), is_shallow(&repo))
        };
        assert!(!is_shallow(&base.join("full")) && is_shallow(&base.join("shallow")));
        for name in ["full", "shallow"] {
            let p = pick_in(name, "2026-12-15").unwrap();
            assert_eq!(p.graded.commit, ids[1], "{name}");
            assert_eq!(p.graded.date, "2026-12-10T10:00:00Z");
            assert_eq!(
                p.late.iter().map(|c| &c.commit).collect::<Vec<_>>(),
                [&ids[2]]
            );
        }
        assert_eq!(pick_in("full", "2026-12-05").unwrap().graded.commit, ids[0]);
        let err = pick_in("shallow", "2026-12-05").unwrap_err();
        assert!(err.contains("too shallow"), "{err}");
    }
}

//! The class roster: who should have a row in the gradebook, whether they
//! handed anything in or not, and how each LMS knows them.
//!
//! A roster is a CSV file with a header row. Two columns are required:
//!
//! - `id`: the learner's id as the grader uses it (what a submission is
//!   named, or `ID=PATH` gives);
//! - `name`: the learner's name as the LMS shows it (Canvas matches a
//!   learner by name when no id column matches).
//!
//! The others are optional and may come in any order:
//!
//! - `email` (or `e-mail`): Moodle's CSV import can map learners by e-mail;
//! - `section`: Canvas's import wants a `Section` column;
//! - `canvas_id`, `sis_user_id`, `sis_login_id`: Canvas's `ID`,
//!   `SIS User ID` and `SIS Login ID`;
//! - `idnumber`, `username`: Moodle's "ID number" and user name;
//! - `lms_ids`: any other ids a hand-in may be named by, separated by `;`
//!   (a Moodle "download all" folder carries the assignment's participant
//!   id, `Kim Lee_482913_assignsubmission_file_`; a GitHub user name).
//!
//! Any of a learner's ids (the `id`, the e-mail and the LMS ids) names
//! them: a submission called `kim@uni.example` or `482913` is found under
//! the learner whose e-mail or LMS id that is. An id that names two
//! learners, a row without `id` or `name`, and an unknown column are errors
//! naming the line, so nothing in the file is silently dropped.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::gradebook::{field, record};

/// One rostered learner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learner {
    pub id: String,
    pub name: String,
    pub email: String,
    pub section: String,
    pub canvas_id: String,
    pub sis_user_id: String,
    pub sis_login_id: String,
    pub idnumber: String,
    pub username: String,
    pub lms_ids: Vec<String>,
}

impl Learner {
    /// Every non-empty id that names this learner, the grader's first.
    pub fn keys(&self) -> Vec<&str> {
        [
            &self.id,
            &self.email,
            &self.canvas_id,
            &self.sis_user_id,
            &self.sis_login_id,
            &self.idnumber,
            &self.username,
        ]
        .into_iter()
        .chain(&self.lms_ids)
        .map(String::as_str)
        .filter(|k| !k.is_empty())
        .collect()
    }
}

/// The columns a roster may have, as `(header, setter)`.
type Setter = fn(&mut Learner, String);
const COLUMNS: &[(&str, Setter)] = &[
    ("id", |l, v| l.id = v),
    ("name", |l, v| l.name = v),
    ("email", |l, v| l.email = v),
    ("e-mail", |l, v| l.email = v),
    ("section", |l, v| l.section = v),
    ("canvas_id", |l, v| l.canvas_id = v),
    ("sis_user_id", |l, v| l.sis_user_id = v),
    ("sis_login_id", |l, v| l.sis_login_id = v),
    ("idnumber", |l, v| l.idnumber = v),
    ("username", |l, v| l.username = v),
    ("lms_ids", |l, v| {
        l.lms_ids = v
            .split(';')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    }),
];

/// A class roster, in the file's order.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub learners: Vec<Learner>,
    /// Each id of each learner, to the learner's index.
    keys: BTreeMap<String, usize>,
}

impl Roster {
    /// Reads a roster file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the roster {}", path.display()))?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses a roster; `name` is how errors name the file.
    pub fn parse(name: &str, text: &str) -> Result<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, head)) = lines.next() else {
            bail!("{name}: empty, not a roster (a header row with `id` and `name` first)");
        };
        let mut setters = Vec::new();
        for col in record(head) {
            let key = col.trim().to_ascii_lowercase();
            match COLUMNS.iter().find(|(h, _)| *h == key) {
                Some((_, set)) => setters.push(*set),
                None => bail!(
                    "{name}:1: unknown roster column `{col}`; valid: {}",
                    COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                ),
            }
        }
        let header: Vec<String> = record(head)
            .iter()
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        for must in ["id", "name"] {
            if !header.iter().any(|h| h == must) {
                bail!("{name}:1: the roster has no `{must}` column");
            }
        }
        let mut roster = Roster::default();
        for (n, line) in lines {
            let cells = record(line);
            if cells.len() != setters.len() {
                bail!(
                    "{name}:{}: {} fields, the header has {}",
                    n + 1,
                    cells.len(),
                    setters.len()
                );
            }
            let mut l = Learner::default();
            for (set, v) in setters.iter().zip(cells) {
                set(&mut l, v.trim().to_string());
            }
            if l.id.is_empty() || l.name.is_empty() {
                bail!("{name}:{}: a learner needs an `id` and a `name`", n + 1);
            }
            let at = roster.learners.len();
            for k in l.keys() {
                if let Some(other) = roster.keys.get(k) {
                    if *other != at {
                        bail!(
                            "{name}:{}: `{k}` also names `{}`",
                            n + 1,
                            roster.learners[*other].id
                        );
                    }
                }
                roster.keys.insert(k.to_string(), at);
            }
            roster.learners.push(l);
        }
        Ok(roster)
    }

    /// The learner a submission id names, if any.
    pub fn find(&self, id: &str) -> Option<&Learner> {
        self.keys.get(id).map(|i| &self.learners[*i])
    }
}

/// What a roster says about a gradebook.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Rostered learners with no row: given a blank one.
    pub missing: Vec<String>,
    /// Rows whose id is not on the roster.
    pub unknown: Vec<String>,
}

impl Coverage {
    /// One line per problem, for the grader.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.missing.is_empty() {
            out.push(format!(
                "roster: no submission from {} learner(s), given a blank row: {}",
                self.missing.len(),
                self.missing.join(", ")
            ));
        }
        if !self.unknown.is_empty() {
            out.push(format!(
                "roster: {} submission(s) not on the roster: {}",
                self.unknown.len(),
                self.unknown.join(", ")
            ));
        }
        out
    }
}

/// The `status` of a rostered learner's row when nothing was handed in.
pub const MISSING: &str = "missing";

/// Gives every rostered learner a row of `book` (a `gradebook.csv`): one
/// with no submission gets a row with blank points and status `missing`
/// (blank, not 0: an LMS reads 0 as a grade). Rows stay sorted by id.
/// Rows not on the roster are kept and reported.
pub fn complete(book: &str, roster: &Roster) -> Result<(String, Coverage)> {
    let mut lines = book.lines();
    let Some(head) = lines.next() else {
        bail!("the gradebook is empty");
    };
    let cols = record(head);
    let at = |name: &str| cols.iter().position(|c| c == name);
    let (Some(id_at), Some(status_at)) = (at("id"), at("status")) else {
        bail!("the gradebook's header `{head}` has no `id` or `status` column");
    };
    let max_at = at("max");
    let mut rows: BTreeMap<String, String> = BTreeMap::new();
    let mut max = String::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells = record(line);
        let id = cells.get(id_at).cloned().unwrap_or_default();
        if let Some(m) = max_at.and_then(|i| cells.get(i)) {
            max.clone_from(m);
        }
        rows.insert(id, line.to_string());
    }
    let mut coverage = Coverage::default();
    let present: Vec<&Learner> = rows.keys().filter_map(|id| roster.find(id)).collect();
    for id in rows.keys() {
        if roster.find(id).is_none() {
            coverage.unknown.push(id.clone());
        }
    }
    for l in &roster.learners {
        if present.iter().any(|p| p.id == l.id) {
            continue;
        }
        let mut cells = vec![String::new(); cols.len()];
        cells[id_at] = field(&l.id);
        cells[status_at] = MISSING.to_string();
        if let Some(i) = max_at {
            cells[i].clone_from(&max);
        }
        rows.insert(l.id.clone(), cells.join(","));
        coverage.missing.push(l.id.clone());
    }
    let mut out = format!("{head}\n");
    for line in rows.values() {
        out.push_str(line);
        out.push('\n');
    }
    Ok((out, coverage))
}

/// Applies `roster` to the gradebook in `out`, rewriting it, and prints
/// one line per problem.
pub fn apply(out: &Path, roster: &Roster) -> Result<Coverage> {
    let path = out.join(super::gradebook::FILE);
    let book =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let (text, coverage) = complete(&book, roster)?;
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    for line in coverage.lines() {
        println!("{line}");
    }
    Ok(coverage)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROSTER: &str =
        "\u{feff}id,name,E-mail,section,canvas_id,sis_user_id,sis_login_id,idnumber,lms_ids\n\
        ann,\"Lee, Ann\",ann@uni.example,A,101,S1,ann.lee,N1,482913; ann-gh\n\
        kim@uni.example,Kim Park,kim@uni.example,B,102,S2,kim.park,N2,\n\
        \n\
        zed,Zed Roe,,A,,,,,\n";

    #[test]
    fn a_roster_reads_every_column_and_finds_learners_by_any_id() {
        let r = Roster::parse("r.csv", ROSTER).unwrap();
        assert_eq!(r.learners.len(), 3);
        assert_eq!(r.learners[0].name, "Lee, Ann");
        assert_eq!(r.find("101").map(|l| l.id.as_str()), Some("ann"));
        assert_eq!(r.find("ann.lee").map(|l| l.id.as_str()), Some("ann"));
        assert_eq!(
            r.find("kim@uni.example").map(|l| l.id.as_str()),
            Some("kim@uni.example")
        );
        assert_eq!(r.find("N2").map(|l| l.name.as_str()), Some("Kim Park"));
        assert_eq!(r.find("482913").map(|l| l.id.as_str()), Some("ann"));
        assert_eq!(r.find("ann-gh").map(|l| l.id.as_str()), Some("ann"));
        assert!(r.find("nobody").is_none());
        assert!(r.find("").is_none());
    }

    #[test]
    fn a_bad_roster_is_refused_naming_the_line() {
        let err = |t: &str| Roster::parse("r.csv", t).unwrap_err().to_string();
        assert!(err("").contains("empty"));
        assert!(err("id,nom\n").contains("unknown roster column `nom`"));
        assert!(err("id,email\n").contains("no `name` column"));
        assert!(err("id,name\na,A,x\n").contains("r.csv:2: 3 fields"));
        assert!(err("id,name\n,A\n").contains("r.csv:2: a learner needs"));
        let e = err("id,name,email\na,A,x@e\nb,B,x@e\n");
        assert!(e.contains("r.csv:3: `x@e` also names `a`"), "{e}");
    }

    #[test]
    fn every_rostered_learner_gets_a_row_blank_when_nothing_was_handed_in() {
        let r = Roster::parse("r.csv", ROSTER).unwrap();
        let book = "id,m31,total,max,status,flags\n\
                    101,5,5,96,fail,\n\
                    stray,0,0,96,invalid,invalid\n";
        let (text, cov) = complete(book, &r).unwrap();
        assert_eq!(
            text,
            "id,m31,total,max,status,flags\n\
             101,5,5,96,fail,\n\
             kim@uni.example,,,96,missing,\n\
             stray,0,0,96,invalid,invalid\n\
             zed,,,96,missing,\n"
        );
        assert_eq!(cov.missing, vec!["kim@uni.example", "zed"]);
        assert_eq!(cov.unknown, vec!["stray"]);
        assert_eq!(cov.lines().len(), 2);
        assert!(cov.lines()[1].contains("1 submission(s) not on the roster: stray"));
        // Applying it again changes nothing: the blank rows are rows.
        let (again, cov2) = complete(&text, &r).unwrap();
        assert_eq!(again, text);
        assert!(cov2.missing.is_empty());
    }
}

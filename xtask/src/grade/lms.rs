//! Gradebook exports an LMS imports as they are: Canvas's gradebook CSV
//! import and Moodle's CSV grade import.
//!
//! Both are built from a `gradebook.csv` (read by its header, so columns
//! the grader adds later do not break an export) and the class
//! [`Roster`]: one row per rostered learner, one column per module (a
//! grade item), nothing else. The grader's own columns (`total`, `max`,
//! `bonus`, `status`, `flags`) are left out, since both LMSs would read
//! each as one more assignment. A learner who handed in nothing, or whose
//! hand-in could not be graded (`invalid`), gets a blank cell, never a 0:
//! both LMSs leave a blank cell ungraded, and a 0 would be a grade.
//!
//! # Canvas
//!
//! The rules are those of Canvas's gradebook importer
//! (`app/models/gradebook_importer.rb` in canvas-lms, read in its public
//! source; not tested against a running Canvas):
//!
//! - `Student`, `ID`: the importer wants the first header cell to name
//!   the student and the second the Canvas user id; it finds a learner by
//!   `ID` first, then by SIS ids, then by name ([`Learner::name`]).
//! - `SIS User ID`, `SIS Login ID`: taken as the SIS ids only in the third
//!   and fourth columns, and only together.
//! - `Section`: the last learner column must be named `Section`, or the
//!   header is refused.
//! - One column per assignment, named `Title (id)`: the id in parentheses
//!   picks an existing assignment; a column without one is matched by its
//!   exact title, or creates a new assignment
//!   (`--assignment-ids m31=4411,…` gives the ids).
//! - `Points Possible`: a row whose first cell says so sets the points
//!   of assignments it creates (optional for existing ones); we write it
//!   so a new assignment is worth what the module is.
//! - Columns named like `Current Score` or `Final Grade` are dropped by
//!   the importer; any other extra column would become an assignment,
//!   which is why `total`, `max`, `bonus`, `status` and `flags` are not
//!   written.
//!
//! # Moodle
//!
//! Moodle's CSV grade import (MoodleDocs "Grade import", 3.11) shows each
//! column of the file at upload, and the grader maps one identifying
//! column ("Map from") to a user field ("Map to": `useremail` or
//! `useridnumber`), and each grade column to a grade item. So the file is:
//!
//! - `Full name`: for the person importing; map it to nothing.
//! - `Email address`, `ID number`: the identifying columns, named as
//!   Moodle's own export names them; map one of them.
//! - One column per module, named as its grade item (a column whose name
//!   is an existing item's is preselected for it).
//!
//! Moodle matches e-mail addresses case-sensitively (the docs say so), so
//! they are written exactly as the roster has them. A learner with neither
//! e-mail nor ID number cannot be mapped and is reported.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};

use super::gradebook::{field, record};
use super::roster::{Learner, Roster, MISSING};
use crate::modules::MODULES;

/// Which LMS an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lms {
    Canvas,
    Moodle,
}

impl Lms {
    pub fn name(self) -> &'static str {
        match self {
            Lms::Canvas => "Canvas",
            Lms::Moodle => "Moodle",
        }
    }
}

/// One module as an LMS grade item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The gradebook column: `m31`.
    pub module: &'static str,
    /// The item's name in the LMS: `M31 Incident response`.
    pub name: String,
    /// Points possible (the required checks; bonus points come on top).
    pub max: u32,
    /// The LMS's id of the assignment, when the grader gave it.
    pub lms_id: Option<String>,
}

/// The course's modules as grade items, with their points from the check
/// catalogue and the LMS ids given as `m31=4411,m32=4412`.
pub fn items(root: &Path, ids: Option<&str>) -> Result<Vec<Item>> {
    let mut given: BTreeMap<String, String> = BTreeMap::new();
    for pair in ids
        .unwrap_or("")
        .split(',')
        .filter(|p| !p.trim().is_empty())
    {
        let Some((m, id)) = pair.split_once('=') else {
            bail!("`{pair}` is not MODULE=ID (for example m31=4411)");
        };
        let (m, id) = (m.trim(), id.trim());
        if !MODULES.iter().any(|x| x.name == m) {
            bail!("`{m}` is not a module; valid: {}", crate::modules::names());
        }
        if id.is_empty() {
            bail!("`{pair}` gives no id for {m}");
        }
        given.insert(m.to_string(), id.to_string());
    }
    let catalog = crate::catalog::load(root);
    Ok(MODULES
        .iter()
        .map(|m| Item {
            module: m.name,
            name: format!("{} {}", m.name.to_uppercase(), m.title),
            max: m
                .units
                .iter()
                .filter_map(|u| catalog.get(u.bin))
                .flatten()
                // What the gradebook's module columns count: the core
                // (extensions and the challenge are reported apart).
                .filter(|c| c.part != "X" && c.track == labkit::check::Track::Core)
                .map(|c| c.points)
                .sum(),
            lms_id: given.get(m.name).cloned(),
        })
        .collect())
}

/// An export, and what it could not carry.
#[derive(Debug, Default)]
pub struct Export {
    pub text: String,
    /// Gradebook rows not on the roster (not exported).
    pub not_on_roster: Vec<String>,
    /// Rostered learners the LMS cannot identify (Moodle: no e-mail and no
    /// ID number).
    pub unidentified: Vec<String>,
}

impl Export {
    /// One line per problem, for the grader.
    pub fn lines(&self, lms: Lms) -> Vec<String> {
        let mut out = Vec::new();
        if !self.not_on_roster.is_empty() {
            out.push(format!(
                "{} submission(s) not on the roster, left out of the {} file: {}",
                self.not_on_roster.len(),
                lms.name(),
                self.not_on_roster.join(", ")
            ));
        }
        if !self.unidentified.is_empty() {
            out.push(format!(
                "{} learner(s) with no e-mail or ID number, which {} cannot map: {}",
                self.unidentified.len(),
                lms.name(),
                self.unidentified.join(", ")
            ));
        }
        out
    }
}

/// The points of each module per rostered learner (`None`: blank), read
/// from a gradebook; also the rows that are not on the roster.
type Scores = BTreeMap<String, Vec<Option<String>>>;

fn scores(book: &str, roster: &Roster, items: &[Item]) -> Result<(Scores, Vec<String>)> {
    let mut lines = book.lines();
    let Some(head) = lines.next() else {
        bail!("the gradebook is empty");
    };
    let cols = record(head);
    let at = |name: &str| cols.iter().position(|c| c == name);
    let (Some(id_at), Some(status_at)) = (at("id"), at("status")) else {
        bail!("`{head}` is not a gradebook's header (no `id` or `status` column)");
    };
    let mut module_at = Vec::new();
    for i in items {
        match at(i.module) {
            Some(p) => module_at.push(p),
            None => bail!("the gradebook has no `{}` column", i.module),
        }
    }
    let mut out: Scores = BTreeMap::new();
    let mut by: BTreeMap<String, String> = BTreeMap::new();
    let mut stray = Vec::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cells = record(line);
        if cells.len() != cols.len() {
            bail!(
                "gradebook line {}: {} fields, the header has {}",
                n + 2,
                cells.len(),
                cols.len()
            );
        }
        let id = &cells[id_at];
        let Some(learner) = roster.find(id) else {
            stray.push(id.clone());
            continue;
        };
        if let Some(other) = by.insert(learner.id.clone(), id.clone()) {
            bail!(
                "learner `{}` has two gradebook rows, `{other}` and `{id}`: keep one",
                learner.id
            );
        }
        let graded = !matches!(cells[status_at].as_str(), "invalid" | MISSING);
        out.insert(
            learner.id.clone(),
            module_at
                .iter()
                .map(|p| Some(cells[*p].clone()).filter(|v| graded && !v.is_empty()))
                .collect(),
        );
    }
    Ok((out, stray))
}

fn row(cells: Vec<String>) -> String {
    cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\n"
}

/// The export of a gradebook for `lms`.
pub fn export(lms: Lms, book: &str, roster: &Roster, items: &[Item]) -> Result<Export> {
    let (scores, not_on_roster) = scores(book, roster, items)?;
    let points = |l: &Learner| -> Vec<String> {
        scores
            .get(&l.id)
            .map(|v| v.iter().map(|c| c.clone().unwrap_or_default()).collect())
            .unwrap_or_else(|| vec![String::new(); items.len()])
    };
    let mut ex = Export {
        not_on_roster,
        ..Export::default()
    };
    match lms {
        Lms::Canvas => {
            let mut head: Vec<String> = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
                .map(String::from)
                .to_vec();
            head.extend(items.iter().map(|i| match &i.lms_id {
                Some(id) => format!("{} ({id})", i.name),
                None => i.name.clone(),
            }));
            ex.text = row(head);
            let mut pp = vec!["Points Possible".to_string()];
            pp.extend(std::iter::repeat_n(String::new(), 4));
            pp.extend(items.iter().map(|i| i.max.to_string()));
            ex.text.push_str(&row(pp));
            for l in &roster.learners {
                let mut cells = vec![
                    l.name.clone(),
                    l.canvas_id.clone(),
                    l.sis_user_id.clone(),
                    l.sis_login_id.clone(),
                    l.section.clone(),
                ];
                cells.extend(points(l));
                ex.text.push_str(&row(cells));
            }
        }
        Lms::Moodle => {
            let mut head: Vec<String> = ["Full name", "Email address", "ID number"]
                .map(String::from)
                .to_vec();
            head.extend(items.iter().map(|i| i.name.clone()));
            ex.text = row(head);
            for l in &roster.learners {
                if l.email.is_empty() && l.idnumber.is_empty() {
                    ex.unidentified.push(l.id.clone());
                }
                let mut cells = vec![l.name.clone(), l.email.clone(), l.idnumber.clone()];
                cells.extend(points(l));
                ex.text.push_str(&row(cells));
            }
        }
    }
    Ok(ex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        vec![
            Item {
                module: "m31",
                name: "M31 Incident response".into(),
                max: 30,
                lms_id: Some("4411".into()),
            },
            Item {
                module: "m32",
                name: "M32 Support desk, AIOps".into(),
                max: 26,
                lms_id: None,
            },
        ]
    }

    const ROSTER: &str = "id,name,email,section,canvas_id,sis_user_id,sis_login_id,idnumber\n\
        ann,\"Lee, Ann\",ann@uni.example,A,101,S1,ann.lee,N1\n\
        kim@uni.example,Kim Park,kim@uni.example,B,102,S2,kim.park,\n\
        zed,Zed Roe,,A,103,,,\n\
        ivy,Ivy Ng,ivy@uni.example,B,104,S4,ivy.ng,N4\n";

    const BOOK: &str = "id,m31,m32,m33,total,max,bonus,status,flags\n\
        101,30,0,0,30,96,4,fail,\n\
        ivy,0,0,0,0,96,0,invalid,invalid\n\
        kim@uni.example,12,26,1,39,96,0,fail,similar\n\
        stray,5,5,5,15,96,0,fail,\n\
        zed,,,,,96,,missing,\n";

    #[test]
    fn canvas_gets_its_learner_columns_one_column_per_module_and_blanks() {
        let r = Roster::parse("r", ROSTER).unwrap();
        let ex = export(Lms::Canvas, BOOK, &r, &items()).unwrap();
        assert_eq!(
            ex.text,
            "Student,ID,SIS User ID,SIS Login ID,Section,M31 Incident response (4411),\"M32 Support desk, AIOps\"\n\
             Points Possible,,,,,30,26\n\
             \"Lee, Ann\",101,S1,ann.lee,A,30,0\n\
             Kim Park,102,S2,kim.park,B,12,26\n\
             Zed Roe,103,,,A,,\n\
             Ivy Ng,104,S4,ivy.ng,B,,\n"
        );
        assert_eq!(ex.not_on_roster, vec!["stray"]);
        for gone in ["total", "max", "bonus", "status", "flags", "similar"] {
            assert!(!ex.text.contains(gone), "{gone}");
        }
    }

    #[test]
    fn moodle_gets_identifier_columns_and_reports_who_it_cannot_map() {
        let r = Roster::parse("r", ROSTER).unwrap();
        let ex = export(Lms::Moodle, BOOK, &r, &items()).unwrap();
        assert_eq!(
            ex.text,
            "Full name,Email address,ID number,M31 Incident response,\"M32 Support desk, AIOps\"\n\
             \"Lee, Ann\",ann@uni.example,N1,30,0\n\
             Kim Park,kim@uni.example,,12,26\n\
             Zed Roe,,,,\n\
             Ivy Ng,ivy@uni.example,N4,,\n"
        );
        assert_eq!(ex.unidentified, vec!["zed"]);
        let lines = ex.lines(Lms::Moodle);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("not on the roster"), "{lines:?}");
    }

    #[test]
    fn two_rows_for_one_learner_or_a_foreign_file_are_refused() {
        let r = Roster::parse("r", ROSTER).unwrap();
        let twice = format!("{BOOK}ann,1,1,1,3,96,0,fail,\n");
        let e = export(Lms::Canvas, &twice, &r, &items()).unwrap_err();
        assert!(
            e.to_string().contains("`ann` has two gradebook rows"),
            "{e}"
        );
        let e = export(Lms::Canvas, "a,b\n", &r, &items()).unwrap_err();
        assert!(e.to_string().contains("not a gradebook's header"), "{e}");
        let e = export(Lms::Canvas, "id,status\n", &r, &items()).unwrap_err();
        assert!(e.to_string().contains("no `m31` column"), "{e}");
    }

    /// The golden exports: the golden class's gradebook (the snapshot the
    /// grading test keeps) with a roster that has a learner who handed in
    /// nothing, an id with `@`, a learner whose hand-in is named by their SIS login, and
    /// a hand-in that could not be graded.
    #[test]
    fn golden_exports_of_the_golden_class() {
        let snap = include_str!("../snapshots/xtask__tests__gradebook_corpus.snap");
        let book = snap.splitn(3, "---\n").nth(2).unwrap_or_default();
        assert!(book.starts_with("id,"), "{book}");
        let roster = Roster::parse(
            "roster",
            "id,name,email,section,canvas_id,sis_user_id,sis_login_id,idnumber\n\
             a01-reference,\"Ames, Ada\",ada@uni.example,L01,2001,S2001,ada.ames,N2001\n\
             d03-near-identical-a,Bo Chen,bo@uni.example,L01,2002,S2002,bo.chen,N2002\n\
             d04-near-identical-b,Cy Diaz,cy@uni.example,L02,2003,S2003,cy.diaz,N2003\n\
             e06-empty,Di Egan,di@uni.example,L02,2004,S2004,di.egan,N2004\n\
             kim@uni.example,Kim Lee,kim@uni.example,L02,2005,S2005,kim.lee,\n\
             nat,Nat Ono,,L01,2006,,,\n\
             pat,Pat Quinn,pat@uni.example,L01,2007,S2007,b08-evaluate,N2007\n",
        )
        .unwrap();
        let items =
            super::items(&crate::root(), Some("m31=4411,m32=4412,m33=4413,m34=4414")).unwrap();
        let canvas = export(Lms::Canvas, book, &roster, &items).unwrap();
        let moodle = export(Lms::Moodle, book, &roster, &items).unwrap();
        // Every row of the class but the rostered ones is reported.
        assert_eq!(canvas.not_on_roster.len(), book.lines().count() - 1 - 5);
        assert_eq!(moodle.unidentified, vec!["nat"]);
        // The reference earns exactly what each column says is possible.
        let row = |prefix: &str| -> Vec<String> {
            let line = canvas.text.lines().find(|l| l.starts_with(prefix));
            line.map(|l| l.rsplit(',').take(4).map(String::from).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            row("Points Possible"),
            row("\"Ames, Ada\""),
            "{}",
            canvas.text
        );
        insta::assert_snapshot!("lms_export_canvas", canvas.text);
        insta::assert_snapshot!("lms_export_moodle", moodle.text);
    }

    #[test]
    fn assignment_ids_are_module_equals_id() {
        let root = crate::root();
        let it = super::items(&root, Some("m31=4411, m34=9")).unwrap();
        assert_eq!(it.len(), MODULES.len());
        assert_eq!(it[0].lms_id.as_deref(), Some("4411"));
        assert_eq!(it[3].lms_id.as_deref(), Some("9"));
        assert!(it.iter().all(|i| i.max > 0), "{it:?}");
        assert!(super::items(&root, Some("m99=1")).is_err());
        assert!(super::items(&root, Some("m31")).is_err());
        assert!(super::items(&root, Some("m31=")).is_err());
    }
}

//! Gradebook exports an LMS imports as they are: Canvas's gradebook CSV
//! import and Moodle's CSV grade import.
//!
//! Both are built from a `gradebook.csv` (read by its header, so columns
//! the grader adds later do not break an export) and the class
//! [`Roster`]: one row per rostered learner who has a grade, one column
//! per module (a grade item), nothing else. The rules below were read in
//! each LMS's public source (not run against a live Canvas or Moodle);
//! `docs/lms-and-gradescope.md` names the file and commit of each.
//!
//! - **No blank cells.** To both importers a blank cell is not "no grade
//!   here" but "this learner has no grade": where the LMS holds one (a
//!   grade entered by hand, an earlier import) it is cleared. Canvas counts
//!   blank against a score as a change and sends it; Moodle turns a blank
//!   or `-` into a null grade and writes it. So a learner with no grade
//!   (no hand-in, or one that could not be graded) gets no row at all, and
//!   the LMS keeps what it has; the grader is told who.
//! - **Whole points, 0 to the module's points.** Moodle aborts the whole
//!   import on a cell it cannot read as a number; both LMSs read decimal
//!   separators by locale (Canvas turns `1,000` into 1). A graded row whose
//!   module cell is anything else is refused, naming the line.
//! - **No extra columns.** The grader's own columns (`total`, `max`,
//!   `bonus`, `status`, `flags`) are left out: Canvas makes any column it
//!   does not know a new assignment, and Moodle offers each as a grade item.
//!
//! # Canvas
//!
//! - `Student`, `ID`: the first header cell must contain `Student` and the
//!   second `ID`. A learner is found by `ID` (the Canvas user id), then by
//!   SIS ids, then by name ([`Learner::name`]); learners with none of the
//!   ids are reported, since only their name can match them.
//! - `SIS User ID`, `SIS Login ID`: read as SIS ids in the third and fourth
//!   columns together.
//! - `Section`: the last learner column must contain `Section`, or the
//!   header is refused.
//! - One column per assignment, named `Title (id)`: the id picks an
//!   existing assignment; a column without one is matched by its exact
//!   title, or becomes a new assignment (`--assignment-ids m31=4411,…`).
//! - `Points Possible`: a row whose first cell contains it. Canvas creates
//!   a new assignment with those points; an existing one keeps its own.
//!
//! # Moodle
//!
//! The grader maps one column ("Map from") to a user field ("Map to") at
//! upload, and each grade column to a grade item (every column starts as
//! "ignore"). So the file has `Full name` (for the person importing; left
//! at "ignore"), one identifying column for the field chosen with
//! `--map-by` ([`MoodleKey`]: `Email address`, `ID number` or `Username`),
//! and one column per module. A graded learner without that field is left
//! out and reported: Moodle skips a blank identifier but keeps the learner
//! of the row before, so the row's grades would land on someone else; and a
//! value it cannot find aborts the whole import.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};

use super::gradebook::{field, record};
use super::roster::{Learner, Roster, MISSING};
use crate::modules::MODULES;

/// The user field Moodle finds learners by: what the grader picks as
/// "Map to" at upload, and the one identifying column the Moodle file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoodleKey {
    Email,
    IdNumber,
    Username,
}

impl MoodleKey {
    /// `--map-by email|idnumber|username`.
    pub fn parse(s: &str) -> Result<MoodleKey> {
        match s {
            "email" => Ok(MoodleKey::Email),
            "idnumber" => Ok(MoodleKey::IdNumber),
            "username" => Ok(MoodleKey::Username),
            other => {
                bail!("`--map-by {other}`: Moodle maps learners by email, idnumber or username")
            }
        }
    }

    /// The column's header, as Moodle's own grade export names the field.
    pub fn column(self) -> &'static str {
        match self {
            MoodleKey::Email => "Email address",
            MoodleKey::IdNumber => "ID number",
            MoodleKey::Username => "Username",
        }
    }

    /// The "Map to" choice of Moodle's import form for this column.
    pub fn map_to(self) -> &'static str {
        match self {
            MoodleKey::Email => "useremail",
            MoodleKey::IdNumber => "useridnumber",
            MoodleKey::Username => "username",
        }
    }

    fn of(self, l: &Learner) -> &str {
        match self {
            MoodleKey::Email => &l.email,
            MoodleKey::IdNumber => &l.idnumber,
            MoodleKey::Username => &l.username,
        }
    }

    /// What the roster calls the field.
    fn roster_column(self) -> &'static str {
        match self {
            MoodleKey::Email => "email",
            MoodleKey::IdNumber => "idnumber",
            MoodleKey::Username => "username",
        }
    }
}

/// Which LMS an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lms {
    Canvas,
    /// Moodle, finding learners by the given field.
    Moodle(MoodleKey),
}

impl Lms {
    pub fn name(self) -> &'static str {
        match self {
            Lms::Canvas => "Canvas",
            Lms::Moodle(_) => "Moodle",
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
    let catalog = crate::catalog::load(root)?;
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
    /// Rostered learners with no grade (no hand-in, or one that could not
    /// be graded): left out, so the LMS keeps what it holds for them.
    pub ungraded: Vec<String>,
    /// Moodle: graded learners without the field Moodle maps by (left
    /// out). Canvas: learners with no Canvas or SIS id, whom Canvas can
    /// only match by name (written).
    pub unidentified: Vec<String>,
}

impl Export {
    /// One line per problem, for the grader.
    pub fn lines(&self, lms: Lms) -> Vec<String> {
        let mut out = Vec::new();
        let list = |v: &[String]| format!("{}: {}", v.len(), v.join(", "));
        if !self.not_on_roster.is_empty() {
            out.push(format!(
                "submission(s) not on the roster, left out of the {} file, {}",
                lms.name(),
                list(&self.not_on_roster)
            ));
        }
        if !self.ungraded.is_empty() {
            out.push(format!(
                "learner(s) with no grade (no hand-in, or not gradable), left out so {} keeps \
                 what it holds for them (a blank cell would clear it), {}",
                lms.name(),
                list(&self.ungraded)
            ));
        }
        if !self.unidentified.is_empty() {
            out.push(match lms {
                Lms::Canvas => format!(
                    "learner(s) with no Canvas ID, SIS User ID or SIS Login ID, whom Canvas \
                     matches by name only, {}",
                    list(&self.unidentified)
                ),
                Lms::Moodle(key) => format!(
                    "graded learner(s) with no {} in the roster, left out (Moodle cannot map \
                     them by {}), {}",
                    key.roster_column(),
                    key.column(),
                    list(&self.unidentified)
                ),
            });
        }
        out
    }
}

/// The points of each module per graded rostered learner, read from a
/// gradebook, with the rostered learners that have no grade and the rows
/// that are not on the roster.
struct Scores {
    graded: BTreeMap<String, Vec<u32>>,
    not_on_roster: Vec<String>,
}

/// A module cell of a graded row as points: a whole number from 0 to the
/// module's points. Anything else is refused rather than written, since
/// Moodle aborts the whole import on text it cannot read as a number, and
/// neither LMS should see more than the column's points (see the module
/// docs).
fn points(cell: &str, item: &Item, line: usize) -> Result<u32> {
    let whole = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
    let Some(p) = cell.parse::<u32>().ok().filter(|_| whole) else {
        bail!(
            "gradebook line {line}: {} is `{cell}`, not a whole number of points",
            item.module
        );
    };
    if p > item.max {
        bail!(
            "gradebook line {line}: {} is {p}, above the module's {} points \
             (a gradebook of another version of the course?)",
            item.module,
            item.max
        );
    }
    Ok(p)
}

fn scores(book: &str, roster: &Roster, items: &[Item]) -> Result<Scores> {
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
    let mut out = Scores {
        graded: BTreeMap::new(),
        not_on_roster: Vec::new(),
    };
    let mut by: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = n + 2;
        let cells = record(line);
        if cells.len() != cols.len() {
            bail!(
                "gradebook line {line_no}: {} fields, the header has {}",
                cells.len(),
                cols.len()
            );
        }
        let id = &cells[id_at];
        let Some(learner) = roster.find(id) else {
            out.not_on_roster.push(id.clone());
            continue;
        };
        if let Some(other) = by.insert(learner.id.clone(), id.clone()) {
            bail!(
                "learner `{}` has two gradebook rows, `{other}` and `{id}`: keep one",
                learner.id
            );
        }
        if matches!(cells[status_at].as_str(), "invalid" | MISSING) {
            continue;
        }
        let row = items
            .iter()
            .zip(&module_at)
            .map(|(i, p)| points(&cells[*p], i, line_no))
            .collect::<Result<Vec<u32>>>()?;
        out.graded.insert(learner.id.clone(), row);
    }
    Ok(out)
}

fn row(cells: Vec<String>) -> String {
    cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\n"
}

/// The export of a gradebook for `lms`.
pub fn export(lms: Lms, book: &str, roster: &Roster, items: &[Item]) -> Result<Export> {
    let scores = scores(book, roster, items)?;
    let mut ex = Export {
        not_on_roster: scores.not_on_roster,
        ..Export::default()
    };
    // Only learners with a grade are written: a row of blank cells is not
    // "no grade" to either LMS but "clear the grade" (see the module docs).
    let mut graded = Vec::new();
    for l in &roster.learners {
        match scores.graded.get(&l.id) {
            Some(p) => graded.push((l, p.iter().map(u32::to_string))),
            None => ex.ungraded.push(l.id.clone()),
        }
    }
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
            for (l, points) in graded {
                if l.canvas_id.is_empty() && l.sis_user_id.is_empty() && l.sis_login_id.is_empty() {
                    ex.unidentified.push(l.id.clone());
                }
                let mut cells = vec![
                    l.name.clone(),
                    l.canvas_id.clone(),
                    l.sis_user_id.clone(),
                    l.sis_login_id.clone(),
                    l.section.clone(),
                ];
                cells.extend(points);
                ex.text.push_str(&row(cells));
            }
        }
        Lms::Moodle(key) => {
            let mut head: Vec<String> = vec!["Full name".into(), key.column().into()];
            head.extend(items.iter().map(|i| i.name.clone()));
            ex.text = row(head);
            for (l, points) in graded {
                if key.of(l).is_empty() {
                    ex.unidentified.push(l.id.clone());
                    continue;
                }
                let mut cells = vec![l.name.clone(), key.of(l).to_string()];
                cells.extend(points);
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

    const ROSTER: &str =
        "id,name,email,section,canvas_id,sis_user_id,sis_login_id,idnumber,username\n\
        ann,\"Lee, Ann\",ann@uni.example,A,101,S1,ann.lee,N1,alee\n\
        kim@uni.example,Kim Park,kim@uni.example,B,102,S2,kim.park,,kpark\n\
        zed,Zed Roe,,A,103,,,,\n\
        ivy,Ivy Ng,ivy@uni.example,B,104,S4,ivy.ng,N4,ing\n\
        ned,Ned Oak,,B,,,,N5,\n";

    const BOOK: &str = "id,m31,m32,m33,total,max,bonus,status,flags\n\
        101,30,0,0,30,96,4,fail,\n\
        ivy,0,0,0,0,96,0,invalid,invalid\n\
        kim@uni.example,12,26,1,39,96,0,fail,similar\n\
        stray,5,5,5,15,96,0,fail,\n\
        zed,,,,,96,,missing,\n\
        N5,7,0,0,7,96,0,fail,\n";

    #[test]
    fn canvas_gets_its_learner_columns_one_column_per_module_and_only_graded_learners() {
        let r = Roster::parse("r", ROSTER).unwrap();
        let ex = export(Lms::Canvas, BOOK, &r, &items()).unwrap();
        assert_eq!(
            ex.text,
            "Student,ID,SIS User ID,SIS Login ID,Section,M31 Incident response (4411),\"M32 Support desk, AIOps\"\n\
             Points Possible,,,,,30,26\n\
             \"Lee, Ann\",101,S1,ann.lee,A,30,0\n\
             Kim Park,102,S2,kim.park,B,12,26\n\
             Ned Oak,,,,B,7,0\n"
        );
        assert_eq!(ex.not_on_roster, vec!["stray"]);
        // No hand-in (zed) and not gradable (ivy): no row, since a blank
        // cell would clear what Canvas holds.
        assert_eq!(ex.ungraded, vec!["zed", "ivy"]);
        assert_eq!(ex.unidentified, vec!["ned"], "matched by name only");
        for gone in [
            "total", "max", "bonus", "status", "flags", "similar", "Zed", "Ivy",
        ] {
            assert!(!ex.text.contains(gone), "{gone}");
        }
        // No cell of a learner row is blank.
        for line in ex.text.lines().skip(2) {
            assert!(!line.ends_with(',') && !line.contains(",,,,,"), "{line}");
        }
        assert_eq!(ex.lines(Lms::Canvas).len(), 3);
    }

    #[test]
    fn moodle_has_one_identifier_column_and_leaves_out_who_it_cannot_map() {
        let r = Roster::parse("r", ROSTER).unwrap();
        let ex = export(Lms::Moodle(MoodleKey::Email), BOOK, &r, &items()).unwrap();
        assert_eq!(
            ex.text,
            "Full name,Email address,M31 Incident response,\"M32 Support desk, AIOps\"\n\
             \"Lee, Ann\",ann@uni.example,30,0\n\
             Kim Park,kim@uni.example,12,26\n"
        );
        // Ned is graded but has no e-mail: a row with a blank identifier
        // would put his points on the learner of the row above.
        assert_eq!(ex.unidentified, vec!["ned"]);
        assert_eq!(ex.ungraded, vec!["zed", "ivy"]);
        let lines = ex.lines(Lms::Moodle(MoodleKey::Email));
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("not on the roster"), "{lines:?}");
        assert!(lines[2].contains("no email"), "{lines:?}");

        let ex = export(Lms::Moodle(MoodleKey::IdNumber), BOOK, &r, &items()).unwrap();
        assert_eq!(
            ex.text,
            "Full name,ID number,M31 Incident response,\"M32 Support desk, AIOps\"\n\
             \"Lee, Ann\",N1,30,0\n\
             Ned Oak,N5,7,0\n"
        );
        assert_eq!(ex.unidentified, vec!["kim@uni.example"]);
        let ex = export(Lms::Moodle(MoodleKey::Username), BOOK, &r, &items()).unwrap();
        assert!(ex.text.starts_with("Full name,Username,"), "{}", ex.text);
        assert!(ex.text.contains("\nKim Park,kpark,12,26\n"), "{}", ex.text);
        assert_eq!(ex.unidentified, vec!["ned"]);
    }

    #[test]
    fn map_by_names_a_moodle_user_field() {
        assert_eq!(MoodleKey::parse("email").unwrap(), MoodleKey::Email);
        assert_eq!(
            MoodleKey::parse("idnumber").unwrap().map_to(),
            "useridnumber"
        );
        assert_eq!(MoodleKey::parse("username").unwrap().map_to(), "username");
        let e = MoodleKey::parse("userid").unwrap_err().to_string();
        assert!(e.contains("email, idnumber or username"), "{e}");
    }

    /// What Moodle or Canvas would misread is refused, naming the line:
    /// text (Moodle aborts the whole import on it), a blank or `-` in a
    /// graded row (either LMS clears the grade), a fraction or a thousands
    /// separator (read by the LMS's locale), more than the module's points.
    #[test]
    fn a_graded_row_with_a_cell_an_lms_would_misread_is_refused() {
        let r = Roster::parse("r", ROSTER).unwrap();
        for (cell, says) in [
            ("x", "`x`, not a whole number"),
            ("", "``, not a whole number"),
            ("-", "`-`, not a whole number"),
            ("12.5", "`12.5`, not a whole number"),
            ("1,000", "`1,000`, not a whole number"),
            ("+3", "`+3`, not a whole number"),
            ("31", "31, above the module's 30 points"),
        ] {
            let book = format!(
                "id,m31,m32,status\nann,{},0,fail\n",
                super::super::gradebook::field(cell)
            );
            for lms in [Lms::Canvas, Lms::Moodle(MoodleKey::Email)] {
                let e = export(lms, &book, &r, &items()).unwrap_err().to_string();
                assert!(e.contains("gradebook line 2: m31 is"), "{cell}: {e}");
                assert!(e.contains(says), "{cell}: {e}");
            }
        }
        // The module's full points and 0 are written as they are.
        let ok = export(
            Lms::Canvas,
            "id,m31,m32,status\nann,30,0,pass\n",
            &r,
            &items(),
        )
        .unwrap();
        assert!(ok.text.ends_with(",30,0\n"), "{}", ok.text);
    }

    /// Canvas drops a column whose header holds one of its own column
    /// names (`Current Score`, …) and reads the first columns by name: a
    /// module title must be neither.
    #[test]
    fn no_module_title_is_a_name_canvas_reserves() {
        let reserved = [
            "Current Score",
            "Current Points",
            "Current Grade",
            "Final Score",
            "Final Points",
            "Final Grade",
            "Override Score",
            "Override Grade",
            "Override Status",
            "Points Possible",
        ];
        let student = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];
        for i in super::items(&crate::root(), None).unwrap() {
            assert!(!reserved.iter().any(|r| i.name.contains(r)), "{}", i.name);
            assert!(!student.contains(&i.name.as_str()), "{}", i.name);
        }
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
        // Pat's hand-in is the corpus's `evaluate` alone, named by its SIS
        // login (its number moves when a step is added or given).
        let (_, pat_login) = crate::grade::corpus::step_hand_ins(&crate::root())
            .unwrap()
            .into_iter()
            .find(|(s, _)| s.name == "evaluate")
            .expect("the corpus has a hand-in for evaluate");
        let roster = Roster::parse(
            "roster",
            &format!(
                "id,name,email,section,canvas_id,sis_user_id,sis_login_id,idnumber\n\
                 a01-reference,\"Ames, Ada\",ada@uni.example,L01,2001,S2001,ada.ames,N2001\n\
                 d03-near-identical-a,Bo Chen,bo@uni.example,L01,2002,S2002,bo.chen,N2002\n\
                 d04-near-identical-b,Cy Diaz,cy@uni.example,L02,2003,S2003,cy.diaz,N2003\n\
                 e06-empty,Di Egan,di@uni.example,L02,2004,S2004,di.egan,N2004\n\
                 kim@uni.example,Kim Lee,kim@uni.example,L02,2005,S2005,kim.lee,\n\
                 nat,Nat Ono,,L01,2006,,,\n\
                 pat,Pat Quinn,pat@uni.example,L01,2007,S2007,{pat_login},N2007\n"
            ),
        )
        .unwrap();
        let items =
            super::items(&crate::root(), Some("m31=4411,m32=4412,m33=4413,m34=4414")).unwrap();
        let canvas = export(Lms::Canvas, book, &roster, &items).unwrap();
        let moodle = export(Lms::Moodle(MoodleKey::Email), book, &roster, &items).unwrap();
        // Every row of the class but the rostered ones is reported.
        assert_eq!(canvas.not_on_roster.len(), book.lines().count() - 1 - 5);
        // No hand-in (kim, nat) or an empty one (e06): no row at all.
        assert_eq!(canvas.ungraded, vec!["e06-empty", "kim@uni.example", "nat"]);
        assert_eq!(moodle.ungraded, canvas.ungraded);
        assert!(moodle.unidentified.is_empty(), "{:?}", moodle.unidentified);
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

//! One submission cannot spoil a class: after each submission's checks, the
//! course copy is compared with the grader's course, and put back when a
//! check wrote into it.
//!
//! A check runs learner code, and where the check may write the course copy
//! (grading under the grader's own user, with no other containment), that
//! code can rewrite a check, a snapshot or `Cargo.toml`, or add a
//! `build.rs`, which the next submission's build would obey. The copy is
//! therefore looked at whole after every graded submission: every file of
//! the grader's course must be there with the grader's bytes, no file may
//! have been added, and each learner file must still hold what was placed.
//! Anything else is that submission's doing: its verdicts are not believed
//! (every check is `tampered`, zero points), it is flagged `wrote-course`
//! with the files, and the copy is synced back from the grader's course
//! (with fresh timestamps, so cargo rebuilds whatever they feed) before the
//! next submission is placed. The other submissions are graded as usual.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Result};
use labkit::check::Outcome;
use labkit::digest::sha256_hex;

use super::course::CourseCopy;
use super::flags::Flag;
use super::judges::Identity;
use super::submission::{walk, CourseView};
use super::{Graded, Status};

/// What the copy's files looked like when they last matched the grader's
/// course: a file whose identity has not moved since is not read again
/// (no write leaves the change time as it was), so the comparison after
/// each submission reads only what changed.
#[derive(Debug)]
pub struct Guard {
    known: BTreeMap<String, Identity>,
}

impl Guard {
    /// The copy as `prepare` just left it (the grader's course, byte for
    /// byte).
    pub fn new(copy: &CourseCopy, course: &CourseView) -> Result<Self> {
        let mut known = BTreeMap::new();
        for item in crate::layout::COURSE_FILES {
            walk(&copy.root, &copy.root.join(item), &mut |rel, path| {
                if !course.learner_files.iter().any(|f| f == rel) {
                    if let Ok(id) = Identity::of(path) {
                        known.insert(rel.to_string(), id);
                    }
                }
            })?;
        }
        Ok(Self { known })
    }

    /// Files of the copy that differ from what grading put there: judged
    /// files changed, removed or added, and learner files no longer as
    /// placed (`placed` maps each learner file to the SHA-256 it was graded
    /// with).
    pub fn changes(
        &self,
        copy: &CourseCopy,
        course: &CourseView,
        placed: &BTreeMap<String, String>,
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for item in crate::layout::COURSE_FILES {
            walk(&copy.root, &copy.root.join(item), &mut |rel, path| {
                if course.learner_files.iter().any(|f| f == rel) {
                    return;
                }
                seen.insert(rel.to_string());
                if Identity::of(path).ok().as_ref() == self.known.get(rel) {
                    return;
                }
                let got = std::fs::read(path).map(|b| sha256_hex(&b)).ok();
                if got.as_ref() != course.digests.get(rel) {
                    out.push(rel.to_string());
                }
            })?;
        }
        out.extend(
            course
                .digests
                .keys()
                .filter(|rel| !seen.contains(*rel))
                .cloned(),
        );
        for (rel, want) in placed {
            let got = std::fs::read(copy.root.join(rel))
                .map(|b| sha256_hex(&b))
                .unwrap_or_default();
            if &got != want {
                out.push(rel.clone());
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl Guard {
    /// After `g`'s checks: when they wrote into the copy, condemns `g` and
    /// puts the copy back. Fails only when the copy cannot be put back.
    pub fn after_checks(
        &mut self,
        grader: &Path,
        work: &Path,
        copy: &CourseCopy,
        course: &CourseView,
        placed: &BTreeMap<String, String>,
        g: &mut Graded,
    ) -> Result<()> {
        let written = self.changes(copy, course, placed)?;
        if written.is_empty() {
            return Ok(());
        }
        println!(
            "{}: its checks wrote into the grader's course copy ({}): \
             restored, the submission is flagged",
            g.id,
            written.join(", ")
        );
        let message = format!(
            "a check of this submission wrote into the grader's course copy ({}): \
             none of its verdicts is believed",
            written.join(", ")
        );
        let mut condemned = Vec::new();
        for check in g.runs.iter_mut().flat_map(|r| r.checks.iter_mut()) {
            if check.verdict.outcome != Outcome::DidNotCompile {
                check.verdict.outcome = Outcome::Tampered;
                check.verdict.message = Some(message.clone());
                condemned.push(check.info.id.clone());
            }
        }
        g.status = Status::Tampered;
        g.flags.retain(|f| !matches!(f, Flag::Tampered { .. }));
        g.flags.insert(0, Flag::WroteCourse { files: written });
        g.flags.insert(0, Flag::Tampered { checks: condemned });
        CourseCopy::prepare(grader, work)?;
        self.known.clear();
        let left = self.changes(copy, course, &BTreeMap::new())?;
        if !left.is_empty() {
            bail!(
                "the grader's course copy could not be restored ({}): results not written",
                left.join(", ")
            );
        }
        *self = Self::new(copy, course)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a check, adds a `build.rs` and removes a snapshot in a copy
    /// of the course: each is named, a learner file changed after it was
    /// placed is named, and nothing is once the copy is synced back.
    #[test]
    fn every_write_into_the_copy_is_seen_and_undone() {
        let root = crate::root();
        let work = crate::cargo::target_base(&root).join("restore-unit");
        let _ = std::fs::remove_dir_all(&work);
        let files = super::super::learner_files(&root).expect("the catalogue");
        let course = CourseView::new(&root, files.clone()).expect("the course reads");
        let copy = CourseCopy::prepare(&root, &work).expect("the copy is made");
        let guard = Guard::new(&copy, &course).expect("the copy is read");
        let none = BTreeMap::new();
        assert_eq!(
            guard.changes(&copy, &course, &none).unwrap(),
            Vec::<String>::new()
        );

        let checks = "crates/incident/src/checks.rs";
        let mut text = std::fs::read_to_string(copy.root.join(checks)).unwrap();
        text.push_str("\n// rewritten\n");
        std::fs::write(copy.root.join(checks), text).unwrap();
        std::fs::write(copy.root.join("crates/incident/build.rs"), "fn main() {}\n").unwrap();
        let gone = course
            .digests
            .keys()
            .find(|k| k.starts_with("labs/"))
            .unwrap()
            .clone();
        std::fs::remove_file(copy.root.join(&gone)).unwrap();
        let learner = &files[0];
        let placed = BTreeMap::from([(learner.clone(), sha256_hex(b"what was placed"))]);
        let mut want = vec![
            checks.to_string(),
            "crates/incident/build.rs".to_string(),
            gone,
            learner.clone(),
        ];
        want.sort();
        assert_eq!(guard.changes(&copy, &course, &placed).unwrap(), want);

        CourseCopy::prepare(&root, &work).unwrap();
        assert_eq!(
            guard.changes(&copy, &course, &none).unwrap(),
            Vec::<String>::new()
        );
        let _ = std::fs::remove_dir_all(&work);
    }
}

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

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use labkit::check::Outcome;
use labkit::digest::sha256_hex;

use super::course::CourseCopy;
use super::flags::Flag;
use super::submission::CourseView;
use super::{Graded, Status};

/// Files of the copy that differ from what grading put there: judged files
/// changed, removed or added, and learner files no longer as placed
/// (`placed` maps each learner file to the SHA-256 it was graded with).
pub fn changes(
    copy: &CourseCopy,
    course: &CourseView,
    placed: &BTreeMap<String, String>,
) -> Result<Vec<String>> {
    let now = CourseView::new(&copy.root, course.learner_files.clone())?;
    let mut out: Vec<String> = course
        .digests
        .iter()
        .filter(|(rel, want)| now.digests.get(*rel) != Some(*want))
        .map(|(rel, _)| rel.clone())
        .collect();
    out.extend(
        now.digests
            .keys()
            .filter(|rel| !course.digests.contains_key(*rel))
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

/// The SHA-256 of each learner file as graded for `g`: the submission's
/// file where it was taken, else the starter's.
pub fn placed(g: &Graded, starters: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    g.files
        .iter()
        .map(|f| {
            let digest = f.sha256.clone().unwrap_or_else(|| {
                sha256_hex(starters.get(&f.path).map(String::as_bytes).unwrap_or(b""))
            });
            (f.path.clone(), digest)
        })
        .collect()
}

/// After `g`'s checks: when they wrote into the copy, condemns `g` and
/// puts the copy back. Fails only when the copy cannot be put back.
pub fn after_checks(
    grader: &Path,
    work: &Path,
    copy: &CourseCopy,
    course: &CourseView,
    starters: &BTreeMap<String, String>,
    g: &mut Graded,
) -> Result<()> {
    let written = changes(copy, course, &placed(g, starters))?;
    if written.is_empty() {
        return Ok(());
    }
    println!(
        "{}: its checks wrote into the grader's course copy ({}): restored, the submission is flagged",
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
    let left = changes(copy, course, &BTreeMap::new())?;
    if !left.is_empty() {
        bail!(
            "the grader's course copy could not be restored ({}): results not written",
            left.join(", ")
        );
    }
    Ok(())
}

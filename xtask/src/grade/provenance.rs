//! Which code a grade belongs to: the commit graded and its date, the
//! commits after a deadline, or a work tree graded as it is.
//!
//! A grade names a commit only when that commit holds exactly the learner
//! files that were graded. A git work tree whose learner files differ from
//! its `HEAD` (uncommitted work) is graded as the tree and marked
//! **dirty**, with no commit: `HEAD` holds other code.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Stdio;

use serde::{Deserialize, Serialize};

use super::deadline::Commit;
use super::submission::git;

/// Where a graded submission's code comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The commit whose learner files were graded, with its committer
    /// date; none for a folder, a zip or a dirty work tree.
    pub commit: Option<Commit>,
    /// A git work tree with uncommitted changes to the learner files,
    /// graded as the tree.
    pub dirty: bool,
    /// Commits after the deadline, newest first: late work, not graded.
    pub late: Vec<Commit>,
    /// What the grader wants the reader to know about the choice (a
    /// deadline that does not apply to a folder, say).
    pub notes: Vec<String>,
}

impl Provenance {
    /// One line for a person: `commit 1a2b3c4d5e6f of 2026-12-15T20:00:00Z`,
    /// `work tree with uncommitted changes`, or `folder as handed in`.
    pub fn describe(&self) -> String {
        match (&self.commit, self.dirty) {
            (Some(c), _) => format!("commit {} of {}", short(&c.commit), c.date),
            (None, true) => "the work tree, with uncommitted changes (dirty)".into(),
            (None, false) => "the files as handed in".into(),
        }
    }
}

/// The first 12 characters of a commit id.
pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// Whether the learner files of the work tree at `tree` differ from those
/// of `commit` in `repo` (a file changed, added or removed). Git reads the
/// committed files without filters; the work tree's are read as bytes
/// (a symlink as its target), never followed.
pub fn differs_from_commit(repo: &Path, commit: &str, tree: &Path, files: &[String]) -> bool {
    let Ok(mut child) = git(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return true;
    };
    let request: String = files.iter().map(|f| format!("{commit}:{f}\n")).collect();
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(request.as_bytes());
    }
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_end(&mut out);
    }
    let _ = child.wait();
    let committed = parse_batch(&out, files.len());
    if committed.len() != files.len() {
        return true;
    }
    files.iter().zip(committed).any(|(f, want)| {
        let path = tree.join(f);
        let have = match std::fs::symlink_metadata(&path) {
            Err(_) => None,
            Ok(m) if m.file_type().is_symlink() => std::fs::read_link(&path)
                .ok()
                .map(|t| t.to_string_lossy().into_owned().into_bytes()),
            Ok(m) if m.len() > 16 * super::submission::MAX_FILE => Some(Vec::new()),
            Ok(_) => std::fs::read(&path).ok(),
        };
        have != want
    })
}

/// Reads `git cat-file --batch` output: per request, the object's bytes or
/// `None` when it is missing.
fn parse_batch(mut out: &[u8], n: usize) -> Vec<Option<Vec<u8>>> {
    let mut found = Vec::with_capacity(n);
    while !out.is_empty() {
        let Some(nl) = out.iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&out[..nl]).into_owned();
        out = &out[nl + 1..];
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            found.push(None);
            continue;
        }
        let Some(size) = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            break;
        };
        if out.len() < size {
            break;
        }
        found.push(Some(out[..size].to_vec()));
        out = out.get(size + 1..).unwrap_or(&[]);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_output_is_read_object_by_object() {
        let out = b"abc blob 3\nhi\n\n/x missing\ndef blob 0\n\n";
        assert_eq!(
            parse_batch(out, 3),
            vec![Some(b"hi\n".to_vec()), None, Some(Vec::new())]
        );
    }
}

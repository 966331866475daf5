//! Reading one submission: which learner files it holds, what else it
//! changed, and what is wrong with it.
//!
//! A submission is a directory (a learner's clone, an unpacked hand-in) or a
//! git repository read at a revision. Only the **learner files** are taken
//! from it: the files under `starters/` that the course's catalogue names.
//! Nothing is followed, executed or trusted: a symlink is never followed, a
//! file over [`MAX_FILE`] or not UTF-8 is refused, git runs with hooks and
//! repository commands switched off, and every problem is one line in the
//! report while the batch goes on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use labkit::digest::sha256_hex;

use super::deadline::{self, Deadline};
use super::provenance::{self, Provenance};

/// The largest learner file taken (anything larger is refused, not read).
pub const MAX_FILE: u64 = 1 << 20;

/// Where a submission came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A directory, read as it is on disk.
    Directory(PathBuf),
    /// A git repository read at a revision.
    Git { repo: PathBuf, rev: String },
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Directory(p) => p.display().to_string(),
            Source::Git { repo, rev } => format!("{} at {rev}", repo.display()),
        }
    }
}

/// Why one learner file was not taken from the submission (the module is
/// then graded with the untouched starter in its place).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileProblem {
    Missing,
    Symlink,
    TooLarge(u64),
    NotUtf8,
    NotAFile,
    Unreadable(String),
}

impl FileProblem {
    /// The flag's short name, as the gradebook writes it.
    pub fn flag(&self) -> &'static str {
        match self {
            FileProblem::Missing => "missing-file",
            FileProblem::Symlink => "symlink",
            FileProblem::TooLarge(_) => "too-large",
            FileProblem::NotUtf8 => "not-utf8",
            FileProblem::NotAFile => "not-a-file",
            FileProblem::Unreadable(_) => "unreadable",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            FileProblem::Missing => "missing: graded as the untouched starter".into(),
            FileProblem::Symlink => {
                "a symlink (never followed): graded as the untouched starter".into()
            }
            FileProblem::TooLarge(n) => format!(
                "{n} bytes, over the {} MiB limit: graded as the untouched starter",
                MAX_FILE >> 20
            ),
            FileProblem::NotUtf8 => "not UTF-8 text: graded as the untouched starter".into(),
            FileProblem::NotAFile => "not a regular file: graded as the untouched starter".into(),
            FileProblem::Unreadable(e) => {
                format!("unreadable ({e}): graded as the untouched starter")
            }
        }
    }
}

/// One learner file as found in the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearnerFile {
    /// Taken: its text.
    Taken(String),
    /// Not taken, and why.
    Refused(FileProblem),
}

/// A submission, read.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: String,
    pub source: Source,
    /// Which code was graded: a commit and its date, a dirty work tree,
    /// the commits after a deadline.
    pub provenance: Provenance,
    /// Learner file path → what was found.
    pub files: BTreeMap<String, LearnerFile>,
    /// Files outside the learner's that differ from the grader's course or
    /// that the course does not have: ignored, and listed.
    pub ignored: Vec<String>,
    /// The same, for files that cannot affect a grade (docs, the book,
    /// workflows, Markdown): listed apart, never flagged.
    pub ignored_docs: Vec<String>,
}

/// A submission that cannot be graded at all, with the one line that says
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub id: String,
    pub source: String,
    pub reason: String,
}

/// What the course looks like to the reader: its learner files and the
/// digest of every other file, to tell what a submission changed.
#[derive(Debug, Clone)]
pub struct CourseView {
    pub root: PathBuf,
    /// The grading work dir (the course copy and its build), never graded.
    pub work: Option<PathBuf>,
    pub learner_files: Vec<String>,
    /// Path → SHA-256 of every other course file the grading copy holds.
    pub digests: BTreeMap<String, String>,
    /// Path → SHA-256 of the grader's files the copy does not hold (the
    /// book, workflows, the README…): a submission's file identical to one
    /// of them is not a change either.
    pub elsewhere: BTreeMap<String, String>,
}

/// Folders never read from a submission (build output and git's own data).
const SKIP_DIRS: &[&str] = &["target", ".git"];
/// At most this many ignored files are listed; the rest are counted.
const MAX_IGNORED: usize = 200;

impl CourseView {
    pub fn new(root: &Path, learner_files: Vec<String>) -> std::io::Result<Self> {
        let mut digests = BTreeMap::new();
        for item in crate::layout::COURSE_FILES {
            walk(root, &root.join(item), &mut |rel, path| {
                if !learner_files.iter().any(|f| f == rel) {
                    if let Ok(bytes) = std::fs::read(path) {
                        digests.insert(rel.to_string(), sha256_hex(&bytes));
                    }
                }
            })?;
        }
        let mut elsewhere = BTreeMap::new();
        walk(root, root, &mut |rel, path| {
            if !digests.contains_key(rel) && !learner_files.iter().any(|f| f == rel) {
                if let Ok(bytes) = std::fs::read(path) {
                    elsewhere.insert(rel.to_string(), sha256_hex(&bytes));
                }
            }
        })?;
        Ok(Self {
            root: root.to_path_buf(),
            work: None,
            learner_files,
            digests,
            elsewhere,
        })
    }
}

/// Visits every regular file under `dir` (symlinks are not followed, build
/// output and `.git` are skipped) with its path relative to `base`.
pub(super) fn walk(
    base: &Path,
    dir: &Path,
    visit: &mut dyn FnMut(&str, &Path),
) -> std::io::Result<()> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    if meta.is_file() {
        if let Ok(rel) = dir.strip_prefix(base) {
            visit(&rel.to_string_lossy().replace('\\', "/"), dir);
        }
        return Ok(());
    }
    if !meta.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if SKIP_DIRS.iter().any(|s| name == *s) {
            continue;
        }
        walk(base, &e.path(), visit)?;
    }
    Ok(())
}

/// Git, run so that nothing in the submitted repository can run code or
/// read the grader's configuration, on exactly that repository's data: git
/// is never left to search parent folders (a broken repository inside the
/// grader's own checkout would otherwise be read as the grader's).
pub(super) fn git(repo: &Path) -> Command {
    let git_dir = if repo.join(".git").exists() {
        repo.join(".git")
    } else {
        repo.to_path_buf()
    };
    let mut cmd = Command::new("git");
    cmd.arg("--git-dir")
        .arg(git_dir)
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "safe.directory=*",
            "-c",
            "protocol.allow=never",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    cmd
}

/// The commit `rev` names in `repo`, or why it cannot be read.
fn resolve(repo: &Path, rev: &str) -> Result<String, String> {
    let out = git(repo)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let commit = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || commit.is_empty() {
        return Err(format!(
            "not a readable git repository with a commit `{rev}`"
        ));
    }
    Ok(commit)
}

/// Whether `dir` is (the top of) a git work tree or a bare repository.
fn is_git(dir: &Path) -> bool {
    dir.join(".git").exists() || (dir.join("HEAD").is_file() && dir.join("objects").is_dir())
}

/// Unpacks `commit` of `repo` into `into` (which must not exist yet), with
/// git's own `archive`: symlinks arrive as symlinks, never followed.
fn unpack(repo: &Path, commit: &str, into: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into).map_err(|e| format!("cannot create {}: {e}", into.display()))?;
    let archive = git(repo)
        .args(["archive", "--format=tar", commit])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let Some(tar_in) = archive.stdout else {
        return Err("git archive gave no output".into());
    };
    let status = Command::new("tar")
        .args(["-x", "--no-same-owner", "--no-same-permissions", "-C"])
        .arg(into)
        .stdin(tar_in)
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("cannot unpack commit {commit}"));
    }
    Ok(())
}

/// Which revision of a git repository to grade.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted<'a> {
    /// `--rev`: this revision (a folder given with it is invalid).
    pub rev: Option<&'a str>,
    /// `--before`: the newest commit at or before this time, from `rev` or
    /// `HEAD` (a folder is graded as it is, with a note).
    pub before: Option<Deadline>,
}

/// Whether the repository has any commit: `None` when git cannot read it.
fn has_commits(repo: &Path) -> Option<bool> {
    let out = git(repo)
        .args(["rev-list", "-n", "1", "--all"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| !String::from_utf8_lossy(&out.stdout).trim().is_empty())
}

/// Files that cannot affect a grade: docs, the book, workflows, Markdown.
/// Changes to them are listed apart and never flagged (everything outside
/// the learner files is the grader's anyway; these are only noise).
pub fn cannot_affect_grade(rel: &str) -> bool {
    const DIRS: &[&str] = &["docs/", "book/", ".github/"];
    DIRS.iter().any(|d| rel.starts_with(d))
        || rel.ends_with(".md")
        || matches!(rel, "LICENSE" | ".gitignore" | ".gitattributes")
}

/// Reads a submission. `scratch` is where a git revision is unpacked.
pub fn read(
    path: &Path,
    wanted: Wanted<'_>,
    course: &CourseView,
    id: String,
    scratch: &Path,
) -> Result<Submission, Invalid> {
    let invalid = |reason: String| Invalid {
        id: id.clone(),
        source: path.display().to_string(),
        reason,
    };
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    if meta.file_type().is_symlink() {
        return Err(invalid(
            "the submission itself is a symlink (never followed)".into(),
        ));
    }
    if !meta.is_dir() {
        return Err(invalid("not a directory or a git repository".into()));
    }
    if let (Ok(a), Ok(b)) = (path.canonicalize(), course.root.canonicalize()) {
        let in_copy = course
            .work
            .as_ref()
            .and_then(|w| w.canonicalize().ok())
            // Zips are unpacked under the work dir too: only its course
            // copy and build are off limits.
            .is_some_and(|w| {
                a.starts_with(w.join("course"))
                    || a.starts_with(w.join("target"))
                    || w.starts_with(&a)
            });
        if a == b || b.starts_with(&a) || in_copy {
            return Err(invalid(
                "this is the grader's own course checkout, not a submission".into(),
            ));
        }
    }
    let is_repo = is_git(path);
    let commits = if is_repo { has_commits(path) } else { None };
    let no_commits = || invalid("an empty git repository: no commits".into());
    let mut provenance = Provenance::default();
    let (source, tree) = match (is_repo, wanted.rev, wanted.before) {
        (true, rev, Some(deadline)) => {
            if commits == Some(false) {
                return Err(no_commits());
            }
            let from = rev.unwrap_or("HEAD");
            let tip = resolve(path, from).map_err(invalid)?;
            let history = deadline::history(path, &tip).map_err(invalid)?;
            let picked =
                deadline::pick(&history, deadline, deadline::is_shallow(path)).map_err(invalid)?;
            let into = scratch.join(format!("unpacked-{}", super::discover::file_name(&id)));
            unpack(path, &picked.graded.commit, &into).map_err(invalid)?;
            provenance.commit = Some(picked.graded);
            provenance.late = picked.late;
            (
                Source::Git {
                    repo: path.to_path_buf(),
                    rev: format!("{from}, last commit by {deadline}"),
                },
                into,
            )
        }
        (true, Some(rev), None) => {
            if commits == Some(false) {
                return Err(no_commits());
            }
            let commit = resolve(path, rev).map_err(invalid)?;
            let into = scratch.join(format!("unpacked-{}", super::discover::file_name(&id)));
            unpack(path, &commit, &into).map_err(invalid)?;
            provenance.commit = deadline::stamp(path, &commit);
            (
                Source::Git {
                    repo: path.to_path_buf(),
                    rev: rev.to_string(),
                },
                into,
            )
        }
        (true, None, None) => {
            match resolve(path, "HEAD") {
                Ok(head) if !path.join(".git").exists() => {
                    // A bare repository has no work tree: grade HEAD.
                    let into =
                        scratch.join(format!("unpacked-{}", super::discover::file_name(&id)));
                    unpack(path, &head, &into).map_err(invalid)?;
                    provenance.commit = deadline::stamp(path, &head);
                    return finish(
                        id.clone(),
                        Source::Git {
                            repo: path.to_path_buf(),
                            rev: "HEAD".into(),
                        },
                        provenance,
                        &into,
                        course,
                    );
                }
                Ok(head) => {
                    if provenance::differs_from_commit(path, &head, path, &course.learner_files) {
                        provenance.dirty = true;
                        provenance.notes.push(format!(
                            "uncommitted changes to the learner files: graded as the work tree, \
                             not as HEAD ({})",
                            provenance::short(&head)
                        ));
                    } else {
                        provenance.commit = deadline::stamp(path, &head);
                    }
                }
                Err(_) if commits == Some(false) => {
                    if !path.join("starters").is_dir() {
                        return Err(no_commits());
                    }
                    provenance.dirty = true;
                    provenance
                        .notes
                        .push("a git repository with no commits: graded as the work tree".into());
                }
                Err(_) => {}
            }
            (Source::Directory(path.to_path_buf()), path.to_path_buf())
        }
        (false, Some(rev), _) => {
            return Err(invalid(format!(
                "--rev {rev} given, but this is not a git repository"
            )))
        }
        (false, None, before) => {
            if let Some(d) = before {
                provenance.notes.push(format!(
                    "--before {d} applies to git repositories only: graded as handed in"
                ));
            }
            (Source::Directory(path.to_path_buf()), path.to_path_buf())
        }
    };
    finish(id, source, provenance, &tree, course).map_err(|mut e| {
        e.source = path.display().to_string();
        e
    })
}

/// Reads the learner files of `tree` and lists what else differs from the
/// course.
fn finish(
    id: String,
    source: Source,
    provenance: Provenance,
    tree: &Path,
    course: &CourseView,
) -> Result<Submission, Invalid> {
    let invalid = |reason: &str| Invalid {
        id: id.clone(),
        source: source.describe(),
        reason: reason.into(),
    };
    let empty = std::fs::read_dir(tree)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    if empty {
        return Err(invalid("the submission is empty"));
    }
    match std::fs::symlink_metadata(tree.join("starters")) {
        Ok(m) if m.is_dir() => {}
        Ok(m) if m.file_type().is_symlink() => {
            return Err(invalid("starters/ is a symlink (never followed)"))
        }
        _ => return Err(invalid("no starters/ folder: not a copy of the course")),
    }

    let mut files = BTreeMap::new();
    for f in &course.learner_files {
        files.insert(f.clone(), read_learner_file(&tree.join(f)));
    }

    let mut ignored = Vec::new();
    let mut ignored_docs = Vec::new();
    let mut more = 0usize;
    let _ = walk(tree, tree, &mut |rel, p| {
        if course.learner_files.iter().any(|f| f == rel) {
            return;
        }
        let want = course
            .digests
            .get(rel)
            .or_else(|| course.elsewhere.get(rel));
        let differs = match want {
            None => true,
            Some(want) => match std::fs::metadata(p) {
                Ok(m) if m.len() > 16 * MAX_FILE => true,
                Ok(_) => std::fs::read(p)
                    .map(|b| sha256_hex(&b) != *want)
                    .unwrap_or(true),
                Err(_) => true,
            },
        };
        if !differs {
            return;
        }
        let list = if cannot_affect_grade(rel) {
            &mut ignored_docs
        } else {
            &mut ignored
        };
        if list.len() < MAX_IGNORED {
            list.push(rel.to_string());
        } else {
            more += 1;
        }
    });
    if more > 0 {
        ignored.push(format!("… and {more} more"));
    }
    Ok(Submission {
        id,
        source,
        provenance,
        files,
        ignored,
        ignored_docs,
    })
}

fn read_learner_file(path: &Path) -> LearnerFile {
    use std::io::Read;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return LearnerFile::Refused(FileProblem::Missing)
        }
        Err(e) => return LearnerFile::Refused(FileProblem::Unreadable(e.kind().to_string())),
    };
    if meta.file_type().is_symlink() {
        return LearnerFile::Refused(FileProblem::Symlink);
    }
    if !meta.is_file() {
        return LearnerFile::Refused(FileProblem::NotAFile);
    }
    if meta.len() > MAX_FILE {
        return LearnerFile::Refused(FileProblem::TooLarge(meta.len()));
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return LearnerFile::Refused(FileProblem::Unreadable(e.kind().to_string()));
    }
    if bytes.len() as u64 > MAX_FILE {
        return LearnerFile::Refused(FileProblem::TooLarge(bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => LearnerFile::Taken(text),
        Err(_) => LearnerFile::Refused(FileProblem::NotUtf8),
    }
}

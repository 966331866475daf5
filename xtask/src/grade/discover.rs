//! Finding submissions where they are, as an LMS or a classroom hands
//! them over.
//!
//! What the grader is given (each `PATH` or `ID=PATH`) may be:
//!
//! - one learner's folder or git repository, with the course's `starters/`
//!   at its top or deeper (`Kim Lee_482913_assignsubmission_file_/`
//!   `opsloop-main/starters/…`): the one copy of the course inside is the
//!   submission;
//! - a `.zip` of one learner's work, read the same way once unpacked;
//! - a class: a folder (or a `.zip`, an LMS's "download all") of
//!   per-learner folders, repositories or zips, each found as above.
//!
//! A folder is one learner when it is a copy of the course (it holds
//! `starters/` or is a git repository), when its id is given, when its name
//! follows an LMS's pattern ([`lms_id`]), or when exactly one copy of the
//! course is inside; otherwise it is a class, and each of its entries is
//! looked at in turn. Ids come from the LMS's folder name where it follows
//! the pattern, else from the name given or the folder's name; an id is
//! kept as given (an e-mail, a name with spaces) and made safe only where
//! it names a file ([`file_name`]).
//!
//! Nothing found is followed or run: zips are listed before they are
//! unpacked, and one holding a symlink or more than [`MAX_UNZIPPED`] bytes
//! is refused. Every problem is one line for that submission; the batch
//! goes on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Entry;

/// The most a zip may hold, unpacked.
pub const MAX_UNZIPPED: u64 = 256 << 20;
/// How deep inside a learner's folder the copy of the course is looked for.
const MAX_DEPTH: usize = 5;
/// How deep classes of classes are followed.
const MAX_NESTING: usize = 4;
/// Folders never looked into.
const SKIP: &[&str] = &["target", ".git", "node_modules", "__MACOSX"];

/// One submission found, ready to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: String,
    /// The folder (or repository) to read.
    pub path: PathBuf,
    /// Where it came from, for people: the path given, and inside a zip
    /// the path within it (`class.zip!/Kim Lee_482913_…/opsloop-main`).
    pub source: String,
    /// Why it cannot be read at all, when that is known already.
    pub problem: Option<String>,
}

/// `id` as a file name: kept when it is letters, digits, `-`, `_` and `.`
/// only; otherwise those characters with the rest replaced by `_` and a
/// short digest of the id appended, so two ids never share a folder
/// (`kim lee@uni.edu` → `kim_lee_uni.edu-1a2b3c4d`).
pub fn file_name(id: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    if !id.is_empty() && !id.starts_with('.') && id.chars().all(safe) {
        return id.to_string();
    }
    let kept: String = id.chars().map(|c| if safe(c) { c } else { '_' }).collect();
    let kept = kept.trim_start_matches('.');
    let digest = labkit::digest::sha256_hex(id.as_bytes());
    format!("{kept}-{}", &digest[..8])
}

/// The learner's id in an LMS's name for their folder or file:
///
/// - Moodle: `Full Name_ID_assignsubmission_file_` → `ID`;
/// - Canvas: `name_ID_SUBMISSION_file…`, or `name_LATE_ID_SUBMISSION_…`
///   → `ID` (the name is Canvas's run-together `lastfirst`).
pub fn lms_id(name: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((before, _)) = name.split_once("_assignsubmission_") {
        let (_, id) = before.rsplit_once('_')?;
        return digits(id).then(|| id.to_string());
    }
    let parts: Vec<&str> = name.split('_').collect();
    let name_ok = parts
        .first()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let rest = match parts.get(1) {
        Some(&"LATE") => &parts[2.min(parts.len())..],
        _ => &parts[1.min(parts.len())..],
    };
    (name_ok && rest.len() >= 3 && digits(rest[0]) && digits(rest[1])).then(|| rest[0].to_string())
}

/// Whether `dir` is a copy of the course or a git repository: a
/// submission by itself.
fn is_submission(dir: &Path) -> bool {
    dir.join("starters").exists()
        || dir.join(".git").exists()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir())
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Entries of a folder, sorted, without symlinks and skipped folders.
fn children(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| !SKIP.iter().any(|s| e.file_name() == *s))
                .filter(|e| e.file_type().is_ok_and(|t| !t.is_symlink()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The copies of the course (and git repositories) under `dir`, not
/// looking inside one once found, and the zips beside them.
fn inside(dir: &Path, depth: usize, roots: &mut Vec<PathBuf>, zips: &mut Vec<PathBuf>) {
    for c in children(dir) {
        if c.is_dir() {
            if is_submission(&c) {
                roots.push(c);
            } else if depth > 1 {
                inside(&c, depth - 1, roots, zips);
            }
        } else if is_zip(&c) {
            zips.push(c);
        }
    }
}

/// Finds the submissions in what the grader was given, each with a unique
/// id (a repeated id gets `-2`, `-3`… in the order given). Zips are
/// unpacked under `scratch`.
pub fn find(entries: &[Entry], scratch: &Path) -> Vec<Found> {
    let mut finder = Finder {
        scratch: scratch.to_path_buf(),
        zips: 0,
        found: Vec::new(),
    };
    for e in entries {
        let source = e.path.display().to_string();
        finder.given(&e.path, e.id.clone(), source, 0);
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in &mut finder.found {
        let n = seen.entry(f.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            f.id = format!("{}-{n}", f.id);
        }
    }
    finder.found
}

struct Finder {
    scratch: PathBuf,
    zips: usize,
    found: Vec<Found>,
}

impl Finder {
    fn push(&mut self, id: String, path: &Path, source: String, problem: Option<String>) {
        self.found.push(Found {
            id,
            path: path.to_path_buf(),
            source,
            problem,
        });
    }

    /// Unpacks a zip into a fresh folder; the folder, or why not.
    fn unpack(&mut self, zip: &Path) -> Result<PathBuf, String> {
        self.zips += 1;
        let into = self.scratch.join(format!("zip-{:04}", self.zips));
        let _ = std::fs::remove_dir_all(&into);
        std::fs::create_dir_all(&into)
            .map_err(|e| format!("cannot create {}: {e}", into.display()))?;
        unzip(zip, &into)?;
        Ok(into)
    }

    /// Something given (or found in a class): a zip, a folder, a file.
    fn given(&mut self, path: &Path, id: Option<String>, source: String, nesting: usize) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let meta = std::fs::symlink_metadata(path);
        if is_zip(path) {
            let stem = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let id = id.or_else(|| lms_id(&stem));
            match self.unpack(path) {
                Err(e) => {
                    let id = id.unwrap_or_else(|| id_of_name(&stem));
                    self.push(id, path, source, Some(e));
                }
                Ok(dir) => self.folder(&dir, id, &stem, format!("{source}!"), nesting),
            }
            return;
        }
        match meta {
            Ok(m) if m.is_dir() => self.folder(path, id, &name, source, nesting),
            // A file, a symlink, nothing: reading says what is wrong.
            _ => {
                let id = id.unwrap_or_else(|| id_of_name(&name));
                self.push(id, path, source, None);
            }
        }
    }

    /// A folder: one learner's or a class.
    fn folder(
        &mut self,
        dir: &Path,
        id: Option<String>,
        name: &str,
        source: String,
        nesting: usize,
    ) {
        if is_submission(dir) {
            let id = id
                .or_else(|| lms_id(name))
                .unwrap_or_else(|| id_of_name(name));
            self.push(id, dir, source, None);
            return;
        }
        let mut roots = Vec::new();
        let mut zips = Vec::new();
        inside(dir, MAX_DEPTH, &mut roots, &mut zips);
        let learner = id.clone().or_else(|| lms_id(name));
        let one = roots.len() + zips.len() <= 1;
        if learner.is_some() || one || nesting >= MAX_NESTING {
            let id = learner.unwrap_or_else(|| id_of_name(name));
            self.learner(dir, id, source, roots, zips);
            return;
        }
        // A class: each entry in turn.
        for c in children(dir) {
            if c.is_dir() || is_zip(&c) {
                let n = c
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.given(&c, None, format!("{source}/{n}"), nesting + 1);
            }
        }
    }

    /// One learner's folder: the one copy of the course inside it.
    fn learner(
        &mut self,
        dir: &Path,
        id: String,
        source: String,
        roots: Vec<PathBuf>,
        zips: Vec<PathBuf>,
    ) {
        let rel = |p: &Path| {
            p.strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        match (roots.as_slice(), zips.as_slice()) {
            ([root], []) => {
                let source = format!("{source}/{}", rel(root));
                self.push(id, root, source, None);
            }
            ([], [zip]) => {
                let source = format!("{source}/{}!", rel(zip));
                match self.unpack(zip) {
                    Err(e) => self.push(id, zip, source, Some(e)),
                    Ok(unpacked) => {
                        let mut roots = Vec::new();
                        let mut zips = Vec::new();
                        if is_submission(&unpacked) {
                            roots.push(unpacked.clone());
                        } else {
                            inside(&unpacked, MAX_DEPTH, &mut roots, &mut zips);
                        }
                        if zips.is_empty() {
                            self.learner(&unpacked, id, source, roots, zips);
                        } else {
                            let problem = "a zip inside a zip: unpack it and hand in the folder";
                            self.push(id, &unpacked, source, Some(problem.into()));
                        }
                    }
                }
            }
            ([], []) => self.push(id, dir, source, None),
            _ => {
                let mut places: Vec<String> = roots.iter().chain(&zips).map(|p| rel(p)).collect();
                places.sort();
                let problem = format!(
                    "{} copies of the course in one hand-in ({}): hand in one",
                    places.len(),
                    places.join(", ")
                );
                self.push(id, dir, source, Some(problem));
            }
        }
    }
}

/// An id from a file or folder name, when no LMS pattern gives one: the
/// name as it is.
fn id_of_name(name: &str) -> String {
    if name.trim().is_empty() {
        "submission".into()
    } else {
        name.to_string()
    }
}

/// Unpacks `zip` into `into` with the system's `unzip`, after listing it:
/// a symlink inside or more than [`MAX_UNZIPPED`] bytes refuses the zip.
fn unzip(zip: &Path, into: &Path) -> Result<(), String> {
    let listing = Command::new("unzip")
        .arg("-Z")
        .arg(zip)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "cannot unpack a .zip: the `unzip` program is not installed \
                 (Debian/Ubuntu: apt-get install unzip)"
                    .to_string()
            }
            _ => format!("cannot run unzip: {e}"),
        })?;
    if !listing.status.success() {
        return Err("not a readable zip archive".into());
    }
    let text = String::from_utf8_lossy(&listing.stdout);
    let lines: Vec<&str> = text.lines().collect();
    for l in lines.iter().skip(1) {
        if l.starts_with('l') {
            let name = l.split_whitespace().skip(8).collect::<Vec<_>>().join(" ");
            return Err(format!(
                "the zip holds a symlink ({name}): not unpacked (symlinks are never followed)"
            ));
        }
    }
    let total: u64 = lines
        .last()
        .and_then(|l| l.split(", ").nth(1))
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if total > MAX_UNZIPPED {
        return Err(format!(
            "the zip unpacks to {total} bytes, over the {} MiB limit: not unpacked",
            MAX_UNZIPPED >> 20
        ));
    }
    let out = Command::new("unzip")
        .args(["-qq", "-n"])
        .arg(zip)
        .arg("-d")
        .arg(into)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run unzip: {e}"))?;
    // 1: warnings only (a name made safe, say); the files are there.
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!(
            "cannot unpack the zip: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("unzip failed")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lms_folder_names_give_the_learner_id() {
        assert_eq!(
            lms_id("Kim Lee_482913_assignsubmission_file_").as_deref(),
            Some("482913")
        );
        assert_eq!(
            lms_id("Ana_de_la_Cruz_77_assignsubmission_onlinetext_").as_deref(),
            Some("77")
        );
        assert_eq!(
            lms_id("leekim_482913_1234567_opsloop").as_deref(),
            Some("482913")
        );
        assert_eq!(
            lms_id("leekim_LATE_482913_1234567_opsloop-1").as_deref(),
            Some("482913")
        );
        for plain in [
            "alice",
            "b01-sli",
            "kim_lab_2",
            "team_7_final",
            "x_assignsubmission_file_",
        ] {
            assert_eq!(lms_id(plain), None, "{plain}");
        }
    }

    #[test]
    fn ids_become_safe_file_names_without_collisions() {
        assert_eq!(file_name("alice-smith"), "alice-smith");
        let mail = file_name("kim.lee@uni.example");
        assert!(mail.starts_with("kim.lee_uni.example-"), "{mail}");
        let spaced = file_name("Kim Lee");
        assert!(spaced.starts_with("Kim_Lee-"), "{spaced}");
        assert_ne!(file_name("Kim Lee"), file_name("Kim@Lee"));
        assert!(!file_name("../x").contains('/'));
        assert!(!file_name("..").starts_with('.'));
    }

    /// A scratch folder of its own for a test.
    fn scratch(name: &str) -> PathBuf {
        let dir = crate::cargo::target_base(&crate::root())
            .join("discover-test")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn zip_tool(test: &str) -> Option<PathBuf> {
        let zip = labkit::tools::find_or_skip(test, "ZIP", &["zip"], "apt-get install zip")?;
        labkit::tools::find_or_skip(test, "UNZIP", &["unzip"], "apt-get install unzip")?;
        Some(zip)
    }

    fn run(cmd: &mut Command) {
        let out = cmd.output().expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_class_folder_is_split_into_learners_found_at_any_depth() {
        let Some(zip) = zip_tool("a_class_folder_is_split_into_learners_found_at_any_depth") else {
            return;
        };
        let base = scratch("class");
        let class = base.join("class");
        let mk = |p: &str| std::fs::create_dir_all(class.join(p)).unwrap();
        mk("Kim Lee_482913_assignsubmission_file_/opsloop-main/starters/m31");
        mk("leekim_LATE_517204_9981_x/deep/er/starters");
        mk("plain/starters");
        mk("nothing");
        mk("twice_600001_1_x/a/starters");
        mk("twice_600001_1_x/b/starters");
        mk("Sam Roe_482914_assignsubmission_file_");
        let work = base.join("work/opsloop");
        std::fs::create_dir_all(work.join("starters")).unwrap();
        run(Command::new(&zip)
            .current_dir(base.join("work"))
            .args(["-q", "-r"])
            .arg(class.join("Sam Roe_482914_assignsubmission_file_/handin.zip"))
            .arg("."));
        let here = Path::new("/");
        let found = find(
            &[Entry::parse(&class.display().to_string(), here)],
            &base.join("scratch"),
        );
        let got: Vec<(&str, String, Option<&str>)> = found
            .iter()
            .map(|f| {
                let rel = f
                    .source
                    .strip_prefix(&class.display().to_string())
                    .unwrap_or(&f.source)
                    .to_string();
                (f.id.as_str(), rel, f.problem.as_deref())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "482913",
                    "/Kim Lee_482913_assignsubmission_file_/opsloop-main".into(),
                    None
                ),
                (
                    "482914",
                    "/Sam Roe_482914_assignsubmission_file_/handin.zip!/opsloop".into(),
                    None
                ),
                ("517204", "/leekim_LATE_517204_9981_x/deep/er".into(), None),
                ("nothing", "/nothing".into(), None),
                ("plain", "/plain".into(), None),
                (
                    "600001",
                    "/twice_600001_1_x".into(),
                    Some("2 copies of the course in one hand-in (a, b): hand in one")
                ),
            ]
        );
        assert!(
            found[1].path.join("starters").is_dir(),
            "the zip is unpacked"
        );
    }

    /// Zips that would write outside their folder through a symlink, or
    /// unpack to far more than any hand-in, are refused, each in one line.
    #[test]
    fn zips_with_symlinks_or_too_large_are_refused() {
        let Some(zip) = zip_tool("zips_with_symlinks_or_too_large_are_refused") else {
            return;
        };
        let base = scratch("attacks");
        let inner = base.join("inner");
        std::fs::create_dir_all(inner.join("starters")).unwrap();
        std::os::unix::fs::symlink("/etc", inner.join("starters/m31")).unwrap();
        let linked = base.join("linked.zip");
        run(Command::new(&zip)
            .current_dir(&inner)
            .args(["-q", "-r", "-y"])
            .arg(&linked)
            .arg("."));
        let big = base.join("big.zip");
        let zeros = std::fs::File::open("/dev/zero").unwrap();
        let mut child = Command::new(&zip)
            .args(["-q"])
            .arg(&big)
            .arg("-")
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::{Read as _, Write as _};
            let mut stdin = child.stdin.take().unwrap();
            let mut left = MAX_UNZIPPED + (1 << 20);
            let mut zeros = zeros.take(left);
            let mut buf = vec![0u8; 1 << 20];
            while left > 0 {
                let n = zeros.read(&mut buf).unwrap();
                stdin.write_all(&buf[..n]).unwrap();
                left -= n as u64;
            }
        }
        assert!(child.wait().unwrap().success());
        let here = Path::new("/");
        let found = find(
            &[
                Entry::parse(&linked.display().to_string(), here),
                Entry::parse(&big.display().to_string(), here),
                Entry::parse(&base.join("missing.zip").display().to_string(), here),
            ],
            &base.join("scratch"),
        );
        let problem = |id: &str| {
            found
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| f.problem.clone())
                .unwrap_or_default()
        };
        assert!(problem("linked").contains("symlink"), "{found:?}");
        assert!(
            problem("big").contains("over the 256 MiB limit"),
            "{found:?}"
        );
        assert!(!base.join("scratch").join("zip-0001/starters/m31").exists());
        // A path that does not exist is left for reading to report.
        assert_eq!(
            found
                .iter()
                .find(|f| f.id == "missing.zip")
                .map(|f| f.problem.clone()),
            Some(None)
        );
    }
}

//! The second golden class: submissions as they really arrive, built by
//! the test itself.
//!
//! - git repositories with commits before and after the deadline (fixed
//!   committer dates), graded from fresh clones with `--before`; a shallow
//!   clone holding only late work; an empty repository; a clone whose work
//!   tree has uncommitted changes;
//! - an LMS "download all" zip of Moodle-named folders (one with the course
//!   one level down, one holding a zip), a folder of Canvas-named
//!   hand-ins (a starters-only folder and a zip), a learner's own zip;
//! - ids given with an `@` and with a space;
//! - a hand-in from before a function was added to a learner file;
//! - a copied pair that lands in different shards.
//!
//! The class is graded whole (golden `gradebook.csv`), regraded for one
//! learner into the same folder (only that row changes), and graded in two
//! shards merged back (the whole class again, the copied pair flagged).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::deadline::Deadline;
use super::{learner_files, Batch, Entry, Graded, Status};
use crate::runner::Limits;

/// The deadline of the class.
const DEADLINE: &str = "2026-12-15 23:59:59";
const BEFORE: &str = "2026-12-14T10:00:00Z";
const AFTER: &str = "2026-12-16T09:30:00Z";

/// Runs git in `dir` as a learner would, at a fixed time.
fn git(dir: &Path, at: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Learner")
        .env("GIT_AUTHOR_EMAIL", "learner@example.invalid")
        .env("GIT_COMMITTER_NAME", "Learner")
        .env("GIT_COMMITTER_EMAIL", "learner@example.invalid")
        .env("GIT_AUTHOR_DATE", at)
        .env("GIT_COMMITTER_DATE", at)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Builds the class under `base`.
struct Class<'a> {
    root: &'a Path,
    base: PathBuf,
    zip: PathBuf,
    /// Commit id → the name the golden file gives it.
    commits: BTreeMap<String, String>,
}

impl Class<'_> {
    fn starters(&self, dir: &Path) {
        crate::layout::copy_tree(&self.root.join("starters"), &dir.join("starters"))
            .expect("starters copied");
    }

    /// `dir`'s learner files set to the reference for those `which` picks.
    fn reference(&self, dir: &Path, which: &dyn Fn(&str) -> bool) {
        for f in learner_files(self.root)
            .expect("the catalogue")
            .iter()
            .filter(|f| which(f))
        {
            let text = std::fs::read_to_string(self.root.join(super::solution_of(f))).unwrap();
            std::fs::write(dir.join(f), text).unwrap();
        }
    }

    fn commit(&mut self, repo: &Path, at: &str, name: &str) {
        git(repo, at, &["add", "-A"]);
        git(repo, at, &["commit", "-q", "-m", name]);
        let id = git(repo, at, &["rev-parse", "HEAD"]);
        self.commits.insert(id, name.to_string());
    }

    /// Zips the contents of `dir` into `to`.
    fn zip(&self, dir: &Path, to: &Path) {
        let out = Command::new(&self.zip)
            .current_dir(dir)
            .args(["-q", "-r", "-X"])
            .arg(to)
            .arg(".")
            .output()
            .expect("zip runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Two learners with the same M31 code but for a name and a comment.
    fn copied(&self, dir: &Path, var: &str, note: &str) {
        self.starters(dir);
        for f in learner_files(self.root)
            .expect("the catalogue")
            .iter()
            .filter(|f| f.starts_with("starters/m31/"))
        {
            let text: String = std::fs::read_to_string(self.root.join(super::solution_of(f)))
                .unwrap()
                .lines()
                .map(|l| {
                    if l.trim_start().starts_with("// BEGIN SOLUTION") {
                        let indent = &l[..l.len() - l.trim_start().len()];
                        format!("{l}\n{indent}{note}\n{indent}let {var} = 0;\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            std::fs::write(dir.join(f), text).unwrap();
        }
    }

    /// Writes the class; returns the submissions as given to `grade`.
    fn build(&mut self) -> Vec<String> {
        let _ = std::fs::remove_dir_all(&self.base);
        let origins = self.base.join("origins");
        let class = self.base.join("class");
        let handins = self.base.join("hand-ins");
        for d in [&origins, &class, &handins] {
            std::fs::create_dir_all(d).unwrap();
        }
        let m31 = |f: &str| f.starts_with("starters/m31/");
        let all = |_: &str| true;

        // ana: M31 by the deadline, the rest after it; a fresh clone.
        let ana = origins.join("ana");
        self.starters(&ana);
        git(&ana, BEFORE, &["init", "-q", "-b", "main"]);
        self.reference(&ana, &m31);
        self.commit(&ana, BEFORE, "ana-on-time");
        self.reference(&ana, &all);
        self.commit(&ana, AFTER, "ana-late");
        let url = format!("file://{}", ana.display());
        git(&class, BEFORE, &["clone", "-q", &url, "ana"]);
        // cy: a clone one commit deep, holding only the late commit.
        git(&class, BEFORE, &["clone", "-q", "--depth", "1", &url, "cy"]);

        // ben: everything on time; dana: the same, then uncommitted changes.
        for name in ["ben", "dana"] {
            let repo = origins.join(name);
            self.starters(&repo);
            git(&repo, BEFORE, &["init", "-q", "-b", "main"]);
            self.reference(&repo, &all);
            self.commit(&repo, BEFORE, &format!("{name}-on-time"));
            let url = format!("file://{}", repo.display());
            git(&class, BEFORE, &["clone", "-q", &url, name]);
        }
        let budget = "starters/m31/budget.rs";
        std::fs::copy(self.root.join(budget), class.join("dana").join(budget)).unwrap();

        // An empty repository.
        let empty = class.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        git(&empty, BEFORE, &["init", "-q", "-b", "main"]);

        // A Moodle "download all" zip: one learner's course one level
        // down, with docs and a workflow changed and course files copied
        // as they are; another's work as a zip in their folder.
        let moodle = self.base.join("moodle");
        let kim = moodle.join("Kim Lee_482913_assignsubmission_file_/opsloop-main");
        self.starters(&kim);
        self.reference(&kim, &m31);
        std::fs::write(kim.join("README.md"), "my notes\n").unwrap();
        std::fs::create_dir_all(kim.join(".github/workflows")).unwrap();
        std::fs::write(kim.join(".github/workflows/mine.yml"), "on: push\n").unwrap();
        for same in [
            "book/book.toml",
            ".github/workflows/ci.yml",
            "ARCHITECTURE.md",
        ] {
            // A copy of the course (the authoring recipe's) may lack the
            // files around it; what it has is copied as it is.
            if !self.root.join(same).exists() {
                continue;
            }
            std::fs::create_dir_all(kim.join(same).parent().unwrap()).unwrap();
            std::fs::copy(self.root.join(same), kim.join(same)).unwrap();
        }
        let sam_work = self.base.join("sam-work/opsloop");
        self.starters(&sam_work);
        self.reference(&sam_work, &all);
        let sam = moodle.join("Sam Roe_482914_assignsubmission_file_");
        std::fs::create_dir_all(&sam).unwrap();
        self.zip(&self.base.join("sam-work"), &sam.join("handin.zip"));
        self.zip(&moodle, &class.join("moodle-all.zip"));

        // A folder of Canvas-named hand-ins: the starters only, and a zip.
        let canvas = class.join("canvas");
        self.starters(&canvas.join("parkjo_517204_9981_opsloop"));
        let wu_work = self.base.join("wu-work");
        self.starters(&wu_work);
        self.reference(&wu_work, &all);
        std::fs::create_dir_all(&canvas).unwrap();
        self.zip(&wu_work, &canvas.join("wuli_330112_7781_handin.zip"));

        // A hand-in from before `budget_spent` was added to budget.rs.
        let olu = class.join("olu");
        self.starters(&olu);
        self.reference(&olu, &m31);
        let text = std::fs::read_to_string(olu.join(budget)).unwrap();
        let (_, cut) = &super::midterm::functions(&text)["budget_spent"];
        let before_the_step = format!("{}{}", &text[..cut.start], &text[cut.end..]);
        std::fs::write(olu.join(budget), before_the_step).unwrap();

        // A copied pair.
        self.copied(&class.join("pat"), "_mine", "// worked this out myself");
        self.copied(&class.join("pia"), "_ours", "// we did this together");

        // Ids given: an e-mail and a name with a space; a learner's zip.
        let kim2 = handins.join("kim");
        self.starters(&kim2);
        self.reference(&kim2, &m31);
        let ann = handins.join("ann");
        std::fs::create_dir_all(&ann).unwrap();
        std::fs::write(ann.join("README.md"), "my lab, somewhere else\n").unwrap();
        let eve = self.base.join("eve-work");
        self.starters(&eve);
        self.reference(&eve, &all);
        self.zip(&eve, &handins.join("eve.zip"));

        vec![
            class.display().to_string(),
            format!("kim.lee@uni.example={}", kim2.display()),
            format!("Ann Ma={}", ann.display()),
            handins.join("eve.zip").display().to_string(),
        ]
    }

    /// The gradebook with each commit named as the class names it (ids
    /// change with the course's starters; the names do not).
    fn named(&self, gradebook: &str) -> String {
        let mut text = gradebook.to_string();
        for (id, name) in &self.commits {
            text = text.replace(super::provenance::short(id), &format!("<{name}>"));
        }
        text
    }
}

fn batch(
    base: &Path,
    entries: &[String],
    out: &str,
    before: bool,
    shard: Option<(usize, usize)>,
) -> Batch {
    let here = std::env::current_dir().unwrap();
    Batch {
        submissions: entries.iter().map(|e| Entry::parse(e, &here)).collect(),
        rev: None,
        before: before.then(|| Deadline::parse(DEADLINE).unwrap()),
        out: base.join(out),
        work: base.join("work"),
        shard,
        limits: Limits {
            timeout: Duration::from_secs(4),
            ..Limits::default()
        },
        unconfined: false,
    }
}

fn by_id<'a>(graded: &'a [Graded], id: &str) -> &'a Graded {
    graded.iter().find(|g| g.id == id).unwrap_or_else(|| {
        panic!(
            "no submission {id}: {:?}",
            graded.iter().map(|g| &g.id).collect::<Vec<_>>()
        )
    })
}

fn reason(g: &Graded) -> &str {
    g.reason.as_deref().unwrap_or("")
}

#[test]
fn a_class_as_it_arrives_is_graded_regraded_and_merged() {
    let test = "a_class_as_it_arrives_is_graded_regraded_and_merged";
    let Some(zip) = labkit::tools::find_or_skip(test, "ZIP", &["zip"], "apt-get install zip")
    else {
        return;
    };
    if labkit::tools::find_or_skip(test, "UNZIP", &["unzip"], "apt-get install unzip").is_none() {
        return;
    }
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("grade-arrivals");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let mut class = Class {
        root: &root,
        base: base.join("subs"),
        zip,
        commits: BTreeMap::new(),
    };
    let entries = class.build();
    for out in ["whole", "shard1", "shard2", "merged"] {
        let _ = std::fs::remove_dir_all(base.join(out));
    }

    let graded =
        super::run(&root, &batch(&base, &entries, "whole", true, None)).expect("grading runs");
    let ids: Vec<&str> = graded.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "330112",
            "482913",
            "482914",
            "517204",
            "Ann Ma",
            "ana",
            "ben",
            "cy",
            "dana",
            "empty",
            "eve",
            "kim.lee@uni.example",
            "olu",
            "pat",
            "pia"
        ]
    );
    let max = by_id(&graded, "ben").max_points();
    // The deadline on a fresh clone: the on-time commit, the late one listed.
    let ana = by_id(&graded, "ana");
    let on_time = |g: &Graded| {
        g.provenance
            .commit
            .as_ref()
            .and_then(|c| class.commits.get(&c.commit))
            .cloned()
    };
    assert_eq!(on_time(ana).as_deref(), Some("ana-on-time"));
    assert_eq!(ana.provenance.late.len(), 1);
    assert_eq!(
        class
            .commits
            .get(&ana.provenance.late[0].commit)
            .map(String::as_str),
        Some("ana-late")
    );
    assert_eq!(ana.provenance.commit.as_ref().unwrap().date, BEFORE);
    let m31_max = ana
        .runs
        .iter()
        .find(|r| r.module.name == "m31")
        .map(|r| r.max_points())
        .unwrap_or(0);
    assert!(m31_max > 0, "M31 was graded");
    assert_eq!(ana.points(), m31_max, "only M31 was done by the deadline");
    assert!(by_id(&graded, "ben").provenance.late.is_empty());
    assert_eq!(by_id(&graded, "ben").points(), max);
    assert!(
        reason(by_id(&graded, "cy")).contains("too shallow"),
        "{}",
        reason(by_id(&graded, "cy"))
    );
    assert!(reason(by_id(&graded, "empty")).contains("no commits"));
    // Under --before, dana's committed work is graded, not her work tree.
    assert_eq!(
        on_time(by_id(&graded, "dana")).as_deref(),
        Some("dana-on-time")
    );
    assert_eq!(by_id(&graded, "dana").points(), max);
    // LMS folders and zips, at any depth, with the LMS's ids.
    let kim = by_id(&graded, "482913");
    assert_eq!(kim.points(), m31_max);
    assert!(kim.source.contains("moodle-all.zip!"), "{}", kim.source);
    assert!(kim.ignored.is_empty(), "{:?}", kim.ignored);
    assert_eq!(
        kim.ignored_docs,
        [".github/workflows/mine.yml", "README.md"]
    );
    assert!(!kim.flags.iter().any(|f| f.name() == "changed-outside"));
    assert!(kim
        .provenance
        .notes
        .iter()
        .any(|n| n.contains("git repositories only")));
    assert_eq!(by_id(&graded, "482914").points(), max);
    assert_eq!(by_id(&graded, "517204").points(), 0);
    assert_eq!(by_id(&graded, "330112").points(), max);
    assert_eq!(by_id(&graded, "eve").points(), max);
    // Ids as given, safe only as folder names.
    assert_eq!(by_id(&graded, "kim.lee@uni.example").points(), m31_max);
    let out = base.join("whole");
    assert!(out
        .join(super::discover::file_name("kim.lee@uni.example"))
        .join("results.json")
        .is_file());
    assert!(reason(by_id(&graded, "Ann Ma")).contains("no starters/"));
    assert!(out
        .join(super::discover::file_name("Ann Ma"))
        .join("feedback.md")
        .is_file());
    for (a, b) in [("pat", "pia"), ("pia", "pat")] {
        assert!(by_id(&graded, a)
            .flags
            .iter()
            .any(|f| f.name().starts_with(&format!("similar:{b}@"))));
    }
    assert_eq!(by_id(&graded, "ana").status, Status::Fail);
    // A hand-in from before a step was added loses that step, not M31.
    let olu = by_id(&graded, "olu");
    assert!(
        olu.flags.iter().any(|f| f.name() == "added-later"),
        "{:?}",
        olu.flags
    );
    assert!(olu.runs.iter().all(|r| r.compile_error.is_none()));
    let m31 = olu.module_points("m31");
    assert!(m31 > 0 && m31 < 30, "m31: {m31}");
    let feedback = std::fs::read_to_string(out.join("ana/feedback.md")).unwrap();
    assert!(
        feedback.contains("Commits after the deadline (not graded)")
            && feedback.contains("ana-late"),
        "{feedback}"
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("ana/results.json")).unwrap())
            .unwrap();
    assert_eq!(results["submission"]["committed"], BEFORE);
    assert_eq!(results["submission"]["late"][0]["date"], AFTER);

    let whole = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    insta::assert_snapshot!("gradebook_arrivals", class.named(&whole));

    // A regrade of one learner, without the deadline: her work tree has
    // uncommitted changes, graded as the tree and never as her HEAD.
    let dana_path = class.base.join("class/dana").display().to_string();
    let regraded = super::run(
        &root,
        &batch(&base, &[format!("dana={dana_path}")], "whole", false, None),
    )
    .unwrap();
    assert_eq!(regraded.len(), 1);
    let dana = &regraded[0];
    assert!(dana.provenance.dirty && dana.provenance.commit.is_none());
    assert!(
        dana.points() < max,
        "the uncommitted starter budget.rs is graded"
    );
    let after = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let changed: Vec<(&str, &str)> = whole
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(whole.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].1.starts_with("dana,") && changed[0].1.contains(",dirty,"),
        "{}",
        changed[0].1
    );
    let html = std::fs::read_to_string(out.join("class.html")).unwrap();
    assert!(
        html.contains("482913") && html.contains("pat"),
        "the class report keeps the class"
    );

    // Two shards, merged: the whole class again, the copied pair (split
    // across the shards) flagged.
    let mut shards = Vec::new();
    for i in 1..=2 {
        let name = format!("shard{i}");
        super::run(&root, &batch(&base, &entries, &name, true, Some((i, 2)))).unwrap();
        let book = std::fs::read_to_string(base.join(&name).join("gradebook.csv")).unwrap();
        assert!(
            !book.contains("similar:"),
            "a shard alone cannot see the pair:\n{book}"
        );
        shards.push(base.join(&name));
    }
    let merged = super::regrade::merge(&shards, &base.join("merged")).unwrap();
    assert_eq!(merged.len(), 15);
    let book = std::fs::read_to_string(base.join("merged/gradebook.csv")).unwrap();
    assert_eq!(book, whole, "merged shards are the whole class");
    let html = std::fs::read_to_string(base.join("merged/class.html")).unwrap();
    assert!(html.contains("similar:pia@") && html.contains("330112"));
    // Merging refuses a learner in two shards.
    let twice = super::regrade::merge(
        &[shards[0].clone(), shards[0].clone()],
        &base.join("merged2"),
    );
    assert!(twice.unwrap_err().to_string().contains("is in both"));
}

/// When nothing can be graded, the exit code says so.
#[test]
fn nothing_graded_is_its_own_exit_code() {
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("grade-nothing");
    let _ = std::fs::remove_dir_all(&base);
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    git(&empty, BEFORE, &["init", "-q", "-b", "main"]);
    let zip = base.join("not-a.zip");
    std::fs::write(&zip, "not a zip\n").unwrap();
    let args: Vec<String> = [
        "grade".to_string(),
        format!("someone@example.invalid={}", empty.display()),
        zip.display().to_string(),
        "--out".into(),
        base.join("out").display().to_string(),
        "--work".into(),
        base.join("work").display().to_string(),
    ]
    .into();
    let code = crate::cli::dispatch(&args).expect("grading runs");
    assert_eq!(code, std::process::ExitCode::from(super::NOTHING_GRADED));
    // The command ran inside this test binary: it must not have made the
    // binary a subreaper, whose sweep would end every other test's
    // processes (it once killed their builds mid-run).
    assert!(!super::reaper::is_subreaper());
    let book = std::fs::read_to_string(base.join("out/gradebook.csv")).unwrap();
    assert!(
        book.contains("someone@example.invalid,") && book.contains("not-a,"),
        "{book}"
    );
    let results = std::fs::read_to_string(
        base.join("out")
            .join(super::discover::file_name("someone@example.invalid"))
            .join("results.json"),
    )
    .unwrap();
    assert!(results.contains("no commits"), "{results}");
}

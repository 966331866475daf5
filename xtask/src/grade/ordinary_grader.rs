//! The golden class graded by an ordinary user: the grader a laptop or a CI
//! runner has, with no user per check, held by Landlock instead.
//!
//! As root (as CI is), the test makes a user (`useradd`), gives it what a
//! grader of its own would have — a copy of the course it owns, a toolchain
//! it can run (hard links to root's, see [`crate::test_support::toolchain`])
//! and folders of its own — and runs, as that user, a copy of this test
//! binary's [`grading_the_golden_class_as_this_user`]: it makes the corpus
//! from its course and grades it with the root test's very options
//! ([`super::corpus::golden_batch`]), building the course from scratch.
//!
//! What is compared with the root test's recording (`gradebook_corpus`, of
//! `tests::grading_a_class_reproduces_the_golden_gradebook`): the whole of
//! `gradebook.csv`, byte for byte — no column differs between graders.
//! What differs, and is asserted to be what it must be rather than left
//! out: `submission.sandbox` of every `results.json`, which says *how* the
//! checks were held — `own_users: false` (only root can start a check as
//! another user), `landlock_abi` the kernel's, `network: denied` (ABI 4 and
//! later), `subreaper: true`, `unconfined: false`, and the summary saying so.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::containment::Containment;
use crate::test_support::scratch::Scratch;
use crate::test_support::toolchain::UserToolchain;
use crate::test_support::user::{open_to_all, TestUser};

const NAME: &str = "an_ordinary_user_grading_the_golden_class_gets_the_golden_gradebook";
const INNER: &str = "grade::ordinary_grader::grading_the_golden_class_as_this_user";
const PLAN_ENV: &str = "OPSLOOP_GOLDEN_USER_PLAN";

/// The gradebook `tests::grading_a_class_reproduces_the_golden_gradebook`
/// recorded (the body of its insta snapshot): read, never re-recorded here.
fn golden_gradebook() -> String {
    let snap = crate::root().join("xtask/src/snapshots/xtask__tests__gradebook_corpus.snap");
    let text = std::fs::read_to_string(&snap).expect("the golden gradebook");
    // `---`, the snapshot's header, `---`, then the body.
    let body = text
        .splitn(3, "---\n")
        .nth(2)
        .expect("an insta snapshot: header between two `---` lines");
    body.to_string()
}

/// Makes everything under `dir` (the test's own copies) `user`'s.
fn own_tree(user: &TestUser, dir: &Path) {
    user.own(dir);
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            own_tree(user, &p);
        } else {
            let _ = std::os::unix::fs::lchown(&p, Some(user.uid), Some(user.uid));
        }
    }
}

#[test]
fn an_ordinary_user_grading_the_golden_class_gets_the_golden_gradebook() {
    if !crate::tests::slow_test(NAME) {
        return;
    }
    if !rustix::process::geteuid().is_root() {
        eprintln!(
            "{NAME}: not root: tests::grading_a_class_reproduces_the_golden_gradebook \
             already grades as an ordinary user"
        );
        return;
    }
    let expected = Containment::from_parts(
        false,
        labkit::sandbox::probe(),
        labkit::seccomp::probe(),
        false,
    );
    if expected.landlock_abi.is_none() {
        let why = "this kernel has no Landlock (Linux 5.13 or later, enabled)";
        assert!(
            !labkit::tools::required(),
            "{NAME}: {why}; CI=true requires it"
        );
        eprintln!("{NAME}: SKIPPED: {why}");
        return;
    }
    let root = crate::root();
    let dir = std::env::temp_dir().join(format!("opsloop-golden-user-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the test's folder");
    open_to_all(&dir, 0o755);
    // Dropped last: the user (and its processes) go first, then the folder.
    let _scratch = Scratch::temporary(dir.clone());
    let Some(user) = TestUser::create(NAME, "g") else {
        return;
    };
    let started = Instant::now();
    let Some(toolchain) = UserToolchain::for_user(NAME, &user, &dir) else {
        return;
    };
    eprintln!(
        "{NAME}: toolchain for {} ({:?}) in {:.1} s",
        user.name,
        toolchain.reach,
        started.elapsed().as_secs_f64()
    );

    // The user's own folder: its course, corpus, build, outputs, home.
    let mine = dir.join("user");
    let course = mine.join("course");
    crate::layout::copy_course(&root, &course).expect("a copy of the course");
    for d in ["home", "tmp"] {
        std::fs::create_dir_all(mine.join(d)).expect("a folder");
    }
    own_tree(&user, &mine);
    let tests = dir.join("xtask-tests");
    let exe = std::env::current_exe().expect("this test binary");
    if std::fs::hard_link(&exe, &tests).is_err() {
        std::fs::copy(&exe, &tests).expect("a copy of this test binary");
    }
    let plan = serde_json::json!({
        "course": course,
        "subs": mine.join("subs"),
        "out": mine.join("out"),
        "work": mine.join("work"),
    });
    let plan_file = dir.join("plan.json");
    std::fs::write(&plan_file, plan.to_string()).expect("the plan");
    open_to_all(&plan_file, 0o644);

    let started = Instant::now();
    let mut run = user.command(&tests);
    run.args([
        INNER,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_clear()
    .envs(toolchain.env())
    .env("HOME", mine.join("home"))
    .env("TMPDIR", mine.join("tmp"))
    .env("RUST_BACKTRACE", "1")
    .env(PLAN_ENV, &plan_file)
    .current_dir(&course);
    if let Some(ci) = std::env::var_os("CI") {
        run.env("CI", ci);
    }
    let out = run.output().expect("setpriv runs");
    let took = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "{NAME}: graded as {} (uid {}) in {:.1} s:\n{}",
        user.name,
        user.uid,
        took.as_secs_f64(),
        text.lines()
            .filter(|l| l.starts_with("as this user:"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        out.status.success() && text.contains("test result: ok. 1 passed"),
        "grading as {}:\n{text}",
        user.name
    );

    // Nothing the user's grading started is alive (the sleeper's and the
    // fork bomb's processes included).
    let left = user.processes();
    assert!(left.is_empty(), "processes left behind: {left:?}");

    let out = mine.join("out");
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).expect("gradebook.csv");
    let golden = golden_gradebook();
    assert_eq!(
        gradebook.trim_end(),
        golden.trim_end(),
        "the ordinary user's gradebook is not the golden one"
    );

    // Every submission's results, and how its checks were held.
    let expected = serde_json::to_value(&expected).expect("json");
    let ids: Vec<&str> = golden
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let mut folders: Vec<String> = std::fs::read_dir(&out)
        .expect("the outputs")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert!(ids.len() >= 30, "{} submissions", ids.len());
    assert_eq!(
        folders, ids,
        "a folder of results for each row, and no other"
    );
    for id in &ids {
        assert!(
            out.join(id).join("feedback.md").is_file(),
            "{id}/feedback.md"
        );
        let results: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(id).join("results.json"))
                .unwrap_or_else(|e| panic!("{id}/results.json: {e}")),
        )
        .unwrap_or_else(|e| panic!("{id}/results.json: {e}"));
        assert_eq!(results["version"], 2, "{id}");
        let sandbox = &results["submission"]["sandbox"];
        assert_eq!(sandbox, &expected, "{id}: how its checks were held");
        assert_eq!(sandbox["own_users"], false, "{id}");
        assert_eq!(sandbox["unconfined"], false, "{id}");
        assert!(
            sandbox["landlock_abi"].as_u64().is_some(),
            "{id}: {sandbox}"
        );
    }
    // What the root test asserts beyond the gradebook, from the files.
    let results = |id: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(id).join("results.json")).unwrap())
            .unwrap()
    };
    let forged = results("c06-forged-verdict");
    assert_eq!(forged["submission"]["status"], "tampered");
    assert_eq!(forged["tests"][0]["outcome"], "tampered");
    let ignored = results("d01-tampered-checks")["submission"]["ignored"].clone();
    for f in ["crates/incident/src/checks.rs", "labs/integrity.sha256"] {
        assert!(
            ignored.as_array().into_iter().flatten().any(|v| v == f),
            "d01 ignores {f}: {ignored}"
        );
    }
    let html = std::fs::read_to_string(out.join("class.html")).expect("class.html");
    assert!(html.contains("m31.a.1") && html.contains("commonest failure"));
    let failures = std::fs::read_to_string(out.join("failures.csv")).expect("failures.csv");
    assert!(
        failures.starts_with("check,title,step,failing,graded,"),
        "{failures}"
    );
    eprintln!(
        "{NAME}: the golden gradebook, graded as an ordinary user in {:.0} s",
        took.as_secs_f64()
    );
    assert!(took < Duration::from_secs(60 * 60), "took {took:?}");
}

/// Started by the test above, as the user it made: builds the corpus from
/// this user's course and grades it as the root test does.
#[test]
#[ignore = "started by an_ordinary_user_grading_the_golden_class_gets…, as the user it makes"]
fn grading_the_golden_class_as_this_user() {
    let Some(plan) = std::env::var_os(PLAN_ENV) else {
        return;
    };
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan).expect("plan")).expect("json");
    let path = |k: &str| PathBuf::from(plan[k].as_str().expect("a path"));
    assert!(
        !rustix::process::geteuid().is_root(),
        "run as the ordinary user"
    );
    // Not root in anything but name: no capability at all.
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let effective = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .map(str::trim);
    assert_eq!(effective, Some("0000000000000000"), "{status}");
    let containment = Containment::of_this_machine(false);
    assert!(!containment.own_users, "{containment:?}");
    assert!(containment.landlock_abi.is_some(), "{containment:?}");
    let course = path("course");
    let started = Instant::now();
    let entries = super::corpus::build(&course, &path("subs")).expect("the corpus is made");
    eprintln!(
        "as this user: {} submissions made in {:.1} s",
        entries.len(),
        started.elapsed().as_secs_f64()
    );
    let batch = super::corpus::golden_batch(&entries, &course, &path("out"), &path("work"));
    let started = Instant::now();
    let graded = super::run(&course, &batch).expect("grading runs");
    eprintln!(
        "as this user: graded {} submissions in {:.1} s",
        graded.len(),
        started.elapsed().as_secs_f64()
    );
}

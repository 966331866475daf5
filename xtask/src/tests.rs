//! The course tool's own tests: the runner survives every way learner code
//! goes wrong, a module that does not compile is reported with its first
//! error, and the human and JSON reports match their golden files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use labkit::check::Outcome;

use crate::cargo::{self, Request, Variant};
use crate::catalog::Integrity;
use crate::check_report::{self, Style};
use crate::grade::judges::Judges;
use crate::lab::{CheckRun, ModuleRun};
use crate::modules::{Module, Unit};
use crate::runner::{self, Limits};

/// Whether a slow test runs: one that copies the course and builds it again,
/// or grades a class (minutes, and gigabytes of build). `cargo xtask ci` and
/// `cargo xtask refresh` set `RUN_SLOW_TESTS`; a plain `cargo test` says the
/// test skipped, unless `CI=true`, where a skipped slow test is a failure.
pub(crate) fn slow_test(name: &str) -> bool {
    if std::env::var_os("RUN_SLOW_TESTS").is_some() {
        return true;
    }
    assert!(
        !labkit::tools::required(),
        "{name}: CI=true runs every test: set RUN_SLOW_TESTS=1 (cargo xtask ci does)"
    );
    eprintln!("{name}: SKIPPED, slow; RUN_SLOW_TESTS=1 runs it (cargo xtask ci does)");
    false
}

/// Fixtures build in a target dir of their own, so these tests never wait on
/// the lock of the `cargo test` that runs them.
fn fixture_target() -> PathBuf {
    crate::cargo::target_base(&crate::root()).join("fixtures")
}

fn fixture_binary() -> PathBuf {
    example_binary("fixture_checks")
}

fn example_binary(example: &str) -> PathBuf {
    let out = crate::cargo::command()
        .current_dir(crate::root())
        .args([
            "build",
            "--quiet",
            "-p",
            "labkit",
            "--example",
            example,
            "--message-format=json",
        ])
        .arg("--target-dir")
        .arg(fixture_target())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the fixture's executable")
}

static FIXTURE: Module = Module {
    name: "m99",
    title: "Runner fixtures",
    units: &[Unit {
        package: "labkit",
        bin: "fixture_checks",
        starters: "starters/m99",
    }],
    lab_features: &[],
    reference_parts_feature: None,
    slots: &[],
};

/// Living processes with one of these command lines that this test process
/// answers for: its own descendants, and any process of the users its
/// checks ran as (when it is root). Never the whole machine: another
/// process that happens to sleep as long is none of its business.
fn left_behind(cmdlines: &[&str]) -> Vec<String> {
    use labkit::warden::parent_of;
    let me = std::process::id() as i32;
    let users: Vec<u32> = (0..16)
        .filter_map(|s| match runner::Sandbox::for_slot(s) {
            runner::Sandbox::OwnUser(uid) => Some(uid),
            runner::Sandbox::SameUser => None,
        })
        .collect();
    let mut out = Vec::new();
    for p in crate::test_support::procs::living() {
        if !cmdlines.contains(&p.cmdline.as_str()) {
            continue;
        }
        let (pid, uid, cmdline) = (p.pid, p.uid, p.cmdline);
        let mut ancestor = parent_of(pid);
        let mut ours = uid.is_some_and(|u| users.contains(&u));
        for _ in 0..64 {
            match ancestor {
                Some(a) if a == me => ours = true,
                Some(a) if a > 1 => {
                    ancestor = parent_of(a);
                    continue;
                }
                _ => {}
            }
            break;
        }
        if ours {
            out.push(format!("{pid}: {cmdline}"));
        }
    }
    out
}

/// Thread ids and the like vary between runs; golden files must not.
fn normalize(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        // The check runs on a thread named after it (the harness's
        // watchdog); its name and id are not what the golden file checks.
        let line = match (line.find("thread '"), line.find(") has overflowed")) {
            (Some(a), Some(b)) if a < b => format!("{}thread '…' (…{}", &line[..a], &line[b..]),
            _ => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn fixture_run() -> ModuleRun {
    let bin = fixture_binary();
    let infos = runner::list(&bin).expect("the fixture lists its checks");
    assert_eq!(infos.len(), 13);
    let scratch = std::env::temp_dir().join(format!("opsloop-runner-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let limits = Limits {
        timeout: Duration::from_secs(2),
        max_output: 4096,
        memory: 512 << 20,
        processes: 32,
        ..Limits::default()
    };
    let jobs: Vec<(PathBuf, String)> = infos.iter().map(|i| (bin.clone(), i.id.clone())).collect();
    let started = Instant::now();
    let verdicts = runner::run_all(&jobs, &scratch, limits, 2, &Judges::none());
    // The three endless checks are cut at their limit (2 s each, 2 at a
    // time); nothing waits for the sleeper's 120 s.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    let checks = infos
        .into_iter()
        .zip(verdicts)
        .map(|(info, mut verdict)| {
            verdict.output = normalize(&verdict.output);
            CheckRun {
                bin: "fixture_checks",
                info,
                verdict,
            }
        })
        .collect();
    ModuleRun {
        module: &FIXTURE,
        variant: Variant::Starter,
        checks,
        compile_error: None,
        warnings: vec![],
    }
}

#[test]
fn the_runner_survives_learner_code_and_reports_each_failure_as_what_it_is() {
    let run = fixture_run();
    let got: Vec<(&str, Outcome)> = run
        .checks
        .iter()
        .map(|c| (c.info.title.as_str(), c.verdict.outcome))
        .collect();
    assert_eq!(
        got,
        vec![
            ("passes", Outcome::Pass),
            ("fails an expectation", Outcome::Fail),
            ("reaches a todo", Outcome::NotStarted),
            ("panics", Outcome::Panicked),
            ("loops forever", Outcome::TimedOut),
            ("overflows the stack", Outcome::Crashed),
            ("calls process::exit", Outcome::Crashed),
            ("prints megabytes, then passes", Outcome::Pass),
            ("forges its verdict, then exits", Outcome::Tampered),
            ("prints a verdict of its own, then fails", Outcome::Tampered),
            (
                "leaves a sleeper holding its output, then loops",
                Outcome::TimedOut
            ),
            ("allocates without end", Outcome::Crashed),
            ("starts processes without end", Outcome::TimedOut),
        ]
    );
    let msg = |i: usize| run.checks[i].verdict.message.clone().unwrap_or_default();
    assert!(msg(1).contains("expected: 5"), "{}", msg(1));
    assert!(msg(2).contains("fixture: write me"));
    assert!(msg(3).contains("the list was empty") && msg(3).contains("fixture_checks.rs:"));
    assert!(msg(4).contains("no result within 2 s"));
    assert!(msg(5).starts_with("stack overflow"), "{}", msg(5));
    assert!(msg(6).contains("exited with code 1"), "{}", msg(6));
    let flood = &run.checks[7].verdict.output;
    assert!(
        flood.len() < 5000,
        "output is capped, got {} bytes",
        flood.len()
    );
    assert!(flood.contains("more bytes of output not kept"));
    assert!(msg(8).contains("did not seal"), "{}", msg(8));
    assert!(
        msg(9).contains("printed a verdict of its own"),
        "{}",
        msg(9)
    );
    assert!(
        msg(11).contains("over its memory limit (512 MiB)"),
        "{}",
        msg(11)
    );
    // Nothing the checks started outlives them: not the sleeper, not the
    // fork bomb's hundred-thousand-second sleeps.
    let left = left_behind(&["sleep 121", "sleep 100001"]);
    assert!(
        left.is_empty(),
        "processes left behind by the checks: {left:?}"
    );

    insta::assert_snapshot!(
        "lab_report_fixture",
        check_report::lab_report(&run, Style::plain())
    );
    let results = check_report::results(&[run], Integrity::default());
    insta::assert_snapshot!(
        "results_json_fixture",
        serde_json::to_string_pretty(&results).unwrap()
    );
}

/// A `loop {}` in the first step: the report arrives within about one time
/// limit, not one limit per check, and every check that needs the step
/// names it (issue 22).
#[test]
fn a_loop_is_waited_for_once_and_named_in_every_check_that_needs_it() {
    use labkit::stall::{Stall, StepRef};
    let bin = example_binary("stall_checks");
    let infos = runner::list(&bin).expect("the fixture lists its checks");
    assert_eq!(infos.len(), 7);
    let scratch = std::env::temp_dir().join(format!("opsloop-stall-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let limits = Limits {
        timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let jobs: Vec<(PathBuf, String)> = infos.iter().map(|i| (bin.clone(), i.id.clone())).collect();
    let started = Instant::now();
    let verdicts = runner::run_all(&jobs, &scratch, limits, 2, &Judges::none());
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&scratch);
    // Six of the seven checks reach the loop. One limit per check, two at a
    // time, would be 6 s; waited for once it is one limit (the first two
    // run side by side) and a little.
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    let luhn = StepRef {
        function: "luhn_valid".into(),
        file: "starters/m99/validity.rs".into(),
    };
    let mut looped = 0;
    for (info, v) in infos.iter().zip(&verdicts) {
        if info.id == "m99.a.4" {
            assert_eq!((v.outcome, &v.stall), (Outcome::Pass, &None));
            continue;
        }
        assert_eq!(v.outcome, Outcome::TimedOut, "{}", info.id);
        let msg = v.message.clone().unwrap_or_default();
        assert!(msg.contains("`luhn_valid`"), "{}: {msg}", info.id);
        match &v.stall {
            Some(Stall::LoopedIn { step }) => {
                looped += 1;
                assert_eq!(step, &luhn, "{}", info.id);
            }
            Some(Stall::NotRun { step }) => {
                assert_eq!(step, &luhn, "{}", info.id);
                assert!(
                    msg.starts_with("not run: `luhn_valid` did not return"),
                    "{msg}"
                );
            }
            other => panic!("{}: no loop named: {other:?} {msg}", info.id),
        }
    }
    // Only the checks already running when the first loop was found wait
    // for it: at most one per worker.
    assert!((1..=2).contains(&looped), "{looped} checks waited");
}

#[test]
fn a_module_that_does_not_compile_is_reported_with_its_first_error() {
    let root = crate::root().join("xtask/tests/fixtures/broken");
    let built = cargo::build(
        &root,
        &Request {
            packages: vec!["broken"],
            bins: vec!["broken-checks"],
            features: vec![],
            variant: Variant::Starter,
            target_dir: None,
            action: "build",
        },
    )
    .expect("cargo runs");
    assert!(built.binaries.is_empty());
    let err = &built.errors["broken"];
    assert!(
        err.first.starts_with("src/main.rs:2: mismatched types"),
        "{}",
        err.first
    );
    assert!(err.rendered.contains("E0308"));

    // Reported, with the checks the catalogue knows about, never a crash.
    let run = ModuleRun {
        module: &FIXTURE,
        variant: Variant::Starter,
        checks: vec![],
        compile_error: Some(err.clone()),
        warnings: vec![],
    };
    let text = check_report::lab_report(&run, Style::plain());
    assert!(text.contains("does not compile yet"));
    assert!(text.contains("Next: make it compile — src/main.rs:2: mismatched types"));
    let _ = std::fs::remove_dir_all(root.join("target"));
}

#[test]
fn colour_is_never_used_when_plain() {
    let run = ModuleRun {
        module: &FIXTURE,
        variant: Variant::Solution,
        checks: vec![],
        compile_error: None,
        warnings: vec![],
    };
    assert!(!check_report::lab_report(&run, Style::plain()).contains('\x1b'));
    assert!(check_report::lab_report(&run, Style { color: true }).contains('\x1b'));
}

#[test]
fn the_reference_capstone_runs_on_the_reference_parts() {
    use crate::lab::runs_on_reference_parts as on_reference;
    let module = |name| crate::commands::module_arg(name).expect("a course module");
    let (m34, m33) = (module("m34"), module("m33"));
    assert!(
        !on_reference(m34, Variant::Starter, false),
        "the learner's parts by default"
    );
    assert!(on_reference(m34, Variant::Starter, true));
    assert!(
        on_reference(m34, Variant::Solution, false),
        "--solution is the whole reference"
    );
    assert!(!on_reference(m33, Variant::Solution, false));
}

#[test]
fn usage_errors_are_one_line_and_name_what_is_valid() {
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match crate::cli::dispatch(&args) {
            Ok(_) => panic!("expected an error"),
            Err(e) => {
                assert!(e.downcast_ref::<crate::cli::UsageError>().is_some(), "{e}");
                e.to_string()
            }
        }
    };
    assert_eq!(
        run(&["lab", "m99"]),
        "unknown module `m99`; valid modules: m31, m32, m33, m34"
    );
    assert!(run(&["lab", "m31", "--nope"])
        .contains("valid options: --clippy, --reference-parts, --solution, --timeout, --watch"));
    assert!(run(&["frobnicate"]).contains("valid commands: lab, story, rules, demo"));
    assert!(run(&["lab", "m31", "--timeout", "0"]).contains("whole number of seconds"));
    assert!(run(&["lab", "m31", "--reference-parts"]).contains("only applies to m34"));
    assert!(run(&["bench"]).contains("valid modules"));
    for msg in [run(&["check", "extra"]), run(&["verify", "--x"])] {
        assert_eq!(msg.lines().count(), 1, "{msg}");
    }
}

#[test]
fn watch_notices_a_saved_file() {
    let dir = std::env::temp_dir().join(format!("opsloop-watch-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/a.rs"), "fn a() {}").unwrap();
    let before = crate::watch::fingerprint(&dir);
    assert_eq!(before, crate::watch::fingerprint(&dir));
    std::fs::write(dir.join("sub/a.rs"), "fn a() { 1; }").unwrap();
    assert_ne!(before, crate::watch::fingerprint(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_module_crate_is_laid_out_for_rust_analyzer() {
    let problems = crate::layout::problems(&crate::root());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn layout_problems_are_named() {
    let dir = std::env::temp_dir().join(format!("opsloop-layout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("crates/incident/src")).unwrap();
    std::fs::write(
        dir.join("crates/incident/Cargo.toml"),
        "[package]\nname = \"incident\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("crates/incident/src/lib.rs"),
        "#[cfg_attr(feature = \"solution\", path = \"x.rs\")]\nmod x;\n",
    )
    .unwrap();
    let problems = crate::layout::problems(&dir);
    let text = problems.join("\n");
    assert!(
        text.contains(
            "crates/incident/Cargo.toml: [lib] path must be \"../../starters/m31/lib.rs\""
        ),
        "{text}"
    );
    assert!(text.contains("starters/m31/lib.rs is missing"), "{text}");
    assert!(
        text.contains("crates/incident/src/lib.rs:1: a cfg_attr path"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The grader end to end, on a scratch copy of the workspace where one
/// module does not compile: that module is graded as failed with the
/// compiler's first error, and every other module is still graded.
#[test]
fn the_grader_grades_the_other_modules_when_one_does_not_compile() {
    if !slow_test("the_grader_grades_the_other_modules_when_one_does_not_compile") {
        return;
    }
    let root = crate::root();
    let scratch = crate::cargo::target_base(&root).join("grade-test");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(scratch.clone());
    let ws = scratch.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    crate::layout::copy_course(&root, &ws).unwrap();
    let broken = ws.join("starters/m32/triage.rs");
    let mut text = std::fs::read_to_string(&broken).unwrap();
    text.push_str("\npub fn broken_on_purpose() -> u8 {\n    \"not a number\"\n}\n");
    std::fs::write(&broken, text).unwrap();

    let out = crate::cargo::command()
        .current_dir(&ws)
        .args([
            "run",
            "--quiet",
            "-p",
            "xtask",
            "--",
            "check",
            "--json",
            "results.json",
        ])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("NO_COLOR", "1")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("m32") && stdout.contains("did not compile"),
        "{stdout}"
    );

    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ws.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["version"], 2);
    assert_eq!(results["status"], "error");
    let modules = results["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 4);
    for m in modules {
        let name = m["name"].as_str().unwrap();
        if name == "m32" {
            assert_eq!(m["status"], "error");
            let msg = m["message"].as_str().unwrap();
            assert!(msg.starts_with("starters/m32/triage.rs:"), "{msg}");
            assert!(msg.contains("mismatched types"), "{msg}");
        } else {
            // Graded: an untouched starter fails, it does not error.
            assert_eq!(m["status"], "fail", "{name}");
            assert!(m["total"].as_u64().unwrap() > 0, "{name} has checks");
        }
    }
    let tests = results["tests"].as_array().unwrap();
    for t in tests {
        let outcome = t["outcome"].as_str().unwrap();
        if t["module"] == "m32" {
            assert_eq!(outcome, "did_not_compile");
            assert_eq!(t["status"], "error");
        } else {
            assert_eq!(outcome, "not_started", "{}", t["id"]);
        }
    }
    let modified = results["integrity"]["modified"].as_array().unwrap();
    assert!(
        modified.is_empty(),
        "files of the course differ from labs/integrity.sha256 (is the committed manifest \
         current? `cargo xtask catalog`): {modified:?}"
    );
    let _ = std::fs::remove_dir_all(&ws);
}

/// The grader on a class of synthetic submissions made from the course
/// (`grade::corpus`): the gradebook is golden, both attacks of the grading
/// issue earn nothing and are flagged, every output is written, and the
/// grader's course copy is untouched by what it graded.
#[test]
fn grading_a_class_reproduces_the_golden_gradebook() {
    if !slow_test("grading_a_class_reproduces_the_golden_gradebook") {
        return;
    }
    use crate::grade::{self, Status};
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("grade-corpus");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let entries = grade::corpus::build(&root, &base.join("subs")).expect("the corpus is made");
    assert!(entries.len() >= 30, "{} submissions", entries.len());
    let here = std::env::current_dir().unwrap();
    let out = base.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let batch = grade::corpus::golden_batch(&entries, &here, &out, &base.join("work"));
    let started = Instant::now();
    let graded = grade::run(&root, &batch).expect("grading runs");
    eprintln!(
        "graded {} submissions in {:.1} s",
        graded.len(),
        started.elapsed().as_secs_f64()
    );
    let by_id = |id: &str| {
        graded
            .iter()
            .find(|g| g.id == id)
            .unwrap_or_else(|| panic!("no submission {id}"))
    };
    // The two attacks of the issue: nothing earned, flagged.
    let forged = by_id("c06-forged-verdict");
    assert_eq!(forged.status, Status::Tampered);
    assert_eq!(forged.module_points("m31"), 0);
    let printed = by_id("c07-printed-verdict");
    assert_eq!(printed.status, Status::Tampered);
    let tampered = by_id("d01-tampered-checks");
    assert_eq!(tampered.points(), 0);
    assert!(tampered
        .ignored
        .iter()
        .any(|f| f == "crates/incident/src/checks.rs"));
    assert!(tampered
        .ignored
        .iter()
        .any(|f| f == "labs/integrity.sha256"));
    // Old timestamps are rebuilt: the reference's full marks, not the
    // untouched starter graded just before it.
    let reference = by_id("a01-reference");
    assert_eq!(by_id("a03-old-timestamps").points(), reference.points());
    assert_eq!(reference.points(), reference.max_points());
    // Every output is there.
    for g in &graded {
        for f in ["results.json", "feedback.md"] {
            assert!(out.join(&g.id).join(f).is_file(), "{}/{f}", g.id);
        }
    }
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("c06-forged-verdict/results.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(results["version"], 2);
    assert_eq!(results["submission"]["status"], "tampered");
    assert_eq!(results["tests"][0]["outcome"], "tampered");
    let html = std::fs::read_to_string(out.join("class.html")).unwrap();
    assert!(html.contains("m31.a.1") && html.contains("commonest failure"));
    assert!(html.contains("<a href=\"a01-reference/feedback.md\">"));
    let failures = std::fs::read_to_string(out.join("failures.csv")).unwrap();
    assert!(
        failures.starts_with("check,title,step,failing,graded,"),
        "{failures}"
    );
    // The sleeper's and the fork bomb's processes did not outlive them.
    let left = left_behind(&["sleep 120", "sleep 100000"]);
    assert!(
        left.is_empty(),
        "processes left behind by graded submissions: {left:?}"
    );
    let gradebook = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    insta::assert_snapshot!("gradebook_corpus", gradebook);
}

/// A git repository is graded at the revision asked for, its commit
/// recorded; a folder that is not a repository, or a broken one, is one
/// clear line; shards graded apart and merged give the gradebook of the
/// whole batch.
#[test]
fn grading_git_revisions_and_shards() {
    if !slow_test("grading_git_revisions_and_shards") {
        return;
    }
    use crate::grade::{self, Batch, Entry, Status};
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("grade-git");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let _ = std::fs::remove_dir_all(&base);
    let subs = base.join("subs");
    let repo = subs.join("gitlearner");
    crate::layout::copy_tree(&root.join("starters"), &repo.join("starters")).unwrap();
    let budget = "starters/m31/budget.rs";
    std::fs::write(
        repo.join(budget),
        std::fs::read_to_string(root.join("solutions/m31/budget.rs")).unwrap(),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&repo)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Learner")
            .env("GIT_AUTHOR_EMAIL", "learner@example.invalid")
            .env("GIT_COMMITTER_NAME", "Learner")
            .env("GIT_COMMITTER_EMAIL", "learner@example.invalid")
            .env("GIT_AUTHOR_DATE", "2026-11-30T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-30T12:00:00Z")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "budget done"]);
    let commit = git(&["rev-parse", "HEAD"]);
    // After the commit, the work tree loses the work: --rev grades the commit.
    std::fs::copy(root.join(budget), repo.join(budget)).unwrap();
    let plain = subs.join("plainfolder");
    crate::layout::copy_tree(&root.join("starters"), &plain.join("starters")).unwrap();
    let broken = subs.join("brokenrepo");
    std::fs::create_dir_all(broken.join(".git")).unwrap();
    std::fs::write(broken.join(".git/HEAD"), "garbage\n").unwrap();

    let here = std::env::current_dir().unwrap();
    let entry = |p: &Path| Entry::parse(&p.display().to_string(), &here);
    let batch = |subs: Vec<Entry>, rev: Option<&str>, shard, out: &str| Batch {
        submissions: subs,
        rev: rev.map(String::from),
        before: None,
        out: base.join(out),
        work: base.join("work"),
        shard,
        limits: Limits::default(),
        unconfined: false,
    };
    let graded = grade::run(
        &root,
        &batch(
            vec![entry(&repo), entry(&plain), entry(&broken)],
            Some("HEAD"),
            None,
            "rev",
        ),
    )
    .expect("grading runs");
    let g = &graded[1];
    assert_eq!(g.id, "gitlearner");
    assert_eq!(
        g.provenance.commit.as_ref().map(|c| c.commit.as_str()),
        Some(commit.as_str())
    );
    assert!(
        g.module_points("m31") > 0,
        "the committed budget.rs is graded"
    );
    assert_eq!(graded[0].id, "brokenrepo");
    assert_eq!(graded[0].status, Status::Invalid);
    assert!(
        graded[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("not a readable git repository"),
        "{:?}",
        graded[0].reason
    );
    assert_eq!(graded[2].status, Status::Invalid);
    assert!(graded[2]
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("not a git repository"));

    // Without --rev the work tree is graded (here: the starter again).
    let all = vec![entry(&repo), entry(&plain), entry(&broken)];
    let whole = grade::run(&root, &batch(all.clone(), None, None, "whole")).unwrap();
    assert_eq!(whole[1].module_points("m31"), 0);
    let mut books = Vec::new();
    for i in 1..=2 {
        let out = format!("shard{i}");
        grade::run(&root, &batch(all.clone(), None, Some((i, 2)), &out)).unwrap();
        let text = std::fs::read_to_string(base.join(&out).join("gradebook.csv")).unwrap();
        assert!(text.lines().count() < 4, "a shard grades part of the batch");
        books.push((out, text));
    }
    let merged = grade::gradebook::merge(&books).unwrap();
    let single = std::fs::read_to_string(base.join("whole/gradebook.csv")).unwrap();
    assert_eq!(merged, single);
}

/// `docs/authoring.md`'s recipe for a new step, performed on a scratch copy
/// of the course: the solution, the declaration, the check and the guide by
/// hand; `refresh` generates and re-records the rest (the golden gradebook
/// included); `verify m31` is green, the golden gradebook passes as CI runs
/// it, and the guide's count of files and commands is this test's.
#[test]
fn the_recipe_for_a_new_step_works() {
    if !slow_test("the_recipe_for_a_new_step_works") {
        return;
    }
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("recipe-test");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let ws = base.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    crate::layout::copy_course(&root, &ws).unwrap();
    // The scratch copy is a repository, as a course checkout is: `refresh`
    // lists what it changed against it.
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(&ws)
            .args([
                "-c",
                "user.name=staff",
                "-c",
                "user.email=staff@example.org",
            ])
            .args(args)
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "the course"]);
    let hand_edited = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let edit = |file: &str, f: &dyn Fn(String) -> String| {
        let p = ws.join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        let new = f(text.clone());
        assert_ne!(new, text, "{file} changed");
        std::fs::write(&p, new).unwrap();
        hand_edited.borrow_mut().insert(file.to_string());
    };
    // 1. The solution, with its marked region.
    edit("solutions/m31/budget.rs", &|t| {
        t + "\n/// The share of the error budget left after `spent` of it (never below zero).\n\
             pub fn budget_left(spent: f64) -> f64 {\n    \
             // BEGIN SOLUTION budget_left: one minus what was spent, never below zero\n    \
             (1.0 - spent).max(0.0)\n    \
             // END SOLUTION\n}\n"
    });
    // 2. The declaration.
    edit("crates/incident/src/port.rs", &|t| {
        t.replacen(
            "        fn budget_spent(",
            "        fn budget_left(spent: f64) -> f64;\n        fn budget_spent(",
            1,
        )
    });
    // 3. The check: its row in the table, in guide order, naming the
    // generated edit site ...
    edit("crates/incident/src/checks.rs", &|t| {
        let at = t
            .find("    Check {\n        id: \"m31.b.1\"")
            .expect("m31.b.1 is there");
        let check = "    Check {\n        id: \"m31.a.6\",\n        part: \"A\",\n        guide_step: \"budget_left\",\n        kind: CheckKind::Step,\n        \
             title: \"what is left of the budget is one minus what was spent, never below zero\",\n        \
             points: 1,\n        plan: Plan::after_class(2),\n        hint: \"Spending more than the budget leaves nothing, not a debt.\",\n        \
             edit: Some(edits::BUDGET_LEFT),\n        run: budget::budget_left_is_what_remains,\n    },\n";
        format!("{}{check}{}", &t[..at], &t[at..])
    });
    // ... and its body, in the file of the learner file it checks.
    edit("crates/incident/src/checks/budget.rs", &|t| {
        let body = "\npub(super) fn budget_left_is_what_remains() -> CheckResult {\n    \
             let mut rng = SimRng::seed(31);\n    \
             for _ in 0..50 {\n        \
             let spent = rng.below(300) as f64 / 100.0;\n        \
             let want = if spent >= 1.0 { 0.0 } else { 1.0 - spent };\n        \
             ensure_eq!(crate::budget::budget_left(spent), want, \"budget left after spending {spent}\");\n    \
             }\n    Ok(())\n}\n";
        t + body
    });
    // 4. The guide.
    edit("labs/m31/README.md", &|t| {
        t.replacen(
            "**A4. One tier's decision**",
            "**A3b. Budget left** — `budget_left(spent)` (`budget.rs`): one minus what \
             was spent, never below zero. Check **m31.a.6**.\n\n**A4. One tier's decision**",
            1,
        )
    });

    let commands = std::cell::Cell::new(0);
    let xtask = |args: &[&str]| {
        commands.set(commands.get() + 1);
        let out = crate::cargo::command()
            .current_dir(&ws)
            .args(["run", "--quiet", "-p", "xtask", "--"])
            .args(args)
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env("NO_COLOR", "1")
            .output()
            .expect("cargo runs");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    // One command regenerates and re-records everything the change explains.
    let (code, out) = xtask(&["refresh"]);
    assert_eq!(code, Some(0), "refresh fails after the recipe:\n{out}");
    for generated in [
        "starters/m31/budget.rs",
        "crates/incident/src/edits.rs",
        "crates/incident/src/bin/checks-m31/main.rs",
        "labs/catalog.json",
        "labs/integrity.sha256",
        "xtask/src/snapshots/xtask__tests__gradebook_corpus.snap",
    ] {
        assert!(
            out.contains(&format!("changed  {generated}")),
            "refresh does not list {generated}:\n{out}"
        );
    }
    let starter = std::fs::read_to_string(ws.join("starters/m31/budget.rs")).unwrap();
    assert!(starter.contains("todo!(\"budget_left: one minus what was spent, never below zero\")"));
    let edits = std::fs::read_to_string(ws.join("crates/incident/src/edits.rs")).unwrap();
    assert!(edits.contains("pub const BUDGET_LEFT: Edit"));
    let main =
        std::fs::read_to_string(ws.join("crates/incident/src/bin/checks-m31/main.rs")).unwrap();
    assert!(main.contains("budget_left: budget::budget_left,"));
    let (code, out) = xtask(&["verify", "m31", "--skip-lint"]);
    assert_eq!(code, Some(0), "verify fails after the recipe:\n{out}");
    let catalog = std::fs::read_to_string(ws.join("labs/catalog.json")).unwrap();
    assert!(catalog.contains("\"m31.a.6\"") && catalog.contains("\"budget_left\""));

    // What CI runs on such a change: the golden gradebook, now recorded with
    // the new check's point, passes without accepting anything.
    let golden = "grading_a_class_reproduces_the_golden_gradebook";
    let out = crate::cargo::command()
        .current_dir(&ws)
        .args([
            "test",
            "--quiet",
            "--profile",
            "lab",
            "-p",
            "xtask",
            "--bin",
            "xtask",
        ])
        .args(["--", "--exact", &format!("tests::{golden}")])
        .env("CARGO_TARGET_DIR", base.join("target"))
        .env("RUN_SLOW_TESTS", "1")
        .env("INSTA_UPDATE", "no")
        .env_remove("INSTA_FORCE_PASS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the golden gradebook fails after refresh:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // docs/authoring.md states what the recipe costs; this is the measure.
    let guide = std::fs::read_to_string(root.join("docs/authoring.md")).unwrap();
    let stated = format!(
        "{} hand-edited files and {} commands",
        hand_edited.borrow().len(),
        commands.get()
    );
    assert!(
        guide.contains(&stated),
        "docs/authoring.md should say \"{stated}\" ({:?})",
        hand_edited.borrow()
    );
    let _ = std::fs::remove_dir_all(&ws);
}

/// The learner's report, golden: a compiler warning in their file is shown
/// under the module, a failure message says what it compares, and a trace
/// that grew past nine lines shows only the line that really changed.
#[test]
fn the_lab_report_shows_warnings_labels_and_the_real_trace_difference() {
    use labkit::check::CheckInfo;
    let info = |id: &str, title: &str, step: &str| CheckInfo {
        id: id.into(),
        part: "A".into(),
        step: step.into(),
        kind: labkit::check::CheckKind::Step,
        title: title.into(),
        points: 2,
        track: labkit::check::Track::Core,
        minutes: 1,
        hint: "Look at the concept, not the answer.".into(),
        file: Some("starters/m99/fixture.rs".into()),
        function: Some("fixture".into()),
    };
    let lines: Vec<String> = (1..=9)
        .map(|i| format!("+00:0{i}:00  m99   event {i}"))
        .collect();
    let numbered = |ls: &[String]| {
        let w = ls.len().to_string().len();
        ls.iter()
            .enumerate()
            .map(|(i, l)| format!("{:>w$}. {l}\n", i + 1))
            .collect::<String>()
    };
    let snap = format!(
        "---\nsource: fixture\n---\n# the story\n{}",
        numbered(&lines)
    );
    let mut mine = lines.clone();
    mine[6] = "+00:07:00  m99   event 7, but late".into();
    mine.push("+00:10:00  m99   one more".into());
    let trace_diff =
        labkit::check::compare_with_snapshot(&format!("# the story\n{}", numbered(&mine)), &snap)
            .unwrap_err();
    let labelled = (|| -> labkit::CheckResult {
        labkit::ensure_eq!(
            (4, 1610, 1610),
            (1, 10, 10),
            "(stages, served, errors) of the canary"
        );
        Ok(())
    })()
    .unwrap_err();
    let run = ModuleRun {
        module: &FIXTURE,
        variant: Variant::Starter,
        checks: vec![
            CheckRun {
                bin: "fixture_checks",
                info: info("m99.a.1", "the canary serves a tenth", "canary"),
                verdict: runner::Verdict {
                    outcome: Outcome::Fail,
                    message: Some(labelled),
                    output: String::new(),
                    stall: None,
                },
            },
            CheckRun {
                bin: "fixture_checks",
                info: info("m99.a.2", "your trace matches the reference trace", "trace"),
                verdict: runner::Verdict {
                    outcome: Outcome::Fail,
                    message: Some(trace_diff),
                    output: String::new(),
                    stall: None,
                },
            },
        ],
        compile_error: None,
        warnings: vec!["starters/m99/fixture.rs:12: unused variable: `served`".into()],
    };
    insta::assert_snapshot!(
        "lab_report_warnings_labels_trace",
        check_report::lab_report(&run, Style::plain())
    );
}

#[test]
fn every_command_answers_help_and_exits_zero() {
    for c in crate::cli::COMMANDS {
        for flag in ["--help", "-h"] {
            let args = vec![c.name.to_string(), flag.to_string()];
            let code = crate::cli::dispatch(&args).expect("help is not an error");
            assert_eq!(code, std::process::ExitCode::SUCCESS, "{} {flag}", c.name);
        }
        assert!(crate::cli::command_help(c).starts_with(&format!("cargo xtask {}", c.name)));
    }
    let lab = crate::cli::COMMANDS
        .iter()
        .find(|c| c.name == "lab")
        .unwrap();
    let text = crate::cli::command_help(lab);
    assert!(
        text.contains("--watch") && text.contains("--timeout SECS"),
        "{text}"
    );
}

/// `story` prints the module's trace from the lab build; on the reference
/// it matches, and the binary's story mode says so.
#[test]
fn story_prints_the_trace_and_how_it_differs() {
    let out = crate::cargo::command()
        .current_dir(crate::root())
        .args([
            "run",
            "--quiet",
            "--profile",
            "lab",
            "-p",
            "xtask",
            "--",
            "story",
            "m31",
            "--solution",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("cargo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("== m31.b.6"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("== m31.b.6") && l.ends_with("· after class")),
        "an after-class story check says so: {text}"
    );
    assert!(
        text.contains("-- the same as the reference trace"),
        "{text}"
    );
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with("1."))
            .count()
            >= 1,
        "{text}"
    );
}

/// Two checkouts of the course that share one `CARGO_TARGET_DIR` (a grader
/// with several classes, a CI cache): each `lab` reports its own learner
/// files, and the tool built last, run from the other checkout after the
/// first is deleted, still finds the course it is run in.
#[test]
fn two_checkouts_sharing_a_target_each_use_their_own_course() {
    if !slow_test("two_checkouts_sharing_a_target_each_use_their_own_course") {
        return;
    }
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("two-checkouts");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let target = base.join("target");
    let (a, b) = (base.join("a"), base.join("b"));
    for ws in [&a, &b] {
        let _ = std::fs::remove_dir_all(ws);
        crate::layout::copy_course(&root, ws).unwrap();
    }
    // In b the learner has written every M31 Part A step of budget.rs.
    std::fs::copy(
        root.join("solutions/m31/budget.rs"),
        b.join("starters/m31/budget.rs"),
    )
    .unwrap();
    let lab = |ws: &Path| {
        let out = crate::cargo::command()
            .current_dir(ws)
            .args(["run", "--quiet", "-p", "xtask", "--", "lab", "m31"])
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1")
            .output()
            .expect("cargo runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let a1 = |report: &str| {
        report
            .lines()
            .find(|l| l.contains("m31.a.1"))
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
    };
    let first_a = lab(&a);
    let first_b = lab(&b);
    let again_a = lab(&a);
    assert_eq!(a1(&first_a).as_deref(), Some("not"), "{first_a}");
    assert_eq!(a1(&first_b).as_deref(), Some("pass"), "{first_b}");
    assert_eq!(a1(&again_a).as_deref(), Some("not"), "{again_a}");

    // The binary cargo left in the shared target, run as a grader would
    // run it (no cargo, so no CARGO_MANIFEST_DIR), from b after a is gone.
    std::fs::remove_dir_all(&a).unwrap();
    let out = Command::new(target.join("debug/xtask"))
        .current_dir(&b)
        .args(["lab", "m31"])
        .env_remove("CARGO_MANIFEST_DIR")
        .env("CARGO_TARGET_DIR", &target)
        .env("NO_COLOR", "1")
        .output()
        .expect("the tool runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        a1(&report).as_deref(),
        Some("pass"),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// Extensions are reported apart: under "after class" in the lab report,
/// outside the core progress and `complete`, and in their own fields of
/// `results.json` and their own column of the gradebook.
#[test]
fn extensions_are_after_class_and_kept_apart_from_the_core() {
    use labkit::check::{CheckInfo, Track};
    let info = |id: &str, part: &str, track: Track, points: u32| CheckInfo {
        id: id.into(),
        part: part.into(),
        step: "s".into(),
        kind: labkit::check::CheckKind::Step,
        title: format!("check {id}"),
        points,
        track,
        minutes: 3,
        hint: "h".into(),
        file: Some("starters/m99/fixture.rs".into()),
        function: Some("fixture".into()),
    };
    let verdict = |outcome| runner::Verdict {
        outcome,
        message: None,
        output: String::new(),
        stall: None,
    };
    let run = |ext_outcome| ModuleRun {
        module: &FIXTURE,
        variant: Variant::Starter,
        checks: vec![
            CheckRun {
                bin: "fixture_checks",
                info: info("m99.a.1", "A", Track::Core, 2),
                verdict: verdict(Outcome::Pass),
            },
            CheckRun {
                bin: "fixture_checks",
                info: info("m99.a.2", "A", Track::AfterClass, 3),
                verdict: verdict(ext_outcome),
            },
            CheckRun {
                bin: "fixture_checks",
                info: info("m99.x.1", "X", Track::AfterClass, 5),
                verdict: verdict(Outcome::NotStarted),
            },
        ],
        compile_error: None,
        warnings: vec![],
    };
    // An extension not started leaves the module complete.
    let todo = run(Outcome::NotStarted);
    assert!(todo.complete());
    assert_eq!((todo.passed(), todo.total(), todo.max_points()), (1, 1, 2));
    let report = check_report::lab_report(&todo, Style::plain());
    assert!(
        report.contains("after class: Part A's extensions (not required)"),
        "{report}"
    );
    assert!(
        report.contains("Progress: core 1/1 checks pass, 2/2 points · after class 0/1 (0/3 points) (optional challenge: 0/5 bonus points)"),
        "{report}"
    );
    // The learner is told the class's part is done before the next
    // (optional) step is named.
    assert!(
        report.contains(
            "Core complete: every step of the class passes. After class (optional):\nNext: m99.a.2"
        ),
        "{report}"
    );
    // A passed extension counts apart: not in points, not in bonus.
    let done = run(Outcome::Pass);
    let r = check_report::results(
        std::slice::from_ref(&done),
        crate::catalog::Integrity::default(),
    );
    let json = serde_json::to_value(&r).expect("results serialise");
    assert_eq!(json["points"], 2);
    assert_eq!(json["max_points"], 2);
    assert_eq!(json["bonus_points"], 0);
    assert_eq!(json["after_class_points"], 3);
    assert_eq!(json["after_class_max_points"], 3);
    assert_eq!(json["modules"][0]["after_class_passed"], 1);
    assert_eq!(json["tests"][0]["track"], "core");
    assert_eq!(json["tests"][1]["track"], "after_class");
    assert_eq!(json["tests"][1]["optional"], true);
    assert_eq!(json["tests"][2]["track"], "after_class");
}

/// Each module's core path, performed by the reference with every
/// extension step left unwritten (a learner who did the class and nothing
/// after it): every core check passes, and every extension's own check is
/// still *not started*, so no core check needs an after-class step.
#[test]
fn the_core_path_passes_without_any_extension() {
    if !slow_test("the_core_path_passes_without_any_extension") {
        return;
    }
    use labkit::check::Track;
    let root = crate::root();
    let catalog = crate::catalog::load(&root).expect("the committed catalogue");
    let checks: Vec<&labkit::check::CheckInfo> = catalog.values().flatten().collect();
    // A step is an extension when all its checks are after class.
    let extension = |step: &str| {
        let own: Vec<_> = checks
            .iter()
            .filter(|c| c.function.as_deref() == Some(step))
            .collect();
        !own.is_empty()
            && own
                .iter()
                .all(|c| c.track == Track::AfterClass || c.part == "X")
    };
    let base = crate::cargo::target_base(&root).join("core-path-test");
    let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
    let ws = base.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    crate::layout::copy_course(&root, &ws).unwrap();
    for (path, _) in crate::starters::generate(&ws).unwrap() {
        let rel = path.strip_prefix("starters").unwrap();
        let solution = ws.join("solutions").join(rel);
        let path = ws.join(&path);
        let source = std::fs::read_to_string(&solution).unwrap();
        let core_done =
            crate::starters::with_steps_done(&solution.display().to_string(), &source, &|step| {
                !extension(step)
            })
            .unwrap();
        std::fs::write(&path, core_done).unwrap();
    }
    let runs = crate::lab::check_every_module(&ws, Variant::Starter).expect("grading runs");
    let mut extensions = 0;
    for r in &runs {
        assert!(
            r.compile_error.is_none(),
            "{}: {:?}",
            r.module.name,
            r.compile_error
        );
        assert!(
            r.complete(),
            "{}: the core path alone is not complete",
            r.module.name
        );
        for c in &r.checks {
            if !c.optional() {
                assert!(c.passed(), "{}: {:?}", c.info.id, c.verdict);
            } else if c.info.function.is_some() {
                extensions += 1;
                assert_eq!(
                    c.verdict.outcome,
                    Outcome::NotStarted,
                    "{}: an extension's check without its step",
                    c.info.id
                );
            }
        }
    }
    assert!(extensions >= 9, "{extensions} extension checks judged");
}

/// The report says a check waits on another module's step from the typed
/// verdict (`Stall::Unwritten`, sealed by the harness), never from words
/// in the message: the same message without it names no other module.
#[test]
fn a_check_waiting_on_another_modules_step_is_told_from_the_verdict() {
    use labkit::check::{CheckInfo, Track};
    use labkit::stall::{Stall, StepRef};
    let m34 = crate::commands::module_arg("m34").expect("a course module");
    let message = "not yet implemented: plan_sync: diff the sources by id\n\
                   this check runs all your steps; the first unwritten one it reached is \
                   `plan_sync` (starters/m33/index/sync.rs:40)";
    let run = |stall: Option<Stall>| ModuleRun {
        module: m34,
        variant: Variant::Starter,
        checks: vec![CheckRun {
            bin: "checks-m34",
            info: CheckInfo {
                id: "m34.a.1".into(),
                part: "A".into(),
                step: "execute_play".into(),
                kind: labkit::check::CheckKind::Step,
                title: "the shift runs".into(),
                points: 2,
                track: Track::Core,
                minutes: 5,
                hint: "h".into(),
                file: Some("starters/m34/play.rs".into()),
                function: Some("execute_play".into()),
            },
            verdict: runner::Verdict {
                outcome: Outcome::NotStarted,
                message: Some(message.into()),
                output: String::new(),
                stall,
            },
        }],
        compile_error: None,
        warnings: vec![],
    };
    let typed = run(Some(Stall::Unwritten {
        step: StepRef {
            function: "plan_sync".into(),
            file: "starters/m33/index/sync.rs".into(),
        },
    }));
    let report = check_report::lab_report(&typed, Style::plain());
    assert!(
        report.contains(
            "Next: m34.a.1 waits on M33's `plan_sync` in starters/m33/index/sync.rs, another module's step, \
             not written yet: finish it (cargo xtask lab m33), or run with --reference-parts"
        ),
        "{report}"
    );
    let untyped = check_report::lab_report(&run(None), Style::plain());
    assert!(!untyped.contains("another module's step"), "{untyped}");
    assert!(
        untyped.contains("Next: m34.a.1 — write `execute_play`"),
        "{untyped}"
    );
}

/// A step with no function of its own (B4, break it on purpose) is named by
/// its heading in the guide, not "see the guide".
#[test]
fn a_next_step_without_a_function_is_named_by_its_guide_heading() {
    use labkit::check::{CheckInfo, CheckKind, Track};
    let m34 = crate::commands::module_arg("m34").expect("a course module");
    let run = ModuleRun {
        module: m34,
        variant: Variant::Starter,
        checks: vec![CheckRun {
            bin: "checks-m34",
            info: CheckInfo {
                id: "m34.b.4".into(),
                part: "B".into(),
                step: "break it on purpose".into(),
                kind: CheckKind::Story,
                title: "each scenario turns exactly its assertions red".into(),
                points: 4,
                track: Track::AfterClass,
                minutes: 9,
                hint: "h".into(),
                file: None,
                function: None,
            },
            verdict: runner::Verdict {
                outcome: Outcome::Fail,
                message: Some("no".into()),
                output: String::new(),
                stall: None,
            },
        }],
        compile_error: None,
        warnings: vec![],
    };
    let report = check_report::lab_report(&run, Style::plain());
    assert!(
        report.contains(
            "Next: m34.b.4 — the guide's step \"break it on purpose\" (labs/m34/README.md)"
        ),
        "{report}"
    );
}

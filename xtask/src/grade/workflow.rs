//! `grade-class.yml` and its roster fetch, tested for what a check could
//! read: no token in any git configuration on the grading machine.
//!
//! Checks get a clean environment, so what they could still find is on
//! disk: the course checkout's `.git/config` (where `actions/checkout`
//! persists the job's token unless told not to), `~/.gitconfig` (where a
//! roster token set with `git config --global` stays until unset), and each
//! clone's `.git/config` (its remote URL). The workflow is read as YAML for
//! the first, and the roster fetch it runs (`.github/scripts/fetch-roster.sh`)
//! is run here, against local repositories, for the others.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml_ng::Value;

const WORKFLOW: &str = ".github/workflows/grade-class.yml";
const FETCH: &str = ".github/scripts/fetch-roster.sh";

fn steps(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(jobs) = doc["jobs"].as_mapping() {
        for (name, job) in jobs {
            let name = name.as_str().unwrap_or("?").to_string();
            for step in job["steps"].as_sequence().into_iter().flatten() {
                out.push((name.clone(), step));
            }
        }
    }
    out
}

#[test]
fn the_workflow_checks_out_without_credentials_and_grades_contained() {
    let root = crate::root();
    let text = std::fs::read_to_string(root.join(WORKFLOW)).expect("the workflow is there");
    let doc: Value = serde_yaml_ng::from_str(&text).expect("the workflow is YAML");
    let all = steps(&doc);
    let checkouts: Vec<&(String, &Value)> = all
        .iter()
        .filter(|(_, s)| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .collect();
    assert_eq!(checkouts.len(), 2, "one checkout per job");
    for (job, step) in checkouts {
        assert_eq!(
            step["with"]["persist-credentials"].as_bool(),
            Some(false),
            "{job}: actions/checkout must not persist the job's token in .git/config"
        );
    }
    let runs: Vec<(&String, &str, &Value)> = all
        .iter()
        .filter_map(|(job, s)| s["run"].as_str().map(|r| (job, r, *s)))
        .collect();
    let grading: Vec<_> = runs
        .iter()
        .filter(|(_, r, _)| r.contains("cargo xtask grade "))
        .collect();
    assert_eq!(grading.len(), 1);
    for (job, run, step) in &runs {
        assert!(!run.contains("--unconfined"), "{job}: grades contained");
        assert!(
            !run.contains("git config"),
            "{job}: no step writes git configuration"
        );
        let env = serde_yaml_ng::to_string(&step["env"]).unwrap_or_default();
        if env.contains("secrets.") {
            assert_eq!(
                run.trim(),
                format!("bash {FETCH} \"$ROSTER\" submissions"),
                "{job}: only the roster fetch sees a secret"
            );
        }
    }
}

/// Runs `git` with a fixed identity and no user or system configuration.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Learner")
        .env("GIT_AUTHOR_EMAIL", "learner@example.invalid")
        .env("GIT_COMMITTER_NAME", "Learner")
        .env("GIT_COMMITTER_EMAIL", "learner@example.invalid")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_holding(dir: &Path, needle: &str, skip: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p == skip {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            out.extend(files_holding(&p, needle, skip));
        } else if meta.is_file() {
            let bytes = std::fs::read(&p).unwrap_or_default();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                out.push(p);
            }
        }
    }
    out
}

/// The roster fetch, run as the workflow runs it: the token reaches git
/// (seen by a `git` wrapper), and afterwards no file a check could read —
/// the home's `.gitconfig`, any clone's `.git/config` — holds it, plain or
/// in the base64 an HTTP header carries; `git config --list` in a clone,
/// as a check would run it, shows neither.
#[test]
fn the_roster_fetch_leaves_no_token_where_a_check_could_read_it() {
    let root = crate::root();
    let base = crate::cargo::target_base(&root).join("roster-fetch");
    let _ = std::fs::remove_dir_all(&base);
    let (home, src, bin, dest) = (
        base.join("home"),
        base.join("src"),
        base.join("bin"),
        base.join("submissions"),
    );
    for d in [&home, &src, &bin] {
        std::fs::create_dir_all(d).unwrap();
    }
    for name in ["alice", "bob"] {
        let repo = src.join(name);
        crate::layout::copy_tree(&root.join("starters/m31"), &repo.join("starters/m31")).unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "work"]);
    }
    // A wrapper that records what each git call was given, then runs git.
    let log = base.join("git-calls.log");
    let real_git = labkit::tools::find("GIT", &["git"]).expect("git is installed");
    std::fs::write(
        bin.join("git"),
        format!(
            "#!/bin/sh\n{{ echo \"args: $*\"; env | grep '^GIT_CONFIG_' | sed 's/^/env: /'; }} >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real_git.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("git"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let roster = base.join("roster.txt");
    std::fs::write(
        &roster,
        format!(
            "# id url\nalice file://{}\n\nbob {}\n../evil file://{}\ncarol file://{}/nobody\n",
            src.join("alice").display(),
            src.join("bob").display(),
            src.join("alice").display(),
            src.display()
        ),
    )
    .unwrap();
    let token = "ghs_rosterTOKEN0123456789";
    let basic = "eC1hY2Nlc3MtdG9rZW46Z2hzX3Jvc3RlclRPS0VOMDEyMzQ1Njc4OQ=="; // x-access-token:<token>
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(root.join(FETCH))
        .arg(&roster)
        .arg(&dest)
        .env_clear()
        .env("PATH", &path)
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TOKEN", token)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("::warning::carol: cannot clone"),
        "{stdout}"
    );
    assert!(stdout.contains("'../evil' is not an id"), "{stdout}");
    assert!(!base.join("evil").exists());
    assert!(dest.join("carol").is_dir());
    for name in ["alice", "bob"] {
        assert!(dest.join(name).join(".git/HEAD").is_file(), "{name} cloned");
    }

    // The token was handed to git, in its environment only.
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls
            .lines()
            .any(|l| l.starts_with("env: GIT_CONFIG_VALUE_0=") && l.contains(basic)),
        "{calls}"
    );
    for l in calls.lines().filter(|l| l.starts_with("args: ")) {
        assert!(
            !l.contains(token) && !l.contains(basic),
            "on a command line: {l}"
        );
    }
    // Nowhere on disk a check could read.
    for needle in [token, basic] {
        let found = files_holding(&base, needle, &log);
        assert!(found.is_empty(), "{needle} left in {found:?}");
    }
    for name in ["alice", "bob"] {
        let out = Command::new(&real_git)
            .current_dir(dest.join(name))
            .args(["config", "--list", "--show-origin"])
            .env_clear()
            .env("HOME", &home)
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(listed.contains("remote.origin.url"), "{listed}");
        assert!(
            !listed.contains(token) && !listed.contains(basic),
            "{listed}"
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}

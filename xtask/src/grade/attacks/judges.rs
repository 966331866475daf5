//! Attacks on what judges, performed: each is one learner file, as a
//! learner would hand it in, graded beside innocent submissions.
//!
//! - **A replaced check binary.** `sli()` (run by the first M31 checks)
//!   renames a script over its own executable. The script reads the run
//!   request from standard input and seals a pass with the key it was just
//!   handed (the protocol is in labkit, which every learner can read), so
//!   every later M31 check it stands in for would pass.
//! - **A write into the course copy.** `sli()` finds the grader's course
//!   copy beside the build and rewrites M31's checks to pass anything; the
//!   next submission's build would compile them.
//! - **The line-continuation trick.** The forged verdict of the first
//!   grading issue, hidden on a line that continues a string literal opened
//!   on the line before, where a line-at-a-time scanner sees only a string.
//!
//! The submissions are graded with checks under a user of their own (the
//! grader is root) and under the grader's own user (what an ordinary user's
//! grading does, with no other containment). In both, every attack earns
//! nothing in M31 and is flagged, and the innocent submissions get exactly
//! the rows they get when graded alone.

use std::path::Path;

use anyhow::{Context, Result};

use crate::grade::learner_files;

const BUDGET: &str = "starters/m31/budget.rs";

/// Put first in `sli`: renames a pass-sealing script over the check binary.
const REPLACE_BINARY: &str = r###"    let script = r#"#!/bin/sh
read -r _magic _version kv _rest
key=${kv#key=}
len8() { printf '\000\000\000\000\000\000\000'; printf "\\$(printf %03o "$1")"; }
mac=$( { printf 'opsloop verdict v1'; len8 ${#2}; printf %s "$2"; len8 4; printf pass; len8 5; printf '\000none'; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -r | cut -d' ' -f1 )
printf '{"outcome":"pass","message":null,"seal":"%s"}' "$mac" > "$LABKIT_RESULT"
"#;
    if let Ok(me) = std::env::current_exe() {
        let fake = me.with_extension("fake");
        let done = std::fs::write(&fake, script).and_then(|_| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755))?;
            std::fs::rename(&fake, &me)
        });
        if let Err(e) = done {
            eprintln!("attack refused: {e}");
        }
    }"###;

/// Put first in `sli`: rewrites M31's checks in the grader's course copy.
const WRITE_COURSE: &str = r###"    let course = std::env::current_exe().ok().and_then(|me| {
        me.ancestors().map(|a| a.join("course")).find(|c| c.join("Cargo.toml").is_file())
    });
    if let Some(course) = course {
        let checks = course.join("crates/incident/src/checks.rs");
        if let Ok(text) = std::fs::read_to_string(&checks) {
            let passing: String = text
                .lines()
                .map(|l| {
                    let t = l.trim_start();
                    if t.starts_with("run: ") && t.ends_with(',') {
                        format!("{}run: || Ok(()),\n", &l[..l.len() - t.len()])
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            if let Err(e) = std::fs::write(&checks, passing) {
                eprintln!("attack refused: {e}");
            }
        }
    }"###;

/// Put first in `sli`: the forged verdict, on a line continuing a string.
const LINE_CONTINUATION: &str = "    let _note = \"see the guide \\
\"; if let Some(p) = std::env::var_os(\"LABKIT_RESULT\") { let _ = std::fs::write(p, r#\"{\"outcome\":\"pass\",\"message\":null}\"#); std::process::exit(0); }";

/// The line of `budget.rs` the hidden code is on, once placed.
pub const HIDDEN_LINE: usize = 17;

/// The attackers, the submissions they are handed in as (id, code, on the
/// reference rather than the starter).
pub const ATTACKERS: &[(&str, &str, bool)] = &[
    ("a1-replaced-binary", REPLACE_BINARY, false),
    ("a2-wrote-course", WRITE_COURSE, true),
    ("a3-line-continuation", LINE_CONTINUATION, false),
];

/// The innocent submissions graded after the attackers.
pub const INNOCENTS: &[&str] = &["b1-reference", "b2-untouched"];

/// Writes the attackers and the innocents into `dir` (emptied first);
/// returns (attackers, innocents) as `cargo xtask grade` takes them.
pub fn build(root: &Path, dir: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let _ = std::fs::remove_dir_all(dir);
    let hand_in = |name: &str| -> Result<std::path::PathBuf> {
        let sub = dir.join(name);
        crate::layout::copy_tree(&root.join("starters"), &sub.join("starters"))?;
        Ok(sub)
    };
    let reference = |file: &str| {
        std::fs::read_to_string(root.join(crate::grade::solution_of(file)))
            .with_context(|| format!("reading the reference of {file}"))
    };
    let mut attackers = Vec::new();
    for (name, code, on_reference) in ATTACKERS {
        let sub = hand_in(name)?;
        let base = if *on_reference {
            reference(BUDGET)?
        } else {
            std::fs::read_to_string(root.join(BUDGET))?
        };
        std::fs::write(
            sub.join(BUDGET),
            crate::grade::corpus::at_start_of(&base, "sli", code),
        )?;
        attackers.push(format!("{name}={}", sub.display()));
    }
    let mut innocents = Vec::new();
    for name in INNOCENTS {
        let sub = hand_in(name)?;
        if name.ends_with("reference") {
            for f in learner_files(root)? {
                std::fs::write(sub.join(&f), reference(&f)?)?;
            }
        }
        innocents.push(format!("{name}={}", sub.display()));
    }
    Ok((attackers, innocents))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::grade::flags::Flag;
    use crate::grade::{self, Batch, Entry, Graded, Status};
    use crate::runner::Limits;

    fn grade_batch(
        root: &Path,
        base: &Path,
        subs: &[String],
        out: &str,
        same_user: bool,
    ) -> Vec<Graded> {
        let here = std::env::current_dir().unwrap_or_default();
        let batch = Batch {
            submissions: subs.iter().map(|e| Entry::parse(e, &here)).collect(),
            rev: None,
            before: None,
            out: base.join(out),
            work: base.join("work"),
            shard: None,
            limits: Limits {
                timeout: Duration::from_secs(4),
                same_user,
                ..Limits::default()
            },
            unconfined: false,
        };
        let _ = std::fs::remove_dir_all(&batch.out);
        grade::run(root, &batch).expect("grading runs to the end")
    }

    fn rows(out: &Path) -> Vec<String> {
        std::fs::read_to_string(out.join("gradebook.csv"))
            .expect("the gradebook is written")
            .lines()
            .map(String::from)
            .collect()
    }

    fn refused(g: &Graded) -> bool {
        g.runs
            .iter()
            .flat_map(|r| &r.checks)
            .any(|c| c.verdict.output.contains("attack refused"))
    }

    #[test]
    fn attacks_on_the_judges_earn_nothing_and_spoil_no_one() {
        let root = crate::root();
        let base = crate::cargo::target_base(&root).join("grade-attacks");
        let _scratch = crate::test_support::scratch::Scratch::build_cache(base.clone());
        let (attackers, innocents) =
            build(&root, &base.join("subs")).expect("the attacks are made");
        let alone = grade_batch(&root, &base, &innocents, "alone", false);
        assert_eq!(
            alone[0].points(),
            alone[0].max_points(),
            "the reference passes"
        );
        let innocent_rows: Vec<String> = rows(&base.join("alone")).into_iter().skip(1).collect();

        let as_root = rustix::process::geteuid().is_root();
        if !as_root {
            assert!(
                !labkit::tools::required(),
                "CI=true: grading with checks under users of their own needs root"
            );
            eprintln!("attacks: the leg with users of their own SKIPPED (not root)");
        }
        // (checks under the grader's own user, out dir)
        let legs: Vec<(bool, &str)> = [(false, "own-users"), (true, "grader-user")]
            .into_iter()
            .filter(|(same, _)| *same || as_root)
            .collect();
        let mut all = attackers.clone();
        all.extend(innocents.iter().cloned());
        for (same_user, out) in legs {
            let graded = grade_batch(&root, &base, &all, out, same_user);
            let by_id = |id: &str| {
                graded
                    .iter()
                    .find(|g| g.id == id)
                    .unwrap_or_else(|| panic!("{out}: no submission {id}"))
            };
            let summary = grade::summary(&graded);
            eprintln!("{out}:\n{summary}");

            // Every other submission's row is what it is when graded alone.
            let got = rows(&base.join(out));
            for row in &innocent_rows {
                assert!(
                    got.contains(row),
                    "{out}: {row} changed:\n{}",
                    got.join("\n")
                );
            }
            // Every output is written.
            for g in &graded {
                for f in ["results.json", "feedback.md"] {
                    assert!(
                        base.join(out).join(&g.id).join(f).is_file(),
                        "{out}: {}/{f}",
                        g.id
                    );
                }
            }
            assert!(base.join(out).join("class.html").is_file());

            // A replaced binary: nothing in M31, and tampered unless the
            // rename itself was refused.
            let g = by_id("a1-replaced-binary");
            assert_eq!(g.module_points("m31"), 0, "{out}:\n{summary}");
            assert!(
                g.status == Status::Tampered || (refused(g) && !same_user),
                "{out}: the replaced binary is tampered:\n{summary}"
            );
            if same_user {
                assert!(
                    g.runs.iter().flat_map(|r| &r.checks).any(|c| c
                        .verdict
                        .message
                        .as_deref()
                        .unwrap_or("")
                        .contains("was changed")),
                    "{out}: a changed binary is named"
                );
            }

            // A write into the course copy: the copy is restored (the
            // untouched starter after it still earns nothing), and the
            // writer earns nothing unless the write was refused.
            let g = by_id("a2-wrote-course");
            if same_user {
                assert_eq!(g.points(), 0, "{out}:\n{summary}");
                assert_eq!(g.status, Status::Tampered);
                assert!(g.flags.iter().any(|f| matches!(
                    f,
                    Flag::WroteCourse { files } if files.iter().any(|x| x == "crates/incident/src/checks.rs")
                )), "{out}: {:?}", g.flags);
            } else {
                assert!(
                    refused(g),
                    "{out}: checks under users of their own cannot write the copy"
                );
            }
            assert!(g.flags.iter().any(|f| matches!(f, Flag::Suspicious { .. })));

            // The line-continuation trick: flagged on the hidden line.
            let g = by_id("a3-line-continuation");
            assert_eq!(g.module_points("m31"), 0, "{out}:\n{summary}");
            assert_eq!(g.status, Status::Tampered);
            assert!(
                g.flags.iter().any(|f| matches!(
                    f,
                    Flag::Suspicious { file, line, .. } if file == BUDGET && *line == HIDDEN_LINE
                )),
                "{out}: {:?}",
                g.flags
            );
            let results: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(base.join(out).join("a1-replaced-binary/results.json"))
                    .unwrap_or_default(),
            )
            .unwrap_or_default();
            assert_eq!(results["version"], 2, "{out}");
        }
    }
}

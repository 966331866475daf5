//! `book` and `report`: the course book and the shift report.
//!
//! Both are drawn by the `pictures` crate, which is deliberately not a
//! default member of the workspace: the learner's `cargo xtask lab` never
//! compiles plotting or the book. These commands build it on demand, in the
//! solution target dir (`$CARGO_TARGET_DIR/solution/`, by default
//! `target/solution/`), where the reference crates
//! usually are already built.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

use crate::cargo::Variant;

/// The mdBook release the course is tested with (`.ci/run` installs it).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Features that draw the reference run.
const REFERENCE: &str = "pictures/reference";

/// Features of the module crates for their API docs (the reference's docs;
/// the public API is the same in both variants).
const DOC_FEATURES: &str = "incident/solution,desk/solution,index-ops/solution,release-ops/solution,capstone/solution,capstone/reference-parts";

const DOC_PACKAGES: [&str; 6] = [
    "labkit",
    "incident",
    "desk",
    "index-ops",
    "release-ops",
    "capstone",
];

fn cargo() -> Command {
    crate::cargo::command()
}

fn find_mdbook() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| {
            d.join(if cfg!(windows) {
                "mdbook.exe"
            } else {
                "mdbook"
            })
        })
        .find(|p| p.is_file())
}

fn ok(status: std::process::ExitStatus, what: &str) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        anyhow::bail!("{what} failed ({status})")
    }
}

/// Runs the `coursebook` binary of the pictures crate with `args`.
fn coursebook(root: &Path, variant: Variant, args: &[&str]) -> Result<std::process::ExitStatus> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["run", "--quiet", "-p", "pictures", "--bin", "coursebook"])
        .arg("--target-dir")
        .arg(variant.target_dir(root));
    if variant == Variant::Solution {
        cmd.args(["--features", REFERENCE]);
    }
    cmd.arg("--").args(args);
    cmd.status().context("cannot run cargo")
}

/// Opens a file in the desktop's browser, if there is one; always says where
/// the file is.
fn open(path: &Path) {
    println!("open {}", path.display());
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = Command::new(opener).arg(path).status() {
        println!("(could not start {opener}: {e})");
    }
}

/// `cargo xtask book [--serve|--open]`: the API docs, the pictures and the
/// guides, built into `target/book/html/`.
pub fn book(root: &Path, serve: bool, open_it: bool) -> Result<ExitCode> {
    let Some(mdbook) = find_mdbook() else {
        println!(
            "mdbook is not installed: cargo install mdbook --locked --version {MDBOOK_VERSION}"
        );
        return Ok(ExitCode::from(2));
    };
    let target = Variant::Solution.target_dir(root);
    let mut doc = cargo();
    doc.current_dir(root)
        .args(["doc", "--quiet", "--no-deps", "--lib"])
        .args(DOC_PACKAGES.iter().flat_map(|p| ["-p", p]))
        .args(["--features", DOC_FEATURES])
        .arg("--target-dir")
        .arg(&target);
    ok(doc.status().context("cannot run cargo doc")?, "cargo doc")?;
    let book_dir = crate::cargo::target_base(root).join("book");
    let api = target.join("doc");
    let (book_s, api_s, mdbook_s) = (
        book_dir.to_string_lossy().into_owned(),
        api.to_string_lossy().into_owned(),
        mdbook.to_string_lossy().into_owned(),
    );
    let status = coursebook(
        root,
        Variant::Solution,
        &["book", &book_s, "--api", &api_s, "--mdbook", &mdbook_s],
    )?;
    ok(status, "building the book")?;
    let index = book_dir.join("html").join("index.html");
    if serve {
        let status = Command::new(&mdbook)
            .arg("serve")
            .arg(&book_dir)
            .args(["--hostname", "127.0.0.1", "--open"])
            .status()
            .context("cannot run mdbook serve")?;
        ok(status, "mdbook serve")?;
    } else if open_it {
        open(&index);
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask report [--mine]`: the shift report, one self-contained HTML
/// file; with `--mine`, the learner's own run drawn beside the reference.
pub fn report(root: &Path, mine: bool) -> Result<ExitCode> {
    let dir = crate::cargo::target_base(root).join("report");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let out = dir.join("shift.html");
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec!["report".to_string(), out_s];
    let mut code = ExitCode::SUCCESS;
    if mine {
        let json = dir.join("yours.json");
        let _ = std::fs::remove_file(&json);
        let json_s = json.to_string_lossy().into_owned();
        let status = coursebook(root, Variant::Starter, &["data", &json_s])?;
        if status.success() && json.exists() {
            args.push("--mine".into());
            args.push(json_s);
        } else {
            println!("your run could not be drawn (see the errors above); the report shows the reference alone");
            code = ExitCode::FAILURE;
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(
        coursebook(root, Variant::Solution, &args)?,
        "writing the report",
    )?;
    Ok(code)
}

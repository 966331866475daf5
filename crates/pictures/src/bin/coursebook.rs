//! `coursebook` — draws the pictures, writes the book's sources and the
//! shift report. `cargo xtask book` and `cargo xtask report` call it; it can
//! also be run by hand:
//!
//! ```text
//! coursebook pictures DIR                 the SVGs of this build's run
//! coursebook data FILE.json               this build's run as data (for report --mine)
//! coursebook book DIR [--api DOCDIR] [--mdbook PATH]
//!                                         the book's sources (with the report) in DIR,
//!                                         built with mdbook when its path is given
//! coursebook report FILE.html [--mine FILE.json]
//! ```
//!
//! Built with `--features reference` it draws the reference run; without,
//! the learner's own.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use pictures::{book, charts, data, html_report};

const USAGE: &str = "usage: coursebook pictures DIR | data FILE.json | book DIR [--api DOCDIR] [--mdbook PATH] | report FILE.html [--mine FILE.json]";

fn label() -> &'static str {
    if cfg!(feature = "reference") {
        "reference"
    } else {
        "your"
    }
}

fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.join("../..")
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn option<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => match args.get(i + 1) {
            Some(v) => Ok(Some(v.as_str())),
            None => bail!("{name} needs a value"),
        },
    }
}

fn run(args: &[String]) -> Result<()> {
    let (Some(cmd), Some(target)) = (args.first(), args.get(1)) else {
        bail!("{USAGE}");
    };
    let target = PathBuf::from(target);
    let rest = &args[2..];
    // A learner's `todo!()` is reported per module, not printed as a crash.
    std::panic::set_hook(Box::new(|_| {}));
    match cmd.as_str() {
        "pictures" => {
            let course = data::course(label());
            for p in charts::all(&course) {
                write(&target.join(p.file), p.svg.as_bytes())?;
                println!("{} ({} bytes)", target.join(p.file).display(), p.svg.len());
            }
        }
        "data" => {
            let course = data::course(label());
            write(&target, serde_json::to_string(&course)?.as_bytes())?;
        }
        "book" => {
            let course = data::course(label());
            let api = option(rest, "--api")?.map(Path::new);
            let pics = charts::all(&course);
            let html = html_report::html(&course, None);
            let extra = [("report.html", html.into_bytes())];
            match option(rest, "--mdbook")? {
                Some(mdbook) => {
                    let (out, w) =
                        book::build(&root(), &target, &pics, api, &extra, Path::new(mdbook))?;
                    println!(
                        "book built: {} pages, {} pictures, {} links into the API docs",
                        w.pages, w.pictures, w.api_links
                    );
                    println!("open {}", out.join("index.html").display());
                }
                None => {
                    let index = api.map(book::ApiIndex::read).transpose()?;
                    let w = book::write_sources(&root(), &target, &pics, index.as_ref(), &extra)?;
                    println!(
                        "book sources in {}: {} pages, {} pictures, {} links into the API docs",
                        target.display(),
                        w.pages,
                        w.pictures,
                        w.api_links
                    );
                }
            }
        }
        "report" => {
            let reference = data::course(label());
            let mine: Option<data::Course> = match option(rest, "--mine")? {
                Some(file) => {
                    let text =
                        std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
                    Some(
                        serde_json::from_str(&text)
                            .with_context(|| format!("reading {file} as a run"))?,
                    )
                }
                None => None,
            };
            write(
                &target,
                html_report::html(&reference, mine.as_ref()).as_bytes(),
            )?;
            println!("report written to {}", target.display());
        }
        other => bail!("unknown command `{other}`; {USAGE}"),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

//! The book and the report, opened in a real browser.
//!
//! Builds the book (mdBook, with the API docs) and the shift report, then
//! has headless Chromium load every page and report what it saw: that the
//! page loaded, that every image rendered (`naturalWidth > 0`), every link.
//! The test then checks every link to a local file: the file exists and,
//! for `#anchor` links, the anchor does too.
//!
//! How the browser is driven without any driver library: a probe page loads
//! each page in an iframe (`--allow-file-access-from-files` lets it read
//! them), writes its findings as JSON into its own DOM, and `--dump-dom`
//! prints that DOM once the virtual time budget has run out.
//!
//! Skips, and says so, when `chromium` or `mdbook` is not installed on a
//! developer's machine. On CI (`CI=true`; `.ci/run` installs both) or with
//! `PICTURES_REQUIRE_BROWSER=1`, a missing tool is a failure instead.
//!
//! The book draws the reference run, so the test needs `--features
//! reference` (which `cargo test --workspace --all-features` turns on);
//! without it, it says so and passes.
#![cfg_attr(not(feature = "reference"), allow(dead_code, unused_imports))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use pictures::{book, charts, data, report};
use serde::Deserialize;

fn root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

#[derive(Debug, Deserialize)]
struct Seen {
    url: String,
    loaded: bool,
    #[serde(default)]
    title: String,
    #[serde(default)]
    images: Vec<(String, bool, u32)>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    error: Option<String>,
}

const PROBE: &str = r#"<!DOCTYPE html>
<html><body><pre id="out">RUNNING</pre>
<script>
const pages = __PAGES__;
const results = [];
let i = 0;
function next() {
  if (i >= pages.length) {
    document.getElementById('out').textContent = 'DONE' + JSON.stringify(results);
    return;
  }
  const url = pages[i++];
  const f = document.createElement('iframe');
  f.width = 1200; f.height = 900;
  let done = false;
  const finish = () => {
    if (done) return; done = true;
    const r = {url: url, loaded: false, title: '', images: [], links: [], ids: []};
    try {
      const d = f.contentDocument;
      r.loaded = !!(d && d.body && d.body.innerText.trim().length > 0);
      r.title = d.title;
      r.images = Array.from(d.images).map(im => [im.currentSrc || im.src, im.complete, im.naturalWidth]);
      r.links = Array.from(d.querySelectorAll('a[href]')).map(a => a.href);
      r.ids = Array.from(d.querySelectorAll('[id]')).map(e => e.id);
    } catch (e) { r.error = String(e); }
    results.push(r);
    f.remove();
    next();
  };
  f.onload = () => setTimeout(finish, 500);
  setTimeout(finish, 8000);
  f.src = url;
  document.body.appendChild(f);
}
next();
</script></body></html>
"#;

fn html_files(dir: &Path, skip: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if skip.contains(&name) {
            continue;
        }
        if p.is_dir() {
            html_files(&p, skip, out);
        } else if name.ends_with(".html") {
            out.push(p);
        }
    }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens `pages` in Chromium through the probe; returns what it saw.
fn browse(chromium: &Path, work: &Path, pages: &[PathBuf]) -> Vec<Seen> {
    let urls: Vec<String> = pages.iter().map(|p| file_url(p)).collect();
    let probe = work.join("probe.html");
    let list = serde_json::to_string(&urls).expect("urls serialise");
    std::fs::write(&probe, PROBE.replace("__PAGES__", &list)).expect("write the probe");
    let profile = work.join(format!("chromium-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let budget = 3_000 + 2_000 * pages.len();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--virtual-time-budget={budget}"))
        .arg("--dump-dom")
        .arg(file_url(&probe))
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&out.stdout);
    let Some(start) = dom.find("DONE") else {
        panic!(
            "the probe did not finish; chromium said:\n{}\n{}",
            dom.chars().take(2000).collect::<String>(),
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(2000)
                .collect::<String>()
        );
    };
    let json = &dom[start + 4..];
    let end = json.find("</pre>").unwrap_or(json.len());
    serde_json::from_str(&unescape(&json[..end])).expect("the probe's JSON parses")
}

/// Every problem found on the pages seen: not loaded, an image that did not
/// render, a local link to a missing file or anchor.
fn problems(seen: &[Seen]) -> (Vec<String>, usize, usize, usize) {
    let ids: BTreeMap<String, BTreeSet<String>> = seen
        .iter()
        .map(|s| (s.url.clone(), s.ids.iter().cloned().collect()))
        .collect();
    let mut bad = Vec::new();
    let (mut images, mut links, mut external) = (0, 0, 0);
    let mut checked_files: BTreeMap<String, Option<String>> = BTreeMap::new();
    for s in seen {
        if !s.loaded {
            bad.push(format!("{}: did not load ({:?})", s.url, s.error));
        }
        // toc.html is mdBook's sidebar fragment (for readers without
        // JavaScript), not a page of its own.
        if s.title.trim().is_empty() && !s.url.ends_with("/toc.html") {
            bad.push(format!("{}: no title", s.url));
        }
        for (src, complete, width) in &s.images {
            images += 1;
            if !complete || *width == 0 {
                bad.push(format!("{}: image {src} did not render", s.url));
            }
        }
        for href in &s.links {
            if !href.starts_with("file://") {
                external += 1;
                continue;
            }
            links += 1;
            let (file, anchor) = match href.split_once('#') {
                Some((f, a)) => (f.to_string(), Some(percent_decode(a))),
                None => (href.clone(), None),
            };
            let file = file.split('?').next().unwrap_or("").to_string();
            let path = PathBuf::from(percent_decode(file.trim_start_matches("file://")));
            let text = checked_files.entry(file.clone()).or_insert_with(|| {
                std::fs::read_to_string(&path)
                    .ok()
                    .or_else(|| path.is_dir().then(String::new))
            });
            let Some(text) = text else {
                bad.push(format!("{}: broken link {href}", s.url));
                continue;
            };
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                let found = match ids.get(&file) {
                    Some(set) => set.contains(&anchor),
                    None => text.contains(&format!("id=\"{anchor}\"")),
                };
                if !found {
                    bad.push(format!("{}: link {href}: no anchor #{anchor}", s.url));
                }
            }
        }
    }
    (bad, images, links, external)
}

#[cfg(not(feature = "reference"))]
#[test]
fn the_book_and_the_report_open_in_a_browser() {
    eprintln!("skipped: the book draws the reference run; run with --features reference (or --all-features)");
}

#[cfg(feature = "reference")]
#[test]
fn the_book_and_the_report_open_in_a_browser() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let Some(mdbook) = book::find_program("MDBOOK", &["mdbook"]) else {
        assert!(
            !browser_required(),
            "mdbook is not installed, and this run requires it (CI or PICTURES_REQUIRE_BROWSER)"
        );
        eprintln!("skipped: mdbook is not installed (cargo install mdbook --locked --version 0.5.4); CI installs it");
        return;
    };
    let root = root();
    let work = root.join("target/pictures-browser-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work dir");

    // The API docs, as `cargo xtask book` makes them (in a target dir of
    // their own: the one running this test is locked).
    let doc_target = root.join("target/pictures-api-docs");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["doc", "--quiet", "--no-deps", "--lib"])
        .args(book::API_PACKAGES.iter().flat_map(|p| ["-p", p]))
        .arg("--target-dir")
        .arg(&doc_target)
        .status()
        .expect("cargo doc runs");
    assert!(status.success(), "cargo doc failed");

    let course = data::course("reference");
    let pics = charts::all(&course);
    let report_html = report::html(&course, None);
    let (html, written) = book::build(
        &root,
        &work.join("book"),
        &pics,
        Some(&doc_target.join("doc")),
        &[("report.html", report_html.clone().into_bytes())],
        &mdbook,
    )
    .expect("the book builds");
    assert!(
        written.api_links >= 40,
        "only {} links into the API docs",
        written.api_links
    );

    // The report on its own, as `cargo xtask report` writes it, and with a
    // second run beside it, as `--mine` does.
    let standalone = work.join("report.html");
    std::fs::write(&standalone, &report_html).expect("write the report");
    let side_by_side = work.join("report-mine.html");
    std::fs::write(
        &side_by_side,
        report::html(&course, Some(&data::course("yours"))),
    )
    .expect("write the report");

    let mut pages = Vec::new();
    // 404.html is for a web server (it links from the site root).
    html_files(&html, &["api", "404.html"], &mut pages);
    pages.push(standalone);
    pages.push(side_by_side);
    let seen = browse(&chromium, &work, &pages);
    assert_eq!(seen.len(), pages.len(), "every page was visited");
    let (bad, images, links, external) = problems(&seen);
    eprintln!(
        "browser: {} pages, {images} images rendered, {links} local links checked, {external} external links not followed",
        seen.len()
    );
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(images >= 2 * pics.len(), "only {images} images seen");
}

#[test]
fn a_broken_image_and_a_broken_link_are_caught() {
    let seen = vec![Seen {
        url: "file:///nowhere/a.html".into(),
        loaded: true,
        title: "a".into(),
        images: vec![("x.svg".into(), true, 0)],
        links: vec![
            "file:///nowhere/missing.html".into(),
            "https://example.org/".into(),
        ],
        ids: vec![],
        error: None,
    }];
    let (bad, images, links, external) = problems(&seen);
    assert_eq!((images, links, external), (1, 1, 1));
    assert_eq!(bad.len(), 2, "{bad:?}");
}

/// The probe itself, in the real browser, on a tiny site with one good
/// image, one missing image, one broken link and one missing anchor: it
/// must report exactly those (so a green book run means something).
#[test]
fn the_browser_probe_sees_a_broken_image_and_a_broken_link() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let work = root().join("target/pictures-browser-probe-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work dir");
    let good = charts::missing("a picture", "drawn for the probe test");
    std::fs::write(work.join("good.svg"), good).expect("write");
    std::fs::write(
        work.join("a.html"),
        "<!DOCTYPE html><html><head><title>a</title></head><body><h1 id=\"top\">a</h1>\
         <img src=\"good.svg\"><img src=\"gone.svg\">\
         <a href=\"b.html#top\">fine</a><a href=\"nowhere.html\">broken</a><a href=\"b.html#nope\">no anchor</a>\
         </body></html>",
    )
    .expect("write");
    std::fs::write(
        work.join("b.html"),
        "<!DOCTYPE html><html><head><title>b</title></head><body><p id=\"top\">b</p><a href=\"a.html\">back</a></body></html>",
    )
    .expect("write");
    let pages = [work.join("a.html"), work.join("b.html")];
    let seen = browse(&chromium, &work, &pages);
    let (bad, images, links, _) = problems(&seen);
    assert_eq!((images, links), (2, 4), "{seen:?}");
    assert_eq!(bad.len(), 3, "{bad:#?}");
    assert!(
        bad.iter().any(|b| b.contains("gone.svg did not render")),
        "{bad:#?}"
    );
    assert!(
        bad.iter()
            .any(|b| b.contains("broken link") && b.contains("nowhere.html")),
        "{bad:#?}"
    );
    assert!(
        bad.iter().any(|b| b.contains("no anchor #nope")),
        "{bad:#?}"
    );
}

/// The browser to test with. Without one the test skips itself, except
/// where a run requires it (CI, or `PICTURES_REQUIRE_BROWSER`): there a
/// missing browser is a failure, never a silent skip.
fn chromium_or_skip() -> Option<std::path::PathBuf> {
    let found = book::find_program(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    if found.is_none() {
        assert!(
            !browser_required(),
            "chromium is not installed, and this run requires it (CI or PICTURES_REQUIRE_BROWSER)"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium); CI installs it");
    }
    found
}

/// CI (or `PICTURES_REQUIRE_BROWSER`) must run the browser tests, not skip them.
fn browser_required() -> bool {
    std::env::var_os("PICTURES_REQUIRE_BROWSER").is_some()
        || std::env::var("CI").is_ok_and(|v| v == "true")
}

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

use pictures::{book, charts, data, html_report};
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

/// Opens `page` in headless Chromium with a profile of its own (`tag`
/// names it) and returns the DOM it ends with, after `budget_ms` of
/// virtual time, and what Chromium said on stderr.
fn dump_dom(
    chromium: &Path,
    work: &Path,
    tag: &str,
    page: &Path,
    window: Option<(u32, u32)>,
    budget_ms: usize,
) -> (String, String) {
    let profile = work.join(format!("chromium-profile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let mut cmd = Command::new(chromium);
    cmd.args([
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
    ]);
    if let Some((w, h)) = window {
        cmd.arg(format!("--window-size={w},{h}"));
    }
    let out = cmd
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--virtual-time-budget={budget_ms}"))
        .arg("--dump-dom")
        .arg(file_url(page))
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Opens `pages` in Chromium through the probe; returns what it saw.
fn browse(chromium: &Path, work: &Path, pages: &[PathBuf]) -> Vec<Seen> {
    let urls: Vec<String> = pages.iter().map(|p| file_url(p)).collect();
    let probe = work.join("probe.html");
    let list = serde_json::to_string(&urls).expect("urls serialise");
    std::fs::write(&probe, PROBE.replace("__PAGES__", &list)).expect("write the probe");
    let budget = 3_000 + 2_000 * pages.len();
    let (dom, stderr) = dump_dom(chromium, work, "pages", &probe, None, budget);
    let Some(start) = dom.find("DONE") else {
        panic!(
            "the probe did not finish; chromium said:\n{}\n{}",
            dom.chars().take(2000).collect::<String>(),
            stderr.chars().take(2000).collect::<String>()
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
    let report_html = html_report::html(&course, None);
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
        html_report::html(&course, Some(&data::course("yours"))),
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

/// What the geometry probe measured in one picture.
#[derive(Debug, Deserialize)]
struct Shape {
    /// The picture (its file name, or `report:<n>` for a figure of the report).
    name: String,
    /// `width x height` of its viewBox.
    size: (f64, f64),
    /// Every `<text>`: its content and box (x, y, width, height) in the
    /// picture's own units.
    texts: Vec<(String, [f64; 4])>,
    /// Drawn elements whose box leaves the viewBox: tag, box.
    outside: Vec<(String, [f64; 4])>,
}

/// Loads each SVG inline (so the browser lays its text out with real font
/// metrics), at its own size, and reports every text box and every drawn
/// element that leaves the viewBox.
const GEOMETRY_PROBE: &str = r#"<!DOCTYPE html>
<html><body style="margin:0"><div id="pics">__SVGS__</div><pre id="out">RUNNING</pre>
<script>
window.onload = () => {
  const out = [];
  for (const holder of document.querySelectorAll('#pics > div')) {
    const svg = holder.querySelector('svg');
    const vb = svg.viewBox.baseVal;
    const origin = svg.getBoundingClientRect();
    // Drawn at its own size: one CSS pixel per user unit.
    const sx = vb.width / origin.width, sy = vb.height / origin.height;
    const box = el => {
      const r = el.getBoundingClientRect();
      return [(r.left - origin.left) * sx, (r.top - origin.top) * sy, r.width * sx, r.height * sy];
    };
    const texts = Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, box(t)]);
    const outside = [];
    for (const el of svg.querySelectorAll('text, rect, line, path, circle, polyline, polygon')) {
      const [x, y, w, h] = box(el);
      if (w === 0 && h === 0) continue;
      const tol = 0.75;
      if (x < -tol || y < -tol || x + w > vb.width + tol || y + h > vb.height + tol) {
        outside.push([el.tagName + (el.textContent ? ' "' + el.textContent + '"' : ''), [x, y, w, h]]);
      }
    }
    out.push({name: holder.dataset.name, size: [vb.width, vb.height], texts: texts, outside: outside});
  }
  document.getElementById('out').textContent = 'DONE' + JSON.stringify(out);
};
</script></body></html>
"#;

/// Two text boxes overlap when they share more than `slack` units both
/// across and down (a line's box includes its descent, so stacked lines
/// may touch).
fn overlaps(a: &[f64; 4], b: &[f64; 4], slack: f64) -> bool {
    let across = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let down = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    across > slack && down > slack
}

/// Every geometry problem of the pictures measured: overlapping text, and
/// anything drawn outside the viewBox.
fn geometry_problems(shapes: &[Shape]) -> Vec<String> {
    let mut bad = Vec::new();
    for s in shapes {
        for (what, b) in &s.outside {
            bad.push(format!(
                "{}: {what} at x {:.1}..{:.1}, y {:.1}..{:.1} leaves the {}x{} viewBox",
                s.name,
                b[0],
                b[0] + b[2],
                b[1],
                b[1] + b[3],
                s.size.0,
                s.size.1
            ));
        }
        for (i, (ta, a)) in s.texts.iter().enumerate() {
            for (tb, b) in &s.texts[i + 1..] {
                if overlaps(a, b, 0.5) {
                    bad.push(format!(
                        "{}: text \"{ta}\" ({:.0},{:.0} {:.0}x{:.0}) overlaps \"{tb}\" ({:.0},{:.0} {:.0}x{:.0})",
                        s.name, a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]
                    ));
                }
            }
        }
    }
    bad
}

/// The width a book page or the report gives a picture.
const FRAME: f64 = 900.0;

/// Appended to the report: for every figure, whether its caption overlaps
/// its picture and whether the picture is wider than the figure.
const REPORT_PROBE: &str = r#"<pre id="geometry-out">RUNNING</pre><script>
window.addEventListener('load', () => {
  const bad = [];
  let n = 0;
  for (const fig of document.querySelectorAll('figure')) {
    n++;
    const img = fig.querySelector('img'), cap = fig.querySelector('figcaption');
    if (!img || !cap) continue;
    const a = img.getBoundingClientRect(), b = cap.getBoundingClientRect(), f = fig.getBoundingClientRect();
    const name = (img.alt || '').slice(0, 40);
    if (Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5 &&
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5) {
      bad.push('figure ' + n + ' (' + name + '): its caption overlaps its picture');
    }
    if (a.width > f.width + 0.5) bad.push('figure ' + n + ' (' + name + '): the picture is wider than its figure');
    if (img.naturalWidth > 0 && Math.abs(a.height / a.width - img.naturalHeight / img.naturalWidth) > 0.01) {
      bad.push('figure ' + n + ' (' + name + '): the picture is squashed');
    }
  }
  document.getElementById('geometry-out').textContent = 'DONE' + JSON.stringify({figures: n, bad: bad});
});
</script>"#;

#[derive(Debug, Deserialize)]
struct ReportGeometry {
    figures: usize,
    bad: Vec<String>,
}

/// Opens the report (with the probe appended) at `width` CSS pixels.
fn measure_report(chromium: &Path, work: &Path, html: &str, width: u32) -> ReportGeometry {
    let page = work.join(format!("report-{width}.html"));
    let probed = html.replace("</body>", &format!("{REPORT_PROBE}</body>"));
    std::fs::write(&page, probed).expect("write the report");
    let (dom, _) = dump_dom(
        chromium,
        work,
        &format!("report-{width}"),
        &page,
        Some((width, 900)),
        5000,
    );
    let marker = "id=\"geometry-out\">DONE";
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("the report probe did not finish at {width} px"));
    let json = &dom[start + marker.len()..];
    let end = json.find("</pre>").unwrap_or(json.len());
    serde_json::from_str(&unescape(&json[..end])).expect("the probe's JSON parses")
}

/// Measures `svgs` (name, document) in Chromium.
fn measure(chromium: &Path, work: &Path, svgs: &[(String, String)]) -> Vec<Shape> {
    let holders: String = svgs
        .iter()
        .map(|(name, svg)| format!("<div data-name=\"{name}\">{svg}</div>"))
        .collect();
    let probe = work.join("geometry.html");
    std::fs::write(&probe, GEOMETRY_PROBE.replace("__SVGS__", &holders)).expect("write the probe");
    let (dom, stderr) = dump_dom(chromium, work, "geometry", &probe, Some((1400, 900)), 5000);
    let Some(start) = dom.find("DONE") else {
        panic!(
            "the geometry probe did not finish; chromium said:\n{}",
            stderr.chars().take(2000).collect::<String>()
        );
    };
    let json = &dom[start + 4..];
    let end = json.find("</pre>").unwrap_or(json.len());
    serde_json::from_str(&unescape(&json[..end])).expect("the probe's JSON parses")
}

/// Every picture of the reference run, laid out by a real browser: no two
/// text boxes overlap, and nothing is drawn outside the picture's viewBox
/// (where a book page or the report would cut it off).
#[cfg(feature = "reference")]
#[test]
fn no_picture_has_overlapping_text_or_anything_outside_its_frame() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let work = root().join("target/pictures-geometry-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work dir");
    let course = data::course("reference");
    let svgs: Vec<(String, String)> = charts::all(&course)
        .into_iter()
        .map(|p| (p.file.to_string(), p.svg))
        .collect();
    let shapes = measure(&chromium, &work, &svgs);
    assert_eq!(shapes.len(), svgs.len(), "every picture was measured");
    let texts: usize = shapes.iter().map(|s| s.texts.len()).sum();
    assert!(texts > 50, "only {texts} text boxes measured");
    let mut bad = geometry_problems(&shapes);
    for s in &shapes {
        if s.size.0 > FRAME {
            bad.push(format!(
                "{}: {} wide, more than the {FRAME} a page gives a picture (its right side is cut off)",
                s.name, s.size.0
            ));
        }
    }
    // The report as a reader sees it, on a wide screen and a laptop's.
    let html = html_report::html(&course, None);
    let mut figures = 0;
    for width in [1900, 1000] {
        let r = measure_report(&chromium, &work, &html, width);
        figures = r.figures;
        bad.extend(
            r.bad
                .into_iter()
                .map(|b| format!("report at {width} px: {b}")),
        );
    }
    assert_eq!(figures, svgs.len(), "the report shows every picture");
    eprintln!(
        "geometry: {} pictures, {texts} text boxes measured, report figures measured at 1900 and 1000 px, {} problems",
        shapes.len(),
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// The geometry probe itself, in the real browser, on pictures built to
/// fail: two labels on top of each other and one drawn past the right edge.
#[test]
fn the_geometry_probe_sees_overlapping_labels_and_a_label_past_the_edge() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let work = root().join("target/pictures-geometry-probe-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work dir");
    let head = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-family="sans-serif">"#;
    let svgs = vec![
        (
            "clean.svg".to_string(),
            format!(
                r#"{head}<text x="10" y="20" font-size="12">left</text><text x="10" y="60" font-size="12">apart</text></svg>"#
            ),
        ),
        (
            "broken.svg".to_string(),
            format!(
                r#"{head}<text x="10" y="20" font-size="12">page +00:42</text><text x="20" y="22" font-size="12">rollback</text><text x="170" y="60" font-size="12">recovered</text></svg>"#
            ),
        ),
    ];
    let shapes = measure(&chromium, &work, &svgs);
    let bad = geometry_problems(&shapes);
    assert_eq!(bad.len(), 2, "{bad:#?}");
    assert!(bad.iter().all(|b| b.starts_with("broken.svg")), "{bad:#?}");
    assert!(bad.iter().any(|b| b.contains("overlaps")), "{bad:#?}");
    assert!(
        bad.iter()
            .any(|b| b.contains("recovered") && b.contains("leaves")),
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
    std::env::var_os("PICTURES_REQUIRE_BROWSER").is_some() || labkit::tools::required()
}

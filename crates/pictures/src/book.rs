//! Assembling the course book's sources.
//!
//! The book is an mdBook. Its pages come from three places, and
//! [`write_sources`] puts them together in a build directory (under
//! `target/`, never committed):
//!
//! - `book/` (committed): `book.toml`, `SUMMARY.md`, the introduction and one
//!   "in pictures" page per module;
//! - `labs/<m>/` (committed, owned by the modules): each module's guide,
//!   notes and glossary, copied as they are, except that blocks without a
//!   language are marked `text` ([`crate::markdown`]) and names of functions
//!   and types in the steps become links into the API docs ([`ApiIndex`]);
//! - the pictures, drawn by [`crate::charts`] from the reference run.
//!
//! [`build`] then copies the API docs (`cargo doc` output) to `src/api/` and
//! runs `mdbook build`; `cargo xtask book` does all of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::charts::Picture;

/// The modules, their chapter title and the crates their steps name.
pub const MODULES: [(&str, &[&str]); 4] = [
    ("m31", &["incident"]),
    ("m32", &["desk"]),
    ("m33", &["index_ops", "release_ops"]),
    ("m34", &["capstone", "incident", "release_ops"]),
];

/// The crates documented under `api/`, as `cargo doc -p` names them.
pub const API_PACKAGES: [&str; 6] = [
    "labkit",
    "incident",
    "desk",
    "index-ops",
    "release-ops",
    "capstone",
];

/// Where the API pages are: for each crate, item name → pages (relative to
/// the doc root, shallowest first), read from a `cargo doc` output folder.
#[derive(Debug, Clone, Default)]
pub struct ApiIndex {
    root: PathBuf,
    items: BTreeMap<(String, String), Vec<String>>,
}

impl ApiIndex {
    /// Reads the item pages (`fn.x.html`, `struct.X.html`, …) of each crate
    /// documented in `doc_root`. A crate missing there simply has no links.
    pub fn read(doc_root: &Path) -> Result<Self> {
        let mut items: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for krate in API_PACKAGES.iter().map(|p| p.replace('-', "_")) {
            let dir = doc_root.join(&krate);
            if !dir.is_dir() {
                continue;
            }
            let mut stack = vec![dir];
            while let Some(d) = stack.pop() {
                let entries =
                    fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))?;
                for e in entries {
                    let p = e?.path();
                    if p.is_dir() {
                        stack.push(p);
                        continue;
                    }
                    let Some(file) = p.file_name().and_then(|f| f.to_str()) else {
                        continue;
                    };
                    let Some(stem) = file.strip_suffix(".html") else {
                        continue;
                    };
                    let Some((kind, name)) = stem.split_once('.') else {
                        continue;
                    };
                    if !["fn", "struct", "enum", "trait", "macro", "type", "constant"]
                        .contains(&kind)
                    {
                        continue;
                    }
                    let rel = p
                        .strip_prefix(doc_root)
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    items
                        .entry((krate.clone(), name.to_string()))
                        .or_default()
                        .push(rel);
                }
            }
        }
        for pages in items.values_mut() {
            pages.sort_by_key(|p| (p.matches('/').count(), p.clone()));
        }
        Ok(ApiIndex {
            root: doc_root.to_path_buf(),
            items,
        })
    }

    /// How many item pages were found.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when no API docs were found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The page (and anchor) for a code span such as `Counts::sli`,
    /// `burn_rate(error_ratio, &slo)` or `desk::correlate`, looked up in
    /// `crates` in order; `None` when the span names nothing documented.
    pub fn resolve(&self, span: &str, crates: &[&str]) -> Option<String> {
        let path = span.split('(').next()?.trim();
        if path.is_empty()
            || !path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            return None;
        }
        let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut search: Vec<String> = crates.iter().map(|c| c.to_string()).collect();
        if segs.len() > 1 && API_PACKAGES.iter().any(|p| p.replace('-', "_") == segs[0]) {
            search = vec![segs[0].to_string()];
            segs.remove(0);
        }
        let (owner, member) = match segs.as_slice() {
            [] => return None,
            [one] => (*one, None),
            [.., a, b] => (*a, Some(*b)),
        };
        for krate in &search {
            let Some(pages) = self.items.get(&(krate.clone(), owner.to_string())) else {
                continue;
            };
            let page = pages.first()?;
            let Some(member) = member else {
                return Some(page.clone());
            };
            let html = fs::read_to_string(self.root.join(page)).ok()?;
            for kind in [
                "method",
                "variant",
                "associatedconstant",
                "structfield",
                "tymethod",
            ] {
                let id = format!("{kind}.{member}");
                if html.contains(&format!("id=\"{id}\"")) {
                    return Some(format!("{page}#{id}"));
                }
            }
        }
        None
    }
}

/// Turns inline code spans that name a documented item into links to it.
/// `prefix` leads from the page to the API root (`../api/`). Code blocks
/// and spans already inside a link are left alone. Returns the new text and
/// the number of links made.
pub fn link_api(md: &str, api: &ApiIndex, crates: &[&str], prefix: &str) -> (String, usize) {
    let mut out = String::with_capacity(md.len());
    let mut links = 0;
    let mut fence = false;
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if fence || t.starts_with("```") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find('`') {
            let (before, after) = rest.split_at(i);
            let Some(j) = after[1..].find('`') else {
                break;
            };
            let span = &after[1..1 + j];
            let tail = &after[2 + j..];
            out.push_str(before);
            let in_link = before.ends_with('[') || tail.starts_with("](");
            match api.resolve(span, crates).filter(|_| !in_link) {
                Some(target) => {
                    out.push_str(&format!("[`{span}`]({prefix}{target})"));
                    links += 1;
                }
                None => {
                    out.push('`');
                    out.push_str(span);
                    out.push('`');
                }
            }
            rest = tail;
        }
        out.push_str(rest);
        out.push('\n');
    }
    (out, links)
}

/// What [`write_sources`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Pages written (Markdown).
    pub pages: usize,
    /// Pictures written.
    pub pictures: usize,
    /// Links into the API docs.
    pub api_links: usize,
    /// Blocks marked `text`, per guide file (`m33/guide.md` → 1).
    pub marked: Vec<(String, usize)>,
}

/// Writes the book's sources to `book_dir` (its `book.toml` and `src/`),
/// from the workspace at `root`, with `pictures` and (when given) links into
/// the API docs. `extra` files (name, bytes) go to `src/` as they are: the
/// report is one.
pub fn write_sources(
    root: &Path,
    book_dir: &Path,
    pictures: &[Picture],
    api: Option<&ApiIndex>,
    extra: &[(&str, Vec<u8>)],
) -> Result<Written> {
    let src = book_dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).with_context(|| format!("clearing {}", src.display()))?;
    }
    fs::create_dir_all(src.join("pictures"))
        .with_context(|| format!("creating {}", src.display()))?;
    let book = root.join("book");
    let copy = |from: &Path, to: &Path| -> Result<()> {
        fs::copy(from, to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
        Ok(())
    };
    copy(&book.join("book.toml"), &book_dir.join("book.toml"))?;
    let mut w = Written::default();
    for page in ["SUMMARY.md", "intro.md", "shift-report.md"] {
        let text = read(&book.join(page))?;
        fs::write(src.join(page), crate::markdown::normalise(&text).0)?;
        w.pages += 1;
    }
    for (m, crates) in MODULES {
        let dir = src.join(m);
        fs::create_dir_all(&dir)?;
        let pages = [
            (root.join(format!("labs/{m}/README.md")), "guide.md"),
            (root.join(format!("labs/{m}/notes.md")), "notes.md"),
            (root.join(format!("labs/{m}/glossary.md")), "glossary.md"),
            (book.join(format!("{m}-pictures.md")), "pictures.md"),
        ];
        for (from, to) in pages {
            let text = read(&from)?;
            // The guides call their notes `notes.md` and their own file
            // README.md; in the book the guide is guide.md.
            let text = text.replace("](README.md", "](guide.md");
            let (mut text, marked) = crate::markdown::normalise(&text);
            if marked > 0 {
                w.marked.push((format!("{m}/{to}"), marked));
            }
            if let Some(api) = api {
                let (t, n) = link_api(&text, api, crates, "../api/");
                text = t;
                w.api_links += n;
            }
            if to == "guide.md" {
                text.push_str(&pictures_section(m, pictures));
            }
            fs::write(dir.join(to), text)?;
            w.pages += 1;
        }
    }
    for p in pictures {
        fs::write(src.join("pictures").join(p.file), &p.svg)?;
        w.pictures += 1;
    }
    for (name, bytes) in extra {
        fs::write(src.join(name), bytes)?;
    }
    Ok(w)
}

fn read(p: &Path) -> Result<String> {
    fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
}

/// The "Pictures" section appended to a module's guide.
fn pictures_section(module: &str, pictures: &[Picture]) -> String {
    let mine: Vec<&Picture> = pictures.iter().filter(|p| p.module == module).collect();
    if mine.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n## Pictures of the reference run\n\nDrawn from the same seeded run as the reference trace; \
         [how to read them](pictures.md).\n\n",
    );
    for p in mine {
        s.push_str(&format!(
            "![{}](../pictures/{})\n\n*{}*\n\n",
            p.caption, p.file, p.caption
        ));
    }
    s
}

/// Copies a directory tree (the API docs into the built book).
pub fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut n = 0;
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for e in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let e = e?;
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            n += copy_tree(&p, &target)?;
        } else {
            fs::copy(&p, &target).with_context(|| format!("copying {}", p.display()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Finds a program on `PATH` (the first of `names` found), or at the path an
/// environment variable `env` names.
pub fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
    {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Builds the whole book: writes the sources to `book_dir`, copies the API
/// docs (a `cargo doc` output folder) to `src/api/`, and runs `mdbook build`
/// there. Returns the HTML folder (`book_dir/html`).
pub fn build(
    root: &Path,
    book_dir: &Path,
    pictures: &[Picture],
    api_docs: Option<&Path>,
    extra: &[(&str, Vec<u8>)],
    mdbook: &Path,
) -> Result<(PathBuf, Written)> {
    let api = api_docs.map(ApiIndex::read).transpose()?;
    let written = write_sources(root, book_dir, pictures, api.as_ref(), extra)?;
    if let Some(docs) = api_docs {
        // Inside src/, mdBook copies the API docs to the output as they are,
        // so `mdbook serve` on the same folder keeps them too.
        copy_tree(docs, &book_dir.join("src").join("api"))?;
    }
    let out = std::process::Command::new(mdbook)
        .arg("build")
        .arg(book_dir)
        .output()
        .with_context(|| format!("running {}", mdbook.display()))?;
    if !out.status.success() {
        anyhow::bail!(
            "mdbook build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok((book_dir.join("html"), written))
}

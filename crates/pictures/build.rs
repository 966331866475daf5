//! Prepares the lab guides and the book's own pages for the doc tests of
//! `src/guides.rs`: blocks without a language are marked `text` (see
//! `src/markdown.rs`), and without the `reference` feature every ```rust
//! block becomes ```rust,no_run — still compiled against the real crates,
//! but not run on the learner's unfinished starters.

#[path = "src/markdown.rs"]
#[allow(dead_code)]
mod markdown;

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("../..");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let reference = std::env::var_os("CARGO_FEATURE_REFERENCE").is_some();
    let mut files = Vec::new();
    for m in ["m31", "m32", "m33", "m34"] {
        for f in ["README", "notes", "glossary"] {
            files.push((root.join(format!("labs/{m}/{f}.md")), format!("{m}-{f}.md")));
        }
        files.push((
            root.join(format!("book/{m}-pictures.md")),
            format!("{m}-pictures.md"),
        ));
    }
    files.push((root.join("book/intro.md"), "intro.md".to_string()));
    for (src, name) in files {
        println!("cargo:rerun-if-changed={}", src.display());
        // A missing file becomes an empty page here; the book build reports it.
        let text = std::fs::read_to_string(&src).unwrap_or_default();
        let (mut text, _) = markdown::normalise(&text);
        if !reference {
            text = text.replace("```rust\n", "```rust,no_run\n");
        }
        if let Err(e) = std::fs::write(Path::new(&out).join(&name), text) {
            println!("cargo:warning=cannot write {name}: {e}");
        }
    }
}

//! The lab guides and the book's pages, as doc tests.
//!
//! Each module below holds one page of the book as its documentation, so
//! `cargo test --doc -p pictures` compiles every ```rust block of every
//! guide against the real crates (and, with `--features reference`, runs
//! it on the reference solutions). A sample in the book cannot drift from
//! the API: if a function is renamed, the book's test fails.
//!
//! The build script marks blocks without a language as `text` first, so
//! shell commands in the guides are shown, not compiled.

macro_rules! page {
    ($name:ident, $file:literal) => {
        #[doc = include_str!(concat!(env!("OUT_DIR"), "/", $file))]
        pub mod $name {}
    };
}

page!(intro, "intro.md");
page!(m31_guide, "m31-README.md");
page!(m31_notes, "m31-notes.md");
page!(m31_glossary, "m31-glossary.md");
page!(m31_pictures, "m31-pictures.md");
page!(m32_guide, "m32-README.md");
page!(m32_notes, "m32-notes.md");
page!(m32_glossary, "m32-glossary.md");
page!(m32_pictures, "m32-pictures.md");
page!(m33_guide, "m33-README.md");
page!(m33_notes, "m33-notes.md");
page!(m33_glossary, "m33-glossary.md");
page!(m33_pictures, "m33-pictures.md");
page!(m34_guide, "m34-README.md");
page!(m34_notes, "m34-notes.md");
page!(m34_glossary, "m34-glossary.md");
page!(m34_pictures, "m34-pictures.md");

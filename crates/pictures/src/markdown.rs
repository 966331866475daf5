//! Markdown clean-up shared by the book and the doc tests.
//!
//! The lab guides are written for GitHub and editors, where a bare ` ``` `
//! fence or a 4-space indented block is just "some text". Two readers take
//! them more strictly: rustdoc compiles every block without a language as
//! Rust, and mdBook highlights it as Rust. [`normalise`] marks those blocks
//! `text` and leaves every block that names a language alone, so a ` ```rust `
//! block is still compiled by `cargo test --doc -p pictures`.
//!
//! This file is also compiled into the crate's build script (`build.rs`),
//! which is why it depends on nothing but `std`.

/// Marks fenced blocks without a language, and indented code blocks, as
/// `text`; returns the new text and how many blocks it marked.
pub fn normalise(md: &str) -> (String, usize) {
    let mut out = String::with_capacity(md.len() + 64);
    let mut marked = 0;
    let mut in_fence: Option<String> = None;
    let mut in_indented = false;
    let mut prev_blank = true;
    let mut prev_list = false;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            out.push_str(line);
            out.push('\n');
            if closes(fence, trimmed) {
                in_fence = None;
            }
            prev_blank = false;
            continue;
        }
        if in_indented {
            if line.starts_with("    ") || line.trim().is_empty() {
                if line.trim().is_empty() {
                    // A blank line may end the block: close it and re-open if
                    // the next line is still indented (rare in the guides).
                    out.push_str("```\n\n");
                    in_indented = false;
                    prev_blank = true;
                    continue;
                }
                out.push_str(&line[4..]);
                out.push('\n');
                continue;
            }
            out.push_str("```\n");
            in_indented = false;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let info = trimmed[fence.len()..].trim();
            let indent = &line[..line.len() - trimmed.len()];
            if info.is_empty() {
                out.push_str(&format!("{indent}{fence}text\n"));
                marked += 1;
            } else {
                out.push_str(line);
                out.push('\n');
            }
            in_fence = Some(fence);
            prev_blank = false;
            continue;
        }
        if line.starts_with("    ") && prev_blank && !prev_list && !line.trim().is_empty() {
            out.push_str("```text\n");
            out.push_str(&line[4..]);
            out.push('\n');
            in_indented = true;
            marked += 1;
            continue;
        }
        let is_blank = line.trim().is_empty();
        if !is_blank {
            let t = trimmed;
            prev_list = t.starts_with("- ")
                || t.starts_with("* ")
                || t.split_once(". ")
                    .is_some_and(|(a, _)| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()))
                || (prev_list && line.starts_with("  "));
        }
        prev_blank = is_blank;
        out.push_str(line);
        out.push('\n');
    }
    if in_indented {
        out.push_str("```\n");
    }
    (out, marked)
}

/// Whether `line` (without its indentation) closes a block opened by
/// `fence`: CommonMark allows a closing fence of the same character that is
/// at least as long, with nothing after it but spaces.
fn closes(fence: &str, line: &str) -> bool {
    let Some(c) = fence.chars().next() else {
        return false;
    };
    let line = line.trim_end();
    line.len() >= fence.len() && line.chars().all(|x| x == c)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn bare_fences_become_text_and_named_ones_stay() {
        let (out, n) = normalise("a\n\n```\ncargo x\n```\n\n```rust\nlet x = 1;\n```\n");
        assert_eq!(n, 1);
        assert!(out.contains("```text\ncargo x\n```"));
        assert!(out.contains("```rust\nlet x = 1;\n```"));
    }

    #[test]
    fn indented_blocks_are_fenced() {
        let (out, n) = normalise("text:\n\n    burn = a / b\n\nmore\n");
        assert_eq!(n, 1);
        assert_eq!(out, "text:\n\n```text\nburn = a / b\n```\n\nmore\n");
    }

    #[test]
    fn a_longer_closing_fence_closes_the_block() {
        // As in CommonMark: the block ends at the longer fence, so the bare
        // block after it is still found.
        let (out, n) = normalise("```rust\nlet x = 1;\n````\n\n```\ncargo x\n```\n");
        assert_eq!(n, 1);
        assert!(out.ends_with("```text\ncargo x\n```\n"));
        // A fence of the other character does not close it.
        let (_, n) = normalise("~~~rust\nlet x = 1;\n```\n~~~\n");
        assert_eq!(n, 0);
    }

    #[test]
    fn list_continuations_are_not_code() {
        let (out, n) = normalise("- item\n\n    still the item\n");
        assert_eq!(n, 0);
        assert_eq!(out, "- item\n\n    still the item\n");
    }
}

//! A small line diff, for showing a learner how their trace differs from the
//! reference one.
//!
//! Why not `similar`: on our traces it prints the same diff, and against a
//! runaway learner trace (100,000 lines, nothing in common with a short
//! reference) its Myers algorithm runs past the check's time limit where
//! this table takes a tenth of a second. The measurements are in
//! `docs/authoring.md`, "Hand-written or a crate".

/// A unified-style diff of two texts, line by line: `-` lines are only in
/// `expected`, `+` lines only in `actual`, and up to `context` unchanged lines
/// are shown around each change. Returns an empty string when they are equal.
pub fn diff_lines(expected: &str, actual: &str, context: usize) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    if a == b {
        return String::new();
    }
    // Longest common subsequence table; traces are short (hundreds of lines),
    // so the quadratic table is cheap and the result is the minimal diff.
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let changed: Vec<bool> = ops.iter().map(|(k, _)| *k != ' ').collect();
    let near = |idx: usize| {
        let lo = idx.saturating_sub(context);
        let hi = (idx + context).min(ops.len() - 1);
        changed[lo..=hi].iter().any(|c| *c)
    };
    let mut out = String::from("--- expected\n+++ yours\n");
    let mut skipped = false;
    for (idx, (kind, line)) in ops.iter().enumerate() {
        if near(idx) {
            if skipped {
                out.push_str("  …\n");
                skipped = false;
            }
            out.push(*kind);
            out.push(' ');
            out.push_str(line);
            out.push('\n');
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push_str("  …\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff_lines("a\nb\n", "a\nb\n", 2), "");
    }

    #[test]
    fn shows_changed_lines_with_context() {
        let d = diff_lines("1\n2\n3\n4\n5\n6\n7\n", "1\n2\n3\nfour\n5\n6\n7\n", 1);
        assert_eq!(
            d,
            "--- expected\n+++ yours\n  …\n  3\n- 4\n+ four\n  5\n  …\n"
        );
    }

    #[test]
    fn additions_and_removals() {
        let d = diff_lines("a\nb\n", "a\nb\nc\n", 3);
        assert!(d.contains("+ c"));
        let d = diff_lines("a\nb\nc\n", "a\nc\n", 3);
        assert!(d.contains("- b"));
    }
}

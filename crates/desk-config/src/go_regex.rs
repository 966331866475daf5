//! Go's RE2 dialect, said in Rust's `regex` syntax.
//!
//! Alertmanager compiles a matcher's pattern with Go's `regexp`. Most of the
//! syntax means the same in both engines, with one trap that changes which
//! alerts a rule mutes: Go's Perl classes are **ASCII**. `\w` is
//! `[0-9A-Za-z_]`, `\d` is `[0-9]`, `\s` is `[\t\n\f\r ]` (no vertical tab),
//! and `\b` is a boundary between those word characters and anything else.
//! Rust's `regex` makes them Unicode by default, so `team=~"\w+"` would
//! match `café` here and not in Alertmanager.
//!
//! [`translate`] rewrites a pattern so that Rust reads what Go reads: each
//! Perl class becomes its explicit ASCII set (inside or outside brackets),
//! `\b`/`\B` become Rust's ASCII boundaries `(?-u:\b)`/`(?-u:\B)`, RE2's
//! `\Q…\E` literal text is escaped, and inside brackets the characters Rust
//! would read as nesting or set operations (`[`, `&`, `~`) are escaped, as Go
//! takes them literally. Everything else (`.`, `\pL`, `(?i)`, `[[:alpha:]]`)
//! already means the same and is copied. The whole pattern stays a Unicode
//! regex, so it only ever matches whole UTF-8 characters.

/// Go's `\d`, as a bracket body.
const DIGIT: &str = "0-9";
/// Go's `\w`, as a bracket body.
const WORD: &str = "0-9A-Za-z_";
/// Go's `\s`, as a bracket body: tab, newline, form feed, carriage return,
/// space.
const SPACE: &str = r"\t\n\x0C\r ";

/// The ASCII set a Perl class escape stands for, and whether it is negated.
fn perl_class(c: char) -> Option<(&'static str, bool)> {
    match c {
        'd' => Some((DIGIT, false)),
        'D' => Some((DIGIT, true)),
        'w' => Some((WORD, false)),
        'W' => Some((WORD, true)),
        's' => Some((SPACE, false)),
        'S' => Some((SPACE, true)),
        _ => None,
    }
}

/// Rewrites a Go RE2 pattern into Rust `regex` syntax with the same meaning
/// (see the module documentation). Syntax errors are left for the Rust
/// engine to report.
pub fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    // Inside `[...]`: Go does not nest brackets.
    let mut in_class = false;
    // Just after `[` or `[^`, where `]` is a literal.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_start = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match (perl_class(n), in_class) {
                    (Some((set, false)), false) => out.push_str(&format!("[{set}]")),
                    (Some((set, true)), false) => out.push_str(&format!("[^{set}]")),
                    (Some((set, false)), true) => out.push_str(set),
                    (Some((set, true)), true) => out.push_str(&format!("[^{set}]")),
                    (None, _) if !in_class && (n == 'b' || n == 'B') => {
                        out.push_str(&format!("(?-u:\\{n})"));
                    }
                    (None, _) if !in_class && n == 'Q' => {
                        // Literal text up to `\E` or the end.
                        let mut literal = String::new();
                        while let Some(q) = chars.next() {
                            if q == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            literal.push(q);
                        }
                        out.push_str(&regex::escape(&literal));
                    }
                    (None, _) => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                class_start = true;
            }
            '[' if chars.peek() == Some(&':') => {
                // `[:alpha:]` inside brackets: copied up to its `:]`.
                out.push('[');
                for n in chars.by_ref() {
                    out.push(n);
                    if n == ']' {
                        break;
                    }
                }
            }
            ']' if in_class && at_start => out.push_str(r"\]"),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn perl_classes_become_ascii_sets() {
        assert_eq!(translate(r"\w+"), "[0-9A-Za-z_]+");
        assert_eq!(translate(r"[\d.]"), "[0-9.]");
        assert_eq!(translate(r"[^\S]"), r"[^[^\t\n\x0C\r ]]");
        assert_eq!(translate(r"a\bb"), r"a(?-u:\b)b");
        assert_eq!(translate(r"\\w"), r"\\w", "an escaped backslash");
        assert_eq!(translate(r"\Q.*\E+"), r"\.\*+");
        assert_eq!(translate(r"[]a]"), r"[\]a]");
        assert_eq!(translate(r"[a&&b~~[]"), r"[a\&\&b\~\~\[]");
        assert_eq!(translate(r"[[:alpha:]]"), "[[:alpha:]]");
    }

    #[test]
    fn every_translation_compiles_as_a_unicode_regex() {
        for p in [r"\w", r"\B", r"(?i)\w", r"[\W\s]", r"\pL.", r"[^\D]"] {
            let t = translate(p);
            assert!(
                regex::Regex::new(&format!("^(?:{t})$")).is_ok(),
                "{p} -> {t}"
            );
        }
    }
}

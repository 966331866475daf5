//! A learner file read the way the compiler reads it: whole, by a real Rust
//! lexer (`proc-macro2`'s, with the line each token starts on).
//!
//! A scanner that reads one line at a time has to guess where every line
//! starts: inside a string literal opened on the line before, inside a
//! block comment, inside a raw string. Each wrong guess is a place to hide
//! code, as in
//!
//! ```text
//! let note = "a long note \
//! "; std::process::exit(0);
//! ```
//!
//! where the second line looks like the start of a string to a line
//! scanner but is code to the compiler. Lexing the whole file never
//! guesses: every token is what rustc will see, and carries the line it
//! starts on. Comments are dropped (they are not code), and so are doc
//! comments, which the lexer hands over as `#[doc = "…"]` attributes.
//!
//! This lexer runs in the course tool only; nothing here enters the
//! learner's build.

use std::collections::BTreeMap;
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use super::similarity::{Token, KEYWORDS};

/// The tokens of a file, grouped by the line each starts on (1-based), in
/// order; `None` when the text does not lex as Rust (unbalanced brackets,
/// an unterminated string), which the compiler will refuse anyway.
pub fn by_line(src: &str) -> Option<BTreeMap<usize, Vec<Token>>> {
    let stream = TokenStream::from_str(src).ok();
    let mut lines: BTreeMap<usize, Vec<Token>> = BTreeMap::new();
    if let Some(stream) = &stream {
        walk(stream.clone(), &mut lines);
    }
    // The lexer keeps every source it read for the thread's spans; the
    // lines are taken, so give that memory back (a batch reads thousands
    // of files).
    proc_macro2::extra::invalidate_current_thread_spans();
    stream.map(|_| lines)
}

fn push(lines: &mut BTreeMap<usize, Vec<Token>>, line: usize, token: Token) {
    lines.entry(line).or_default().push(token);
}

fn walk(stream: TokenStream, lines: &mut BTreeMap<usize, Vec<Token>>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        if let Some(skip) = doc_attribute(&trees[i..]) {
            i += skip;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                if !open.is_empty() {
                    push(lines, g.span_open().start().line, Token::Word(open.into()));
                }
                walk(g.stream(), lines);
                if !close.is_empty() {
                    push(
                        lines,
                        g.span_close().start().line,
                        Token::Word(close.into()),
                    );
                }
            }
            TokenTree::Ident(id) => {
                let text = id.to_string();
                let text = text.strip_prefix("r#").unwrap_or(&text).to_string();
                let token = if KEYWORDS.contains(&text.as_str()) {
                    Token::Word(text)
                } else {
                    Token::Ident(text)
                };
                push(lines, id.span().start().line, token);
            }
            TokenTree::Punct(p) => {
                push(
                    lines,
                    p.span().start().line,
                    Token::Word(p.as_char().to_string()),
                );
            }
            TokenTree::Literal(l) => {
                let text = l.to_string();
                let token = if text.starts_with(|c: char| c.is_ascii_digit()) {
                    Token::Number(text)
                } else {
                    Token::Text(text)
                };
                push(lines, l.span().start().line, token);
            }
        }
        i += 1;
    }
}

/// How many trees a doc comment takes at the start of `trees` (`#`, an
/// optional `!`, then `[doc = "…"]`), or `None` when none starts there.
fn doc_attribute(trees: &[TokenTree]) -> Option<usize> {
    let is_punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    if !is_punct(trees.first(), '#') {
        return None;
    }
    let at = if is_punct(trees.get(1), '!') { 2 } else { 1 };
    let Some(TokenTree::Group(g)) = trees.get(at) else {
        return None;
    };
    if g.delimiter() != Delimiter::Bracket {
        return None;
    }
    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
    let is_doc = matches!(
        inner.as_slice(),
        [TokenTree::Ident(d), TokenTree::Punct(eq), TokenTree::Literal(_)]
            if d == "doc" && eq.as_char() == '=' && eq.spacing() == Spacing::Alone
    );
    is_doc.then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[Token]) -> Vec<String> {
        line.iter()
            .map(|t| match t {
                Token::Word(w) | Token::Ident(w) | Token::Number(w) | Token::Text(w) => w.clone(),
                Token::Name => "_".into(),
            })
            .collect()
    }

    #[test]
    fn code_after_a_continued_string_is_on_its_own_line() {
        let src = "fn a() {\n    let s = \"one \\\n\"; std::process::exit(0);\n}\n";
        let lines = by_line(src).expect("lexes");
        assert_eq!(
            words(&lines[&3]),
            [";", "std", ":", ":", "process", ":", ":", "exit", "(", "0", ")", ";"]
        );
        assert_eq!(words(&lines[&2]), vec!["let", "s", "=", "\"one \\\n\""]);
    }

    #[test]
    fn comments_and_doc_comments_are_not_code_but_raw_strings_are_text() {
        let src = "//! uses std::fs\n/// reads /proc\n/* std::process::exit(0);\n*/ fn a() {}\n\
                   const P: &str = r#\"/proc/self/\"#;\n";
        let lines = by_line(src).expect("lexes");
        assert!(!lines.contains_key(&1) && !lines.contains_key(&2) && !lines.contains_key(&3));
        assert_eq!(words(&lines[&4]), vec!["fn", "a", "(", ")", "{", "}"]);
        assert!(lines[&5].contains(&Token::Text("r#\"/proc/self/\"#".into())));
        assert_eq!(by_line("fn a( {"), None);
    }
}

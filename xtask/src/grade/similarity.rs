//! How alike two submissions' code is, the way plagiarism detectors measure
//! it (MOSS's *winnowing*, Schleimer, Wilkerson and Aiken, 2003).
//!
//! The code is cut into tokens with comments and layout dropped, and names
//! and literals replaced by their kind, so renaming variables or rewording
//! comments changes nothing. Every run of [`K`] tokens is hashed; in each
//! window of [`W`] consecutive hashes the smallest is kept as a
//! *fingerprint*. Two submissions share a fingerprint wherever they share a
//! run of at least `K` tokens, and any shared run of `K + W - 1` tokens is
//! guaranteed to be seen. Fingerprints of the starter (the code everyone is
//! given) are removed first, so only the learners' own work is compared.

use std::collections::BTreeSet;

/// Tokens per hashed run.
pub const K: usize = 12;
/// Hashes per winnowing window.
pub const W: usize = 8;

/// One token of Rust source, as compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// A keyword or a punctuation mark: kept as written.
    Word(String),
    /// Any other name, when names are abstracted.
    Name,
    /// A name as written.
    Ident(String),
    Number(String),
    Text(String),
}

/// Words kept as written, never abstracted to a name.
pub const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "use", "where", "while", "dyn",
    "Some", "None", "Ok", "Err",
];

/// Splits source into tokens, without comments and whitespace. With
/// `abstract_names`, identifiers that are not keywords become [`Token::Name`]
/// and literals lose their value.
pub fn tokens(src: &str, abstract_names: bool) -> Vec<Token> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(b.get(i + 1), Some('#') | Some('"'))
            && raw_string_end(&b, i).is_some()
        {
            let end = raw_string_end(&b, i).unwrap_or(b.len());
            let text: String = b[i..end].iter().collect();
            out.push(literal(Token::Text(text), abstract_names));
            i = end;
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            let text: String = b[start..i].iter().collect();
            out.push(literal(Token::Text(text), abstract_names));
        } else if c == '\'' {
            // A char literal ('a', '\n') or a lifetime ('a).
            let is_char = matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some('\\'), _) | (Some(_), Some('\''))
            );
            if is_char {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != '\'' {
                    i += if b[i] == '\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let text: String = b[start..i].iter().collect();
                out.push(literal(Token::Text(text), abstract_names));
            } else {
                out.push(Token::Word("'".into()));
                i += 1;
            }
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric()
                    || b[i] == '_'
                    || (b[i] == '.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                i += 1;
            }
            let text: String = b[start..i].iter().collect();
            out.push(literal(Token::Number(text), abstract_names));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            if KEYWORDS.contains(&word.as_str()) {
                out.push(Token::Word(word));
            } else if abstract_names {
                out.push(Token::Name);
            } else {
                out.push(Token::Ident(word));
            }
        } else {
            out.push(Token::Word(c.to_string()));
            i += 1;
        }
    }
    out
}

fn literal(t: Token, abstract_names: bool) -> Token {
    match (t, abstract_names) {
        (Token::Text(_), true) => Token::Text(String::new()),
        (Token::Number(_), true) => Token::Number(String::new()),
        (t, _) => t,
    }
}

/// Where the raw string starting at `i` (`r"…"`, `r#"…"#`) ends.
fn raw_string_end(b: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut hashes = 0;
    while b.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < b.len() {
        if b[j] == '"' && (1..=hashes).all(|h| b.get(j + h) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}

/// The code with comments and whitespace removed, names kept: two files
/// that differ only in comments and layout have the same normal form.
pub fn normal_form(src: &str) -> String {
    let mut out = String::new();
    for t in tokens(src, false) {
        match t {
            Token::Word(w) | Token::Ident(w) | Token::Number(w) | Token::Text(w) => {
                out.push_str(&w)
            }
            Token::Name => out.push('N'),
        }
        out.push('\u{1}');
    }
    out
}

/// A stable 64-bit hash (FNV-1a) of a run of tokens.
fn hash_run(run: &[Token]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for t in run {
        match t {
            Token::Word(w) => {
                eat(b"w");
                eat(w.as_bytes());
            }
            Token::Name => eat(b"n"),
            Token::Ident(w) => {
                eat(b"i");
                eat(w.as_bytes());
            }
            Token::Number(w) => {
                eat(b"d");
                eat(w.as_bytes());
            }
            Token::Text(w) => {
                eat(b"s");
                eat(w.as_bytes());
            }
        }
        eat(&[0]);
    }
    h
}

/// The winnowed fingerprints of some source.
pub fn fingerprints(src: &str) -> BTreeSet<u64> {
    let toks = tokens(src, true);
    let mut out = BTreeSet::new();
    if toks.len() < K {
        return out;
    }
    let hashes: Vec<u64> = toks.windows(K).map(hash_run).collect();
    if hashes.len() < W {
        if let Some(m) = hashes.iter().min() {
            out.insert(*m);
        }
        return out;
    }
    for window in hashes.windows(W) {
        if let Some(m) = window.iter().min() {
            out.insert(*m);
        }
    }
    out
}

/// Jaccard similarity of two fingerprint sets, 0 to 1.
pub fn similarity(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"
        pub fn burn(errors: u64, total: u64, target: f64) -> Option<f64> {
            // the share of budget spent
            if total == 0 { return None; }
            let ratio = errors as f64 / total as f64;
            let budget = 1.0 - target;
            Some(ratio / budget)
        }
        pub fn tiers(list: &[f64], x: f64) -> usize {
            let mut n = 0;
            for t in list { if x > *t { n += 1; } }
            n
        }
    "#;

    #[test]
    fn renaming_and_comments_change_nothing() {
        let b = A
            .replace("ratio", "r")
            .replace("budget", "allowed")
            .replace("// the share of budget spent", "/* a different comment */");
        assert_eq!(similarity(&fingerprints(A), &fingerprints(&b)), 1.0);
        assert_ne!(normal_form(A), normal_form(&b));
        let relaid = A
            .replace("\n", "\n\n   ")
            .replace("// the share", "// THE share");
        assert_eq!(normal_form(A), normal_form(&relaid));
    }

    #[test]
    fn different_code_scores_low() {
        let other = r#"
            pub fn burn(e: u64, t: u64, slo: f64) -> Option<f64> {
                match t { 0 => None, t => Some((e as f64 / t as f64) / (1.0 - slo)) }
            }
            pub fn tiers(list: &[f64], x: f64) -> usize { list.iter().filter(|t| x > **t).count() }
        "#;
        let s = similarity(&fingerprints(A), &fingerprints(other));
        assert!(s < 0.3, "{s}");
        assert!(fingerprints(A).len() >= 5);
    }

    #[test]
    fn literals_strings_and_lifetimes_tokenize() {
        let t = tokens(
            r##"let s: &'a str = r#"a "quoted" b"#; let c = '\n'; x.0.5"##,
            false,
        );
        assert!(t.contains(&Token::Text(r##"r#"a "quoted" b"#"##.into())));
        assert!(t.contains(&Token::Text("'\\n'".into())));
        assert!(t.contains(&Token::Word("'".into())));
    }
}

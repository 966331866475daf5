//! Matchers as Alertmanager 0.25 reads them (its `pkg/labels` parser).
//!
//! One matcher is `name op value`: a label name (`[a-zA-Z_:][a-zA-Z0-9_:]*`),
//! one of `=`, `!=`, `=~`, `!~`, and a value that may be double-quoted (with
//! `\"`, `\\` and `\n` escapes; any other backslash is literal). Whitespace
//! around each part is dropped — ASCII whitespace, as Go's `\s`.
//!
//! A **list** of matchers ([`parse_matchers`]) is what each string of a
//! `source_matchers` / `target_matchers` entry holds: matchers separated by
//! commas outside double quotes, optionally inside one pair of braces, with
//! an optional trailing comma — `probe=p5,team=search` is two matchers, and
//! so is `{a="b", c=~"d|e", }`. An empty list (`""`, `{}`) is no matcher.
//!
//! A regex value is compiled the way Alertmanager compiles it: anchored as
//! `^(?:pattern)$` and in Go's RE2 dialect (ASCII `\w \d \s \b`, see
//! [`crate::go_regex`]).

use std::fmt;
use std::sync::Arc;

use desk::{Matcher, ValuePattern};

/// Why a text is not a matcher or a matcher list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatcherError {
    /// No label name at the start.
    NoLabelName {
        /// The matcher as written.
        text: String,
    },
    /// No `=`, `!=`, `=~` or `!~` after the label name.
    NoOperator {
        /// The matcher as written.
        text: String,
        /// The label name read.
        name: String,
    },
    /// A `"` inside the value that is not escaped, or a quoted value
    /// without its closing quote.
    UnescapedQuote {
        /// The matcher as written.
        text: String,
    },
    /// The regex does not compile.
    BadRegex {
        /// The matcher as written.
        text: String,
        /// The engine's reason.
        reason: String,
    },
    /// An empty place between two commas of a list (`a=b,,c=d`).
    Empty {
        /// The list as written.
        list: String,
        /// Which matcher of the list (from 0).
        index: usize,
    },
}

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatcherError::NoLabelName { text } => {
                write!(f, "`{text}`: expected `name op value`, with a label name first")
            }
            MatcherError::NoOperator { text, name } => write!(
                f,
                "`{text}`: expected one of the operators =, !=, =~, !~ after `{name}`"
            ),
            MatcherError::UnescapedQuote { text } => write!(
                f,
                "`{text}`: the value holds an unescaped double quote, or a quoted value has no closing double quote"
            ),
            MatcherError::BadRegex { text, reason } => {
                write!(f, "`{text}`: not a valid regex ({reason})")
            }
            MatcherError::Empty { list, index } => write!(
                f,
                "`{list}`: matcher {} of the list is empty (two commas in a row?)",
                index + 1
            ),
        }
    }
}

impl std::error::Error for MatcherError {}

/// A regex compiled the way Alertmanager compiles a matcher's: anchored as
/// `^(?:pattern)$`, so it must match the whole value, with Go's ASCII
/// meaning of `\w \d \s \b`.
#[derive(Debug)]
pub struct AnchoredRegex(regex::Regex);

impl AnchoredRegex {
    /// Compiles `pattern` (Go RE2 syntax) anchored. The error is the regex
    /// engine's message.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let rust = crate::go_regex::translate(pattern);
        regex::Regex::new(&format!("^(?:{rust})$"))
            .map(Self)
            .map_err(|e| e.to_string())
    }
}

impl ValuePattern for AnchoredRegex {
    fn is_match(&self, value: &str) -> bool {
        self.0.is_match(value)
    }
}

/// Go's `\s`: tab, newline, form feed, carriage return, space.
fn go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// Unquotes a matcher value as Alertmanager does: a leading `"` asks for a
/// closing one as the last character; `\"`, `\\` and `\n` are escapes; any
/// other `\` is literal, and so is one at the very end.
fn unquote(raw: &str) -> Option<String> {
    let (body, mut expect_close) = match raw.strip_prefix('"') {
        Some(rest) => (rest, true),
        None => (raw, false),
    };
    let mut out = String::with_capacity(body.len());
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => out.push('\n'),
                '"' | '\\' => out.push(c),
                _ => {
                    out.push('\\');
                    out.push(c);
                }
            }
            continue;
        }
        let last = i + c.len_utf8() == body.len();
        match c {
            '\\' if !last => escaped = true,
            '"' if expect_close && last => expect_close = false,
            '"' => return None,
            _ => out.push(c),
        }
    }
    (!expect_close).then_some(out)
}

/// Parses one matcher, `name op value`, as Alertmanager's `ParseMatcher`:
/// everything after the operator is the value, commas included.
pub fn read_matcher(text: &str) -> Result<Matcher, MatcherError> {
    let trimmed = text.trim_matches(go_space);
    let name_end = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(trimmed.len());
    let (name, rest) = trimmed.split_at(name_end);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(MatcherError::NoLabelName {
            text: text.to_string(),
        });
    }
    let rest = rest.trim_start_matches(go_space);
    let ops = ["=~", "!~", "!=", "="];
    let Some(op) = ops.iter().find(|op| rest.starts_with(**op)) else {
        return Err(MatcherError::NoOperator {
            text: text.to_string(),
            name: name.to_string(),
        });
    };
    let raw = rest[op.len()..].trim_start_matches(go_space);
    let value = unquote(raw).ok_or_else(|| MatcherError::UnescapedQuote {
        text: text.to_string(),
    })?;
    Ok(match *op {
        "=" => Matcher::eq(name, &value),
        "!=" => Matcher::ne(name, &value),
        regex_op => {
            let re = AnchoredRegex::new(&value).map_err(|reason| MatcherError::BadRegex {
                text: text.to_string(),
                reason,
            })?;
            Matcher::regex(name, &value, regex_op == "!~", Arc::new(re))
        }
    })
}

/// Splits a matcher list at the commas outside double quotes, after
/// dropping one leading `{` and one trailing `}`, as Alertmanager's
/// `ParseMatchers` does (a `\"` does not open or close a quote). The last
/// piece is dropped when it is only whitespace (a trailing comma).
fn split_list(list: &str) -> Vec<&str> {
    let body = list.strip_prefix('{').unwrap_or(list);
    let body = body.strip_suffix('}').unwrap_or(body);
    let mut pieces = Vec::new();
    let (mut inside_quotes, mut escaped) = (false, false);
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match c {
            ',' if !inside_quotes => {
                pieces.push(&body[start..i]);
                start = i + 1;
                continue;
            }
            // Go's loop leaves `escaped` as it was for a comma in quotes.
            ',' => {}
            '"' if escaped => escaped = false,
            '"' => inside_quotes = !inside_quotes,
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    let last = &body[start..];
    if !last.trim().is_empty() {
        pieces.push(last.trim());
    }
    pieces
}

/// Parses a list of matchers as Alertmanager reads each string of
/// `source_matchers` / `target_matchers` (see the module documentation).
///
/// ```
/// let ms = desk_config::parse_matchers(r#"{severity="critical", team=~"search|infra"}"#).unwrap();
/// assert_eq!(ms.len(), 2);
/// assert_eq!(desk_config::parse_matchers("probe=p5,team=search").unwrap().len(), 2);
/// ```
pub fn parse_matchers(list: &str) -> Result<Vec<Matcher>, MatcherError> {
    split_list(list)
        .into_iter()
        .enumerate()
        .map(|(index, piece)| {
            if piece.trim_matches(go_space).is_empty() {
                return Err(MatcherError::Empty {
                    list: list.to_string(),
                    index,
                });
            }
            read_matcher(piece)
        })
        .collect()
}

/// Parses one matcher, `name op value`: `severity="critical"`,
/// `service=~"chat.*"`, `team!=search`. Regex values are compiled anchored
/// ([`AnchoredRegex`]). As Alertmanager's single-matcher parser, a comma
/// belongs to the value; use [`parse_matchers`] for a list. The error is a
/// [`MatcherError`]'s text ([`read_matcher`] gives it typed).
///
/// ```
/// let m = desk_config::parse_matcher(r#"service=~"chat.*""#).unwrap();
/// assert_eq!(m.to_string(), r#"service=~"chat.*""#);
/// assert!(desk_config::parse_matcher("no operator").is_err());
/// ```
pub fn parse_matcher(text: &str) -> Result<Matcher, String> {
    read_matcher(text).map_err(|e| e.to_string())
}

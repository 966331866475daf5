//! The detectors behind [`redact`](crate::redact()): hand-written scanners, one
//! per kind of personal data, and [`detect_at`], which asks them all at one
//! position.
//!
//! No regular-expression engine is used. Each detector looks at the bytes
//! from a start position, walks forward over the shape it knows (an e-mail's
//! local part and domain, a card's digit groups…) and then applies the rule
//! that separates a real value from a look-alike: the Luhn checksum for a
//! card, the SSN validity rules, octets up to 255 for IPv4, mod-97 for an
//! IBAN. Most positions in a text are rejected after one or two byte
//! comparisons (a byte in the middle of a word cannot start anything), which
//! is why the scanner runs at hundreds of megabytes per second.
//!
//! Boundaries matter as much as shapes. A value must start where a word
//! starts (`v1.2.3.4` is a version, not an address; `ORD-4111…` is an order
//! number) and must end where a word ends (`10.0.0.1.5` is not an address).
//!
//! What is deliberately *not* redacted: dates (`2026-03-02`), version strings
//! (`v2.4.1`, `3.11.4`), order and ticket numbers (`order 2024-118734`,
//! `T-1041`), digit runs that fail the Luhn checksum or the SSN rules, bare
//! nine-digit numbers (an SSN must be written `AAA-GG-SSSS` or `AAA GG SSSS`)
//! and seven-digit local phone numbers. Values that might be either (a bare
//! `1.2.3.4`) are treated as personal data: when in doubt, redact.

use crate::redaction::PiiKind;
use crate::validity::{luhn_valid, ssn_valid};

/// The first kind of personal data that starts exactly at byte `i` of
/// `text`, with the byte offset where it ends, or `None`.
///
/// A match always starts and ends on a character boundary (it starts on an
/// ASCII byte, or on the first byte of a non-ASCII letter that begins an
/// e-mail address, and ends on an ASCII byte), so `text[i..end]` is a valid
/// slice, and `end > i`.
///
/// ```
/// use index_ops::{detect::detect_at, PiiKind};
/// let text = "mail ana@example.org now";
/// assert_eq!(detect_at(text, 5), Some((PiiKind::Email, 20)));
/// assert_eq!(detect_at(text, 6), None); // not the start of a word
/// assert_eq!(detect_at(text, 0), None); // "mail" is not personal data
/// ```
#[inline]
pub fn detect_at(text: &str, i: usize) -> Option<(PiiKind, usize)> {
    let b = text.as_bytes();
    let c = *b.get(i)?;
    let prev = if i == 0 { b' ' } else { b[i - 1] };
    // The fast path, taken by most bytes of a text: nothing starts in the
    // middle of a word, or on a space.
    if is_word(prev) || !(c.is_ascii_graphic() || c >= 0xC0) {
        return None;
    }
    detect_slow(text, i, c, prev)
}

#[inline(never)]
fn detect_slow(text: &str, i: usize, c: u8, prev: u8) -> Option<(PiiKind, usize)> {
    let b = text.as_bytes();
    // Every detector that matches here makes an offer; the longest value
    // wins, and on a tie the one offered first (the more specific kind).
    // So a digit run inside an IBAN cannot win over the IBAN: the IBAN
    // starts earlier (at its country code) and, at its start, is longer.
    let mut best: Option<(PiiKind, usize)> = None;
    let mut offer = |kind: PiiKind, end: Option<usize>| {
        if let Some(end) = end {
            if best.is_none_or(|(_, e)| end > e) {
                best = Some((kind, end));
            }
        }
    };

    // A value right after `token=`, `password: ` or `Bearer `.
    if matches!(prev, b'=' | b':' | b' ' | b'"' | b'\'') {
        offer(
            PiiKind::Secret,
            bearer_token(b, i).or_else(|| assigned_secret(b, i)),
        );
    }
    if email_may_start(b, i, c, prev) {
        offer(PiiKind::Email, email(text, i));
    }
    match c {
        b'0'..=b'9' => {
            if continues_token(b, i, prev) {
                return best;
            }
            offer(PiiKind::Ipv6, ipv6(b, i));
            offer(PiiKind::Ipv4, ipv4(b, i));
            if let Some((kind, end)) = taxpayer_id(text, i) {
                offer(kind, Some(end));
            }
            offer(PiiKind::Card, card(b, i));
            offer(PiiKind::Phone, phone_nanp(b, i));
        }
        b'a'..=b'z' | b'A'..=b'Z' => {
            offer(PiiKind::Iban, iban(b, i));
            offer(PiiKind::Secret, prefixed_secret(b, i));
            // After `:` a hex letter is inside a longer address or a path
            // (`std::vec`); after a `.` joined to a word, inside a name.
            if c.is_ascii_hexdigit()
                && prev != b':'
                && !(prev == b'.' && continues_token(b, i, prev))
            {
                offer(PiiKind::Ipv6, ipv6(b, i));
            }
        }
        b'+' => offer(PiiKind::Phone, phone_international(b, i)),
        b'(' => offer(PiiKind::Phone, phone_parenthesized(b, i)),
        b':' if prev != b':' => offer(PiiKind::Ipv6, ipv6(b, i)),
        _ => {}
    }
    best
}

/// The prefilter: the first position at or after `from` where a value
/// *could* start, or `text.len()` when none can. Every position it skips is
/// one where [`detect_at`] returns `None`, so a scanner that asks
/// `detect_at` only at the positions this returns finds exactly what a
/// byte-by-byte scan finds, without looking at most of the text twice.
///
/// How it can skip: text is cut into chunks at whitespace. Every value
/// either holds a *trigger* byte (a digit, `@` or `:`) in the chunk where it
/// starts, at or after its start (an address has its `@`, an IBAN its check
/// digits, an IPv6 address a `:`, every number a digit), or is a secret with
/// a known prefix (`sk-`, `ghp_`…), or follows `Bearer `, `token=` or
/// `password:`. So in a chunk with no trigger, only the word starts that pass
/// those cheap secret tests are candidates, and in a chunk with one, the
/// word starts before it. Plain lower-case words between single spaces, most
/// of a document, take a shortcut (`skip_plain_words`) that reads their
/// letters eight at a time.
///
/// ```
/// use index_ops::detect::next_candidate;
/// let text = "plain words then ana@example.org and more";
/// assert_eq!(next_candidate(text, 0), 17); // the address's first byte
/// assert_eq!(next_candidate(text, 32), text.len()); // nothing after it
/// ```
pub fn next_candidate(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    let mut prev_word = from > 0 && from < n && is_word(b[from - 1]);
    // The first word start of the current chunk (at or after `from`).
    let mut chunk_start: Option<usize> = None;
    let mut j = from;
    while j < n {
        if prev_word {
            // The rest of a word: a letter here starts nothing and is not a
            // trigger.
            j = skip_word_rest(b, j);
            if j == n {
                break;
            }
        }
        let class = BYTE_CLASS[usize::from(b[j])];
        if class & SPACE != 0 {
            // A new chunk: whatever the scan knew about this one is void.
            chunk_start = None;
            prev_word = false;
            j = skip_plain_words(b, j + 1);
            continue;
        }
        let starts = !prev_word && class & CAN_START != 0;
        if starts && chunk_start.is_none() {
            chunk_start = Some(j);
        }
        if class & TRIGGER != 0 {
            if let Some(p) = chunk_start {
                return p;
            }
        } else if starts && secret_may_start(b, j, class) {
            return chunk_start.unwrap_or(j);
        }
        prev_word = class & WORD != 0;
        j += 1;
    }
    n
}

/// The shortcut of [`next_candidate`] through plain prose. `w` follows a
/// whitespace byte; this passes every word of lower-case letters that is
/// followed by a single space (perhaps after a mark) and cannot start a
/// secret, and returns the
/// first word start (again right after whitespace) that the full scan must
/// look at: one that might start a secret, one with anything but lower-case
/// letters in it, or the last word before anything but a space (or one
/// mark and a space: `end. `, `list, `). Everything it passes is a position
/// where [`next_candidate`] itself would not stop: a word start that fails
/// the secret tests, the letters inside the word (no trigger), a mark right
/// after a word (not a word start, not a trigger), and a space (a new chunk,
/// so the scan's state after it is the same as at `w`).
///
/// The secret tests shrink here. No key ends right before `w` (whitespace
/// does), and no known prefix fits in a word of lower-case letters (each
/// has a `-`, `_` or capital within its first bytes: a unit test holds
/// [`PREFIXES`] to that), so what is left is a key or `Bearer` behind the
/// space: two bytes back is `=`, `:`, a space, or an `r` with another `r`
/// two bytes before it.
#[inline(always)]
fn skip_plain_words(b: &[u8], mut w: usize) -> usize {
    while at(b, w).is_ascii_lowercase() && !key_or_bearer_behind(b, w) {
        let mut end = skip_lowercase(b, w + 1);
        if BYTE_CLASS[usize::from(at(b, end))] & (SPACE | TRIGGER | WORD) == 0 {
            // One mark that ends the word (`end.`, `list,`), not `:` or `@`.
            end += 1;
        }
        if at(b, end) != b' ' {
            break;
        }
        w = end + 1;
    }
    w
}

/// What [`secret_may_start`] asks two and four bytes back from `w`, behind
/// a space: could `w` follow `key: `, `key = ` or `Bearer `?
#[inline(always)]
fn key_or_bearer_behind(b: &[u8], w: usize) -> bool {
    let two = if w >= 2 { b[w - 2] } else { 0 };
    BYTE_CLASS[usize::from(two)] & AFTER_KEY_SPACED != 0
        || (two | 0x20 == b'r' && w >= 4 && b[w - 4] | 0x20 == b'r')
}

/// The first position at or after `j` where a word ends or a trigger sits
/// (a byte that is not a letter or `_`), or `b.len()`.
#[inline(always)]
fn skip_word_rest(b: &[u8], mut j: usize) -> usize {
    loop {
        j = skip_lowercase(b, j);
        if j == b.len() || BYTE_CLASS[usize::from(b[j])] & (WORD | TRIGGER) != WORD {
            return j;
        }
        j += 1;
    }
}

/// The first position at or after `j` that is not a lower-case ASCII
/// letter, or `b.len()`: eight bytes at a time ([`not_lowercase`]), then
/// byte by byte for the last few.
#[inline(always)]
fn skip_lowercase(b: &[u8], mut j: usize) -> usize {
    while let Some(eight) = b.get(j..).and_then(<[u8]>::first_chunk::<8>) {
        let stop = not_lowercase(u64::from_le_bytes(*eight));
        if stop != 0 {
            // Little-endian: the lowest set bit is in the first such byte.
            return j + (stop.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while at(b, j).is_ascii_lowercase() {
        j += 1;
    }
    j
}

/// The top bit of each of the eight bytes of `v` that is *not* a lower-case
/// ASCII letter, all other bits clear ("SIMD within a register"). Setting
/// every top bit first means the two subtractions never borrow from the
/// next byte; a byte's top bit then tells `byte & 0x7f >= b'a'` and
/// `byte & 0x7f > b'z'`, and the bytes whose own top bit was set (UTF-8) are
/// not letters either. (A unit test holds it to `u8::is_ascii_lowercase`
/// for every byte value in every lane.)
#[inline(always)]
fn not_lowercase(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let x = v | TOP;
    let from_a = x - ONES * u64::from(b'a');
    let past_z = x - ONES * u64::from(b'z' + 1);
    (!from_a | past_z | v) & TOP
}

/// Could a secret start at the word start `i` of a chunk without a trigger?
/// A known prefix (`sk-`, `ghp_`…: its first two bytes are in
/// [`SECRET_BIGRAMS`]), or the value after `Bearer ` (`r`, `r`, four and
/// two bytes back), `key=`, `key: `, `"key": "` (`=`, `:` or a quote right
/// before, or two bytes back behind a space). This runs at every word start
/// of plain text, so it is inlined and a plain word is turned away by a few
/// table lookups; only a word that passes them pays for the detectors
/// ([`secret_starts`]).
#[inline(always)]
fn secret_may_start(b: &[u8], i: usize, class: u8) -> bool {
    let prev = if i == 0 { b' ' } else { b[i - 1] };
    let prefix = class & SECRET_FIRST != 0 && {
        let pair = (usize::from(b[i]) << 8) | usize::from(at(b, i + 1));
        (SECRET_BIGRAMS[pair >> 6] >> (pair & 63)) & 1 != 0
    };
    let direct = BYTE_CLASS[usize::from(prev)] & AFTER_KEY != 0;
    let spaced = prev == b' ' && i >= 2 && {
        let two = b[i - 2];
        BYTE_CLASS[usize::from(two)] & AFTER_KEY_SPACED != 0
            || (two | 0x20 == b'r' && i >= 4 && b[i - 4] | 0x20 == b'r')
    };
    (prefix || direct || spaced) && secret_starts(b, i, prefix, direct || spaced)
}

/// The detectors behind [`secret_may_start`], for the few word starts that
/// pass its lookups: a known prefix, or a value after a key or `Bearer `.
#[inline(never)]
fn secret_starts(b: &[u8], i: usize, prefix: bool, after_key: bool) -> bool {
    (prefix && prefixed_secret(b, i).is_some())
        || (after_key && (bearer_token(b, i).is_some() || assigned_secret(b, i).is_some()))
}

/// The first two bytes of every known secret prefix (see [`PREFIXES`] and
/// `jwt`), as a set of 65,536 bits indexed by `first << 8 | second`.
static SECRET_BIGRAMS: [u64; 1024] = {
    let mut t = [0u64; 1024];
    let pairs: [&[u8; 2]; 10] = [
        b"sk", b"rk", b"gh", b"gl", b"gi", b"xo", b"AI", b"AK", b"AS", b"ey",
    ];
    let mut k = 0;
    while k < pairs.len() {
        let pair = ((pairs[k][0] as usize) << 8) | pairs[k][1] as usize;
        t[pair >> 6] |= 1 << (pair & 63);
        k += 1;
    }
    t
};

const SPACE: u8 = 1;
const TRIGGER: u8 = 2;
const CAN_START: u8 = 4;
const WORD: u8 = 8;
const SECRET_FIRST: u8 = 16;
/// `=`, `:` or a quote: right before a value, they can end a key.
const AFTER_KEY: u8 = 32;
/// `=`, `:` or a space: two bytes before a value (behind a space).
const AFTER_KEY_SPACED: u8 = 64;

/// One lookup per byte: whitespace (ends a chunk), trigger (a digit, `@`,
/// `:`), can start a value (ASCII graphic, or the first byte of a
/// multi-byte character), continues a word (letters, digits, `_`).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut x = 0usize;
    while x < 256 {
        let c = x as u8;
        let mut k = 0;
        if matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
            k |= SPACE;
        }
        if c.is_ascii_digit() || c == b'@' || c == b':' {
            k |= TRIGGER;
        }
        if c.is_ascii_graphic() || c >= 0xC0 {
            k |= CAN_START;
        }
        if c.is_ascii_alphanumeric() || c == b'_' {
            k |= WORD;
        }
        if matches!(c, b's' | b'r' | b'g' | b'x' | b'A' | b'e') {
            k |= SECRET_FIRST;
        }
        if matches!(c, b'=' | b':' | b'"' | b'\'') {
            k |= AFTER_KEY;
        }
        if matches!(c, b'=' | b':' | b' ') {
            k |= AFTER_KEY_SPACED;
        }
        t[x] = k;
        x += 1;
    }
    t
};

/// Letters, digits and `_`: bytes that continue a word.
fn is_word(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'_'
}

/// RFC 5322 `atext`: the bytes of an unquoted local part besides dots.
fn is_atext(x: u8) -> bool {
    x.is_ascii_alphanumeric()
        || matches!(
            x,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        )
}

/// Bytes allowed in an e-mail address's local part: `atext`, dots, and
/// non-ASCII (RFC 6531: `zoë@example.org` is an address too).
fn is_local(x: u8) -> bool {
    is_atext(x) || x == b'.' || x >= 0x80
}

/// Can an address's local part start at `i`? It starts on `atext` or a
/// non-ASCII letter, not inside another local part. A quote or backtick
/// opening it is prose (`'ana@example.org'`), not part of the address, so
/// the address starts right after it; inside a local part a quote is just
/// a character (`o'brien@example.org`). So do the marks that are legal in a
/// local part but in real text far more often separate fields: `|`
/// (Markdown tables), `/` (paths), `=`, `?`, `&` (query strings), braces.
/// An address that really holds one (`ab/cd@example.org`) is still found
/// whole, from its first byte, because the scan reaches that byte first.
fn email_may_start(b: &[u8], i: usize, c: u8, prev: u8) -> bool {
    if !(is_atext(c) || c >= 0xC0) || matches!(c, b'\'' | b'`') {
        return false;
    }
    if i == 0 || !is_local(prev) || matches!(prev, b'|' | b'/' | b'=' | b'?' | b'&' | b'{' | b'}') {
        return true;
    }
    matches!(prev, b'\'' | b'`') && (i < 2 || !is_local(b[i - 2]))
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn digit_at(b: &[u8], i: usize) -> bool {
    at(b, i).is_ascii_digit()
}

/// The kind of the first personal value in `text`, or `None`: what the
/// first finding of [`redact`](crate::redact()) would be, without building a
/// redacted copy. Used to check names (ids, collections) cheaply.
///
/// ```
/// use index_ops::{detect::first_pii, PiiKind};
/// assert_eq!(first_pii("kb/d000042"), None);
/// assert_eq!(first_pii("user/ana@example.org"), Some(PiiKind::Email));
/// ```
pub fn first_pii(text: &str) -> Option<PiiKind> {
    let mut i = next_candidate(text, 0);
    while i < text.len() {
        if let Some((kind, _)) = detect_at(text, i) {
            return Some(kind);
        }
        i = next_candidate(text, i + 1);
    }
    None
}

/// `true` when a digit at `i`, right after `prev`, continues a token that
/// started earlier rather than starting a value of its own: after a `.` or
/// `-` that is itself joined to a letter or digit. That keeps a value inside
/// a longer number or identifier whole: `v1.2.3.4` (a version), `3.4111…`
/// (a decimal), `2026-03-02` (a date), `ORD-4111…` and `12-415-555-2671`.
///
/// Everything else that is not a letter, digit or `_` separates fields the
/// way a tokenizer of real data splits them, so a value may start right
/// after it: a comma (CSV: `Ana,123-45-6789,4111…`; a number with thousands
/// separators such as `1,234,567` has no value in it to find, since no kind
/// is three digits), a slash (paths: `/4111…/`), a tab, `=` and `&` (query
/// strings, `key=value` logs), `:` (`"card":4111…`), `|` (Markdown tables),
/// quotes, brackets, and a `.` or `-` after a space or another mark
/// (`...10.0.0.7`, `- 415 555 2671`).
///
/// ```
/// # // The card's Luhn check is the learner's step: run on the reference.
/// # #[cfg(feature = "solution")]
/// # fn main() {
/// use index_ops::detect::detect_at;
/// let csv = "Ana,123-45-6789,4111111111111111";
/// assert!(detect_at(csv, 16).is_some()); // after `,`: a field starts
/// let version = "v1.2.3.4.5";
/// assert_eq!(detect_at(version, 3), None); // `2.3.4.5` continues `v1.`
/// # }
/// # #[cfg(not(feature = "solution"))]
/// # fn main() {}
/// ```
fn continues_token(b: &[u8], i: usize, prev: u8) -> bool {
    matches!(prev, b'.' | b'-') && i >= 2 && b[i - 2].is_ascii_alphanumeric()
}

/// `true` when a value ending at `end` ends a word: what follows is not a
/// letter, digit or `_`, and not a `.`/`-` that continues with a digit.
fn ends_word(b: &[u8], end: usize) -> bool {
    let next = at(b, end);
    !(is_word(next) || (matches!(next, b'.' | b'-') && digit_at(b, end + 1)))
}

// --- e-mail -----------------------------------------------------------------

/// An address starting at `i`: a local part (any run of [`is_local`]
/// bytes, not ending in a dot), `@`, then a domain of at least two labels
/// whose last label is a top-level domain. Labels are letters and digits
/// (any script: `münchen.de`, `例え.jp`) and inner dashes; a TLD is two or
/// more letters, or an ASCII-compatible IDN label (`xn--p1ai`).
fn email(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && is_local(b[j]) {
        j += 1;
    }
    if at(b, j) != b'@' || j == i || b[j - 1] == b'.' {
        return None;
    }
    let mut k = j + 1;
    let mut labels = 0;
    let mut end = None;
    loop {
        let s = k;
        let mut all_letters = true;
        let mut ascii = true;
        loop {
            let x = at(b, k);
            if x.is_ascii_alphanumeric() || x == b'-' {
                all_letters &= x.is_ascii_alphabetic();
                k += 1;
            } else if x >= 0x80 {
                match text.get(k..).and_then(|rest| rest.chars().next()) {
                    Some(ch) if ch.is_alphanumeric() => {
                        all_letters &= ch.is_alphabetic();
                        ascii = false;
                        k += ch.len_utf8();
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        if k == s || b[s] == b'-' || b[k - 1] == b'-' || k - s > 63 {
            break;
        }
        labels += 1;
        let label = &b[s..k];
        let chars = text.get(s..k).map_or(0, |l| l.chars().count());
        let tld = chars >= 2
            && (all_letters
                || (ascii
                    && label.len() > 4
                    && label[..4].eq_ignore_ascii_case(b"xn--")
                    && label[4..]
                        .iter()
                        .all(|x| x.is_ascii_alphanumeric() || *x == b'-')));
        if labels >= 2 && tld {
            end = Some(k);
        }
        let next_starts_label = at(b, k + 1).is_ascii_alphanumeric()
            || (at(b, k + 1) >= 0x80
                && text
                    .get(k + 1..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(char::is_alphanumeric));
        if at(b, k) == b'.' && next_starts_label {
            k += 1;
        } else {
            break;
        }
    }
    end
}

// --- numbers ------------------------------------------------------------------

fn ipv4(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    for part in 0..4 {
        let s = j;
        let mut v = 0u32;
        while digit_at(b, j) && j - s < 3 {
            v = v * 10 + u32::from(b[j] - b'0');
            j += 1;
        }
        if j == s || digit_at(b, j) || (j - s > 1 && b[s] == b'0') || v > 255 {
            return None;
        }
        if part < 3 {
            if at(b, j) != b'.' {
                return None;
            }
            j += 1;
        }
    }
    ends_word(b, j).then_some(j)
}

/// An SSN, an ITIN or an ATIN starting at `i`: `AAA?GG?SSSS` with `?` one
/// of `-`, space or `.`, ending a word. Which one (if any) the digits are is
/// up to [`ssn_valid`], [`itin_valid`] and [`atin_valid`]: they never
/// overlap (an SSN's area is never 9xx; an ITIN's group is never 93, an
/// ATIN's always is).
fn taxpayer_id(text: &str, i: usize) -> Option<(PiiKind, usize)> {
    let b = text.as_bytes();
    let end = i + 11;
    let shape = end <= b.len()
        && (0..11).all(|k| match k {
            3 | 6 => matches!(b[i + k], b'-' | b' ' | b'.'),
            _ => b[i + k].is_ascii_digit(),
        });
    if shape && ends_word(b, end) && !(at(b, end) == b' ' && digit_at(b, end + 1)) {
        let candidate = text.get(i..end)?;
        if ssn_valid(candidate) {
            return Some((PiiKind::Ssn, end));
        }
        if itin_valid(candidate) {
            return Some((PiiKind::Itin, end));
        }
        if atin_valid(candidate) {
            return Some((PiiKind::Atin, end));
        }
    }
    None
}

/// `true` when `itin` is a US Individual Taxpayer Identification Number as
/// the IRS issues them, written like an SSN (`9GG-GG-SSSS` with one of `-`,
/// space or `.` used in both places, exactly 11 bytes): the area starts
/// with 9, and the group (the two middle digits) is in 50–65, 70–88, 90–92
/// or 94–99. `912-34-5678` (group 34) is neither an SSN nor an ITIN.
///
/// ```
/// use index_ops::detect::itin_valid;
/// assert!(itin_valid("912-70-1234") && itin_valid("999.99.0001"));
/// assert!(!itin_valid("912-34-5678") && !itin_valid("912-93-5678"));
/// assert!(!itin_valid("812-70-1234") && !itin_valid("912-70.1234"));
/// ```
pub fn itin_valid(itin: &str) -> bool {
    let b = itin.as_bytes();
    if b.len() != 11 || !matches!(b[3], b'-' | b' ' | b'.') || b[3] != b[6] {
        return false;
    }
    let digits_ok = (0..11).all(|k| k == 3 || k == 6 || b[k].is_ascii_digit());
    if !digits_ok || b[0] != b'9' {
        return false;
    }
    let group = u32::from(b[4] - b'0') * 10 + u32::from(b[5] - b'0');
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// `true` when `atin` is a US Adoption Taxpayer Identification Number as
/// the IRS describes them (`9XX-93-XXXX`), written like an SSN: exactly 11
/// bytes, one of `-`, space or `.` used in both places, area 9xx, group 93.
///
/// ```
/// use index_ops::detect::atin_valid;
/// assert!(atin_valid("900-93-0000") && atin_valid("987 93 1234"));
/// assert!(!atin_valid("900-94-1234") && !atin_valid("800-93-1234"));
/// assert!(!atin_valid("900-93.1234") && !atin_valid("900-93-12345"));
/// ```
pub fn atin_valid(atin: &str) -> bool {
    let b = atin.as_bytes();
    b.len() == 11
        && matches!(b[3], b'-' | b' ' | b'.')
        && b[3] == b[6]
        && (0..11).all(|k| k == 3 || k == 6 || b[k].is_ascii_digit())
        && b[0] == b'9'
        && &b[4..6] == b"93"
}

fn card(b: &[u8], i: usize) -> Option<usize> {
    let mut digits = [0u8; 19];
    let mut count = 0usize;
    // (end offset, digits so far) at each group boundary.
    let mut ends = [(0usize, 0usize); 20];
    let mut groups = 0usize;
    let mut j = i;
    'collect: loop {
        while digit_at(b, j) {
            if count == digits.len() {
                break 'collect;
            }
            digits[count] = b[j];
            count += 1;
            j += 1;
        }
        ends[groups] = (j, count);
        groups += 1;
        if groups == ends.len() {
            break;
        }
        if matches!(at(b, j), b' ' | b'-') && digit_at(b, j + 1) {
            j += 1;
        } else {
            break;
        }
    }
    // A run that went on past 19 digits is something else (an account
    // number, a long id): only whole groups before that point count.
    for g in (0..groups).rev() {
        let (end, n) = ends[g];
        if !(13..=19).contains(&n)
            || !ends_word(b, end)
            || digit_at(b, end)
            || !card_grouping(&ends[..=g])
        {
            continue;
        }
        let number = std::str::from_utf8(&digits[..n]).ok()?;
        if luhn_valid(number) {
            return Some(end);
        }
    }
    None
}

/// Cards are printed compact, in fours (the last group may be shorter), or
/// 4-6-5 / 4-6-4 (American Express, Diners). Anything else, such as two
/// SSN-shaped numbers in a row, is not a card even if the digits pass Luhn.
fn card_grouping(ends: &[(usize, usize)]) -> bool {
    let mut sizes = [0usize; 20];
    let mut prev = 0;
    for (k, &(_, n)) in ends.iter().enumerate() {
        sizes[k] = n - prev;
        prev = n;
    }
    let sizes = &sizes[..ends.len()];
    match sizes {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [init @ .., last] => init.iter().all(|s| *s == 4) && (1..=4).contains(last),
        [] => false,
    }
}

/// A North American number as US text writes it: ten digits, area code
/// and exchange each starting with 2–9, grouped 3-3-4 (`415-555-2671`,
/// `415.555.2671`, `415 555-2671`), 3-7 (`415 5552671`, `415-5552671`) or
/// compact (`4155552671`), optionally after the trunk prefix `1`
/// (`1-415-555-2671`, `1 4155552671`, `14155552671`). These are the
/// groupings of the national format that phonenumbers' matcher finds for the
/// US: `tests/references.rs` checks, against phonenumbers 9.0.43, that every
/// number its US matcher finds in 800 planted texts is redacted.
fn phone_nanp(b: &[u8], i: usize) -> Option<usize> {
    if at(b, i) == b'1' {
        let skip = usize::from(matches!(at(b, i + 1), b'-' | b'.' | b' '));
        if let Some(end) = nanp_number(b, i + 1 + skip) {
            return Some(end);
        }
    }
    nanp_number(b, i)
}

/// Three digits starting with 2–9 at `i` (an area code or an exchange).
fn nxx(b: &[u8], i: usize) -> bool {
    at(b, i) >= b'2' && digit_at(b, i) && digit_at(b, i + 1) && digit_at(b, i + 2)
}

fn phone_sep(x: u8) -> bool {
    matches!(x, b'-' | b'.' | b' ')
}

/// The ten digits of [`phone_nanp`] from `i`, without the prefix.
fn nanp_number(b: &[u8], i: usize) -> Option<usize> {
    if !nxx(b, i) {
        return None;
    }
    let mut j = i + 3;
    let first_sep = phone_sep(at(b, j));
    if first_sep {
        j += 1;
    }
    if !nxx(b, j) {
        return None;
    }
    j += 3;
    // 3-3-4 has a second separator; 3-7 and compact have none (a 6-4
    // grouping, `415555-2671`, is not one of the forms read here).
    if first_sep && phone_sep(at(b, j)) && digit_at(b, j + 1) {
        j += 1;
    }
    if !digits_run(b, j, 4) {
        return None;
    }
    let end = j + 4;
    (ends_word(b, end) && !(at(b, end) == b' ' && digit_at(b, end + 1))).then_some(end)
}

fn digits_run(b: &[u8], i: usize, n: usize) -> bool {
    (i..i + n).all(|k| digit_at(b, k)) && !digit_at(b, i + n)
}

/// `(415) 555-2671`, `(415)555-2671`, `(415) 5552671` or `(415)5552671`.
fn phone_parenthesized(b: &[u8], i: usize) -> Option<usize> {
    if !(digits_run(b, i + 1, 3) && at(b, i + 1) >= b'2' && at(b, i + 4) == b')') {
        return None;
    }
    let mut j = i + 5;
    if at(b, j) == b' ' {
        j += 1;
    }
    if !nxx(b, j) {
        return None;
    }
    j += 3;
    if phone_sep(at(b, j)) && digit_at(b, j + 1) {
        j += 1;
    }
    let end = j + 4;
    (digits_run(b, j, 4) && ends_word(b, end)).then_some(end)
}

/// `+` and 8–15 digits (the E.164 limit) in groups separated by single
/// spaces, dashes or dots; one group may be in parentheses: `+44 20 7946
/// 0958`, `+1 (415) 555-2671`, `+4930123456`.
fn phone_international(b: &[u8], i: usize) -> Option<usize> {
    if !digit_at(b, i + 1) {
        return None;
    }
    let mut j = i + 1;
    let mut digits = 0;
    loop {
        let paren = at(b, j) == b'(';
        if paren {
            j += 1;
        }
        let s = j;
        while digit_at(b, j) {
            j += 1;
        }
        if j == s {
            return None;
        }
        digits += j - s;
        if paren {
            if at(b, j) != b')' {
                return None;
            }
            j += 1;
        }
        if matches!(at(b, j), b' ' | b'-' | b'.') && (digit_at(b, j + 1) || at(b, j + 1) == b'(') {
            j += 1;
        } else if at(b, j) == b'(' {
            continue;
        } else {
            break;
        }
    }
    ((8..=15).contains(&digits) && ends_word(b, j)).then_some(j)
}

fn ipv6(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let mut groups = 0;
    let mut compressed = false;
    let mut longest = 0;
    if at(b, j) == b':' {
        if at(b, j + 1) != b':' {
            return None;
        }
        compressed = true;
        j += 2;
    }
    let mut end = j;
    loop {
        let s = j;
        while at(b, j).is_ascii_hexdigit() && j - s < 5 {
            j += 1;
        }
        let len = j - s;
        if len == 0 {
            break;
        }
        if len > 4 {
            return None;
        }
        if at(b, j) == b'.' {
            // An IPv4 address as the last 32 bits: `::ffff:192.0.2.1`.
            if groups <= 6 && (compressed || groups == 6) {
                if let Some(e) = ipv4(b, s) {
                    groups += 2;
                    longest = 4;
                    end = e;
                    break;
                }
            }
            // A dot and a digit continue a longer dotted number; a dot and
            // anything else ends a sentence: `2001:db8::1.`
            if digit_at(b, j + 1) {
                return None;
            }
        }
        groups += 1;
        longest = longest.max(len);
        end = j;
        if groups > 8 {
            return None;
        }
        if at(b, j) == b':' && at(b, j + 1) == b':' {
            if compressed {
                return None;
            }
            compressed = true;
            j += 2;
            end = j;
        } else if at(b, j) == b':' && at(b, j + 1).is_ascii_hexdigit() {
            j += 1;
        } else {
            break;
        }
    }
    let shape = if compressed {
        (2..=7).contains(&groups) && longest >= 3
    } else {
        groups == 8
    };
    let next = at(b, end);
    let clean_end = ends_word(b, end)
        && !(next == b':' && (at(b, end + 1).is_ascii_hexdigit() || at(b, end + 1) == b':'));
    (shape && clean_end).then_some(end)
}

// --- IBAN ---------------------------------------------------------------------

/// The length of an IBAN in each country that has them (ISO 13616), from
/// the SWIFT IBAN registry (release 101) as python-stdnum's `iban.dat`
/// lists it, sorted by country code.
const IBAN_LENGTHS: [([u8; 2], u8); 89] = [
    (*b"AD", 24),
    (*b"AE", 23),
    (*b"AL", 28),
    (*b"AT", 20),
    (*b"AZ", 28),
    (*b"BA", 20),
    (*b"BE", 16),
    (*b"BG", 22),
    (*b"BH", 22),
    (*b"BI", 27),
    (*b"BR", 29),
    (*b"BY", 28),
    (*b"CH", 21),
    (*b"CR", 22),
    (*b"CY", 28),
    (*b"CZ", 24),
    (*b"DE", 22),
    (*b"DJ", 27),
    (*b"DK", 18),
    (*b"DO", 28),
    (*b"EE", 20),
    (*b"EG", 29),
    (*b"ES", 24),
    (*b"FI", 18),
    (*b"FK", 18),
    (*b"FO", 18),
    (*b"FR", 27),
    (*b"GB", 22),
    (*b"GE", 22),
    (*b"GI", 23),
    (*b"GL", 18),
    (*b"GR", 27),
    (*b"GT", 28),
    (*b"HN", 28),
    (*b"HR", 21),
    (*b"HU", 28),
    (*b"IE", 22),
    (*b"IL", 23),
    (*b"IQ", 23),
    (*b"IS", 26),
    (*b"IT", 27),
    (*b"JO", 30),
    (*b"KW", 30),
    (*b"KZ", 20),
    (*b"LB", 28),
    (*b"LC", 32),
    (*b"LI", 21),
    (*b"LT", 20),
    (*b"LU", 20),
    (*b"LV", 21),
    (*b"LY", 25),
    (*b"MC", 27),
    (*b"MD", 24),
    (*b"ME", 22),
    (*b"MK", 19),
    (*b"MN", 20),
    (*b"MR", 27),
    (*b"MT", 31),
    (*b"MU", 30),
    (*b"NI", 28),
    (*b"NL", 18),
    (*b"NO", 15),
    (*b"OM", 23),
    (*b"PK", 24),
    (*b"PL", 28),
    (*b"PS", 29),
    (*b"PT", 25),
    (*b"QA", 29),
    (*b"RO", 24),
    (*b"RS", 22),
    (*b"RU", 33),
    (*b"SA", 24),
    (*b"SC", 31),
    (*b"SD", 18),
    (*b"SE", 24),
    (*b"SI", 19),
    (*b"SK", 24),
    (*b"SM", 27),
    (*b"SO", 23),
    (*b"ST", 25),
    (*b"SV", 28),
    (*b"TL", 23),
    (*b"TN", 24),
    (*b"TR", 26),
    (*b"UA", 29),
    (*b"VA", 22),
    (*b"VG", 24),
    (*b"XK", 20),
    (*b"YE", 30),
];

/// The IBAN length of the country `code` (upper case), if it has IBANs.
///
/// ```
/// use index_ops::detect::iban_length;
/// assert_eq!(iban_length(*b"DE"), Some(22));
/// assert_eq!(iban_length(*b"NO"), Some(15));
/// assert_eq!(iban_length(*b"US"), None);
/// ```
pub fn iban_length(code: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .binary_search_by_key(&code, |(c, _)| *c)
        .ok()
        .map(|k| usize::from(IBAN_LENGTHS[k].1))
}

/// An IBAN starting at `i`: a country code in any case, two check digits,
/// then letters and digits up to exactly the country's length, compact or
/// with separators after the check digits (one dash, or one or two spaces,
/// between any two characters: `DE89 3704 0044 0532 0130 00`,
/// `de89-3704-0044-0532-0130-00`, `DE89 37040044  0532013000`). It must end
/// a word and pass mod-97.
fn iban(b: &[u8], i: usize) -> Option<usize> {
    let code = [
        at(b, i).to_ascii_uppercase(),
        at(b, i + 1).to_ascii_uppercase(),
    ];
    let shape = code[0].is_ascii_uppercase()
        && code[1].is_ascii_uppercase()
        && digit_at(b, i + 2)
        && digit_at(b, i + 3);
    if !shape {
        return None;
    }
    let len = iban_length(code)?;
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut j = i;
    while n < len {
        let x = at(b, j);
        if x.is_ascii_alphanumeric() {
            chars[n] = x.to_ascii_uppercase();
            n += 1;
            j += 1;
            continue;
        }
        let sep = match x {
            b'-' => 1,
            b' ' if at(b, j + 1) == b' ' => 2,
            b' ' => 1,
            _ => return None,
        };
        if n < 4 || !at(b, j + sep).is_ascii_alphanumeric() {
            return None;
        }
        j += sep;
    }
    (ends_word(b, j) && mod97(&chars[..len]) == Some(1)).then_some(j)
}

/// ISO 7064 mod-97 of an IBAN: the first four characters move to the end,
/// letters count as 10–35.
pub fn mod97(iban: &[u8]) -> Option<u32> {
    if iban.len() < 5 {
        return None;
    }
    let mut rem = 0u32;
    for &ch in iban[4..].iter().chain(&iban[..4]) {
        rem = match ch {
            b'0'..=b'9' => (rem * 10 + u32::from(ch - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(ch - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(rem)
}

// --- secrets ------------------------------------------------------------------

fn token_char(x: u8) -> bool {
    x.is_ascii_alphanumeric() || matches!(x, b'_' | b'-')
}

fn upper_alnum(x: u8) -> bool {
    x.is_ascii_uppercase() || x.is_ascii_digit()
}

/// (prefix, minimum body length, exact length required, body bytes)
type Prefix = (&'static [u8], usize, bool, fn(u8) -> bool);

/// Grouped by first letter; `prefixed_secret` relies on this order.
const PREFIXES: &[Prefix; 17] = &[
    (b"sk-", 20, false, token_char),
    (b"sk_live_", 16, false, token_char),
    (b"sk_test_", 16, false, token_char),
    (b"rk_live_", 16, false, token_char),
    (b"ghp_", 30, false, token_char),
    (b"gho_", 30, false, token_char),
    (b"ghs_", 30, false, token_char),
    (b"ghu_", 30, false, token_char),
    (b"ghr_", 30, false, token_char),
    (b"github_pat_", 22, false, token_char),
    (b"glpat-", 20, false, token_char),
    (b"xoxb-", 10, false, token_char),
    (b"xoxp-", 10, false, token_char),
    (b"xoxa-", 10, false, token_char),
    (b"AIza", 30, false, token_char),
    (b"AKIA", 16, true, upper_alnum),
    (b"ASIA", 16, true, upper_alnum),
];

fn prefixed_secret(b: &[u8], i: usize) -> Option<usize> {
    // Only a few first letters can start a known prefix: a cheap filter
    // before comparing any prefix.
    let candidates = match at(b, i) {
        b's' => &PREFIXES[0..3],
        b'r' => &PREFIXES[3..4],
        b'g' => &PREFIXES[4..11],
        b'x' => &PREFIXES[11..14],
        b'A' => &PREFIXES[14..17],
        b'e' => return jwt(b, i),
        _ => return None,
    };
    let rest = b.get(i..)?;
    for &(prefix, min, exact, body) in candidates {
        if rest.starts_with(prefix) {
            let s = i + prefix.len();
            let mut j = s;
            while body(at(b, j)) {
                j += 1;
            }
            let len = j - s;
            if (if exact { len == min } else { len >= min }) && !is_word(at(b, j)) {
                return Some(j);
            }
        }
    }
    None
}

/// A JSON Web Token: `eyJ…` and three dot-separated base64url parts.
fn jwt(b: &[u8], i: usize) -> Option<usize> {
    if !b.get(i..)?.starts_with(b"eyJ") {
        return None;
    }
    let mut j = i;
    for part in 0..3 {
        let s = j;
        while token_char(at(b, j)) {
            j += 1;
        }
        if j - s < 8 {
            return None;
        }
        if part < 2 {
            if at(b, j) != b'.' {
                return None;
            }
            j += 1;
        }
    }
    Some(j)
}

fn bearer_char(x: u8) -> bool {
    x.is_ascii_alphanumeric() || matches!(x, b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-')
}

/// The token after `Bearer ` (any case): at least 16 token bytes. The word
/// `Bearer` itself stays, so the redacted text reads `Bearer [SECRET]`.
fn bearer_token(b: &[u8], i: usize) -> Option<usize> {
    if i < 7
        || !matches!(b[i - 2], b'r' | b'R')
        || !b[i - 7..i].eq_ignore_ascii_case(b"bearer ")
        || (i > 7 && is_word(b[i - 8]))
    {
        return None;
    }
    secret_value(b, i, bearer_char, 16)
}

fn value_char(x: u8) -> bool {
    x.is_ascii_graphic()
        && !matches!(
            x,
            b'"' | b'\'' | b',' | b';' | b')' | b']' | b'}' | b'<' | b'>'
        )
}

/// Keys whose value is a secret in `key=value`, `key: value` or
/// `"key": "value"` form.
const SECRET_KEYS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"pwd",
    b"secret",
    b"client_secret",
    b"token",
    b"access_token",
    b"refresh_token",
    b"auth_token",
    b"api_key",
    b"apikey",
    b"api-key",
    b"x-api-key",
    b"private_key",
];

/// A value of at least 8 bytes assigned to one of [`SECRET_KEYS`].
fn assigned_secret(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let skip = |j: &mut usize, quote: bool| {
        if quote && *j > 0 && matches!(b[*j - 1], b'"' | b'\'') {
            *j -= 1;
        }
        let mut n = 0;
        while *j > 0 && b[*j - 1] == b' ' && n < 2 {
            *j -= 1;
            n += 1;
        }
    };
    skip(&mut j, true);
    if j == 0 || !matches!(b[j - 1], b'=' | b':') {
        return None;
    }
    j -= 1;
    skip(&mut j, false);
    skip(&mut j, true);
    let key_end = j;
    while j > 0 && key_end - j < 20 && (is_word(b[j - 1]) || b[j - 1] == b'-') {
        j -= 1;
    }
    let key = &b[j..key_end];
    if j > 0 && is_word(b[j - 1]) {
        return None;
    }
    if !SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        return None;
    }
    secret_value(b, i, value_char, 8)
}

fn secret_value(b: &[u8], i: usize, class: fn(u8) -> bool, min: usize) -> Option<usize> {
    let mut j = i;
    while class(at(b, j)) {
        j += 1;
    }
    // A sentence may end right after the value.
    while j > i && b[j - 1] == b'.' {
        j -= 1;
    }
    (j - i >= min).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_lowercase_marks_exactly_the_bytes_that_are_not_letters() {
        for lane in 0..8 {
            for x in 0..=255u8 {
                // The byte under test in one lane, letters and non-letters
                // around it (a borrow between lanes would show up there).
                for fill in [b'a', b'z', b'{', 0x80, 0xff, b' '] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = x;
                    let mask = not_lowercase(u64::from_le_bytes(bytes));
                    for (k, &y) in bytes.iter().enumerate() {
                        let marked = (mask >> (8 * k + 7)) & 1 == 1;
                        assert_eq!(marked, !y.is_ascii_lowercase(), "{bytes:?} lane {k}");
                    }
                    assert_eq!(mask & !0x8080_8080_8080_8080, 0);
                }
            }
        }
    }

    #[test]
    fn skip_lowercase_stops_at_the_first_other_byte_or_the_end() {
        let text = b"abcdefghijklmnopqrstuvwxyz.abcdefgh";
        for j in 0..=text.len() {
            let expected = (j..text.len())
                .find(|&k| !text[k].is_ascii_lowercase())
                .unwrap_or(text.len());
            assert_eq!(skip_lowercase(text, j), expected, "from {j}");
        }
    }

    /// [`skip_plain_words`] passes words of lower-case letters without
    /// asking for a known prefix: true only while no prefix is made of
    /// lower-case letters alone (the JWT's `eyJ` included).
    #[test]
    fn no_secret_prefix_is_a_plain_lower_case_word() {
        for prefix in PREFIXES.iter().map(|p| p.0).chain([&b"eyJ"[..]]) {
            assert!(
                !prefix.iter().all(u8::is_ascii_lowercase),
                "{:?} would be passed as a plain word",
                String::from_utf8_lossy(prefix)
            );
        }
    }

    #[test]
    fn mod97_of_known_ibans() {
        assert_eq!(mod97(b"GB82WEST12345698765432"), Some(1));
        assert_eq!(mod97(b"DE89370400440532013000"), Some(1));
        assert_ne!(mod97(b"DE89370400440532013001"), Some(1));
    }
}

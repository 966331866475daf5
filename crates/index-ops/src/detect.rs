//! The detectors behind [`redact`](crate::redact): hand-written scanners, one
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

    // A value right after `token=`, `password: ` or `Bearer `.
    if matches!(prev, b'=' | b':' | b' ' | b'"' | b'\'') {
        if let Some(end) = bearer_token(b, i).or_else(|| assigned_secret(b, i)) {
            return Some((PiiKind::Secret, end));
        }
    }
    if (c.is_ascii_alphanumeric() || c >= 0xC0) && !is_local(prev) {
        if let Some(end) = email(b, i) {
            return Some((PiiKind::Email, end));
        }
    }
    match c {
        b'0'..=b'9' => {
            if matches!(prev, b'.' | b'-' | b'/' | b',') {
                return None;
            }
            if let Some(end) = ipv6(b, i) {
                return Some((PiiKind::Ipv6, end));
            }
            if let Some(end) = ipv4(b, i) {
                return Some((PiiKind::Ipv4, end));
            }
            if let Some(end) = ssn(text, i) {
                return Some((PiiKind::Ssn, end));
            }
            if let Some(end) = card(b, i) {
                return Some((PiiKind::Card, end));
            }
            phone_nanp(b, i).map(|end| (PiiKind::Phone, end))
        }
        b'a'..=b'z' | b'A'..=b'Z' => {
            if let Some(end) = prefixed_secret(b, i) {
                return Some((PiiKind::Secret, end));
            }
            if c.is_ascii_uppercase() {
                if let Some(end) = iban(b, i) {
                    return Some((PiiKind::Iban, end));
                }
            }
            if c.is_ascii_hexdigit() && !matches!(prev, b':' | b'.') {
                return ipv6(b, i).map(|end| (PiiKind::Ipv6, end));
            }
            None
        }
        b'+' => phone_international(b, i).map(|end| (PiiKind::Phone, end)),
        b'(' => phone_parenthesized(b, i).map(|end| (PiiKind::Phone, end)),
        b':' if prev != b':' => ipv6(b, i).map(|end| (PiiKind::Ipv6, end)),
        _ => None,
    }
}

/// Letters, digits and `_`: bytes that continue a word.
fn is_word(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'_'
}

/// Bytes allowed in an e-mail address's local part (non-ASCII letters
/// included: `zoë@example.org` is an address too).
fn is_local(x: u8) -> bool {
    x.is_ascii_alphanumeric() || matches!(x, b'.' | b'_' | b'%' | b'+' | b'-') || x >= 0x80
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn digit_at(b: &[u8], i: usize) -> bool {
    at(b, i).is_ascii_digit()
}

/// The kind of the first personal value in `text`, or `None`: what the
/// first finding of [`redact`](crate::redact) would be, without building a
/// redacted copy. Used to check names (ids, collections) cheaply.
///
/// ```
/// use index_ops::{detect::first_pii, PiiKind};
/// assert_eq!(first_pii("kb/d000042"), None);
/// assert_eq!(first_pii("user/ana@example.org"), Some(PiiKind::Email));
/// ```
pub fn first_pii(text: &str) -> Option<PiiKind> {
    (0..text.len()).find_map(|i| detect_at(text, i).map(|(kind, _)| kind))
}

/// `true` when a value ending at `end` ends a word: what follows is not a
/// letter, digit or `_`, and not a `.`/`-` that continues with a digit.
fn ends_word(b: &[u8], end: usize) -> bool {
    let next = at(b, end);
    !(is_word(next) || (matches!(next, b'.' | b'-') && digit_at(b, end + 1)))
}

// --- e-mail -----------------------------------------------------------------

fn email(b: &[u8], i: usize) -> Option<usize> {
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
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'-') {
            k += 1;
        }
        if k == s || b[s] == b'-' || b[k - 1] == b'-' {
            break;
        }
        labels += 1;
        if labels >= 2 && k - s >= 2 && b[s..k].iter().all(u8::is_ascii_alphabetic) {
            end = Some(k);
        }
        if at(b, k) == b'.' && at(b, k + 1).is_ascii_alphanumeric() {
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

fn ssn(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let end = i + 11;
    let shape = end <= b.len()
        && (0..11).all(|k| match k {
            3 | 6 => matches!(b[i + k], b'-' | b' '),
            _ => b[i + k].is_ascii_digit(),
        });
    if shape && ends_word(b, end) && !(at(b, end) == b' ' && digit_at(b, end + 1)) {
        let candidate = text.get(i..end)?;
        if ssn_valid(candidate) {
            return Some(end);
        }
    }
    None
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

/// A North American number: `415-555-2671`, `415.555.2671`, `415 555 2671`,
/// optionally after `1-`. Area code and exchange start with 2–9.
fn phone_nanp(b: &[u8], i: usize) -> Option<usize> {
    if at(b, i) == b'1' && matches!(at(b, i + 1), b'-' | b'.' | b' ') {
        if let Some(end) = nanp_body(b, i + 2, Some(at(b, i + 1))) {
            return Some(end);
        }
    }
    nanp_body(b, i, None)
}

fn nanp_body(b: &[u8], i: usize, sep: Option<u8>) -> Option<usize> {
    let sep = sep.unwrap_or(at(b, i + 3));
    let ok = matches!(sep, b'-' | b'.' | b' ')
        && digits_run(b, i, 3)
        && at(b, i) >= b'2'
        && at(b, i + 3) == sep
        && digits_run(b, i + 4, 3)
        && at(b, i + 4) >= b'2'
        && at(b, i + 7) == sep
        && digits_run(b, i + 8, 4);
    let end = i + 12;
    (ok && ends_word(b, end) && !(at(b, end) == b' ' && digit_at(b, end + 1))).then_some(end)
}

fn digits_run(b: &[u8], i: usize, n: usize) -> bool {
    (i..i + n).all(|k| digit_at(b, k)) && !digit_at(b, i + n)
}

/// `(415) 555-2671` or `(415)555-2671`.
fn phone_parenthesized(b: &[u8], i: usize) -> Option<usize> {
    if !(digits_run(b, i + 1, 3) && at(b, i + 1) >= b'2' && at(b, i + 4) == b')') {
        return None;
    }
    let mut j = i + 5;
    if at(b, j) == b' ' {
        j += 1;
    }
    let ok = digits_run(b, j, 3)
        && at(b, j) >= b'2'
        && matches!(at(b, j + 3), b'-' | b'.' | b' ')
        && digits_run(b, j + 4, 4);
    let end = j + 8;
    (ok && ends_word(b, end)).then_some(end)
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
            return None;
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

/// Two letters, two check digits, then up to 30 letters or digits, compact
/// or in groups of four; the whole must pass ISO 7064 mod-97.
fn iban(b: &[u8], i: usize) -> Option<usize> {
    let upper_or_digit = |x: u8| x.is_ascii_uppercase() || x.is_ascii_digit();
    if !(at(b, i + 1).is_ascii_uppercase() && digit_at(b, i + 2) && digit_at(b, i + 3)) {
        return None;
    }
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut ends = [(0usize, 0usize); 35];
    let mut ne = 0;
    let mut j = i;
    loop {
        while n < chars.len() && upper_or_digit(at(b, j)) {
            chars[n] = b[j];
            n += 1;
            j += 1;
        }
        ends[ne] = (j, n);
        ne += 1;
        if n % 4 == 0 && n < chars.len() && at(b, j) == b' ' && upper_or_digit(at(b, j + 1)) {
            j += 1;
        } else {
            break;
        }
    }
    for &(end, len) in ends[..ne].iter().rev() {
        if (15..=34).contains(&len) && ends_word(b, end) && mod97(&chars[..len]) == Some(1) {
            return Some(end);
        }
    }
    None
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
    fn mod97_of_known_ibans() {
        assert_eq!(mod97(b"GB82WEST12345698765432"), Some(1));
        assert_eq!(mod97(b"DE89370400440532013000"), Some(1));
        assert_ne!(mod97(b"DE89370400440532013001"), Some(1));
    }
}

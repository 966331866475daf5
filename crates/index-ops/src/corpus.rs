//! Made-up documents and made-up personal data, from a seed.
//!
//! The story, the lab checks, the tests and the benchmark all need documents
//! with personal data planted at known places. Every value here is generated
//! (valid in shape and checksum, so the detectors must catch it) and every
//! document is a sentence soup of plain lower-case words, which contain no
//! personal data, so the planted values are the *only* findings: a test knows
//! exactly what redaction must remove and where.

use labkit::SimRng;

use crate::detect::{iban_length, mod97};
use crate::document::SourceDoc;
use crate::redaction::PiiKind;

/// Plain words for filler text: lower-case letters only, so nothing in them
/// can look like personal data.
pub const WORDS: &[&str] = &[
    "account",
    "agent",
    "alert",
    "answer",
    "archive",
    "billing",
    "cache",
    "change",
    "customer",
    "deploy",
    "document",
    "error",
    "escalate",
    "export",
    "gateway",
    "guide",
    "handbook",
    "incident",
    "index",
    "invoice",
    "latency",
    "login",
    "manager",
    "model",
    "network",
    "notice",
    "policy",
    "portal",
    "printer",
    "quota",
    "refund",
    "release",
    "request",
    "reset",
    "retention",
    "review",
    "rollback",
    "router",
    "schedule",
    "search",
    "server",
    "service",
    "session",
    "shift",
    "support",
    "team",
    "ticket",
    "token",
    "update",
    "upgrade",
    "user",
    "vendor",
    "version",
    "vpn",
    "window",
    "workflow",
    "the",
    "a",
    "to",
    "for",
    "with",
    "after",
    "before",
    "when",
    "is",
    "was",
    "and",
    "or",
    "not",
    "our",
    "please",
    "check",
    "open",
    "close",
    "weekly",
    "monthly",
];

/// A generated value, planted in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// What kind of value it is.
    pub kind: PiiKind,
    /// Text that goes right before the value and is *not* personal data
    /// itself (`Bearer `, `password=`), possibly empty.
    pub lead: String,
    /// The raw value: what must never be stored.
    pub value: String,
}

/// A generated document and where its values were planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedDoc {
    /// The document.
    pub source: SourceDoc,
    /// The values, each with its byte span in `source.text`, in order.
    pub planted: Vec<(Planted, std::ops::Range<usize>)>,
}

fn digits(rng: &mut SimRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

/// The Luhn check digit that completes `body` (computed here independently
/// of the learner's `luhn_valid`).
pub fn luhn_check_digit(body: &str) -> u8 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A Luhn-valid card number: Visa (16 digits) or Amex (15), compact or
/// grouped with spaces or dashes.
pub fn card(rng: &mut SimRng) -> String {
    let (prefix, len) = if rng.chance(0.7) {
        ("4".to_string(), 16)
    } else {
        (format!("3{}", if rng.chance(0.5) { 4 } else { 7 }), 15)
    };
    let body = format!("{prefix}{}", digits(rng, len - prefix.len() - 1));
    let number = format!("{body}{}", luhn_check_digit(&body));
    let sep = match rng.below(3) {
        0 => return number,
        1 => ' ',
        _ => '-',
    };
    let groups: &[usize] = if len == 16 { &[4, 4, 4, 4] } else { &[4, 6, 5] };
    let mut out = String::new();
    let mut at = 0;
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(&number[at..at + g]);
        at += g;
    }
    out
}

/// An SSN that passes every validity rule, with one separator.
pub fn ssn(rng: &mut SimRng) -> String {
    loop {
        let area = rng.between(1, 899);
        let group = rng.between(1, 99);
        let serial = rng.between(1, 9999);
        let s = format!("{area:03}{group:02}{serial:04}");
        if area == 666 || s.bytes().all(|b| b == s.as_bytes()[0]) {
            continue;
        }
        let sep = if rng.chance(0.8) { '-' } else { ' ' };
        return format!("{}{sep}{}{sep}{}", &s[..3], &s[3..5], &s[5..]);
    }
}

fn nanp(rng: &mut SimRng) -> (String, String, String) {
    (
        format!("{}{}", rng.between(2, 9), digits(rng, 2)),
        format!("{}{}", rng.between(2, 9), digits(rng, 2)),
        digits(rng, 4),
    )
}

/// A phone number in one of the US or international forms.
pub fn phone(rng: &mut SimRng) -> String {
    let (a, e, l) = nanp(rng);
    match rng.below(6) {
        0 => format!("({a}) {e}-{l}"),
        1 => format!("{a}-{e}-{l}"),
        2 => format!("{a}.{e}.{l}"),
        3 => format!("+1 {a} {e} {l}"),
        4 => {
            let cc = *rng
                .pick(&["44", "49", "33", "31", "39", "61"])
                .unwrap_or(&"44");
            format!(
                "+{cc} {} {} {}",
                digits(rng, 2),
                digits(rng, 4),
                digits(rng, 4)
            )
        }
        _ => format!("+{}{}", rng.between(2, 9), digits(rng, 10)),
    }
}

/// An e-mail address.
pub fn email(rng: &mut SimRng) -> String {
    let tld = *rng.pick(&["com", "org", "io", "net"]).unwrap_or(&"com");
    let n = rng.between(3, 8) as usize;
    let user = rng.word(n);
    let n = rng.between(4, 9) as usize;
    let host = rng.word(n);
    // The domain's last label must be letters: a host label may hold digits.
    match rng.below(3) {
        0 => format!("{user}@{host}.{tld}"),
        1 => format!("{user}.{}@mail.{host}.{tld}", rng.word(4)),
        _ => format!("{}+{}@{host}.{tld}", user.to_uppercase(), rng.word(3)),
    }
}

/// An IPv4 address.
pub fn ipv4(rng: &mut SimRng) -> String {
    format!(
        "{}.{}.{}.{}",
        rng.between(1, 223),
        rng.below(256),
        rng.below(256),
        rng.between(1, 254)
    )
}

/// An IPv6 address, full or compressed.
pub fn ipv6(rng: &mut SimRng) -> String {
    let group = |rng: &mut SimRng| format!("{:x}", rng.between(0x100, 0xffff));
    if rng.chance(0.5) {
        (0..8).map(|_| group(rng)).collect::<Vec<_>>().join(":")
    } else {
        format!("2001:db8::{}:{}", group(rng), group(rng))
    }
}

/// A German IBAN with correct check digits, compact or grouped by four.
pub fn iban(rng: &mut SimRng) -> String {
    let bban = digits(rng, 18);
    let probe = format!("DE00{bban}");
    let check = 98 - mod97(probe.as_bytes()).unwrap_or(0);
    let compact = format!("DE{check:02}{bban}");
    if rng.chance(0.5) {
        compact
    } else {
        compact
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn alnum(rng: &mut SimRng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| char::from(A[rng.below(A.len() as u64) as usize]))
        .collect()
}

/// A secret with the text that introduces it.
pub fn secret(rng: &mut SimRng) -> (String, String) {
    match rng.below(5) {
        0 => (String::new(), format!("sk-{}", alnum(rng, 32))),
        1 => (String::new(), format!("ghp_{}", alnum(rng, 36))),
        2 => (
            String::new(),
            format!("AKIA{}", alnum(rng, 16).to_uppercase()),
        ),
        3 => ("Authorization: Bearer ".to_string(), alnum(rng, 40)),
        _ => ("api_key=".to_string(), alnum(rng, 24)),
    }
}

/// An SSN written with any of the separators real text uses: a dash, a
/// space or a dot (one of them, in both places).
pub fn ssn_any(rng: &mut SimRng) -> String {
    let s = ssn(rng);
    let sep = *rng.pick(&['-', ' ', '.']).unwrap_or(&'.');
    format!("{}{sep}{}{sep}{}", &s[..3], &s[4..6], &s[7..])
}

/// An ITIN: area 9xx, a group from the IRS ranges, any serial, with one of
/// the three separators.
pub fn itin(rng: &mut SimRng) -> String {
    let ranges: [(u64, u64); 4] = [(50, 65), (70, 88), (90, 92), (94, 99)];
    let (lo, hi) = *rng.pick(&ranges).unwrap_or(&(70, 88));
    let group = rng.between(lo, hi);
    let sep = *rng.pick(&['-', ' ', '.']).unwrap_or(&'-');
    format!("9{}{sep}{group:02}{sep}{}", digits(rng, 2), digits(rng, 4))
}

/// An ATIN: area 9xx, group 93 (the IRS's `9XX-93-XXXX`), any serial, with
/// one of the three separators.
pub fn atin(rng: &mut SimRng) -> String {
    let sep = *rng.pick(&['-', ' ', '.']).unwrap_or(&'-');
    format!("9{}{sep}93{sep}{}", digits(rng, 2), digits(rng, 4))
}

/// Countries for [`iban_any`], with whether their BBAN starts with a
/// four-letter bank code.
const IBAN_COUNTRIES: &[(&str, bool)] = &[
    ("DE", false),
    ("FR", false),
    ("ES", false),
    ("IT", false),
    ("NO", false),
    ("BE", false),
    ("PL", false),
    ("CH", false),
    ("MT", true),
    ("GB", true),
    ("NL", true),
    ("IE", true),
];

/// An IBAN of one of several countries, of that country's length, with
/// correct check digits, in upper, lower or mixed case, compact, grouped by
/// four with spaces or dashes, or in irregular groups.
pub fn iban_any(rng: &mut SimRng) -> String {
    let &(cc, letters) = rng.pick(IBAN_COUNTRIES).unwrap_or(&("DE", false));
    let code = [cc.as_bytes()[0], cc.as_bytes()[1]];
    let len = iban_length(code).unwrap_or(22);
    let mut bban = String::new();
    if letters {
        bban.push_str(&rng.word(4).to_uppercase());
    }
    bban.push_str(&digits(rng, len - 4 - bban.len()));
    let probe = format!("{cc}00{bban}");
    let check = 98 - mod97(probe.as_bytes()).unwrap_or(0);
    let compact = format!("{cc}{check:02}{bban}");
    let cased: String = match rng.below(3) {
        0 => compact,
        1 => compact.to_lowercase(),
        _ => compact
            .chars()
            .map(|c| {
                if rng.chance(0.5) {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect(),
    };
    let groups = |sizes: &mut dyn FnMut() -> usize, seps: &mut dyn FnMut() -> &'static str| {
        let mut out = String::new();
        let mut at = 0;
        while at < cased.len() {
            let n = if at == 0 { 4 } else { sizes() }.min(cased.len() - at);
            if at > 0 {
                out.push_str(seps());
            }
            out.push_str(&cased[at..at + n]);
            at += n;
        }
        out
    };
    match rng.below(4) {
        0 => cased.clone(),
        1 => groups(&mut || 4, &mut || " "),
        2 => groups(&mut || 4, &mut || "-"),
        _ => {
            let mut r = SimRng::seed(rng.next_u64());
            let mut r2 = SimRng::seed(rng.next_u64());
            groups(&mut || r.between(2, 8) as usize, &mut || {
                if r2.chance(0.3) {
                    "  "
                } else {
                    " "
                }
            })
        }
    }
}

/// An e-mail address that uses what RFC 5322 allows in a local part
/// (`'`, `!`, `#`, `$`, `%`, `&`, `*`, `+`, `/`, `=`, `?`, `^`, `_`, a
/// backtick, `{`, `|`, `}`, `~`, `-`, inner dots) and internationalized
/// domains, in Unicode (`münchen.de`) or punycode (`xn--mnchen-3ya.de`).
pub fn email_rfc(rng: &mut SimRng) -> String {
    const ATEXT: &[u8] = b"'!#$%&*+/=?^_`{|}~-";
    let n = rng.between(2, 5) as usize;
    let mut local = rng.word(n);
    for _ in 0..rng.between(1, 3) {
        let sym = char::from(ATEXT[rng.below(ATEXT.len() as u64) as usize]);
        local.push(sym);
        let n = rng.between(1, 4) as usize;
        local.push_str(&rng.word(n));
    }
    if rng.chance(0.3) {
        local = format!("{local}.{}", rng.word(3));
    }
    if rng.chance(0.2) {
        local = format!("zoë.{local}");
    }
    let domains = [
        "münchen.de",
        "bücher.example",
        "xn--mnchen-3ya.de",
        "mail.xn--bcher-kva.example",
        "例え.jp",
        "пример.рф",
        "xn--e1afmkfd.xn--p1ai",
        "straße.at",
    ];
    let domain = *rng.pick(&domains).unwrap_or(&"münchen.de");
    let host = if rng.chance(0.5) {
        let n = rng.between(3, 7) as usize;
        format!("{}.", rng.word(n))
    } else {
        String::new()
    };
    format!("{local}@{host}{domain}")
}

/// A value of `kind`. Half the e-mail addresses, SSNs and IBANs use the
/// harder forms ([`email_rfc`], [`ssn_any`], [`iban_any`]).
pub fn plant(rng: &mut SimRng, kind: PiiKind) -> Planted {
    let hard = rng.chance(0.5);
    let (lead, value) = match kind {
        PiiKind::Email if hard => (String::new(), email_rfc(rng)),
        PiiKind::Email => (String::new(), email(rng)),
        PiiKind::Phone => (String::new(), phone(rng)),
        PiiKind::Ssn if hard => (String::new(), ssn_any(rng)),
        PiiKind::Ssn => (String::new(), ssn(rng)),
        PiiKind::Itin => (String::new(), itin(rng)),
        PiiKind::Atin => (String::new(), atin(rng)),
        PiiKind::Iban if hard => (String::new(), iban_any(rng)),
        PiiKind::Card => (String::new(), card(rng)),
        PiiKind::Ipv4 => (String::new(), ipv4(rng)),
        PiiKind::Ipv6 => (String::new(), ipv6(rng)),
        PiiKind::Iban => (String::new(), iban(rng)),
        PiiKind::Secret => secret(rng),
    };
    Planted { kind, lead, value }
}

/// Filler text of about `len` bytes (at least one word): plain words and
/// sentence breaks.
pub fn filler(rng: &mut SimRng, len: usize, out: &mut String) {
    let start = out.len();
    loop {
        let w = WORDS[rng.below(WORDS.len() as u64) as usize];
        out.push_str(w);
        out.push_str(if rng.chance(0.08) { ". " } else { " " });
        if out.len() - start >= len {
            break;
        }
    }
}

/// A document of about `len` bytes with `n_pii` values of random kinds
/// planted among plain words.
pub fn document(
    rng: &mut SimRng,
    id: &str,
    collection: &str,
    len: usize,
    n_pii: usize,
) -> PlantedDoc {
    let mut text = String::with_capacity(len + 64);
    let mut planted = Vec::new();
    let chunk = len / (n_pii + 1);
    filler(rng, chunk, &mut text);
    for _ in 0..n_pii {
        let kind = PiiKind::ALL[rng.below(PiiKind::ALL.len() as u64) as usize];
        let p = plant(rng, kind);
        text.push_str(&p.lead);
        let start = text.len();
        text.push_str(&p.value);
        let span = start..text.len();
        text.push(' ');
        planted.push((p, span));
        filler(rng, chunk, &mut text);
    }
    PlantedDoc {
        source: SourceDoc::new(id, collection, text),
        planted,
    }
}

/// `n` documents of about `len` bytes across the collections `kb` and
/// `tickets`, ids `kb/000001`-style, each with up to `max_pii` planted
/// values.
pub fn corpus(rng: &mut SimRng, n: usize, len: usize, max_pii: usize) -> Vec<PlantedDoc> {
    (0..n)
        .map(|i| {
            let collection = if i % 3 == 0 { "tickets" } else { "kb" };
            let n_pii = rng.below(max_pii as u64 + 1) as usize;
            document(
                rng,
                &format!("{collection}/d{i:06}"),
                collection,
                len,
                n_pii,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_completes_known_numbers() {
        assert_eq!(luhn_check_digit("411111111111111"), 1);
        assert_eq!(luhn_check_digit("7992739871"), 3);
    }
}

//! The redactor's validators and its US phone rule, compared case by case
//! with the libraries the field uses to judge the same values: python-stdnum
//! 2.2 (`us.ssn`, `us.itin`, `luhn`, `iban`) and phonenumbers 9.0.43 (the
//! Python port of Google's libphonenumber, `PhoneNumberMatcher` for the US).
//!
//! `tests/stdnum/run_reference.py` judges the cases this file generates
//! (seeded, so the same cases every run) and the test compares:
//!
//! - **SSN**: `ssn_valid` and `stdnum.us.ssn.is_valid` agree on every
//!   `AAA-GG-SSSS` case except two named rules, counted and printed: nine
//!   equal digits (`111-11-1111`, a placeholder) are not redacted here while
//!   stdnum accepts them, and the numbers stdnum blacklists because they were
//!   published (`078-05-1120`, from a wallet insert) are redacted here, which
//!   costs nothing.
//! - **ITIN**: exact agreement except groups 50–65, which the IRS added to
//!   the ITIN ranges in 2011 and stdnum does not accept yet (counted).
//! - **Luhn**: exact agreement.
//! - **IBAN**: every IBAN stdnum accepts is found, compact and in groups of
//!   four. stdnum also checks some countries' national check digits, so it
//!   accepts fewer; what only the redactor finds is counted, not failed.
//! - **Phones**: every span phonenumbers finds in a US text lies inside a
//!   phone the redactor replaced. phonenumbers also knows which area codes
//!   are assigned; numbers only the redactor replaces are counted.
//!
//! stdnum's ATIN rule checks the format only (any nine digits), so ATINs are
//! not compared; `atin_valid` follows the IRS's `9XX-93-XXXX`.
#![cfg(feature = "solution")]

mod python;

use index_ops::detect::itin_valid;
use index_ops::{luhn_valid, redact, ssn_valid, PiiKind};
use labkit::SimRng;

const STDNUM: &str = "2.2";
const PHONENUMBERS: &str = "9.0.43";

/// Area, group and serial values at and around every boundary the rules
/// name, plus random ones.
fn ssn_cases(rng: &mut SimRng) -> Vec<String> {
    let areas = [0, 1, 123, 665, 666, 667, 899, 900, 912, 987, 999];
    let groups = [0, 1, 45, 49, 50, 65, 66, 69, 70, 88, 89, 90, 92, 93, 94, 99];
    let serials = [0, 1, 1120, 6789, 9999];
    let mut out = Vec::new();
    for &a in &areas {
        for &g in &groups {
            for &s in &serials {
                out.push(format!("{a:03}-{g:02}-{s:04}"));
            }
        }
    }
    for d in 0..10 {
        let d = char::from(b'0' + d);
        out.push(format!("{0}{0}{0}-{0}{0}-{0}{0}{0}{0}", d));
    }
    // Numbers stdnum blacklists (published in advertising or by mistake).
    out.extend(["078-05-1120", "219-09-9999", "457-55-5462"].map(String::from));
    for _ in 0..2000 {
        out.push(format!(
            "{:03}-{:02}-{:04}",
            rng.below(1000),
            rng.below(100),
            rng.below(10_000)
        ));
    }
    out
}

fn digits(rng: &mut SimRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

fn luhn_cases(rng: &mut SimRng) -> Vec<String> {
    let mut out = vec!["0".to_string(), "00".to_string(), "18".to_string()];
    for _ in 0..3000 {
        let n = rng.between(1, 19) as usize;
        out.push(digits(rng, n));
    }
    out
}

/// `cc` + check digits + `bban` with the check digits that make mod-97
/// hold (ISO 13616), or deliberately off by one when `wrong`.
fn iban(cc: &str, bban: &str, wrong: bool) -> String {
    let rearranged: String = format!("{bban}{cc}00")
        .chars()
        .map(|c| match c {
            'A'..='Z' => (c as u32 - 'A' as u32 + 10).to_string(),
            _ => c.to_string(),
        })
        .collect();
    let rem = rearranged
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    let check = (98 - rem + u32::from(wrong)) % 97;
    format!("{cc}{check:02}{bban}")
}

/// Countries whose national part is all digits, with their IBAN lengths.
const NUMERIC_COUNTRIES: [(&str, usize); 12] = [
    ("DE", 22),
    ("AT", 20),
    ("BE", 16),
    ("CH", 21),
    ("DK", 18),
    ("ES", 24),
    ("FI", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("SE", 24),
    ("SI", 19),
];

fn iban_cases(rng: &mut SimRng) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..100 {
        for (cc, len) in NUMERIC_COUNTRIES {
            let bban = digits(rng, len - 4);
            out.push(iban(cc, &bban, false));
            out.push(iban(cc, &bban, true));
        }
    }
    out
}

fn grouped(iban: &str) -> String {
    let chars: Vec<char> = iban.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// US numbers in the national groupings the redactor claims, inside the
/// text shapes of real data.
fn phone_cases(rng: &mut SimRng) -> Vec<String> {
    let forms: [fn(&str, &str, &str) -> String; 10] = [
        |a, e, l| format!("{a}-{e}-{l}"),
        |a, e, l| format!("{a}.{e}.{l}"),
        |a, e, l| format!("{a} {e} {l}"),
        |a, e, l| format!("({a}) {e}-{l}"),
        |a, e, l| format!("{a}{e}{l}"),
        |a, e, l| format!("{a} {e}{l}"),
        |a, e, l| format!("{a}-{e}{l}"),
        |a, e, l| format!("1-{a}-{e}-{l}"),
        |a, e, l| format!("+1 {a} {e} {l}"),
        |a, e, l| format!("1{a}{e}{l}"),
    ];
    let shapes: [fn(&str) -> String; 8] = [
        |p| format!("call {p} now"),
        |p| format!("Ana,{p},NY"),
        |p| format!("tel: {p}."),
        |p| format!("\"phone\": \"{p}\""),
        |p| format!("| Ana | {p} |"),
        |p| format!("contact=ana phone={p} level=info"),
        |p| format!("[{p}]"),
        |p| format!("reach me at {p}, thanks"),
    ];
    // Area codes phonenumbers knows to be assigned, and random ones.
    let areas = ["212", "415", "646", "202", "312", "617", "206", "305"];
    let mut out = Vec::new();
    for i in 0..800 {
        let area = if i % 2 == 0 {
            areas[rng.below(areas.len() as u64) as usize].to_string()
        } else {
            format!("{}{}", rng.between(2, 9), digits(rng, 2))
        };
        let exchange = format!("{}{}", rng.between(2, 9), digits(rng, 2));
        let line = digits(rng, 4);
        let form = forms[i % forms.len()];
        let shape = shapes[(i / forms.len()) % shapes.len()];
        out.push(shape(&form(&area, &exchange, &line)));
    }
    out
}

fn verdicts(v: &serde_json::Value, key: &str) -> Vec<bool> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("the reference answered no `{key}`"))
        .iter()
        .map(|b| b.as_bool().unwrap_or(false))
        .collect()
}

fn phone_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    redact(text)
        .findings
        .into_iter()
        .filter(|f| f.kind == PiiKind::Phone)
        .map(|f| f.span)
        .collect()
}

#[test]
fn the_field_references_agree() {
    let Some(python) = python::find_or_skip(
        "the_field_references_agree",
        "STDNUM_PYTHON",
        &["stdnum", "phonenumbers"],
        "pip install python-stdnum==2.2 phonenumbers==9.0.43, or set STDNUM_PYTHON",
    ) else {
        return;
    };
    let mut rng = SimRng::seed(20);
    let ssn = ssn_cases(&mut rng);
    // ITINs are judged on the same shapes (area 9xx is where they live).
    let itin = ssn.clone();
    let luhn = luhn_cases(&mut rng);
    let ibans = iban_cases(&mut rng);
    let phones = phone_cases(&mut rng);
    let input = serde_json::json!({
        "ssn": ssn, "itin": itin, "luhn": luhn, "iban": ibans, "phones": phones,
    });
    let theirs = python::run(&python, "tests/stdnum/run_reference.py", &input);
    assert_eq!(
        theirs["stdnum"], STDNUM,
        "the compared python-stdnum version"
    );
    assert_eq!(
        theirs["phonenumbers"], PHONENUMBERS,
        "the compared phonenumbers version"
    );

    // SSN: agreement except the two named rules.
    let (mut placeholders, mut blacklisted) = (0, 0);
    for (s, theirs) in ssn.iter().zip(verdicts(&theirs, "ssn")) {
        let ours = ssn_valid(s);
        if ours == theirs {
            continue;
        }
        let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_digit).collect();
        if !ours && digits.iter().all(|d| *d == digits[0]) {
            placeholders += 1;
        } else if ours && !theirs {
            blacklisted += 1;
        } else {
            panic!("{s}: ssn_valid says {ours}, stdnum {STDNUM} says {theirs}");
        }
    }
    assert!(
        blacklisted <= 30,
        "{blacklisted} SSNs only stdnum rejects: more than its blacklist"
    );

    // ITIN: stdnum keeps the groups of the IRS's first ranges; the IRS
    // added 50–65 in 2011, which only the redactor accepts.
    let mut itin_new_groups = 0;
    for (s, theirs) in itin.iter().zip(verdicts(&theirs, "itin")) {
        let ours = itin_valid(s);
        let group: u32 = s[4..6].parse().expect("two digits");
        if ours && !theirs && (50..=65).contains(&group) {
            itin_new_groups += 1;
            continue;
        }
        assert_eq!(ours, theirs, "{s}: itin_valid vs stdnum {STDNUM}");
    }
    let luhn_valid_count = luhn.iter().filter(|d| luhn_valid(d)).count();
    for (d, theirs) in luhn.iter().zip(verdicts(&theirs, "luhn")) {
        assert_eq!(luhn_valid(d), theirs, "{d}: luhn_valid vs stdnum {STDNUM}");
    }

    let mut iban_only_ours = 0;
    let mut iban_both = 0;
    for (iban, theirs) in ibans.iter().zip(verdicts(&theirs, "iban")) {
        for text in [format!("IBAN {iban}"), format!("IBAN {}", grouped(iban))] {
            let found = redact(&text)
                .findings
                .iter()
                .any(|f| f.kind == PiiKind::Iban);
            assert!(
                found || !theirs,
                "{text}: stdnum {STDNUM} accepts this IBAN and the redactor keeps it"
            );
            iban_both += usize::from(found && theirs);
            iban_only_ours += usize::from(found && !theirs);
        }
    }

    let mut phone_found = 0;
    let mut phone_only_ours = 0;
    let spans = theirs["phones"].as_array().expect("phone spans");
    for (text, theirs) in phones.iter().zip(spans) {
        let ours = phone_spans(text);
        let theirs: Vec<(usize, usize)> = theirs
            .as_array()
            .expect("a list of spans")
            .iter()
            .map(|s| {
                let n = |k: usize| s[k].as_u64().expect("a position") as usize;
                (n(0), n(1))
            })
            .collect();
        for &(start, end) in &theirs {
            // phonenumbers' match may include punctuation around the number
            // (`[212-773-0779` keeps the opening bracket); what must be gone
            // is every digit of it.
            let b = text.as_bytes();
            let first = (start..end).find(|&i| b[i].is_ascii_digit());
            let last = (start..end).rev().find(|&i| b[i].is_ascii_digit());
            let (Some(first), Some(last)) = (first, last) else {
                panic!("{text:?}: phonenumbers found a number without digits");
            };
            let (start, end) = (first, last + 1);
            assert!(
                ours.iter().any(|o| o.start <= start && end <= o.end),
                "{text:?}: phonenumbers {PHONENUMBERS} finds {:?} and the redactor keeps it raw (ours: {ours:?})",
                &text[start..end]
            );
        }
        phone_found += theirs.len();
        phone_only_ours += usize::from(theirs.is_empty() && !ours.is_empty());
    }
    assert!(
        phone_found >= phones.len() / 2,
        "phonenumbers found only {phone_found} of {} planted numbers: the cases are not testing much",
        phones.len()
    );

    eprintln!(
        "the_field_references_agree: SSN {} cases ({placeholders} placeholders only stdnum accepts, \
         {blacklisted} blacklisted only the redactor redacts), ITIN {} cases ({itin_new_groups} in groups 50–65 only the redactor accepts), Luhn {} cases \
         ({luhn_valid_count} valid), IBAN {} texts ({iban_both} found by both, {iban_only_ours} only \
         by the redactor), phones {} texts ({phone_found} numbers phonenumbers finds, all redacted; \
         {phone_only_ours} texts only the redactor redacts)",
        ssn.len(),
        itin.len(),
        luhn.len(),
        ibans.len() * 2,
        phones.len()
    );
}

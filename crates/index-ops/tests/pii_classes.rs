//! The PII classes of issue 15, measured on a seeded corpus of their own.
//!
//! Each class is a family of real-world spellings that the redactor used to
//! leak or mangle. For every class the test generates values by the class's
//! rules (IRS ITIN groups, ISO 13616 lengths and mod-97, RFC 5322 `atext`,
//! IDNA labels), puts each in a sentence, and sorts the result into
//! *redacted* (exactly the value replaced by its placeholder), *leaked* (the
//! whole raw value still there) or *mangled* (anything else: a partial
//! redaction, the wrong placeholder). Look-alikes of each class must come
//! back untouched. Run with `-- --nocapture` to see the table.
//!
//! The generators here are independent of `corpus.rs` and of the detectors,
//! and the test uses only `redact` and placeholder strings, so the same file
//! measures any version of the redactor.
#![cfg(feature = "solution")]

use index_ops::redact;
use labkit::SimRng;

fn pick<'a, T>(rng: &mut SimRng, xs: &'a [T]) -> &'a T {
    &xs[rng.below(xs.len() as u64) as usize]
}

fn digits(rng: &mut SimRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

fn mod97(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut rem = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        let c = c.to_ascii_uppercase();
        rem = if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c - b'A') + 10) % 97
        };
    }
    rem
}

fn luhn(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let x = u32::from(c - b'0');
            if i % 2 == 1 {
                if x * 2 > 9 {
                    x * 2 - 9
                } else {
                    x * 2
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

/// (country, IBAN length, bank code letters) — lengths from the SWIFT
/// registry (python-stdnum `iban.dat`), restated here for the test.
const COUNTRIES: &[(&str, usize, usize)] = &[
    ("DE", 22, 0),
    ("FR", 27, 0),
    ("NO", 15, 0),
    ("ES", 24, 0),
    ("IT", 27, 0),
    ("PL", 28, 0),
    ("GB", 22, 4),
    ("NL", 18, 4),
    ("MT", 31, 4),
    ("BE", 16, 0),
];

fn iban_compact(rng: &mut SimRng) -> String {
    let &(cc, len, letters) = pick(rng, COUNTRIES);
    let bank = rng.word(letters).to_uppercase();
    let bban = format!("{bank}{}", digits(rng, len - 4 - letters));
    let check = 98 - mod97(&format!("{cc}00{bban}"));
    format!("{cc}{check:02}{bban}")
}

fn group(s: &str, sizes: &mut dyn FnMut() -> usize, sep: &mut dyn FnMut() -> String) -> String {
    let mut out = String::new();
    let mut at = 0;
    while at < s.len() {
        let n = if at == 0 { 4 } else { sizes() }.min(s.len() - at);
        if at > 0 {
            out.push_str(&sep());
        }
        out.push_str(&s[at..at + n]);
        at += n;
    }
    out
}

fn valid_ssn(rng: &mut SimRng) -> (String, String, String) {
    loop {
        let (a, g, s) = (
            rng.between(1, 899),
            rng.between(1, 99),
            rng.between(1, 9999),
        );
        let all = format!("{a:03}{g:02}{s:04}");
        if a != 666 && !all.bytes().all(|x| x == all.as_bytes()[0]) {
            return (format!("{a:03}"), format!("{g:02}"), format!("{s:04}"));
        }
    }
}

type Gen = fn(&mut SimRng) -> String;

/// (class, placeholder, generator)
fn classes() -> Vec<(&'static str, &'static str, Gen)> {
    vec![
        ("ITIN, any separator", "[ITIN]", |rng| {
            let ranges = [(50, 65), (70, 88), (90, 92), (94, 99)];
            let (lo, hi) = *pick(rng, &ranges);
            let sep = *pick(rng, &["-", " ", "."]);
            format!(
                "9{}{sep}{:02}{sep}{}",
                digits(rng, 2),
                rng.between(lo, hi),
                digits(rng, 4)
            )
        }),
        ("ATIN (issue 20), any separator", "[ATIN]", |rng| {
            let sep = *pick(rng, &["-", " ", "."]);
            format!("9{}{sep}93{sep}{}", digits(rng, 2), digits(rng, 4))
        }),
        ("SSN with dots", "[SSN]", |rng| {
            let (a, g, s) = valid_ssn(rng);
            format!("{a}.{g}.{s}")
        }),
        ("SSN with spaces", "[SSN]", |rng| {
            let (a, g, s) = valid_ssn(rng);
            format!("{a} {g} {s}")
        }),
        ("IBAN lower case", "[IBAN]", |rng| {
            let c = iban_compact(rng).to_lowercase();
            if rng.chance(0.5) {
                c
            } else {
                group(&c, &mut || 4, &mut || " ".into())
            }
        }),
        ("IBAN mixed case", "[IBAN]", |rng| {
            let c: String = iban_compact(rng)
                .chars()
                .map(|ch| {
                    if rng.chance(0.5) {
                        ch.to_ascii_lowercase()
                    } else {
                        ch
                    }
                })
                .collect();
            group(&c, &mut || 4, &mut || " ".into())
        }),
        ("IBAN with dashes", "[IBAN]", |rng| {
            let c = iban_compact(rng);
            group(&c, &mut || 4, &mut || "-".into())
        }),
        ("IBAN irregular spacing", "[IBAN]", |rng| {
            let c = iban_compact(rng);
            let mut r1 = SimRng::seed(rng.next_u64());
            let mut r2 = SimRng::seed(rng.next_u64());
            group(&c, &mut || r1.between(2, 9) as usize, &mut || {
                if r2.chance(0.3) {
                    "  ".into()
                } else {
                    " ".into()
                }
            })
        }),
        ("IBAN holding a Luhn-valid 16-digit run", "[IBAN]", |rng| {
            // DE + check + a valid card number + 2 digits, any case.
            let body = format!("4{}", digits(rng, 14));
            let card = (0..10)
                .map(|d| format!("{body}{d}"))
                .find(|c| luhn(c))
                .unwrap_or_default();
            let bban = format!("{card}{}", digits(rng, 2));
            let check = 98 - mod97(&format!("DE00{bban}"));
            let c = format!("de{check:02}{bban}");
            group(&c, &mut || 4, &mut || " ".into())
        }),
        ("e-mail, RFC 5322 atext local part", "[EMAIL]", |rng| {
            const ATEXT: &[u8] = b"'!#$%&*+/=?^_`{|}~-";
            let n = rng.between(2, 5) as usize;
            let mut local = rng.word(n);
            for _ in 0..rng.between(1, 3) {
                local.push(char::from(*pick(rng, ATEXT)));
                let n = rng.between(1, 4) as usize;
                local.push_str(&rng.word(n));
            }
            let n = rng.between(3, 8) as usize;
            format!("{local}@{}.org", rng.word(n))
        }),
        ("e-mail, Unicode domain", "[EMAIL]", |rng| {
            let d = *pick(
                rng,
                &[
                    "münchen.de",
                    "bücher.example",
                    "例え.jp",
                    "пример.рф",
                    "straße.at",
                ],
            );
            let n = rng.between(3, 8) as usize;
            format!("{}@{d}", rng.word(n))
        }),
        ("e-mail, punycode domain", "[EMAIL]", |rng| {
            let d = *pick(
                rng,
                &[
                    "xn--mnchen-3ya.de",
                    "xn--bcher-kva.example",
                    "xn--e1afmkfd.xn--p1ai",
                ],
            );
            let n = rng.between(3, 8) as usize;
            format!("{}@mail.{d}", rng.word(n))
        }),
    ]
}

/// (class, generator) of values that must stay.
fn look_alikes() -> Vec<(&'static str, Gen)> {
    vec![
        (
            "9xx number outside the ITIN groups and not an ATIN",
            |rng| {
                let g = *pick(rng, &[0u64, 10, 34, 49, 66, 69, 89]);
                format!("9{}-{g:02}-{}", digits(rng, 2), digits(rng, 4))
            },
        ),
        ("SSN shape, two different separators", |rng| {
            let (a, g, s) = valid_ssn(rng);
            let seps = *pick(rng, &[(".", "-"), ("-", "."), (" ", "."), (".", " ")]);
            format!("{a}{}{g}{}{s}", seps.0, seps.1)
        }),
        ("IBAN with a wrong check", |rng| {
            // Other check digits: for a fixed BBAN only check digits
            // congruent mod 97 to the right ones give mod-97 = 1, and
            // (check + bump) % 97 never is, for bump in 1..=96.
            let c = iban_compact(rng).to_lowercase();
            let check: u32 = c[2..4].parse().unwrap_or(0);
            let bump = rng.between(1, 96) as u32;
            format!("{}{:02}{}", &c[..2], (check + bump) % 97, &c[4..])
        }),
        ("IBAN one character short", |rng| {
            let c = iban_compact(rng);
            c[..c.len() - 1].to_string()
        }),
    ]
}

#[test]
fn every_new_class_is_redacted_whole_and_look_alikes_stay() {
    let mut rng = SimRng::seed(15);
    let n = 400;
    let mut failures = Vec::new();
    eprintln!(
        "{:<44} {:>9} {:>7} {:>8}",
        "class", "redacted", "leaked", "mangled"
    );
    for (class, placeholder, gen) in classes() {
        let (mut ok, mut leaked, mut mangled) = (0, 0, 0);
        for _ in 0..n {
            let value = gen(&mut rng);
            let text = format!("ref {value} noted");
            let out = redact(&text).text;
            if out == format!("ref {placeholder} noted") {
                ok += 1;
            } else if out.contains(&value) {
                leaked += 1;
            } else {
                mangled += 1;
                if failures.len() < 5 {
                    failures.push(format!(
                        "{class}: {} chars came out as {} chars",
                        value.len(),
                        out.len()
                    ));
                }
            }
        }
        eprintln!("{class:<44} {ok:>9} {leaked:>7} {mangled:>8}");
        assert_eq!((ok, leaked, mangled), (n, 0, 0), "{class}: {failures:?}");
    }
    eprintln!();
    eprintln!("{:<44} {:>9} {:>7}", "look-alike", "kept", "redacted");
    for (class, gen) in look_alikes() {
        let mut kept = 0;
        for _ in 0..n {
            let value = gen(&mut rng);
            let text = format!("ref {value} noted");
            kept += usize::from(redact(&text).text == text);
        }
        eprintln!("{class:<44} {kept:>9} {:>7}", n - kept);
        assert_eq!(kept, n, "{class}");
    }
}

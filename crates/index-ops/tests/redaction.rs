//! Redaction: every kind caught, look-alikes left alone, spans exact,
//! idempotent, and no panic on odd input.
#![cfg(feature = "solution")]

use index_ops::corpus;
use index_ops::{luhn_valid, redact, ssn_valid, PiiKind};
use labkit::SimRng;

fn kinds(text: &str) -> Vec<PiiKind> {
    redact(text).findings.iter().map(|f| f.kind).collect()
}

#[test]
fn each_kind_in_its_forms() {
    let cases: &[(&str, PiiKind)] = &[
        ("ana@example.org", PiiKind::Email),
        ("first.last+tag@mail.example.co.uk", PiiKind::Email),
        ("zoë@example.org", PiiKind::Email),
        ("(415) 555-2671", PiiKind::Phone),
        ("(415)555-2671", PiiKind::Phone),
        ("415-555-2671", PiiKind::Phone),
        ("415.555.2671", PiiKind::Phone),
        ("415 555 2671", PiiKind::Phone),
        ("1-415-555-2671", PiiKind::Phone),
        ("+1 415 555 2671", PiiKind::Phone),
        ("+1 (415) 555-2671", PiiKind::Phone),
        ("+44 20 7946 0958", PiiKind::Phone),
        ("+4930123456", PiiKind::Phone),
        ("123-45-6789", PiiKind::Ssn),
        ("123 45 6789", PiiKind::Ssn),
        ("4111111111111111", PiiKind::Card),
        ("4111 1111 1111 1111", PiiKind::Card),
        ("4111-1111-1111-1111", PiiKind::Card),
        ("3782 822463 10005", PiiKind::Card),
        ("6011000990139424", PiiKind::Card),
        ("4222222222222", PiiKind::Card),
        ("8.8.8.8", PiiKind::Ipv4),
        ("255.255.255.255", PiiKind::Ipv4),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", PiiKind::Ipv6),
        ("2001:db8::1", PiiKind::Ipv6),
        ("fe80::1ff:fe23:4567:890a", PiiKind::Ipv6),
        ("::ffff:192.0.2.128", PiiKind::Ipv6),
        ("GB82 WEST 1234 5698 7654 32", PiiKind::Iban),
        ("GB82WEST12345698765432", PiiKind::Iban),
        ("DE89 3704 0044 0532 0130 00", PiiKind::Iban),
        ("sk-proj-abcdefghijklmnopqrstu", PiiKind::Secret),
        ("sk_live_abcdefghijklmnop", PiiKind::Secret),
        ("sk_test_abcdefghijklmnop", PiiKind::Secret),
        ("rk_live_abcdefghijklmnop", PiiKind::Secret),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind::Secret),
        ("gho_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind::Secret),
        ("ghs_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind::Secret),
        ("ghu_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind::Secret),
        ("ghr_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind::Secret),
        ("github_pat_abcdefghijklmnopqrstuvwxyz", PiiKind::Secret),
        ("glpat-abcdefghijklmnopqrstu", PiiKind::Secret),
        ("xoxb-1234567890-abcdef", PiiKind::Secret),
        ("xoxp-1234567890-abcdef", PiiKind::Secret),
        ("xoxa-1234567890-abcdef", PiiKind::Secret),
        ("AIzaSyA1234567890abcdefghijklmnopqrstu", PiiKind::Secret),
        ("AKIAIOSFODNN7EXAMPLE", PiiKind::Secret),
        ("ASIAIOSFODNN7EXAMPLE", PiiKind::Secret),
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijkl",
            PiiKind::Secret,
        ),
    ];
    for (value, kind) in cases {
        for text in [
            value.to_string(),
            format!("see {value} now"),
            format!("({value}),"),
        ] {
            let r = redact(&text);
            assert_eq!(kinds(&text), vec![*kind], "{text:?} → {:?}", r.text);
            let f = &r.findings[0];
            assert_eq!(&text[f.span.clone()], *value, "span of {text:?}");
        }
    }
}

#[test]
fn secrets_after_keys_and_bearer() {
    for (text, redacted) in [
        (
            "Authorization: Bearer abcdefghijklmnop1234",
            "Authorization: Bearer [SECRET]",
        ),
        (
            "authorization: bearer abc.def-ghi_jkl/mno+pq=",
            "authorization: bearer [SECRET]",
        ),
        ("password=hunter2hunter2", "password=[SECRET]"),
        ("PASSWORD: correct-horse-battery", "PASSWORD: [SECRET]"),
        (
            "{\"api_key\": \"abcd1234efgh5678\"}",
            "{\"api_key\": \"[SECRET]\"}",
        ),
        ("token = 0123456789abcdef.", "token = [SECRET]."),
        ("x-api-key:abcdefgh12345678", "x-api-key:[SECRET]"),
    ] {
        assert_eq!(redact(text).text, redacted, "{text:?}");
    }
    // Short values and unrelated keys stay.
    for text in [
        "password=short",
        "tokens: rotate them weekly",
        "Bearer short",
        "mytoken=abcdefghijkl",
    ] {
        assert_eq!(redact(text).text, text, "{text:?}");
    }
}

#[test]
fn look_alikes_stay_untouched() {
    for text in [
        "order 2024-118734 shipped on 2026-03-02",
        "released v1.2.3.4 then 3.11.4, 10.0.1 and 1.2.3",
        "meeting at 09:00:15 or 12:30",
        "card 4111 1111 1111 1112",
        "account 41111111111111112222 is long",
        "ssn 000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000",
        "ssn 123-45 6789 and 111-11-1111 and 123456789",
        "ORD-4111111111111111 and T-1041 and INC-2026-0042",
        "DE89 3704 0044 0532 0130 02 and GB82 WEST 1234 5698 7654 31",
        "999.1.1.1 and 10.0.0.1.5 and 01.2.3.4",
        "phone 555-1234 and 123-456-7890 and 415-555-267",
        "std::vec::Vec and a::b and fe::ad",
        "cafe dead beef face 0xdeadbeef",
        "price 1,234,567.89 and 3.14159",
        "+1 is a vote, +12 too",
        "email me at ana at example dot org",
        "the mac is aa:bb:cc:dd:ee:ff",
        "",
    ] {
        let r = redact(text);
        assert!(r.findings.is_empty(), "{text:?} → {:?}", r.text);
        assert_eq!(r.text, text);
    }
}

#[test]
fn luhn_and_ssn_rules() {
    assert!(luhn_valid("79927398713"));
    for i in 0..10u8 {
        let s = format!("7992739871{i}");
        assert_eq!(luhn_valid(&s), i == 3, "{s}");
    }
    assert!(!luhn_valid("") && !luhn_valid("12a4") && !luhn_valid("4111 1111"));
    assert!(ssn_valid("001-01-0001") && ssn_valid("899-99-9998"));
    for bad in [
        "000-01-0001",
        "666-01-0001",
        "900-01-0001",
        "999-99-9998",
        "001-00-0001",
        "001-01-0000",
        "555-55-5555",
        "001-01 0001",
        "001 01-0001",
        "001/01/0001",
        "00101-0001",
        "001-01-00011",
    ] {
        assert!(!ssn_valid(bad), "{bad}");
    }
}

#[test]
fn planted_values_are_the_findings_over_many_seeds() {
    for seed in 0..60u64 {
        let mut rng = SimRng::seed(seed);
        for d in corpus::corpus(&mut rng, 20, 400, 5) {
            let r = redact(&d.source.text);
            let got: Vec<_> = r
                .findings
                .iter()
                .map(|f| (f.kind, f.span.clone()))
                .collect();
            let want: Vec<_> = d.planted.iter().map(|(p, s)| (p.kind, s.clone())).collect();
            assert_eq!(
                got, want,
                "seed {seed}, {}: {:?}",
                d.source.id, d.source.text
            );
            for (p, _) in &d.planted {
                assert!(!r.text.contains(&p.value));
            }
            assert!(
                redact(&r.text).findings.is_empty(),
                "redaction is idempotent"
            );
        }
    }
}

#[test]
fn odd_input_never_panics_and_spans_are_char_boundaries() {
    let alphabet: Vec<char> = "0123456789-. :@+()[]=/\"'aAfFzZxX_éü€\n\t#,"
        .chars()
        .collect();
    let mut rng = SimRng::seed(99);
    for _ in 0..5_000 {
        let len = rng.below(60) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        let r = redact(&text);
        let mut last = 0;
        for f in &r.findings {
            assert!(
                f.span.start >= last && f.span.end > f.span.start,
                "{text:?}"
            );
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            last = f.span.end;
        }
        // Redacted text never yields new findings.
        assert!(
            redact(&r.text).findings.is_empty(),
            "{text:?} → {:?}",
            r.text
        );
    }
}

/// The scan a prefilter must agree with: `detect_at` at every byte.
fn redact_bytewise(text: &str) -> Vec<(PiiKind, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match index_ops::detect::detect_at(text, i) {
            Some((kind, end)) => {
                out.push((kind, i..end));
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

#[test]
fn the_prefilter_skips_only_positions_where_nothing_starts() {
    const PIECES: &[&str] = &[
        "a",
        "word",
        " ",
        " ",
        "\n",
        "\t",
        ".",
        "-",
        "_",
        "'",
        "\"",
        "=",
        ":",
        "@",
        "(",
        ")",
        "+",
        "1",
        "9",
        "07",
        "ë",
        "例",
        "sk-",
        "sk_live_",
        "ghp_",
        "glpat-",
        "github_pat_",
        "xoxb-",
        "AKIA",
        "AIza",
        "eyJ",
        "Bearer ",
        "bearer ",
        "token=",
        "password: ",
        "\"secret\": \"",
        "api_key = ",
        "xn--",
        ".de",
        "de",
        "DE",
        "::",
        "fe80",
        "4111",
        "-12-",
    ];
    let mut rng = SimRng::seed(0x0f11);
    for round in 0..3000 {
        let mut text = String::new();
        for _ in 0..rng.between(1, 40) {
            if rng.chance(0.08) {
                let kind = PiiKind::ALL[rng.below(PiiKind::ALL.len() as u64) as usize];
                let p = corpus::plant(&mut rng, kind);
                text.push_str(&p.lead);
                text.push_str(&p.value);
            } else {
                text.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
            }
        }
        let fast: Vec<(PiiKind, std::ops::Range<usize>)> = redact(&text)
            .findings
            .into_iter()
            .map(|f| (f.kind, f.span))
            .collect();
        assert_eq!(fast, redact_bytewise(&text), "round {round}: {text:?}");
        assert_eq!(
            index_ops::detect::first_pii(&text),
            fast.first().map(|f| f.0),
            "round {round}"
        );
    }
}

/// The prefilter's promise, asked from every position rather than only
/// where `redact` happens to ask: `next_candidate(text, from)` is never past
/// the first position at or after `from` where `detect_at` finds a value.
/// The texts are mostly prose (lower-case words between single spaces, the
/// shortcut's territory, and words long enough to span its eight-byte reads)
/// with everything that must stop the shortcut mixed in: words after
/// `Bearer`, keys, prefixes, other case, other whitespace, planted values.
#[test]
fn the_prefilter_never_passes_a_value_from_any_position() {
    const PIECES: &[&str] = &[
        "word ",
        "a ",
        "for ",
        "user ",
        "or ",
        "retention ",
        "internationalization ",
        "abcdefghijklmnopqrstuvwxyz ",
        "bearer ",
        "Bearer ",
        "token ",
        "token=",
        "password: ",
        "key ",
        "= ",
        ": ",
        "sk",
        "gh",
        "ey",
        "xo",
        "AK",
        "ski ",
        "eyes ",
        "Capital ",
        "snake_case ",
        "end. ",
        "list, ",
        "  ",
        "\n",
        "\t",
        "r ",
        "4",
        "07",
        "@",
        "ü",
    ];
    let mut rng = SimRng::seed(0x5eed_0f11);
    let mut cases = 0usize;
    for round in 0..1500 {
        let mut text = String::new();
        for _ in 0..rng.between(1, 50) {
            if rng.chance(0.05) {
                let kind = PiiKind::ALL[rng.below(PiiKind::ALL.len() as u64) as usize];
                let p = corpus::plant(&mut rng, kind);
                text.push_str(&p.lead);
                text.push_str(&p.value);
                text.push(' ');
            } else {
                text.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
            }
        }
        let n = text.len();
        // first[p]: the first position at or after p where a value starts.
        let mut first = vec![n; n + 1];
        for p in (0..n).rev() {
            first[p] = if index_ops::detect::detect_at(&text, p).is_some() {
                p
            } else {
                first[p + 1]
            };
        }
        for (from, &value) in first.iter().enumerate() {
            let next = index_ops::detect::next_candidate(&text, from);
            assert!(
                from <= next && next <= value,
                "round {round}, from {from}: next_candidate {next}, a value at {value}: {text:?}"
            );
            cases += 1;
        }
    }
    assert!(cases > 100_000, "only {cases} positions asked");
}

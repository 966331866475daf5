//! Checks of `starters/m33/index/redact.rs`: placeholders, look-alikes, and
//! values planted in seeded random documents.

use crate::corpus::{self, PlantedDoc};
use crate::{redact, PiiKind};
use labkit::{ensure, ensure_eq, CheckResult, SimRng};

pub(super) fn redact_leaves_look_alikes_alone() -> CheckResult {
    let r = redact("Mail ana.lima@example.org today");
    ensure_eq!(r.text, "Mail [EMAIL] today", "redacting an e-mail address");
    ensure_eq!(r.findings.len(), 1, "findings for one e-mail address");
    ensure_eq!(
        r.findings[0].span,
        5..25,
        "the span is a byte range of the original text"
    );
    let cases: &[(&str, &str, &[PiiKind])] = &[
        (
            "call (415) 555-2671 now",
            "call [PHONE] now",
            &[PiiKind::Phone],
        ),
        ("call 415-555-2671.", "call [PHONE].", &[PiiKind::Phone]),
        (
            "or +44 20 7946 0958 please",
            "or [PHONE] please",
            &[PiiKind::Phone],
        ),
        ("ssn 123-45-6789 ok", "ssn [SSN] ok", &[PiiKind::Ssn]),
        (
            "card 4111 1111 1111 1111 ok",
            "card [CARD] ok",
            &[PiiKind::Card],
        ),
        ("card 4111-1111-1111-1111", "card [CARD]", &[PiiKind::Card]),
        ("amex 378282246310005", "amex [CARD]", &[PiiKind::Card]),
        (
            "host 192.168.10.20 down",
            "host [IPV4] down",
            &[PiiKind::Ipv4],
        ),
        (
            "v6 2001:db8::8a2e:370:7334 up",
            "v6 [IPV6] up",
            &[PiiKind::Ipv6],
        ),
        (
            "v6 fe80:0:0:0:202:b3ff:fe1e:8329",
            "v6 [IPV6]",
            &[PiiKind::Ipv6],
        ),
        (
            "iban GB82 WEST 1234 5698 7654 32 paid",
            "iban [IBAN] paid",
            &[PiiKind::Iban],
        ),
        (
            "key sk-abcdefghijklmnopqrstuvwx1234",
            "key [SECRET]",
            &[PiiKind::Secret],
        ),
        (
            "Authorization: Bearer abcdefghijklmnop1234",
            "Authorization: Bearer [SECRET]",
            &[PiiKind::Secret],
        ),
        (
            "password=hunter2hunter2",
            "password=[SECRET]",
            &[PiiKind::Secret],
        ),
        (
            "From ana@example.org: card 4111111111111111, call 415.555.2671",
            "From [EMAIL]: card [CARD], call [PHONE]",
            &[PiiKind::Email, PiiKind::Card, PiiKind::Phone],
        ),
        (
            "Grüße an zoë@example.org",
            "Grüße an [EMAIL]",
            &[PiiKind::Email],
        ),
        ("ssn 123.45.6789 ok", "ssn [SSN] ok", &[PiiKind::Ssn]),
        (
            "itin 912-70-1234 filed",
            "itin [ITIN] filed",
            &[PiiKind::Itin],
        ),
        (
            "atin 912-93-5678 filed",
            "atin [ATIN] filed",
            &[PiiKind::Atin],
        ),
        (
            "Ana,123-45-6789,4111111111111111,10.0.0.7",
            "Ana,[SSN],[CARD],[IPV4]",
            &[PiiKind::Ssn, PiiKind::Card, PiiKind::Ipv4],
        ),
        (
            "GET /c/4111111111111111/x?ip=2001:db8::1. call 4155552671",
            "GET /c/[CARD]/x?ip=[IPV6]. call [PHONE]",
            &[PiiKind::Card, PiiKind::Ipv6, PiiKind::Phone],
        ),
        (
            "itin 987 94 0001, 900.50.1234",
            "itin [ITIN], [ITIN]",
            &[PiiKind::Itin, PiiKind::Itin],
        ),
        (
            "iban de89 3704 0044 0532 0130 00 paid",
            "iban [IBAN] paid",
            &[PiiKind::Iban],
        ),
        (
            "iban DE89-3704-0044-0532-0130-00.",
            "iban [IBAN].",
            &[PiiKind::Iban],
        ),
        (
            "iban Gb82 wEsT 12345698  765432 paid",
            "iban [IBAN] paid",
            &[PiiKind::Iban],
        ),
        (
            "iban de95 4111 1111 1111 1111 00 (the card-looking digits inside are part of it)",
            "iban [IBAN] (the card-looking digits inside are part of it)",
            &[PiiKind::Iban],
        ),
        (
            "mail o'brien+tag@example.org today",
            "mail [EMAIL] today",
            &[PiiKind::Email],
        ),
        (
            "mail a!b#c$d%e&f*g/h=i?j^k_l`m{n|o}p~q-r@example.org",
            "mail [EMAIL]",
            &[PiiKind::Email],
        ),
        (
            "say 'ana@example.org' or zoë@münchen.de or ana@xn--mnchen-3ya.de",
            "say '[EMAIL]' or [EMAIL] or [EMAIL]",
            &[PiiKind::Email, PiiKind::Email, PiiKind::Email],
        ),
        (
            "kontakt: иван@пример.рф, 山田@例え.jp",
            "kontakt: [EMAIL], [EMAIL]",
            &[PiiKind::Email, PiiKind::Email],
        ),
    ];
    for (input, expected, kinds) in cases {
        let r = redact(input);
        ensure_eq!(r.text, *expected, "redact({input:?})");
        let got: Vec<PiiKind> = r.findings.iter().map(|f| f.kind).collect();
        ensure_eq!(got, kinds.to_vec(), "finding kinds for {input:?}");
        for f in &r.findings {
            let original = input.get(f.span.clone()).unwrap_or("");
            ensure!(
                !original.is_empty() && !original.starts_with(' ') && !original.ends_with(' '),
                "span {:?} of {input:?} should cover exactly the value, covers {original:?}",
                f.span
            );
        }
    }
    let look_alikes = [
        "order 2024-118734 shipped",
        "released v1.2.3.4, then 3.11.4 and 10.0.1",
        "on 2026-03-02 at 09:00:15",
        "card 4111 1111 1111 1112 failed Luhn",
        "ssn 000-12-3456 and 666-12-3456 and 912-34-5678",
        "ssn 123-00-4567 and 123-45-0000",
        "mixed 123-45 6789, same 111-11-1111",
        "ticket T-1041 and ORD-4111111111111111",
        "iban DE89 3704 0044 0532 0130 02 is wrong",
        "address 999.1.1.1 and 10.0.0.1.5",
        "plain text with no personal data at all.",
        "token rotation happens weekly",
        "itin-shaped 912-34-5678, 912-49-5678, 912-89-1234, 912-66-1234",
        "inside longer numbers: v1.2.3.4, 3.4111111111111111, ORD-4155552671, 41555526710",
        "ssn-shaped 123.45-6789 and 123-45.6789",
        "iban de89 3704 0044 0532 0130 02 and DE89 3704 0044 0532 0130 0000",
        "iban US64 SVBK US6S 3300 9673 8637 and no89 3704 0044 05",
        "mail ana@localhost and @example.org and ana@.org",
    ];
    for text in look_alikes {
        let r = redact(text);
        ensure_eq!(r.text, text, "look-alikes must stay untouched");
        ensure!(
            r.findings.is_empty(),
            "no findings expected in {text:?}, got {:?}",
            r.findings
        );
    }
    Ok(())
}

/// What redaction must produce for a planted document: computed from where
/// the values were planted, independently of any detector.
fn expected_redaction(doc: &PlantedDoc) -> String {
    let text = &doc.source.text;
    let mut out = String::new();
    let mut at = 0;
    for (p, span) in &doc.planted {
        out.push_str(&text[at..span.start]);
        out.push_str(p.kind.placeholder());
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A value shown the way a log line may show it: its first two characters,
/// then only its length (`sk… 35 chars`). Never the value.
fn masked(text: &str, span: &std::ops::Range<usize>) -> String {
    let value = text.get(span.clone()).unwrap_or("");
    let head: String = value.chars().take(2).collect();
    format!("`{head}…` {} chars", value.chars().count())
}

pub(super) fn redact_finds_every_planted_value() -> CheckResult {
    let _ = redact("probe");
    let mut rng = SimRng::seed(34);
    for n in 0..150 {
        let n_pii = rng.below(5) as usize;
        let len = 200 + rng.below(400) as usize;
        let doc = corpus::document(&mut rng, &format!("kb/r{n}"), "kb", len, n_pii);
        let r = redact(&doc.source.text);
        let text = &doc.source.text;
        // A failure message names what went wrong by kind, span and a few
        // masked characters, never the value itself: the check follows the
        // rule it teaches.
        let spans: Vec<(PiiKind, std::ops::Range<usize>)> = r
            .findings
            .iter()
            .map(|f| (f.kind, f.span.clone()))
            .collect();
        let planted: Vec<(PiiKind, std::ops::Range<usize>)> = doc
            .planted
            .iter()
            .map(|(p, s)| (p.kind, s.clone()))
            .collect();
        let missed: Vec<String> = planted
            .iter()
            .filter(|p| !spans.contains(p))
            .map(|(kind, span)| format!("{kind} at {span:?} ({})", masked(text, span)))
            .collect();
        let extra: Vec<String> = spans
            .iter()
            .filter(|f| !planted.contains(f))
            .map(|(kind, span)| format!("{kind} at {span:?} ({})", masked(text, span)))
            .collect();
        ensure!(
            missed.is_empty() && extra.is_empty(),
            "findings (kind, span) of seeded document {n} ({} bytes): planted but not found exactly: [{}]; found but not planted: [{}]",
            text.len(),
            missed.join(", "),
            extra.join(", ")
        );
        let want = expected_redaction(&doc);
        if r.text != want {
            let at = r
                .text
                .bytes()
                .zip(want.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(r.text.len().min(want.len()));
            return Err(format!(
                "redacting seeded document {n}: the findings are right but the text differs from byte {at} of the expected output on ({} bytes instead of {}); copy the clean text between findings and write each placeholder once",
                r.text.len(),
                want.len()
            ));
        }
        for (p, span) in &doc.planted {
            ensure!(
                !r.text.contains(&p.value),
                "a raw {} value ({}) survived in document {n}",
                p.kind,
                masked(text, span)
            );
        }
        let again = redact(&r.text);
        ensure!(
            again.findings.is_empty(),
            "redacting an already redacted text should find nothing (document {n})"
        );
    }
    Ok(())
}

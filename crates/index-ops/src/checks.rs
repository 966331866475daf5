//! The lab checks of M33 Part A, in guide order.
//!
//! Every check mixes fixed cases with seeded random ones, and computes what
//! it expects with its own oracle (a hand-written Luhn sum, the SSN rules
//! restated, the spans where the test planted each value, a model of the
//! alias table), never with the reference solution.
//!
//! They live in the library, compiled once, and reach the learner's code
//! through the crate's own functions and methods; the check binary
//! (`src/bin/checks-m33-index`) only installs the learner's steps and runs
//! them (see `labkit::steps`).

use crate::backup::{HEADER_LEN, LENGTH_AT, VERSION_AT};
use crate::corpus::{self, PlantedDoc};
use crate::edits;
use crate::{
    redact, verify_backup, AliasError, AliasTable, BackupError, Index, PiiKind, Scope, SourceDoc,
};
use chrono::{DateTime, TimeDelta, Utc};
use labkit::{ensure, ensure_eq, Check, CheckResult, Plan, SimClock, SimRng};

pub const CHECKS: &[Check] = &[
    Check {
        id: "m33.a.1",
        part: "A",
        guide_step: "validity",
        title: "luhn_valid accepts real card numbers and rejects every single-digit typo",
        points: 2,
        plan: Plan::core(4),
        hint: "The Luhn sum walks the digits from the right; the rightmost digit is not doubled. A doubled digit above 9 counts as its digit sum.",
        edit: Some(edits::LUHN_VALID),
        run: luhn,
    },
    Check {
        id: "m33.a.2",
        part: "A",
        guide_step: "validity",
        title: "ssn_valid applies the shape, area, group, serial and same-digit rules",
        points: 2,
        plan: Plan::core(2),
        hint: "Check the shape first (exactly 11 bytes, digits where digits go, one separator, a dash, a space or a dot, used in both places), then each number field against its forbidden values.",
        edit: Some(edits::SSN_VALID),
        run: ssn,
    },
    Check {
        id: "m33.a.3",
        part: "A",
        guide_step: "redact",
        title: "redact replaces each kind with its placeholder and leaves look-alikes alone",
        points: 3,
        plan: Plan::core(3),
        hint: "Copy the text between findings unchanged; a finding's span is a byte range of the original text, not of the output.",
        edit: Some(edits::REDACT),
        run: redact_fixed,
    },
    Check {
        id: "m33.a.4",
        part: "A",
        guide_step: "redact",
        title: "redact finds every planted value in seeded random documents, with exact spans",
        points: 3,
        plan: Plan::core(2),
        hint: "After a match, continue scanning right after its end; when nothing starts at a position, move on: next_candidate(text, i + 1) gives the next position where a value can start.",
        edit: Some(edits::REDACT),
        run: redact_random,
    },
    Check {
        id: "m33.a.5",
        part: "A",
        guide_step: "sync",
        title: "sync re-embeds exactly the added, changed and re-redacted documents, and respects its scope",
        points: 3,
        plan: Plan::core(4),
        hint: "A plan lists only the work that is needed: compare each incoming fingerprint with the stored document of the same id, and the version of the redactor that wrote the stored copy with the current one; plan nothing when both match. Deletion is limited to documents inside the scope.",
        edit: Some(edits::PLAN_SYNC),
        run: sync_counts,
    },
    Check {
        id: "m33.a.6",
        part: "A",
        guide_step: "sync",
        title: "no raw personal value reaches the stored text, a backup or a search result",
        points: 2,
        plan: Plan::core(2),
        hint: "Redact on write: the sync stores every planned document through Index::write, which calls your redact before it embeds or stores. A raw value that survives is one your redact step did not find.",
        edit: Some(edits::PLAN_SYNC),
        run: no_raw_pii,
    },
    Check {
        id: "m33.a.7",
        part: "A",
        guide_step: "sweep",
        title: "sweep_expired removes exactly the expired documents, including an expiry at exactly now",
        points: 2,
        plan: Plan::core(3),
        hint: "A document is expired when its expiry is at or before now; documents with no expiry stay. Collect first, then remove.",
        edit: Some(edits::SWEEP_EXPIRED),
        run: sweep,
    },
    Check {
        id: "m33.a.8",
        part: "A",
        guide_step: "backup",
        title: "verify_backup refuses every truncation point and bit flip with the right error; the live index is untouched",
        points: 3,
        plan: Plan::after_class(6),
        hint: "Check the header fields in the order the module docs give: magic, header length, version, payload length, checksum. Never read past the end of the input.",
        edit: Some(edits::VERIFY_BACKUP),
        run: backup,
    },
    Check {
        id: "m33.a.9",
        part: "A",
        guide_step: "alias",
        title: "flip and rollback move the live alias in one step and keep a rollback target",
        points: 3,
        plan: Plan::after_class(6),
        hint: "An alias keeps two names: the live index and the previous one. A refused flip, and a flip to the index already live, must not lose the previous one.",
        edit: Some(edits::FLIP),
        run: alias,
    },
    Check {
        id: "m33.a.10",
        part: "A",
        guide_step: "trace",
        title: "your Part A trace shows no raw value and matches the reference trace",
        points: 2,
        plan: Plan::after_class(2),
        hint: "Run `cargo run -p index-ops --bin checks-m33-index -- run m33.a.10` and read the diff: the first differing line points at the step to revisit.",
        edit: None,
        run: trace,
    },
];

fn now() -> DateTime<Utc> {
    SimClock::new().now()
}

// --- A1: validity rules -------------------------------------------------------

/// The check's own Luhn sum.
fn luhn_oracle(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum % 10 == 0
}

fn text_of(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

fn luhn() -> CheckResult {
    ensure!(
        crate::luhn_valid("4111111111111111"),
        "4111111111111111 is a valid test card"
    );
    for (number, valid) in [
        ("4111111111111112", false),
        ("79927398713", true),
        ("79927398710", false),
        ("378282246310005", true),
        ("5555555555554444", true),
        ("", false),
        ("4111 1111 1111 1111", false),
        ("41111111a1111111", false),
    ] {
        ensure_eq!(crate::luhn_valid(number), valid, "luhn_valid({number:?})");
    }
    let mut rng = SimRng::seed(31);
    for _ in 0..300 {
        let len = rng.between(13, 19) as usize;
        let mut digits: Vec<u8> = (0..len).map(|_| rng.below(10) as u8).collect();
        let expected = luhn_oracle(&digits);
        ensure_eq!(
            crate::luhn_valid(&text_of(&digits)),
            expected,
            "luhn_valid({:?})",
            text_of(&digits)
        );
        // Make it valid, then break one digit: Luhn catches every such typo.
        let last = len - 1;
        digits[last] = (0..10)
            .find(|c| {
                digits[last] = *c;
                luhn_oracle(&digits)
            })
            .unwrap_or(0);
        ensure!(
            crate::luhn_valid(&text_of(&digits)),
            "{} passes the Luhn check",
            text_of(&digits)
        );
        let at = rng.below(len as u64) as usize;
        digits[at] = (digits[at] + 1 + rng.below(9) as u8) % 10;
        ensure!(
            !crate::luhn_valid(&text_of(&digits)),
            "{} has one digit changed (position {at}) and fails the Luhn check",
            text_of(&digits)
        );
    }
    Ok(())
}

/// The check's own restatement of the SSN rules.
fn ssn_oracle(s: &[u8]) -> bool {
    if s.len() != 11 || !matches!(s[3], b'-' | b' ' | b'.') || s[3] != s[6] {
        return false;
    }
    let d: Vec<u8> = [0, 1, 2, 4, 5, 7, 8, 9, 10].iter().map(|&i| s[i]).collect();
    if !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let area = (d[0] - b'0') as u32 * 100 + (d[1] - b'0') as u32 * 10 + (d[2] - b'0') as u32;
    let group = &d[3..5];
    let serial = &d[5..9];
    area != 0
        && area != 666
        && area < 900
        && group != b"00"
        && serial != b"0000"
        && !d.iter().all(|x| *x == d[0])
}

fn ssn() -> CheckResult {
    ensure!(
        crate::ssn_valid("123-45-6789"),
        "123-45-6789 is a valid SSN"
    );
    for (s, valid) in [
        ("123 45 6789", true),
        ("123.45.6789", true),
        ("078-05-1120", true),
        ("000.12.3456", false),
        ("123.45-6789", false),
        ("123.00.4567", false),
        ("912.70.1234", false),
        ("000-12-3456", false),
        ("666-12-3456", false),
        ("912-34-5678", false),
        ("123-00-4567", false),
        ("123-45-0000", false),
        ("123-45 6789", false),
        ("123 45-6789", false),
        ("111-11-1111", false),
        ("123456789", false),
        ("123-456-789", false),
        ("12a-45-6789", false),
        ("123-45-67890", false),
        ("", false),
    ] {
        ensure_eq!(crate::ssn_valid(s), valid, "ssn_valid({s:?})");
    }
    let mut rng = SimRng::seed(32);
    let seps = [b'-', b' ', b'.', b'-', b' ', b'.', b'/', b'_'];
    for _ in 0..600 {
        let mut s = Vec::with_capacity(11);
        let mode = rng.below(4);
        for i in 0..11 {
            if i == 3 || i == 6 {
                s.push(*rng.pick(&seps).unwrap_or(&b'-'));
            } else {
                // Bias towards the edge values the rules care about.
                let d = match mode {
                    0 => rng.below(10) as u8,
                    1 => *rng.pick(&[0u8, 6, 9]).unwrap_or(&0),
                    2 => *rng.pick(&[0u8, 1]).unwrap_or(&0),
                    _ => 7,
                };
                s.push(b'0' + d);
            }
        }
        if rng.chance(0.3) {
            let sep = s[3];
            s[6] = sep;
        }
        let text = String::from_utf8_lossy(&s).into_owned();
        ensure_eq!(
            crate::ssn_valid(&text),
            ssn_oracle(&s),
            "ssn_valid({text:?})"
        );
    }
    Ok(())
}

// --- A2: redaction --------------------------------------------------------------

fn redact_fixed() -> CheckResult {
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
pub fn masked(text: &str, span: &std::ops::Range<usize>) -> String {
    let value = text.get(span.clone()).unwrap_or("");
    let head: String = value.chars().take(2).collect();
    format!("`{head}…` {} chars", value.chars().count())
}

fn redact_random() -> CheckResult {
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

// --- A3: sync ---------------------------------------------------------------------

fn sync_counts() -> CheckResult {
    let mut probe = Index::new("probe");
    let _ = probe.sync(&Scope::All, &[], now());
    let mut rng = SimRng::seed(35);
    let mut clock = SimClock::new();
    for round in 0..4 {
        let n = 20 + rng.below(30) as usize;
        let mut sources: Vec<SourceDoc> = corpus::corpus(&mut rng, n, 200, 1)
            .into_iter()
            .map(|d| d.source)
            .collect();
        let mut index = Index::new("docs_vA");
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            (r.added.len(), r.updated.len(), r.unchanged, r.deleted.len()),
            (n, 0, 0, 0),
            "first sync of {n} new documents (added, updated, unchanged, deleted)"
        );
        ensure_eq!(
            index.embed_calls(),
            n as u64,
            "embedding calls after the first sync"
        );
        ensure_eq!(index.len(), n, "documents stored");

        clock.advance(TimeDelta::minutes(1));
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure!(
            r.added.is_empty() && r.updated.is_empty() && r.deleted.is_empty(),
            "a second identical sync changes nothing, got {r}"
        );
        ensure_eq!(r.unchanged, n, "unchanged count of the second sync");
        ensure_eq!(
            index.embed_calls(),
            n as u64,
            "a second identical sync embeds nothing"
        );

        // Change k, delete d, add a: the oracle is the set of ids we touched.
        let k = rng.below(6) as usize;
        let mut ids: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut ids);
        let mut changed: Vec<String> = Vec::new();
        for &i in &ids[..k] {
            sources[i].text.push_str(" updated");
            changed.push(sources[i].id.clone());
        }
        // The ids by shuffled position, taken before any source is removed
        // (positions in `sources` shift when one is).
        let id_at: Vec<String> = ids.iter().map(|&i| sources[i].id.clone()).collect();
        let d = rng.below(4) as usize;
        let mut deleted: Vec<String> = ids[k..k + d]
            .iter()
            .map(|&i| sources[i].id.clone())
            .collect();
        sources.retain(|s| !deleted.contains(&s.id));
        let added: Vec<String> = (0..rng.below(3))
            .map(|j| format!("kb/new{round}-{j}"))
            .collect();
        for id in &added {
            sources.push(SourceDoc::new(
                id.clone(),
                "kb",
                "a brand new document about the vpn",
            ));
        }
        changed.sort();
        deleted.sort();
        // A detector fix: o unchanged documents (and one changed one, if
        // any) were stored by an older redactor, one that missed a value.
        let o = rng.below(5) as usize;
        let leak = format!("old.leak{round}@example.org");
        let mut older: Vec<String> = Vec::new();
        for id in id_at[k + d..]
            .iter()
            .take(o)
            .chain(id_at[..k.min(1)].iter())
        {
            let id = id.clone();
            let old_text = format!(
                "{} {leak}",
                index.get(&id).map(|s| s.text.clone()).unwrap_or_default()
            );
            ensure!(
                index.plant_older_copy(&id, crate::REDACTOR_VERSION - 1, &old_text),
                "setting up an older copy of {id}"
            );
            if !changed.contains(&id) {
                older.push(id);
            }
        }
        older.sort();
        let o = older.len();
        clock.advance(TimeDelta::minutes(1));
        let before = index.embed_calls();
        let r = index
            .sync(&Scope::All, &sources, clock.now())
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            r.updated,
            changed,
            "updated ids after changing {k} documents (a changed source is an update, whoever redacted its old copy)"
        );
        ensure_eq!(
            r.reredacted,
            older,
            "re-redacted ids: unchanged sources whose stored copy is from an older redactor version"
        );
        ensure_eq!(r.deleted, deleted, "deleted ids");
        ensure_eq!(r.added, added, "added ids");
        ensure_eq!(
            r.unchanged,
            n - k - d - o,
            "unchanged count (re-redacted documents are not unchanged)"
        );
        ensure_eq!(
            index.embed_calls() - before,
            (k + added.len() + o) as u64,
            "embedding calls: only changed, added and re-redacted documents are embedded"
        );
        ensure!(
            index.docs().all(|doc| doc.redactor == crate::REDACTOR_VERSION && !doc.text.contains(&leak)),
            "after the sync every document is stored by the current redactor, and the value the old one missed is gone"
        );
        ensure_eq!(index.len(), n - d + added.len(), "documents stored");
        for id in &changed {
            let stored = index.get(id).map(|s| s.text.clone()).unwrap_or_default();
            ensure!(
                stored.ends_with(" updated"),
                "{id} should hold its new text after the update"
            );
        }

        // Scoped: a sync of `tickets` with one ticket removed leaves `kb` alone.
        let tickets: Vec<SourceDoc> = sources
            .iter()
            .filter(|s| s.collection == "tickets")
            .cloned()
            .collect();
        let kb_before = index.docs().filter(|d| d.collection == "kb").count();
        if let Some((gone, rest)) = tickets.split_first() {
            let before = index.embed_calls();
            let r = index
                .sync(&Scope::collection("tickets"), rest, clock.now())
                .map_err(|e| e.to_string())?;
            ensure_eq!(
                r.deleted,
                vec![gone.id.clone()],
                "a scoped sync deletes only the missing document of its own collection"
            );
            ensure_eq!(
                r.unchanged,
                rest.len(),
                "unchanged tickets in the scoped sync"
            );
            ensure_eq!(
                index.embed_calls(),
                before,
                "the scoped sync embeds nothing"
            );
            let kb_after = index.docs().filter(|d| d.collection == "kb").count();
            ensure_eq!(
                kb_after,
                kb_before,
                "documents of another collection survive a scoped sync"
            );
        }
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn no_raw_pii() -> CheckResult {
    let mut probe = Index::new("probe");
    let _ = probe.sync(&Scope::All, &[], now());
    for seed in [36u64, 37, 38] {
        let mut rng = SimRng::seed(seed);
        let docs = corpus::corpus(&mut rng, 40, 300, 4);
        let raw: Vec<String> = docs
            .iter()
            .flat_map(|d| d.planted.iter().map(|(p, _)| p.value.clone()))
            .collect();
        ensure!(
            !raw.is_empty(),
            "the seeded corpus should hold planted values"
        );
        let sources: Vec<SourceDoc> = docs.iter().map(|d| d.source.clone()).collect();
        let mut index = Index::new("docs_vA");
        index
            .sync(&Scope::All, &sources, now())
            .map_err(|e| e.to_string())?;
        for doc in index.docs() {
            for value in &raw {
                ensure!(
                    !doc.text.contains(value.as_str()),
                    "stored text of {} holds a raw value",
                    doc.id
                );
            }
        }
        let bytes = index.backup();
        for value in &raw {
            ensure!(
                !contains(&bytes, value.as_bytes()),
                "a backup holds a raw value"
            );
        }
        // Search with queries that themselves hold raw values.
        for value in raw.iter().take(10) {
            for hit in index.search(&format!("who is {value}"), 5, SimClock::new().now()) {
                ensure!(
                    !raw.iter().any(|v| hit.text.contains(v.as_str())),
                    "a search result holds a raw value"
                );
            }
        }
    }
    Ok(())
}

// --- A4: retention ------------------------------------------------------------------

fn sweep() -> CheckResult {
    let t0 = now();
    let _ = Index::new("probe").sweep_expired(t0);
    // Fixed: one document expiring exactly at `now`, one a second later, one
    // a second earlier, one with no expiry.
    let at = t0 + TimeDelta::days(2);
    let sources = vec![
        SourceDoc::new("kb/exact", "kb", "expires exactly at the sweep").expiring(at),
        SourceDoc::new("kb/later", "kb", "expires one second after the sweep")
            .expiring(at + TimeDelta::seconds(1)),
        SourceDoc::new("kb/earlier", "kb", "expired one second before the sweep")
            .expiring(at - TimeDelta::seconds(1)),
        SourceDoc::new("kb/forever", "kb", "never expires"),
    ];
    let mut index = Index::new("docs_vA");
    index
        .sync(&Scope::All, &sources, t0)
        .map_err(|e| e.to_string())?;
    let report = index.sweep_expired(at);
    let removed: Vec<(String, DateTime<Utc>)> = report
        .removed
        .iter()
        .map(|e| (e.id.clone(), e.expired_at))
        .collect();
    ensure_eq!(
        removed,
        vec![
            ("kb/earlier".to_string(), at - TimeDelta::seconds(1)),
            ("kb/exact".to_string(), at)
        ],
        "removed (id, expired_at) at the sweep; an expiry exactly at now counts as expired"
    );
    let left: Vec<String> = index.docs().map(|d| d.id.clone()).collect();
    ensure_eq!(
        left,
        vec!["kb/forever".to_string(), "kb/later".to_string()],
        "documents left"
    );
    ensure!(
        index.sweep_expired(at).removed.is_empty(),
        "a second sweep at the same time removes nothing"
    );

    // Random: per-document expiries and a collection policy, oracle computed
    // here from the inputs.
    let mut rng = SimRng::seed(39);
    for round in 0..10 {
        let mut index = Index::new("docs_vA");
        let ttl = TimeDelta::hours(rng.between(1, 48) as i64);
        index.set_retention("tickets", ttl);
        let mut expected: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
        let mut all: Vec<SourceDoc> = Vec::new();
        let mut written = t0;
        for i in 0..30 {
            written += TimeDelta::minutes(rng.below(40) as i64);
            let collection = if rng.chance(0.5) { "tickets" } else { "kb" };
            let own = rng
                .chance(0.6)
                .then(|| written + TimeDelta::minutes(rng.below(3000) as i64));
            let id = format!("{collection}/x{i:02}");
            let mut src = SourceDoc::new(
                id.clone(),
                collection,
                format!("document {i} of round {round}"),
            );
            src.expires_at = own;
            all.push(src);
            // Earlier documents are unchanged: they keep their write time.
            index
                .sync(&Scope::All, &all, written)
                .map_err(|e| e.to_string())?;
            let policy = (collection == "tickets").then(|| written + ttl);
            let expiry = match (own, policy) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            expected.push((id, expiry));
        }
        ensure_eq!(
            index.len(),
            expected.len(),
            "documents stored before the sweep in random round {round}"
        );
        // Sweep at an instant that is exactly some document's expiry when possible.
        let sweep_at = expected
            .iter()
            .filter_map(|(_, e)| *e)
            .nth(rng.below(3) as usize)
            .unwrap_or(t0 + TimeDelta::hours(20));
        let mut want: Vec<(String, DateTime<Utc>)> = expected
            .iter()
            .filter_map(|(id, e)| e.filter(|t| *t <= sweep_at).map(|t| (id.clone(), t)))
            .collect();
        want.sort();
        let got: Vec<(String, DateTime<Utc>)> = index
            .sweep_expired(sweep_at)
            .removed
            .iter()
            .map(|e| (e.id.clone(), e.expired_at))
            .collect();
        ensure_eq!(
            got,
            want,
            "removed (id, expired_at) in random round {round}"
        );
        ensure_eq!(
            index.len(),
            expected.len() - want.len(),
            "documents left in random round {round}"
        );
    }
    Ok(())
}

// --- A5: backup ---------------------------------------------------------------------

fn expect_err(bytes: &[u8], want: &BackupError, what: &str) -> CheckResult {
    match verify_backup(bytes) {
        Ok(_) => Err(format!(
            "{what}: expected {want:?}, the backup was accepted"
        )),
        Err(e) => {
            ensure_eq!(e, *want, "{what}");
            Ok(())
        }
    }
}

fn backup() -> CheckResult {
    let _ = verify_backup(&[]);
    let mut rng = SimRng::seed(40);
    let docs: Vec<SourceDoc> = corpus::corpus(&mut rng, 12, 250, 2)
        .into_iter()
        .map(|d| d.source)
        .collect();
    let mut live = Index::new("docs_vA");
    live.set_retention("tickets", TimeDelta::days(7));
    live.sync(&Scope::All, &docs, now())
        .map_err(|e| e.to_string())?;
    let bytes = live.backup();
    let snapshot = live.clone();
    let total = bytes.len() as u64;

    // The good backup round-trips.
    let payload = verify_backup(&bytes).map_err(|e| format!("a good backup was refused: {e}"))?;
    ensure_eq!(
        payload.len(),
        bytes.len() - HEADER_LEN,
        "payload length of a good backup"
    );
    let restored = Index::restore(&bytes).map_err(|e| format!("a good backup was refused: {e}"))?;
    ensure!(
        restored == live,
        "restore(backup(index)) should equal the index"
    );
    for q in ["vpn gateway", "refund policy", "customer ticket"] {
        ensure!(
            restored.search(q, 5, SimClock::new().now())
                == live.search(q, 5, SimClock::new().now()),
            "the restored index answers {q:?} differently"
        );
    }

    // Every truncation point.
    for cut in 0..bytes.len() {
        let want = if cut < HEADER_LEN {
            BackupError::Truncated {
                expected: HEADER_LEN as u64,
                found: cut as u64,
            }
        } else {
            BackupError::Truncated {
                expected: total,
                found: cut as u64,
            }
        };
        expect_err(
            &bytes[..cut],
            &want,
            &format!("backup cut to {cut} of {total} bytes"),
        )?;
        let got = live.restore_in_place(&bytes[..cut]);
        ensure!(
            got.is_err(),
            "a backup cut to {cut} of {total} bytes: expected a refusal, got {got:?} (it was restored)"
        );
    }
    ensure!(
        live == snapshot,
        "refused restores must leave the live index untouched"
    );

    // Bit flips: the expected error depends only on where the flip lands.
    for _ in 0..300 {
        let at = rng.below(bytes.len() as u64) as usize;
        let bit = 1u8 << rng.below(8);
        let mut bad = bytes.clone();
        bad[at] ^= bit;
        let want = if at < VERSION_AT {
            Some(BackupError::BadMagic)
        } else if at < LENGTH_AT {
            let found = u16::from_le_bytes([bad[VERSION_AT], bad[VERSION_AT + 1]]);
            Some(BackupError::UnsupportedVersion {
                found,
                supported: crate::backup::VERSION,
            })
        } else if at < LENGTH_AT + 8 {
            let mut l = [0u8; 8];
            l.copy_from_slice(&bad[LENGTH_AT..LENGTH_AT + 8]);
            let declared = u64::from_le_bytes(l);
            let present = total - HEADER_LEN as u64;
            Some(if declared > present {
                BackupError::Truncated {
                    expected: (HEADER_LEN as u64).saturating_add(declared),
                    found: total,
                }
            } else {
                BackupError::TrailingBytes {
                    extra: present - declared,
                }
            })
        } else {
            None // checksum or payload: a checksum mismatch
        };
        match (verify_backup(&bad), want) {
            (Err(e), Some(w)) => ensure_eq!(e, w, "flipping a bit at byte {at}"),
            (Err(BackupError::ChecksumMismatch { .. }), None) => {}
            (other, w) => {
                let got = match other {
                    Ok(payload) => {
                        format!("the backup accepted (a payload of {} bytes)", payload.len())
                    }
                    Err(e) => format!("{e:?}"),
                };
                return Err(format!(
                    "flipping a bit at byte {at}: expected {}, got {got}",
                    w.map(|w| format!("{w:?}"))
                        .unwrap_or_else(|| "ChecksumMismatch".into())
                ));
            }
        }
        ensure!(
            live.restore_in_place(&bad).is_err(),
            "a bit-flipped backup (byte {at}) was restored"
        );
    }
    ensure!(
        live == snapshot,
        "refused restores must leave the live index untouched"
    );

    // Other files and appended bytes.
    expect_err(b"{\"docs\": []}", &BackupError::BadMagic, "a JSON file")?;
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"xyz");
    expect_err(
        &longer,
        &BackupError::TrailingBytes { extra: 3 },
        "a backup with 3 bytes appended",
    )?;
    let n = live
        .restore_in_place(&bytes)
        .map_err(|e| format!("restoring the good backup in place: {e}"))?;
    ensure_eq!(
        n,
        snapshot.len(),
        "documents after restoring the good backup in place"
    );
    ensure!(
        live == snapshot,
        "restoring the good backup in place gives the same index"
    );
    Ok(())
}

// --- A6: alias ------------------------------------------------------------------------

fn small_index(name: &str, text: &str) -> Result<Index, String> {
    let mut index = Index::new(name);
    index
        .sync(&Scope::All, &[SourceDoc::new("kb/1", "kb", text)], now())
        .map_err(|e| e.to_string())?;
    Ok(index)
}

fn alias() -> CheckResult {
    let mut probe = AliasTable::new();
    let _ = probe.flip("docs", "docs_vA");
    let mut table = AliasTable::new();
    table
        .add_index(small_index("docs_vA", "vpn client version 2")?)
        .map_err(|e| e.to_string())?;
    table
        .add_index(small_index("docs_vB", "vpn client version 3")?)
        .map_err(|e| e.to_string())?;
    table
        .add_index(Index::new("docs_vC"))
        .map_err(|e| e.to_string())?;

    let got = table.rollback("docs");
    ensure!(
        matches!(got, Err(AliasError::UnknownAlias(_))),
        "rollback of an alias that does not exist is refused: expected Err(AliasError::UnknownAlias), got {got:?}"
    );
    let f = table.flip("docs", "docs_vA").map_err(|e| e.to_string())?;
    ensure_eq!(
        (f.from.clone(), f.to.clone()),
        (None, "docs_vA".to_string()),
        "first flip creates the alias (from, to)"
    );
    let got = table.rollback("docs");
    ensure!(
        matches!(got, Err(AliasError::NoPrevious(_))),
        "a new alias has nothing to roll back to: expected Err(AliasError::NoPrevious), got {got:?}"
    );
    let got = table.flip("docs", "docs_vZ");
    ensure!(
        matches!(got, Err(AliasError::UnknownIndex(_))),
        "flip to an unknown index is refused: expected Err(AliasError::UnknownIndex), got {got:?}"
    );
    let got = table.flip("docs", "docs_vC");
    ensure!(
        matches!(got, Err(AliasError::EmptyIndex(_))),
        "flip to an empty (half-built) index is refused: expected Err(AliasError::EmptyIndex), got {got:?}"
    );
    ensure_eq!(
        table.live("docs"),
        Some("docs_vA"),
        "refused flips leave the alias where it was"
    );
    let f = table.flip("docs", "docs_vB").map_err(|e| e.to_string())?;
    ensure_eq!(
        (f.from.as_deref(), f.to.as_str()),
        (Some("docs_vA"), "docs_vB"),
        "flip docs_vA → docs_vB (from, to)"
    );
    let top = table
        .search("docs", "vpn client version", 1, SimClock::new().now())
        .map_err(|e| e.to_string())?;
    ensure!(
        top.first().is_some_and(|h| h.text.contains('3')),
        "after the flip, readers get docs_vB"
    );
    let same = table.flip("docs", "docs_vB").map_err(|e| e.to_string())?;
    ensure_eq!(same.to, "docs_vB", "flip to the live index");
    let f = table
        .rollback("docs")
        .map_err(|e| format!("rollback after a flip to the live index: {e}"))?;
    ensure_eq!(
        (f.from.as_deref(), f.to.as_str()),
        (Some("docs_vB"), "docs_vA"),
        "rollback, a flip to the index already live keeping the rollback target (from, to)"
    );
    ensure_eq!(
        table.live("docs"),
        Some("docs_vA"),
        "live index after the rollback"
    );
    let f = table.rollback("docs").map_err(|e| e.to_string())?;
    ensure_eq!(f.to, "docs_vB", "a rollback can itself be rolled back");

    // Random operation sequences against a model: (live, previous).
    let mut rng = SimRng::seed(41);
    let names = ["docs_vA", "docs_vB", "docs_vC", "docs_vD"];
    for round in 0..20 {
        let mut table = AliasTable::new();
        table
            .add_index(small_index("docs_vA", "a")?)
            .map_err(|e| e.to_string())?;
        table
            .add_index(small_index("docs_vB", "b")?)
            .map_err(|e| e.to_string())?;
        table
            .add_index(Index::new("docs_vC"))
            .map_err(|e| e.to_string())?;
        let mut model: Option<(String, Option<String>)> = None;
        for step in 0..25 {
            if rng.chance(0.7) {
                let target = *rng.pick(&names).unwrap_or(&"docs_vA");
                let ok_target = target == "docs_vA" || target == "docs_vB";
                let got = table.flip("docs", target);
                ensure_eq!(
                    got.is_ok(),
                    ok_target,
                    "round {round} step {step}: flip to {target} accepted?"
                );
                if ok_target {
                    model = Some(match model.take() {
                        None => (target.to_string(), None),
                        Some((live, prev)) if live == target => (live, prev),
                        Some((live, _)) => (target.to_string(), Some(live)),
                    });
                }
            } else {
                let got = table.rollback("docs");
                let expect_ok = model.as_ref().is_some_and(|(_, p)| p.is_some());
                ensure_eq!(
                    got.is_ok(),
                    expect_ok,
                    "round {round} step {step}: rollback accepted?"
                );
                if let Some((live, Some(prev))) = &model {
                    model = Some((prev.clone(), Some(live.clone())));
                }
            }
            let state = table
                .state("docs")
                .map(|s| (s.live.clone(), s.previous.clone()));
            ensure_eq!(
                state,
                model.clone(),
                "round {round} step {step}: (live, previous) of the alias"
            );
        }
    }
    Ok(())
}

// --- trace ------------------------------------------------------------------------------

fn trace() -> CheckResult {
    let run = crate::story::run_part_a(crate::story::SEED);
    let text = run.trace.to_text();
    for value in &run.raw_values {
        ensure!(
            !text.contains(value.as_str()),
            "the Part A trace shows a raw value"
        );
        ensure!(
            !contains(&run.backup, value.as_bytes()),
            "the Part A backup holds a raw value"
        );
    }
    let trace = run.trace;
    labkit::check::compare_with_snapshot(
        &trace.to_text(),
        include_str!("../tests/snapshots/trace__part_a.snap"),
    )
}

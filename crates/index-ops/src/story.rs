//! Part A as one story: the trace a learner reads, posts, and compares with
//! the reference.
//!
//! A small knowledge base (a handbook and a ticket queue, personal data
//! planted in it from the seed) goes through a day in the life of an index:
//! first sync, one source edited, a re-sync that re-embeds only that one, a
//! scoped sync of the tickets, a retention sweep a week later, searches, a
//! backup, four bad backups refused, a good restore, and the next index
//! version going live through an alias flip and back again.
//!
//! The trace never shows a personal value: only kinds, counts, ids and
//! redacted text. [`PartA`] keeps the raw values so a check can prove that.

use chrono::TimeDelta;
use labkit::{SimClock, SimRng, Trace};

use crate::alias::AliasTable;
use crate::corpus;
use crate::document::{Scope, SourceDoc};
use crate::index::{Hit, Index};
use crate::redact;
use crate::redaction::{PiiKind, REDACTOR_VERSION};

/// The seed of the reference trace.
pub const SEED: u64 = 33;

/// Everything the Part A story produced, for checks that look beyond the
/// trace.
#[derive(Debug, Clone)]
pub struct PartA {
    /// The story.
    pub trace: Trace,
    /// Every raw personal value planted in the sources.
    pub raw_values: Vec<String>,
    /// The index `docs_vA` at the end.
    pub live: Index,
    /// The good backup taken along the way.
    pub backup: Vec<u8>,
    /// Every search result the story saw.
    pub hits: Vec<Hit>,
}

/// The trace of Part A for `seed`.
pub fn part_a(seed: u64) -> Trace {
    run_part_a(seed).trace
}

struct Values {
    email: String,
    phone: String,
    ipv4: String,
    email2: String,
    card: String,
    secret: String,
    phone_intl: String,
    ssn: String,
    iban: String,
}

fn values(seed: u64) -> Values {
    let mut rng = SimRng::seed(seed);
    let key = format!("sk-{}", rng.word(32));
    Values {
        email: corpus::email(&mut rng),
        phone: format!(
            "({}) {}-{}",
            rng.between(200, 999),
            rng.between(200, 999),
            rng.between(1000, 9999)
        ),
        ipv4: corpus::ipv4(&mut rng),
        email2: corpus::email(&mut rng),
        card: corpus::card(&mut rng),
        secret: key,
        phone_intl: format!(
            "+44 20 {} {}",
            rng.between(1000, 9999),
            rng.between(1000, 9999)
        ),
        ssn: corpus::ssn(&mut rng),
        iban: corpus::iban(&mut rng),
    }
}

fn handbook(v: &Values, vpn_version: &str, t0: chrono::DateTime<chrono::Utc>) -> Vec<SourceDoc> {
    vec![
        SourceDoc::new(
            "handbook/holiday",
            "handbook",
            "The office is closed on Friday for the spring holiday; the support desk runs a reduced shift.",
        )
        .expiring(t0 + TimeDelta::days(3)),
        SourceDoc::new(
            "handbook/oncall",
            "handbook",
            "The on-call rotation changes every Monday at 09:00. Page the secondary when the primary has not acknowledged within 5 minutes. Runbook version 3.11.4.",
        ),
        SourceDoc::new(
            "handbook/refunds",
            "handbook",
            format!(
                "Refunds are issued within 14 days of the request. Escalate disputed refunds to the billing lead at {} or {}.",
                v.email, v.phone
            ),
        ),
        SourceDoc::new(
            "handbook/vpn",
            "handbook",
            format!(
                "Connect to the VPN gateway at {} before opening the admin console. VPN client version {vpn_version} is required.",
                v.ipv4
            ),
        ),
    ]
}

fn tickets(v: &Values, second_batch: bool) -> Vec<SourceDoc> {
    let mut out = vec![SourceDoc::new(
        "tickets/T-1041",
        "tickets",
        format!(
            "Customer {} reports card {} was charged twice for order 2024-118734 on 2026-02-27.",
            v.email2, v.card
        ),
    )];
    if !second_batch {
        out.push(SourceDoc::new(
            "tickets/T-1042",
            "tickets",
            format!(
                "User pasted the key {} into the chat; rotate it and call back on {}.",
                v.secret, v.phone_intl
            ),
        ));
    }
    out.push(SourceDoc::new(
        "tickets/T-1043",
        "tickets",
        format!(
            "Payroll asks to confirm SSN {} before paying IBAN {}.",
            v.ssn, v.iban
        ),
    ));
    if second_batch {
        out.push(SourceDoc::new(
            "tickets/T-1044",
            "tickets",
            "The printer on floor 3 jams on every duplex job; firmware 5.2.0 did not help.",
        ));
    }
    out
}

fn hits_line(hits: &[Hit]) -> String {
    hits.iter()
        .enumerate()
        .map(|(i, h)| format!("{}. {} ({:.3})", i + 1, h.id, h.score))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the story for `seed`.
pub fn run_part_a(seed: u64) -> PartA {
    let v = values(seed);
    let raw_values = vec![
        v.email.clone(),
        v.phone.clone(),
        v.ipv4.clone(),
        v.email2.clone(),
        v.card.clone(),
        v.secret.clone(),
        v.phone_intl.clone(),
        v.ssn.clone(),
        v.iban.clone(),
    ];
    let mut clock = SimClock::new();
    let t0 = clock.now();
    let mut t = Trace::new(format!(
        "M33 Part A · operating the index docs_vA (seed {seed})"
    ));
    let mut all_hits = Vec::new();

    let mut index = Index::new("docs_vA");
    index.set_retention("tickets", TimeDelta::days(7));
    t.note(
        "index",
        "docs_vA created; retention: tickets kept 7 days after they are written",
    );

    // 1. First sync: everything is new.
    let mut sources = handbook(&v, "2.4.1", t0);
    sources.extend(tickets(&v, false));
    let before = index.embed_calls();
    let result = index.sync(&Scope::All, &sources, clock.now());
    match result {
        Ok(r) => t.at(
            clock.now(),
            "sync",
            format!("sync all: {r} · embedded {}", index.embed_calls() - before),
        ),
        Err(e) => t.at(clock.now(), "sync", format!("sync refused: {e}")),
    }
    for src in &sources {
        let r = redact(&src.text);
        t.note("redact", format!("{}: {}", src.id, r.summary()));
    }

    // 2. One source changes; only it is re-embedded.
    clock.advance(TimeDelta::minutes(10));
    let mut sources = handbook(&v, "2.5.0", t0);
    sources.extend(tickets(&v, false));
    t.at(
        clock.now(),
        "source",
        "handbook/vpn edited: client version 2.4.1 → 2.5.0",
    );
    let before = index.embed_calls();
    match index.sync(&Scope::All, &sources, clock.now()) {
        Ok(r) => t.at(
            clock.now(),
            "sync",
            format!(
                "sync all: {r} [updated: {}] · embedded {}",
                r.updated.join(", "),
                index.embed_calls() - before
            ),
        ),
        Err(e) => t.at(clock.now(), "sync", format!("sync refused: {e}")),
    }
    clock.advance(TimeDelta::minutes(1));
    let before = index.embed_calls();
    match index.sync(&Scope::All, &sources, clock.now()) {
        Ok(r) => t.at(
            clock.now(),
            "sync",
            format!(
                "sync all again: {r} · embedded {} ({})",
                index.embed_calls() - before,
                if r.is_noop() {
                    "nothing to do"
                } else {
                    "NOT idempotent"
                }
            ),
        ),
        Err(e) => t.at(clock.now(), "sync", format!("sync refused: {e}")),
    }

    // 2b. A detector fix: a copy written by the previous redactor version is
    // redone from its source, although the source did not change.
    clock.advance(TimeDelta::minutes(1));
    // Version 1: the redactor before IBANs in any case.
    let older = 1;
    let planted = index
        .get("tickets/T-1043")
        .map(|doc| {
            doc.text
                .replacen(PiiKind::Iban.placeholder(), &v.iban.to_lowercase(), 1)
        })
        .is_some_and(|old| index.plant_older_copy("tickets/T-1043", older, &old));
    t.at(
        clock.now(),
        "redact",
        format!(
            "detector fix, redactor v{older} → v{REDACTOR_VERSION}: tickets/T-1043 was stored by v{older}, which missed its IBAN in lower case{}",
            if planted { "" } else { " (drill not set up)" }
        ),
    );
    let before = index.embed_calls();
    match index.sync(&Scope::All, &sources, clock.now()) {
        Ok(r) => t.at(
            clock.now(),
            "sync",
            format!(
                "sync all: {r} [re-redacted: {}] · embedded {}",
                r.reredacted.join(", "),
                index.embed_calls() - before
            ),
        ),
        Err(e) => t.at(clock.now(), "sync", format!("sync refused: {e}")),
    }

    // 3. A scoped sync: the ticket queue alone.
    clock.advance(TimeDelta::hours(1));
    let ticket_sources = tickets(&v, true);
    t.at(
        clock.now(),
        "source",
        "tickets: T-1042 closed and purged upstream, T-1044 opened",
    );
    let before = index.embed_calls();
    match index.sync(&Scope::collection("tickets"), &ticket_sources, clock.now()) {
        Ok(r) => t.at(
            clock.now(),
            "sync",
            format!(
                "sync tickets only: {r} [added: {}; deleted: {}] · embedded {}",
                r.added.join(", "),
                r.deleted.join(", "),
                index.embed_calls() - before
            ),
        ),
        Err(e) => t.at(clock.now(), "sync", format!("sync refused: {e}")),
    }
    let handbook_left = index.docs().filter(|d| d.collection == "handbook").count();
    t.note(
        "sync",
        format!("handbook untouched by the scoped sync: {handbook_left} documents"),
    );

    // 4. A week later: the retention sweep. Before it runs, readers already
    // get nothing that has expired.
    clock.advance_to(t0 + TimeDelta::days(7));
    let now = clock.now();
    let servable = index.search("ticket refund vpn", index.len(), now).len();
    let waiting: Vec<&str> = index
        .docs()
        .filter(|d| !index.is_live_at(d, now))
        .map(|d| d.id.as_str())
        .collect();
    t.at(
        now,
        "ttl",
        format!(
            "before the sweep: {} stored, {servable} served by search; expired, waiting for the sweep, never served: {}",
            index.len(),
            waiting.join(", ")
        ),
    );
    let report = index.sweep_expired(now);
    for e in &report.removed {
        let when = labkit::clock::stamp(e.expired_at);
        let exact = if e.expired_at == now {
            ", exactly now: an expiry at now counts"
        } else {
            ""
        };
        t.at(
            now,
            "ttl",
            format!("expired {} ({}) at {when}{exact}", e.id, e.collection),
        );
    }
    let next: Vec<String> = index
        .docs()
        .filter_map(|d| {
            index
                .expiry_of(d)
                .map(|at| format!("{} at {}", d.id, labkit::clock::stamp(at)))
        })
        .collect();
    t.at(
        now,
        "ttl",
        format!(
            "sweep removed {}, kept {}; next to expire: {}",
            report.removed.len(),
            index.len(),
            if next.is_empty() {
                "none".to_string()
            } else {
                next.join(", ")
            }
        ),
    );

    // 5. Search.
    let queries = ["connect to the vpn gateway", "escalate a disputed refund"];
    for q in queries {
        let hits = index.search(q, 2, now);
        t.at(now, "search", format!("\"{q}\" → {}", hits_line(&hits)));
        if let Some(top) = hits.first() {
            t.note("search", format!("top hit text: {}", top.text));
        }
        all_hits.extend(hits);
    }

    // 6. Backup, four bad copies, one good restore.
    clock.advance(TimeDelta::minutes(5));
    let now = clock.now();
    let backup = index.backup();
    t.at(
        now,
        "backup",
        format!(
            "backup of docs_vA: {} bytes, format v{}, payload sha256 {}…",
            backup.len(),
            crate::backup::VERSION,
            &labkit::digest::sha256_hex(&backup[crate::backup::HEADER_LEN.min(backup.len())..])
                [..12]
        ),
    );
    let mut bad: Vec<(&str, Vec<u8>)> = Vec::new();
    bad.push(("cut in half", backup[..backup.len() / 2].to_vec()));
    let mut flipped = backup.clone();
    let mid = crate::backup::HEADER_LEN + (backup.len() - crate::backup::HEADER_LEN) / 2;
    if let Some(b) = flipped.get_mut(mid) {
        *b ^= 0x10;
    }
    bad.push(("one bit flipped", flipped));
    let mut newer = backup.clone();
    if newer.len() > crate::backup::VERSION_AT {
        newer[crate::backup::VERSION_AT] = 1;
    }
    bad.push(("version field 1 (written before redactor versions)", newer));
    let mut forged = index.clone();
    if let Some(doc) = forged.docs.get_mut("handbook/refunds") {
        doc.text = doc.text.replacen(PiiKind::Email.placeholder(), &v.email, 1);
    }
    bad.push(("raw e-mail put back, checksum recomputed", forged.backup()));
    let reference = index.clone();
    for (what, bytes) in &bad {
        match index.restore_in_place(bytes) {
            Ok(n) => t.at(
                now,
                "backup",
                format!("restore of a backup with {what} ACCEPTED ({n} docs)"),
            ),
            Err(e) => t.at(
                now,
                "backup",
                format!(
                    "restore of a backup with {what}: refused ({}): {e} · live index unchanged: {}",
                    e.code(),
                    yes(index == reference)
                ),
            ),
        }
    }
    match crate::Index::restore(&backup) {
        Ok(restored) => {
            let same_answers = queries
                .iter()
                .all(|q| restored.search(q, 3, now) == index.search(q, 3, now));
            t.at(
                now,
                "backup",
                format!(
                    "restore of the good backup: {} docs, equal to live: {}, same answers to {} queries: {}, embedded {}",
                    restored.len(),
                    yes(restored == index),
                    queries.len(),
                    yes(same_answers),
                    restored.embed_calls()
                ),
            );
        }
        Err(e) => t.at(
            now,
            "backup",
            format!("restore of the good backup refused: {e}"),
        ),
    }

    // 7. The next version beside the old one; flip, and flip back.
    clock.advance(TimeDelta::minutes(5));
    let now = clock.now();
    let mut table = AliasTable::new();
    let mut next_version = index.clone().renamed("docs_vB");
    let before = next_version.embed_calls();
    let mut sources = handbook(&v, "3.0.0", t0);
    sources.retain(|s| s.id != "handbook/holiday");
    let vb = next_version.sync(&Scope::collection("handbook"), &sources, now);
    if let Ok(r) = &vb {
        t.at(
            now,
            "alias",
            format!(
                "built docs_vB beside docs_vA (handbook/vpn → client 3.0.0): {r} · embedded {}",
                next_version.embed_calls() - before
            ),
        );
    }
    let _ = table.add_index(index.clone());
    let _ = table.add_index(next_version);
    let _ = table.add_index(Index::new("docs_vC"));
    let flips = [
        ("docs_vA", ""),
        ("docs_vC", " (a build that died half-way)"),
        ("docs_vB", ""),
    ];
    for (target, note) in flips {
        let what = format!("flip docs → {target}{note}");
        match table.flip("docs", target) {
            Ok(f) => t.at(now, "alias", format!("{what}: {f}")),
            Err(e) => t.at(now, "alias", format!("{what}: refused: {e}")),
        }
        let live = table.live("docs").unwrap_or("(none)").to_string();
        if let Ok(hits) = table.search("docs", "vpn client version", 1, now) {
            if let Some(h) = hits.first() {
                t.note(
                    "alias",
                    format!("readers of `docs` now get {live}: {}", h.text),
                );
            }
            all_hits.extend(hits);
        }
    }
    clock.advance(TimeDelta::minutes(10));
    let now = clock.now();
    match table.rollback("docs") {
        Ok(f) => t.at(now, "alias", format!("rollback: {f}")),
        Err(e) => t.at(now, "alias", format!("rollback refused: {e}")),
    }
    if let Ok(hits) = table.search("docs", "vpn client version", 1, now) {
        if let Some(h) = hits.first() {
            let live = table.live("docs").unwrap_or("(none)");
            t.note(
                "alias",
                format!("readers of `docs` now get {live}: {}", h.text),
            );
        }
        all_hits.extend(hits);
    }
    match table.drop_index("docs_vB") {
        Ok(_) => t.at(now, "alias", "dropped docs_vB"),
        Err(e) => t.at(now, "alias", format!("drop docs_vB refused: {e}")),
    }

    // 8. The audit: no raw value anywhere.
    let stored: String = index
        .docs()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let in_stored = raw_values
        .iter()
        .filter(|r| stored.contains(r.as_str()))
        .count();
    let in_backup = raw_values
        .iter()
        .filter(|r| contains(&backup, r.as_bytes()))
        .count();
    let in_hits = raw_values
        .iter()
        .filter(|r| all_hits.iter().any(|h| h.text.contains(r.as_str())))
        .count();
    t.note(
        "audit",
        format!(
            "{} raw values planted; found in stored text: {in_stored}, backup bytes: {in_backup}, search results: {in_hits}",
            raw_values.len()
        ),
    );

    PartA {
        trace: t,
        raw_values,
        live: index,
        backup,
        hits: all_hits,
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "NO"
    }
}

/// `true` when `needle` occurs in `haystack` (bytes).
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

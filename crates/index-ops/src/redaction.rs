//! What redaction produces: the kinds of personal data the index refuses to
//! store, and the record of what was replaced.
//!
//! **Redact on write** means the raw value is replaced *before* the text is
//! embedded or stored. Everything downstream (the stored text, its embedding,
//! search results, backups, traces, log lines) then inherits the redaction for
//! free; redacting on read would leave the raw value sitting in every one of
//! them.
//!
//! A placeholder keeps the *kind* of what was there (`[EMAIL]`, `[CARD]`), so
//! a reader still understands the sentence ("customer `[EMAIL]` reports card
//! `[CARD]` charged twice") and a search for "card" still finds it.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The version of the detectors behind [`redact`](crate::redact()).
///
/// Every stored document records the version that redacted it
/// ([`StoredDoc::redactor`](crate::StoredDoc::redactor)). When a detector
/// changes what it finds (a new class, a fixed rule), this number goes up,
/// and the next sync re-redacts and re-embeds every document written under
/// an older version, even when its source has not changed: the old copy may
/// hold a value the old detectors missed. Version 1 is the redactor before
/// ITINs, SSNs with dots, any-case IBANs, RFC 5322 local parts and
/// internationalized domains; version 2 finds all of them. Version 3 finds
/// values by the shape of the text around them (after a comma, a slash, at
/// the end of a sentence: CSV rows, paths, `2001:db8::1.`), compact and 3-7
/// US phone numbers, and ATINs; a copy written by version 2 may hold any of
/// them raw.
pub const REDACTOR_VERSION: u32 = 3;

/// A kind of personal or secret data that must never be stored raw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// An e-mail address: `ana.lima@example.org`, `o'brien+tag@example.org`,
    /// `zoë@münchen.de`, `ana@xn--mnchen-3ya.de`.
    Email,
    /// A phone number: US forms (`(415) 555-2671`, `415-555-2671`,
    /// `415 5552671`, `4155552671`, `+1 415 555 2671`) and international
    /// ones (`+44 20 7946 0958`).
    Phone,
    /// A US Social Security number that passes the validity rules
    /// (see [`ssn_valid`](crate::ssn_valid)).
    Ssn,
    /// A US Individual Taxpayer Identification Number: written like an SSN,
    /// area 9xx, group in the ITIN ranges (see
    /// [`itin_valid`](crate::detect::itin_valid)).
    Itin,
    /// A US Adoption Taxpayer Identification Number: written like an SSN,
    /// area 9xx, group 93 (see [`atin_valid`](crate::detect::atin_valid)).
    Atin,
    /// A payment card number: 13–19 digits that pass the Luhn checksum
    /// (see [`luhn_valid`](crate::luhn_valid)).
    Card,
    /// An IPv4 address: four dotted octets, each 0–255.
    Ipv4,
    /// An IPv6 address, full or `::`-compressed.
    Ipv6,
    /// An international bank account number in any case, compact or with
    /// spaces or dashes, of its country's length, that passes mod-97.
    Iban,
    /// An API key, access token or password: known key prefixes (`sk-`,
    /// `ghp_`, `AKIA`…), `Bearer` tokens, JWTs, and `token=`/`password:`
    /// style assignments.
    Secret,
}

impl PiiKind {
    /// Every kind, in a fixed order.
    pub const ALL: [PiiKind; 10] = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Ssn,
        PiiKind::Itin,
        PiiKind::Atin,
        PiiKind::Card,
        PiiKind::Ipv4,
        PiiKind::Ipv6,
        PiiKind::Iban,
        PiiKind::Secret,
    ];

    /// The typed placeholder that replaces a value of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[EMAIL]",
            PiiKind::Phone => "[PHONE]",
            PiiKind::Ssn => "[SSN]",
            PiiKind::Itin => "[ITIN]",
            PiiKind::Atin => "[ATIN]",
            PiiKind::Card => "[CARD]",
            PiiKind::Ipv4 => "[IPV4]",
            PiiKind::Ipv6 => "[IPV6]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Secret => "[SECRET]",
        }
    }

    /// Lower-case name used in reports and traces (`email`, `card`…).
    pub fn name(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Ssn => "ssn",
            PiiKind::Itin => "itin",
            PiiKind::Atin => "atin",
            PiiKind::Card => "card",
            PiiKind::Ipv4 => "ipv4",
            PiiKind::Ipv6 => "ipv6",
            PiiKind::Iban => "iban",
            PiiKind::Secret => "secret",
        }
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One value that redaction replaced: its kind and where it was.
///
/// `span` is a byte range in the **original** text, so a reviewer holding the
/// original can point at the exact characters. The finding itself never
/// carries the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of value was found.
    pub kind: PiiKind,
    /// Byte range of the value in the original text.
    pub span: Range<usize>,
}

/// The result of [`redact`](crate::redact()): the text with every finding
/// replaced by its placeholder, and the findings in order of position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// The redacted text: safe to embed, store, print and back up.
    pub text: String,
    /// What was replaced, in order, with spans in the original text.
    pub findings: Vec<Finding>,
}

impl Redaction {
    /// `true` when nothing had to be replaced.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// How many findings of each kind, in [`PiiKind::ALL`] order, skipping
    /// kinds with none: `email×1 card×1`. Used by traces, never shows values.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for kind in PiiKind::ALL {
            let n = self.findings.iter().filter(|f| f.kind == kind).count();
            if n > 0 {
                parts.push(format!("{kind}×{n}"));
            }
        }
        if parts.is_empty() {
            "clean".to_string()
        } else {
            parts.join(" ")
        }
    }
}

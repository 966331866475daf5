//! Sealed verdicts: how the course tool knows a verdict came from the check
//! harness and not from the code it judged.
//!
//! A check runs learner code in the same process as the check itself, so
//! anything that process can write, learner code can write too: the result
//! file, standard output, an exit code. What learner code cannot do is
//! compute a MAC with a key it never sees. The course tool makes a fresh
//! random key for every check process and writes it to the process's
//! standard input; the harness reads it **before any learner code runs**,
//! keeps it in a local variable, and seals the verdict with
//! HMAC-SHA256 over the check id, the outcome and the message. The tool
//! accepts a verdict only when its seal verifies; anything else in the result
//! file, or a verdict-shaped line in the output, is *tampered*.
//!
//! What this does not stop (a process reading its own memory, for one) and
//! what the tool does about it is written down in `docs/results-json.md`.

use sha2::{Digest, Sha256};

use crate::check::Outcome;
use crate::digest::to_hex;
use crate::stall::Stall;

/// A verdict key: 32 random bytes, one per check process.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a key, not even by accident in a debug dump.
        f.write_str("Key(…)")
    }
}

impl Key {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A key from 64 hex characters, as the tool writes it.
    pub fn from_hex(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in text.as_bytes().chunks(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(Self(out))
    }

    /// The key as 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// A fresh key from the operating system's random source.
    pub fn random() -> std::io::Result<Self> {
        use std::io::Read;
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        Ok(Self(bytes))
    }
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// The bytes a seal covers. Each field is length-prefixed, so no choice of
/// message can make two different verdicts cover the same bytes. A stall,
/// when there is one, is a fourth field; a verdict without one covers the
/// same bytes as before stalls existed.
fn sealed_bytes(
    check_id: &str,
    outcome: Outcome,
    message: Option<&str>,
    stall: Option<&Stall>,
) -> Vec<u8> {
    let mut out = b"opsloop verdict v1".to_vec();
    let stall = stall.map(Stall::sealed_text);
    for field in [
        Some(check_id),
        Some(outcome.as_str()),
        message.or(Some("\u{0}none")),
        stall.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        out.extend_from_slice(&(field.len() as u64).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// The seal of one verdict, as hex.
pub fn seal(key: &Key, check_id: &str, outcome: Outcome, message: Option<&str>) -> String {
    seal_with_stall(key, check_id, outcome, message, None)
}

/// The seal of one verdict that may carry a [`Stall`], as hex.
pub fn seal_with_stall(
    key: &Key,
    check_id: &str,
    outcome: Outcome,
    message: Option<&str>,
    stall: Option<&Stall>,
) -> String {
    to_hex(&hmac_sha256(
        &key.0,
        &sealed_bytes(check_id, outcome, message, stall),
    ))
}

/// Whether `mac` is the seal of this verdict under `key`. The comparison
/// looks at every byte whatever it finds, so its time says nothing about
/// how much of a guess was right.
pub fn verify(
    key: &Key,
    check_id: &str,
    outcome: Outcome,
    message: Option<&str>,
    mac: &str,
) -> bool {
    verify_with_stall(key, check_id, outcome, message, None, mac)
}

/// [`verify`] for a verdict that may carry a [`Stall`].
pub fn verify_with_stall(
    key: &Key,
    check_id: &str,
    outcome: Outcome,
    message: Option<&str>,
    stall: Option<&Stall>,
    mac: &str,
) -> bool {
    let want = seal_with_stall(key, check_id, outcome, message, stall);
    want.len() == mac.len()
        && want
            .bytes()
            .zip(mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
            .collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 1.
        let key = [0x0b; 20];
        assert_eq!(
            to_hex(&hmac_sha256(&key, b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // Test case 2: a short key.
        assert_eq!(
            to_hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        let key = [0xaa; 131];
        assert_eq!(
            to_hex(&hmac_sha256(
                &key,
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(unhex("0aff"), vec![10, 255]);
    }

    #[test]
    fn a_seal_binds_key_check_outcome_and_message() {
        let key = Key::from_bytes([7; 32]);
        let mac = seal(&key, "m31.a.1", Outcome::Pass, None);
        assert!(verify(&key, "m31.a.1", Outcome::Pass, None, &mac));
        assert!(!verify(&key, "m31.a.2", Outcome::Pass, None, &mac));
        assert!(!verify(&key, "m31.a.1", Outcome::Fail, None, &mac));
        assert!(!verify(&key, "m31.a.1", Outcome::Pass, Some(""), &mac));
        let other = Key::from_bytes([8; 32]);
        assert!(!verify(&other, "m31.a.1", Outcome::Pass, None, &mac));
        assert!(!verify(&key, "m31.a.1", Outcome::Pass, None, ""));
        assert!(!verify(&key, "m31.a.1", Outcome::Pass, None, &mac[1..]));
    }

    #[test]
    fn a_seal_covers_the_stall() {
        use crate::stall::StepRef;
        let key = Key::from_bytes([7; 32]);
        let step = |f: &str| StepRef {
            function: f.into(),
            file: "starters/m33/index/validity.rs".into(),
        };
        let looped = Stall::LoopedIn {
            step: step("luhn_valid"),
        };
        let mac = seal_with_stall(&key, "m33.a.1", Outcome::TimedOut, None, Some(&looped));
        let ok = |s: Option<&Stall>| {
            verify_with_stall(&key, "m33.a.1", Outcome::TimedOut, None, s, &mac)
        };
        assert!(ok(Some(&looped)));
        assert!(!ok(None), "a stall dropped from a sealed verdict");
        assert!(!ok(Some(&Stall::NotRun {
            step: step("luhn_valid")
        })));
        assert!(!ok(Some(&Stall::LoopedIn {
            step: step("ssn_valid")
        })));
        // Without a stall, the seal is the one from before stalls.
        assert_eq!(
            seal_with_stall(&key, "m33.a.1", Outcome::Pass, None, None),
            seal(&key, "m33.a.1", Outcome::Pass, None)
        );
    }

    #[test]
    fn keys_round_trip_through_hex_and_never_print() {
        let key = Key::from_bytes([0xab; 32]);
        assert_eq!(Key::from_hex(&key.to_hex()), Some(key.clone()));
        assert_eq!(Key::from_hex("zz"), None);
        assert_eq!(Key::from_hex(&"g".repeat(64)), None);
        assert_eq!(format!("{key:?}"), "Key(…)");
        let a = Key::random().map(|k| k.to_hex()).unwrap_or_default();
        let b = Key::random().map(|k| k.to_hex()).unwrap_or_default();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}

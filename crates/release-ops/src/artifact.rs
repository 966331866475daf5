//! Content-addressed artifacts.
//!
//! An artifact (a container image, a model file) is named by the SHA-256 of
//! its bytes: `sha256:<64 hex>`. The name *is* a proof of the content: two
//! different files cannot share a name, a file cannot change under its name,
//! and anyone can check a download by hashing it again. A tag such as `v2`
//! is a movable pointer; a digest is not. That is why a rollback can be a
//! deploy of an older tag: the bytes it points to are still the bytes that
//! were tested.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::{ReleaseError, Result};

/// A content digest, always `sha256:` followed by 64 lowercase hex characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Digest(String);

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Digest(format!("sha256:{}", labkit::digest::sha256_hex(bytes)))
    }

    /// Parses a digest string, refusing anything that is not exactly
    /// `sha256:<64 lowercase hex>`.
    pub fn parse(text: &str) -> Result<Self> {
        let ok = text.strip_prefix("sha256:").is_some_and(|hex| {
            hex.len() == 64
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if ok {
            Ok(Digest(text.to_string()))
        } else {
            Err(ReleaseError::MalformedDigest {
                text: text.to_string(),
            })
        }
    }

    /// The full text, `sha256:…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `sha256:` and the first 12 hex characters, for traces.
    pub fn short(&self) -> &str {
        self.0.get(..19).unwrap_or(&self.0)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A store of byte blobs keyed by their digest.
///
/// Writing with a claimed digest checks the claim; reading checks the bytes
/// again, so a blob that rotted or was tampered with after it was stored is
/// refused instead of being deployed.
#[derive(Debug, Clone, Default)]
pub struct ArtifactStore {
    blobs: BTreeMap<Digest, Vec<u8>>,
}

impl ArtifactStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `bytes` and returns their digest. Storing the same bytes twice
    /// is harmless: the name is the content.
    pub fn put(&mut self, bytes: &[u8]) -> Digest {
        let digest = Digest::of(bytes);
        self.blobs
            .entry(digest.clone())
            .or_insert_with(|| bytes.to_vec());
        digest
    }

    /// Stores `bytes` under `claimed` only if they really hash to it (an
    /// upload that says what it is). A mismatch is refused and nothing is
    /// stored.
    pub fn put_claimed(&mut self, claimed: &Digest, bytes: &[u8]) -> Result<()> {
        let actual = Digest::of(bytes);
        if &actual != claimed {
            return Err(ReleaseError::DigestMismatch {
                claimed: claimed.to_string(),
                actual: actual.to_string(),
            });
        }
        self.blobs.entry(actual).or_insert_with(|| bytes.to_vec());
        Ok(())
    }

    /// The bytes stored under `digest`, verified again on the way out.
    pub fn get(&self, digest: &Digest) -> Result<&[u8]> {
        let bytes = self
            .blobs
            .get(digest)
            .ok_or_else(|| ReleaseError::MissingArtifact {
                digest: digest.to_string(),
            })?;
        let actual = Digest::of(bytes);
        if &actual != digest {
            return Err(ReleaseError::DigestMismatch {
                claimed: digest.to_string(),
                actual: actual.to_string(),
            });
        }
        Ok(bytes)
    }

    /// `true` if something is stored under `digest`.
    pub fn contains(&self, digest: &Digest) -> bool {
        self.blobs.contains_key(digest)
    }

    /// Number of stored blobs.
    pub fn len(&self) -> usize {
        self.blobs.len()
    }

    /// `true` when the store is empty.
    pub fn is_empty(&self) -> bool {
        self.blobs.is_empty()
    }

    /// A drill: overwrite the bytes under `digest` without renaming them,
    /// the way a bad disk or an attacker would. Returns `false` if nothing
    /// was stored there. Reads of that digest fail from now on.
    pub fn tamper(&mut self, digest: &Digest, bytes: &[u8]) -> bool {
        match self.blobs.get_mut(digest) {
            Some(slot) => {
                *slot = bytes.to_vec();
                true
            }
            None => false,
        }
    }
}

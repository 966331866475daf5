//! Step A5 · Verify a backup before trusting it. Guide:
//! `labs/m33/README.md`, Part A, step A5.

use crate::backup::{BackupError, CHECKSUM_AT, HEADER_LEN, LENGTH_AT, MAGIC, VERSION, VERSION_AT};

/// Checks a backup's header and returns its payload, or the error that names
/// what is wrong. The layout is in the docs of `crates/index-ops/src/backup.rs`.
///
/// Ask the questions in this order, each only once the previous one passed:
/// 1. Do the bytes start like [`MAGIC`]? Compare as many magic bytes as
///    there are (an empty input passes this test): otherwise
///    [`BackupError::BadMagic`].
/// 2. Is the whole header there ([`HEADER_LEN`] bytes)? Otherwise
///    [`BackupError::Truncated`].
/// 3. Is the version (little-endian `u16` at [`VERSION_AT`]) [`VERSION`]?
///    Otherwise [`BackupError::UnsupportedVersion`].
/// 4. Does the rest have exactly the payload length the header declares
///    (little-endian `u64` at [`LENGTH_AT`])? Fewer bytes:
///    [`BackupError::Truncated`]; more: [`BackupError::TrailingBytes`].
/// 5. Does the payload's SHA-256 (`labkit::digest::sha256`) equal the 32
///    bytes at [`CHECKSUM_AT`]? Otherwise [`BackupError::ChecksumMismatch`]
///    (hex strings: `labkit::digest::to_hex`).
///
/// Never index past the end of `bytes`: a truncated backup must give an
/// error, not a panic.
///
/// Questions 1–3 (decoding the header) are given below; you write 4 and 5,
/// the two that prove the payload is the one that was saved.
pub fn verify_backup(bytes: &[u8]) -> Result<&[u8], BackupError> {
    // Given: questions 1–3, the header.
    let probe = bytes.len().min(MAGIC.len());
    if bytes[..probe] != MAGIC[..probe] {
        return Err(BackupError::BadMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(BackupError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    }
    let version = u16::from_le_bytes([bytes[VERSION_AT], bytes[VERSION_AT + 1]]);
    if version != VERSION {
        return Err(BackupError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[LENGTH_AT..LENGTH_AT + 8]);
    let declared = u64::from_le_bytes(len);
    // BEGIN SOLUTION verify_backup: refuse a payload shorter or longer than declared, then a checksum that differs; return the payload
    let present = (bytes.len() - HEADER_LEN) as u64;
    if present < declared {
        return Err(BackupError::Truncated {
            expected: (HEADER_LEN as u64).saturating_add(declared),
            found: bytes.len() as u64,
        });
    }
    if present > declared {
        return Err(BackupError::TrailingBytes {
            extra: present - declared,
        });
    }
    let payload = &bytes[HEADER_LEN..];
    let found = labkit::digest::sha256(payload);
    let expected = &bytes[CHECKSUM_AT..CHECKSUM_AT + 32];
    if found[..] != expected[..] {
        return Err(BackupError::ChecksumMismatch {
            expected: labkit::digest::to_hex(expected),
            found: labkit::digest::to_hex(&found),
        });
    }
    Ok(payload)
    // END SOLUTION
}

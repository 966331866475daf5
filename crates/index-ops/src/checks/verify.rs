//! Checks of `starters/m33/index/verify.rs`: every damaged backup refused.

use super::now;
use crate::backup::{HEADER_LEN, LENGTH_AT, VERSION_AT};
use crate::corpus::{self};
use crate::{verify_backup, BackupError, Index, Scope, SourceDoc};
use chrono::TimeDelta;
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

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

pub(super) fn verify_backup_refuses_damage() -> CheckResult {
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

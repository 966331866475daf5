//! `--watch`: re-run when a learner's file changes.
//!
//! Polling, not file-system events: it works the same on every file system
//! (network mounts, containers, WSL) and needs no dependency. A scan of a
//! module's handful of files every 300 ms costs nothing measurable.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::check_report::Style;

/// What identifies the state of a directory's files: path, size and
/// modification time of each, sorted.
pub fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    scan(dir, &mut out);
    out.sort();
    out
}

fn scan(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            scan(&p, out);
        } else if let Ok(meta) = e.metadata() {
            out.push((p, meta.len(), meta.modified().ok()));
        }
    }
}

/// Runs `run` now and again after every change under `dir`; never returns
/// (the learner stops it with Ctrl-C).
pub fn watch(root: &Path, rel: &str, style: Style, mut run: impl FnMut()) -> ! {
    let dir = root.join(rel);
    let dir = dir.as_path();
    loop {
        if style.color {
            print!("\x1b[2J\x1b[H");
        }
        run();
        println!("\nWatching {rel}/ for changes (Ctrl-C to stop)…");
        let before = fingerprint(dir);
        loop {
            std::thread::sleep(Duration::from_millis(300));
            if fingerprint(dir) != before {
                break;
            }
        }
    }
}

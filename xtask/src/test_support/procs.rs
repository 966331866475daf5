//! The machine's living processes, as the tests that look for survivors
//! read them from `/proc`.
//!
//! A test never judges the whole machine by this list: each caller keeps
//! only what it answers for (its own users, its descendants, its folders).

use std::path::PathBuf;

/// One living process: not a zombie (a zombie is dead, waiting only to be
/// reaped, and can do nothing).
#[derive(Debug, Clone)]
pub struct Proc {
    pub pid: i32,
    /// The real uid (`Uid:` of `status`), when it could be read.
    pub uid: Option<u32>,
    /// The command line, its arguments joined by spaces, trimmed.
    pub cmdline: String,
    /// `/proc/<pid>`, to read more (`environ`) where a caller needs it.
    pub dir: PathBuf,
    status: String,
}

impl Proc {
    /// A field of `status` (`Name:`, `State:`, `PPid:` …), trimmed.
    pub fn field(&self, name: &str) -> String {
        self.status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// Every process under `/proc` but the zombies (one whose `status` cannot
/// be read is listed, with no uid, rather than missed).
pub fn living() -> Vec<Proc> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let dir = e.path();
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        if status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'))
        {
            continue;
        }
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|u| u.parse::<u32>().ok());
        let cmdline = std::fs::read(dir.join("cmdline"))
            .map(|b| {
                String::from_utf8_lossy(&b)
                    .replace('\0', " ")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        out.push(Proc {
            pid,
            uid,
            cmdline,
            dir,
            status,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_listed_with_its_uid_and_command_line() {
        let me = std::process::id() as i32;
        let all = living();
        let mine = all.iter().find(|p| p.pid == me).expect("this process");
        assert_eq!(mine.uid, Some(rustix::process::getuid().as_raw()));
        let exe = std::env::current_exe().expect("this binary");
        let name = exe.file_name().expect("a name").to_string_lossy();
        assert!(mine.cmdline.contains(name.as_ref()), "{}", mine.cmdline);
        assert_eq!(mine.field("Pid:"), me.to_string());
    }
}

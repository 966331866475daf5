//! The shape every module crate must keep so that a learner's editor
//! understands the learner's files (see `docs/authoring.md`): the crate root
//! is a shim beside the starters, and learner files are included with
//! `#[cfg]`-selected `#[path]` modules, never `#[cfg_attr(…, path = …)]`,
//! which rust-analyzer does not follow.

use std::path::Path;

use crate::modules::MODULES;

/// Every way the module crates under `root` depart from that shape.
pub fn problems(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for m in MODULES {
        for u in m.units {
            let manifest = format!("crates/{}/Cargo.toml", u.package);
            let Ok(toml) = std::fs::read_to_string(root.join(&manifest)) else {
                continue; // a crate not on disk is a different, louder failure
            };
            let want = format!("path = \"../../{}/lib.rs\"", u.starters);
            if !toml.lines().any(|l| l.trim() == want) {
                out.push(format!(
                    "{manifest}: [lib] path must be \"../../{}/lib.rs\"",
                    u.starters
                ));
            }
            let shim = format!("{}/lib.rs", u.starters);
            if !root.join(&shim).exists() {
                out.push(format!("{shim} is missing (the crate root shim)"));
            }
            // A crate with a port (learner steps as a table) is built with
            // it in lab builds, and only then: the two go together.
            let port = root.join(format!("crates/{}/src/port.rs", u.package));
            let feature = format!("{}/external-steps", u.package);
            let listed = m.lab_features.contains(&feature.as_str());
            if port.exists() != listed {
                out.push(format!(
                    "crates/{}: a src/port.rs and the lab feature `{feature}` in xtask/src/modules.rs go together",
                    u.package
                ));
            }
            let lib = format!("crates/{}/src/lib.rs", u.package);
            let text = std::fs::read_to_string(root.join(&lib)).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.contains("cfg_attr(") && line.contains("path =") {
                    out.push(format!(
                        "{lib}:{}: a cfg_attr path; rust-analyzer cannot follow it, use a #[cfg] + #[path] pair",
                        i + 1
                    ));
                }
            }
        }
    }
    out
}

//! The check ids the guides quote, held against the catalogue.
//!
//! A guide names its checks (`Check **m31.a.2**`) in the paragraph that
//! teaches the step, which starts with the step's function
//! (`` `burn_rate(error_ratio, &slo)` ``); the authoring guide's examples
//! pair an id with a step (`id: "m33.a.3"`, `guide_step: "redact"`). Each id
//! must exist, and where the text says which step it belongs to, it must
//! be that step's check. `cargo xtask verify` runs this.

use std::path::Path;

use anyhow::Result;

use crate::catalog::Catalog;

/// Check ids in `text`: `m31.a.2`, `m33.x.1`.
fn ids(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 6 < b.len() {
        let starts = b[i] == b'm'
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && b[i + 3] == b'.'
            && b[i + 4].is_ascii_lowercase()
            && b[i + 5] == b'.';
        if starts {
            let end = (i + 6..b.len())
                .find(|&j| !b[j].is_ascii_digit())
                .unwrap_or(b.len());
            if end > i + 6 {
                out.push(text[i..end].to_string());
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Every `` `name(…)` `` in a paragraph: the functions it teaches.
fn taught_functions(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = paragraph;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            break;
        };
        let code = &after[..close];
        if let Some(paren) = code.find('(') {
            let name = code[..paren].rsplit("::").next().unwrap_or("");
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(name);
            }
        }
        rest = &after[close + 1..];
    }
    out
}

/// Problems with the ids one Markdown text quotes.
pub fn problems_in(name: &str, text: &str, catalog: &Catalog) -> Vec<String> {
    let all: Vec<&labkit::check::CheckInfo> = catalog.values().flatten().collect();
    let find = |id: &str| all.iter().find(|c| c.id == id).copied();
    let functions: Vec<&str> = all.iter().filter_map(|c| c.function.as_deref()).collect();
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let quoted = ids(paragraph);
        for id in &quoted {
            if find(id).is_none() {
                out.push(format!("{name}: quotes check `{id}`, which does not exist"));
            }
        }
        // `id: "m33.a.3"` … `step: "redact"` in an example.
        let step_at = paragraph
            .find("guide_step: \"")
            .map(|i| i + 13)
            .or_else(|| paragraph.find("step: \"").map(|i| i + 7));
        if let (Some(a), Some(s)) = (paragraph.find("id: \""), step_at) {
            let id = paragraph[a + 5..].split('"').next().unwrap_or("");
            let step = paragraph[s..].split('"').next().unwrap_or("");
            if let Some(c) = find(id) {
                if c.step != step {
                    out.push(format!(
                        "{name}: pairs check `{id}` with step `{step}`, but it belongs to `{}`",
                        c.step
                    ));
                }
            }
            continue;
        }
        // A paragraph teaching `step(…)` (one or more) and quoting its checks.
        let taught: Vec<&str> = taught_functions(paragraph)
            .into_iter()
            .filter(|f| functions.contains(f))
            .collect();
        if taught.is_empty() || !paragraph.contains("Check") {
            continue;
        }
        for id in &quoted {
            let Some(c) = find(id) else { continue };
            let Some(theirs) = c.function.as_deref() else {
                continue;
            };
            if !taught.contains(&theirs) {
                out.push(format!(
                    "{name}: the paragraph on `{}` quotes `{id}`, which checks `{theirs}`",
                    taught.join("`, `")
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Problems in every guide and the authoring docs.
pub fn problems(root: &Path, catalog: &Catalog) -> Result<Vec<String>> {
    let mut files = vec!["docs/authoring.md".to_string(), "README.md".to_string()];
    for m in crate::modules::MODULES {
        for f in ["README.md", "notes.md", "glossary.md"] {
            files.push(format!("labs/{}/{f}", m.name));
        }
    }
    let mut out = Vec::new();
    for f in files {
        if let Ok(text) = std::fs::read_to_string(root.join(&f)) {
            out.extend(problems_in(&f, &text, catalog));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use labkit::check::CheckInfo;

    fn catalog() -> Catalog {
        let c = |id: &str, step: &str, f: Option<&str>| CheckInfo {
            id: id.into(),
            part: "A".into(),
            step: step.into(),
            kind: if f.is_some() {
                labkit::check::CheckKind::Step
            } else {
                labkit::check::CheckKind::Story
            },
            title: "t".into(),
            points: 1,
            track: labkit::check::Track::Core,
            minutes: 1,
            hint: "h".into(),
            file: f.map(|_| "starters/x.rs".into()),
            function: f.map(String::from),
        };
        let mut cat = Catalog::new();
        cat.insert(
            "checks-m33".into(),
            vec![
                c("m33.a.2", "validity", Some("ssn_valid")),
                c("m33.a.3", "redact", Some("redact")),
                c("m33.a.10", "trace", None),
            ],
        );
        cat
    }

    #[test]
    fn ids_must_exist_and_belong_to_the_step_named() {
        let cat = catalog();
        assert_eq!(
            ids("Check **m33.a.10** and m33.a.2, not am33.a.1"),
            vec!["m33.a.10", "m33.a.2"]
        );
        let good = "**A3. Redact** — `redact(text)` (`redact.rs`). Check **m33.a.3**.\n\n\
                    ```rust\nid: \"m33.a.3\",\nstep: \"redact\",\n```\n";
        assert_eq!(problems_in("g", good, &cat), Vec::<String>::new());
        let wrong = "```rust\nid: \"m33.a.2\",\nstep: \"redact\",\n```\n\n\
                     **A3. Redact** — `redact(text)`. Check **m33.a.2**.\n\nSee m33.a.9.\n";
        let p = problems_in("g", wrong, &cat);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p
            .iter()
            .any(|x| x.contains("pairs check `m33.a.2` with step `redact`")));
        assert!(p
            .iter()
            .any(|x| x.contains("quotes `m33.a.2`, which checks `ssn_valid`")));
        assert!(p
            .iter()
            .any(|x| x.contains("`m33.a.9`, which does not exist")));
    }
}

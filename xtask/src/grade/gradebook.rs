//! `gradebook.csv`: one row per submission, for a spreadsheet or an LMS.
//!
//! Columns: `id`, the points of each module (`m31` … `m34`), `total`,
//! `max` (core only), `bonus` (the optional challenge, part `X`),
//! `after_class` (points earned in the extensions of parts A and B, apart
//! from the core and the bonus), `status` and `flags` (short names joined by
//! `;`, see [`Flag::name`]), then what was graded: `commit` (its first 12
//! characters; `dirty` for a work tree with uncommitted changes, empty for
//! a folder), `committed` (its committer date, UTC) and `late` (the commits
//! after the `--before` deadline, joined by `;`). Rows are sorted by id and hold no times or paths, so
//! the same batch gives the same bytes on every run. Shards of a class
//! graded apart are joined with [`merge`] (`cargo xtask gradebook merge`).

use std::collections::BTreeMap;

use anyhow::{bail, Result};

use super::flags::Flag;
use super::provenance::short;
use super::{Graded, Status};
use crate::modules::MODULES;

/// The file's name in a batch's output folder.
pub const FILE: &str = "gradebook.csv";

/// The header row.
pub fn header() -> String {
    let mut cols = vec!["id".to_string()];
    cols.extend(MODULES.iter().map(|m| m.name.to_string()));
    cols.extend(
        [
            "total",
            "max",
            "bonus",
            "after_class",
            "status",
            "flags",
            "commit",
            "committed",
            "late",
        ]
        .map(String::from),
    );
    cols.join(",")
}

/// A field as CSV writes it (RFC 4180 quoting when needed).
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The flags' short names, sorted and without repeats (a file problem or a
/// suspicious line counts once per kind).
pub fn flag_names(g: &Graded) -> Vec<String> {
    let mut names: Vec<String> = g.flags.iter().map(Flag::name).collect();
    if g.status == Status::Invalid {
        names.push("invalid".into());
    }
    names.sort();
    names.dedup();
    names
}

/// The gradebook of a batch.
pub fn csv(graded: &[Graded]) -> String {
    let mut rows: Vec<&Graded> = graded.iter().collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let max: u32 = graded.iter().map(Graded::max_points).max().unwrap_or(0);
    let mut out = header() + "\n";
    for g in rows {
        let mut cells = vec![field(&g.id)];
        cells.extend(MODULES.iter().map(|m| g.module_points(m.name).to_string()));
        cells.push(g.points().to_string());
        cells.push(
            if g.runs.is_empty() {
                max
            } else {
                g.max_points()
            }
            .to_string(),
        );
        cells.push(g.bonus().to_string());
        cells.push(g.after_class().to_string());
        cells.push(g.status.as_str().to_string());
        cells.push(field(&flag_names(g).join(";")));
        let p = &g.provenance;
        cells.push(match (&p.commit, p.dirty) {
            (Some(c), _) => short(&c.commit).to_string(),
            (None, true) => "dirty".into(),
            (None, false) => String::new(),
        });
        cells.push(
            p.commit
                .as_ref()
                .map(|c| c.date.clone())
                .unwrap_or_default(),
        );
        let late: Vec<&str> = p.late.iter().map(|c| short(&c.commit)).collect();
        cells.push(field(&late.join(";")));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Splits one CSV record (quoted fields allowed).
pub fn record(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Joins the gradebooks of several shards into one: the same header, every
/// row once, sorted by id. Two shards with the same id, a different header
/// or a malformed row are errors naming the file.
pub fn merge(books: &[(String, String)]) -> Result<String> {
    let want = header();
    let mut rows: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (name, text) in books {
        let mut lines = text.lines();
        match lines.next() {
            Some(h) if h.trim_end() == want => {}
            Some(h) => bail!("{name}: header `{h}` is not a gradebook's `{want}`"),
            None => bail!("{name}: empty, not a gradebook"),
        }
        for (n, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let cells = record(line);
            if cells.len() != want.split(',').count() {
                bail!(
                    "{name}:{}: {} fields, a gradebook row has {}",
                    n + 2,
                    cells.len(),
                    want.split(',').count()
                );
            }
            let id = cells[0].clone();
            if let Some((other, before)) = rows.get(&id) {
                // A roster's blank row in one shard yields to the row of
                // the shard that graded the learner.
                let missing = |l: &str| {
                    let c = record(l);
                    want.split(',')
                        .position(|h| h == "status")
                        .is_some_and(|i| {
                            c.get(i).map(String::as_str) == Some(super::roster::MISSING)
                        })
                };
                if missing(line) {
                    continue;
                }
                if !missing(before) {
                    bail!("{name}:{}: submission `{id}` is also in {other}", n + 2);
                }
            }
            rows.insert(id, (name.clone(), line.to_string()));
        }
    }
    let mut out = want + "\n";
    for (_, (_, line)) in rows {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_read_back() {
        assert_eq!(field("a;b"), "a;b");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(record("x,\"a,\"\"b\"\"\",3"), vec!["x", "a,\"b\"", "3"]);
    }

    #[test]
    fn shards_merge_sorted_and_refuse_overlap_or_other_headers() {
        let h = header();
        let a = format!("{h}\nzed,1,2,3,4,10,96,0,0,fail,,,,\nann,0,0,0,0,0,96,0,0,fail,,,,\n");
        let b =
            format!("{h}\nbob,30,0,0,0,30,96,0,2,fail,reference-copy,abc,2026-01-01T00:00:00Z,\n");
        let merged = merge(&[("a".into(), a.clone()), ("b".into(), b)]).unwrap_or_default();
        let ids: Vec<&str> = merged.lines().skip(1).map(|l| &l[..3]).collect();
        assert_eq!(ids, vec!["ann", "bob", "zed"]);
        // A roster's blank row yields to a graded one, in either order.
        let blank = format!("{h}\nbob,,,,,,96,,,missing,,,,\nzed,,,,,,96,,,missing,,,,\n");
        let b2 = format!("{h}\nbob,30,0,0,0,30,96,0,0,fail,reference-copy,,,\n");
        for pair in [[blank.clone(), b2.clone()], [b2.clone(), blank.clone()]] {
            let m = merge(&[("x".into(), pair[0].clone()), ("y".into(), pair[1].clone())])
                .unwrap_or_default();
            assert!(m.contains("\nbob,30,") && !m.contains("bob,,"), "{m}");
            assert!(m.contains("\nzed,,"), "{m}");
        }
        let err = merge(&[("a".into(), a.clone()), ("a2".into(), a)]).unwrap_err();
        assert!(err.to_string().contains("also in a"), "{err}");
        let err = merge(&[("c".into(), "id,points\n".into())]).unwrap_err();
        assert!(err.to_string().starts_with("c: header"), "{err}");
        let err = merge(&[("d".into(), format!("{h}\nx,1\n"))]).unwrap_err();
        assert!(err.to_string().contains("d:2: 2 fields"), "{err}");
    }
}

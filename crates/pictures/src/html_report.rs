//! The shift report: one self-contained HTML page.
//!
//! Every picture is embedded as a `data:` URI and the styles are inline, so
//! the file can be mailed, attached to a ticket or opened from a USB stick:
//! nothing is fetched. With a learner's run ([`html`]'s `mine`), each
//! picture of the reference has the learner's beside it.

use crate::charts::{self, Picture};
use crate::data::Course;
use crate::svg::esc;

/// Standard base64 (RFC 4648, with padding), for `data:` URIs.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn img(p: &Picture) -> String {
    format!(
        "<img src=\"data:image/svg+xml;base64,{}\" alt=\"{}\">",
        base64(p.svg.as_bytes()),
        esc(p.caption)
    )
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1900px;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}\
.row{display:flex;gap:1em;flex-wrap:wrap}.row figure{flex:1 1 900px;margin:0}\
img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:.9em}\
table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}\
pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:.85em}";

/// The shift's own outage in one line: the drill's run (seed 34), the
/// same as `cargo xtask drill` prints.
pub fn headline(c: &Course) -> String {
    let Ok(d) = &c.m34 else {
        return match &c.m34 {
            Err(e) => format!("The shift was not drawn: {e}"),
            Ok(_) => String::new(),
        };
    };
    let at = |t: Option<f64>| t.map(crate::svg::hhmm).unwrap_or_else(|| "never".into());
    format!(
        "The shift (seed {}): deploy {} went live at +00:00, paged at {}, rolled back at {}, resolved at {}; \
         live at the end: {}; gate {} of {} hold, exit {}.",
        d.seed,
        d.deploy,
        at(d.paged),
        at(d.mitigated),
        at(d.resolved),
        d.live_at_end.as_deref().unwrap_or("none"),
        d.gate.0,
        d.gate.1,
        d.exit
    )
}

/// Whose run a module's pictures come from: each module draws its own lab
/// story, with its own seed; only M34 is the shift.
pub fn run_of(c: &Course, module: &str) -> String {
    let seed = match module {
        "m31" => c.m31.as_ref().ok().map(|d| d.seed),
        "m32" => c.m32.as_ref().ok().map(|d| d.seed),
        "m33" => c.m33.as_ref().ok().map(|d| d.seed),
        "m34" => c.m34.as_ref().ok().map(|d| d.seed),
        _ => None,
    };
    match (module, seed) {
        ("m34", Some(s)) => format!("the shift itself: the drill's run, seed {s}"),
        ("m34", None) => "the shift itself: the drill's run".to_string(),
        (_, Some(s)) => format!("its own lab story, seed {s}, not the shift"),
        (_, None) => "its own lab story, not the shift".to_string(),
    }
}

/// Key numbers of a run, one row per module, each from its own run.
fn summary(c: &Course) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    rows.push((
        format!("M31 ({})", run_of(c, "m31")),
        match &c.m31 {
            Ok(d) => format!(
                "paged at {}, rolled back at {}, resolved at {} (from the release)",
                crate::svg::hhmm(d.paged),
                crate::svg::hhmm(d.mitigated),
                crate::svg::hhmm(d.resolved)
            ),
            Err(e) => e.clone(),
        },
    ));
    rows.push((
        format!("M32 ({})", run_of(c, "m32")),
        match &c.m32 {
            Ok(d) => format!(
                "deploy {}: {} records → {} alerts → {} incidents",
                d.deploy,
                d.received,
                d.distinct,
                d.incidents.len()
            ),
            Err(e) => e.clone(),
        },
    ));
    rows.push((
        format!("M33 ({})", run_of(c, "m33")),
        match &c.m33 {
            Ok(d) => match d.ramps.first() {
                Some(r) => format!(
                    "bad canary stopped after {} requests ({} errors; {} at 100% at once)",
                    r.blast_radius, r.errors_seen, d.big_bang_errors
                ),
                None => "no ramp".to_string(),
            },
            Err(e) => e.clone(),
        },
    ));
    rows.push((
        format!("M34 ({})", run_of(c, "m34")),
        match &c.m34 {
            Ok(d) => format!("gate: {} of {} hold, exit {}", d.gate.0, d.gate.1, d.exit),
            Err(e) => e.clone(),
        },
    ));
    rows
}

/// The report for the `reference` run, with the learner's run beside it
/// when `mine` is given.
pub fn html(reference: &Course, mine: Option<&Course>) -> String {
    let ref_pics = charts::all(reference);
    let my_pics = mine.map(charts::all);
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<title>The on-call shift — opsloop report</title>\n");
    s.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    s.push_str("<h1>The on-call shift, in pictures</h1>\n");
    s.push_str(&format!(
        "<p class=\"headline\"><strong>{}</strong></p>\n",
        esc(&headline(reference))
    ));
    s.push_str(
        "<p>One outage, end to end: the desk (M32) turns a storm into incidents, incident response (M31) \
         pages and drives it, release operations (M33) roll back and ship the fix through a canary, and a \
         gate (M34) checks it all held. The headline, the M34 picture and the trace at the end come from the \
         shift itself, the same run as <code>cargo xtask drill</code>. The M31–M33 pictures come from each \
         module's own lab story (its own seed, the run its lab trace shows), so their times and deploy ids \
         are theirs, not the shift's.</p>\n",
    );
    s.push_str("<table>\n<tr><th>module (whose run)</th><th>reference</th>");
    if mine.is_some() {
        s.push_str("<th>yours</th>");
    }
    s.push_str("</tr>\n");
    let mine_rows = mine.map(summary);
    for (i, (m, text)) in summary(reference).into_iter().enumerate() {
        s.push_str(&format!("<tr><td>{m}</td><td>{}</td>", esc(&text)));
        if let Some(rows) = &mine_rows {
            let t = rows.get(i).map(|r| r.1.as_str()).unwrap_or("");
            s.push_str(&format!("<td>{}</td>", esc(t)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
    let mut module = "";
    for (i, p) in ref_pics.iter().enumerate() {
        if p.module != module {
            module = p.module;
            s.push_str(&format!(
                "<h2 id=\"{module}\">{} <small>({})</small></h2>\n",
                module.to_uppercase(),
                esc(&run_of(reference, module))
            ));
        }
        s.push_str("<div class=\"row\">\n");
        s.push_str(&format!(
            "<figure>{}<figcaption>{}{}</figcaption></figure>\n",
            img(p),
            if mine.is_some() { "Reference. " } else { "" },
            esc(p.caption)
        ));
        if let Some(mp) = my_pics.as_ref().and_then(|v| v.get(i)) {
            s.push_str(&format!(
                "<figure>{}<figcaption>Yours.</figcaption></figure>\n",
                img(mp)
            ));
        }
        s.push_str("</div>\n");
    }
    if let Ok(d) = &reference.m34 {
        s.push_str("<h2 id=\"trace\">The drill's trace (reference)</h2>\n<pre>");
        for e in &d.events {
            s.push_str(&esc(&format!(
                "{:>8}  {:<5} {}: {}\n",
                crate::svg::hhmm(e.t),
                e.actor,
                e.stage,
                e.text
            )));
        }
        s.push_str("</pre>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }
}

//! A very small SVG writer: just what the course's charts need.
//!
//! Why not a plotting library? The pictures are mostly *timelines with
//! annotations* (a release, a page, a rollback, each with a label) rather
//! than standard plots, so a plotting crate would still leave every marker
//! and label to hand-placed coordinates. Writing the SVG ourselves gives
//! three properties the course cares about more:
//!
//! - **the same bytes on every machine**: every coordinate is rounded to one
//!   decimal and printed by one function ([`n`]); text is SVG `<text>` (the
//!   browser lays it out), so no font files are read and no glyph metrics can
//!   differ between machines;
//! - **reviewable snapshots**: one element per line, so a change to a chart
//!   shows up in review as a small, readable diff;
//! - **no dependency** for the CI build to compile.

use std::fmt::Write as _;

/// The palette: colour-blind-safe (Okabe–Ito), in a fixed order.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];
/// Grey for axes, grids and "not run".
pub const GREY: &str = "#888888";
/// Light grey for bands.
pub const LIGHT: &str = "#e8e8e8";
/// Red for limits (an SLO line, a budget).
pub const LIMIT: &str = "#c0392b";

/// Formats a coordinate: one decimal, no trailing `.0`, never `-0`.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    let r = if r == 0.0 || !r.is_finite() { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where text hangs from its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Start,
    /// Text is centred on the point.
    Middle,
    /// Text ends at the point.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document under construction.
#[derive(Debug, Clone)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// A blank picture with a title (read by screen readers and shown as a
    /// tooltip) and a white background.
    pub fn new(width: f64, height: f64, title: &str) -> Self {
        let mut s = Svg {
            width,
            height,
            body: String::new(),
        };
        s.raw(&format!("<title>{}</title>", esc(title)));
        s.rect(0.0, 0.0, width, height, "#ffffff", None);
        s
    }

    /// Adds one line of SVG as is.
    pub fn raw(&mut self, element: &str) {
        self.body.push_str(element);
        self.body.push('\n');
    }

    /// A filled rectangle, optionally outlined.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke
            .map(|s| format!(r#" stroke="{s}""#))
            .unwrap_or_default();
        self.raw(&format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{stroke}/>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        ));
    }

    /// A straight line; `dash` like `"4 3"` makes it dashed.
    pub fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        self.raw(&format!(
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            n(width)
        ));
    }

    /// A polyline through `points`; a `None` point breaks the line (no data
    /// is a gap, never a zero).
    pub fn path(
        &mut self,
        points: &[Option<(f64, f64)>],
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let mut d = String::new();
        let mut pen_down = false;
        for p in points {
            match p {
                Some((x, y)) => {
                    let _ = write!(
                        d,
                        "{}{},{} ",
                        if pen_down { "L" } else { "M" },
                        n(*x),
                        n(*y)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if d.is_empty() {
            return;
        }
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        self.raw(&format!(
            r#"<path d="{}" fill="none" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
            d.trim_end(),
            n(width)
        ));
    }

    /// A circle; `fill: None` draws a ring.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, colour: &str, fill: bool) {
        let fill = if fill { colour } else { "#ffffff" };
        self.raw(&format!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>"#,
            n(cx),
            n(cy),
            n(r)
        ));
    }

    /// A line of text at a point.
    pub fn text(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: Anchor, colour: &str) {
        self.raw(&format!(
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{colour}">{}</text>"#,
            n(x),
            n(y),
            n(size),
            anchor.as_str(),
            esc(text)
        ));
    }

    /// Bold text (titles).
    pub fn title(&mut self, x: f64, y: f64, text: &str) {
        self.raw(&format!(
            r##"<text x="{}" y="{}" font-size="15" font-weight="bold" fill="#222222">{}</text>"##,
            n(x),
            n(y),
            esc(text)
        ));
    }

    /// Text rotated a quarter turn (a y-axis label).
    pub fn vtext(&mut self, x: f64, y: f64, text: &str, size: f64) {
        self.raw(&format!(
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#444444" transform="rotate(-90 {} {})">{}</text>"##,
            n(x),
            n(y),
            n(size),
            n(x),
            n(y),
            esc(text)
        ));
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\">\n{}</svg>\n",
            self.body,
            w = n(self.width),
            h = n(self.height)
        )
    }
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Data range.
    pub d0: f64,
    /// Data range end.
    pub d1: f64,
    /// Pixel at `d0`.
    pub p0: f64,
    /// Pixel at `d1`.
    pub p1: f64,
}

impl Scale {
    /// Maps `d0..d1` onto `p0..p1` (either may run backwards, as y does).
    pub fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Self {
        Scale { d0, d1, p0, p1 }
    }

    /// The pixel of a value (clamped to the range, so an outlier stays on
    /// the canvas).
    pub fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        let t = if span == 0.0 {
            0.0
        } else {
            (v - self.d0) / span
        };
        self.p0 + t.clamp(0.0, 1.0) * (self.p1 - self.p0)
    }
}

/// Formats minutes from the origin the way traces do: `+00:42`, `-01:21`.
pub fn hhmm(minutes: f64) -> String {
    let m = minutes.round() as i64;
    let sign = if m < 0 { "-" } else { "+" };
    let a = m.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 60, a % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.04), "1");
        assert_eq!(n(1.05_f64 + 1e-9), "1.1");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(hhmm(42.0), "+00:42");
        assert_eq!(hhmm(-81.6), "-01:22");
    }

    #[test]
    fn text_is_escaped() {
        let mut s = Svg::new(10.0, 10.0, "a<b");
        s.text(0.0, 0.0, "x & \"y\"", 10.0, Anchor::Start, "#000");
        let out = s.finish();
        assert!(out.contains("a&lt;b"));
        assert!(out.contains("x &amp; &quot;y&quot;"));
    }

    #[test]
    fn a_gap_breaks_the_line() {
        let mut s = Svg::new(10.0, 10.0, "t");
        s.path(
            &[Some((0.0, 0.0)), None, Some((1.0, 1.0)), Some((2.0, 1.0))],
            "#000",
            1.0,
            None,
        );
        assert!(s.finish().contains(r#"d="M0,0 M1,1 L2,1""#));
    }
}

//! `cargo xtask story` shows a story cut short from the trace lines captured
//! while its check ran. A check that runs its story twice (M34 runs the shift
//! once on refund questions and once on shipping ones) must show two
//! numbered lists under their own titles, not one list that seems to run the
//! shift twice. One test in its own process: the capture is process-wide.

use labkit::trace::{start_capture, stop_capture, Trace};

#[test]
fn each_trace_made_while_capturing_is_its_own_section() {
    let before = Trace::new("made before the capture");
    start_capture();
    let mut first = Trace::new("the first shift");
    first.note("m31", "one");
    first.note("m32", "two");
    let _empty = Trace::new("a trace that records nothing");
    let mut second = Trace::new("the second shift");
    second.note("m33", "three");
    let kept = stop_capture();
    drop(before);
    let titles: Vec<&str> = kept.iter().map(|t| t.title()).collect();
    assert_eq!(titles, ["the first shift", "the second shift"]);
    assert_eq!(kept[0].len(), 2);
    assert_eq!(kept[1].lines()[0].text, "three");
    assert!(
        kept[1].to_text().contains("1. "),
        "each section is numbered from 1: {}",
        kept[1].to_text()
    );
    // Nothing is kept once the capture stops.
    first.note("m31", "after");
    start_capture();
    assert!(stop_capture().is_empty());
}

#![cfg(feature = "solution")]
//! The reference traces of Part B, pinned.

#[test]
fn part_b_trace() {
    let trace = release_ops::story::part_b(release_ops::story::SEED);
    insta::assert_snapshot!("part_b", trace.to_text());
}

#[test]
fn ramp_trace() {
    let trace = release_ops::story::ramp(release_ops::story::SEED);
    insta::assert_snapshot!("ramp", trace.to_text());
}

#[test]
fn traces_are_deterministic() {
    assert_eq!(
        release_ops::story::part_b(5).to_text(),
        release_ops::story::part_b(5).to_text()
    );
    assert_ne!(
        release_ops::story::part_b(5).to_text(),
        release_ops::story::part_b(6).to_text()
    );
}

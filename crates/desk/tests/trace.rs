#![cfg(feature = "solution")]
//! The reference trace of M32, pinned. Review changes with `cargo insta review`.

#[test]
fn the_story_trace() {
    let trace = desk::story::run(desk::story::STORY_SEED);
    insta::assert_snapshot!("m32_story", trace.to_text());
}

#[test]
fn the_story_is_deterministic() {
    let a = desk::story::run(desk::story::STORY_SEED).to_text();
    let b = desk::story::run(desk::story::STORY_SEED).to_text();
    assert_eq!(a, b);
}

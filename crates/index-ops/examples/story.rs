//! Prints the Part A trace, run on your code (the reference with
//! `--features solution`):
//!
//! ```sh
//! cargo run -q -p index-ops --example story-index-ops                 # plain text
//! cargo run -q -p index-ops --example story-index-ops -- --markdown   # for a forum post
//! cargo run -q -p index-ops --example story-index-ops -- --seed 7     # other planted values
//! ```

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let markdown = args.iter().any(|a| a == "--markdown");
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(index_ops::story::SEED);
    let trace = index_ops::story::part_a(seed);
    if markdown {
        print!("{}", trace.to_markdown());
    } else {
        print!("{}", trace.to_text());
    }
}

//! Prints the Part B trace on your code, for the "show" part of the class.
//!
//! `cargo run -q -p release-ops --example story-release-ops [-- [ramp] [--markdown] [--seed N]]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(release_ops::story::SEED);
    let trace = if args.iter().any(|a| a == "ramp") {
        release_ops::story::ramp(seed)
    } else {
        release_ops::story::part_b(seed)
    };
    if args.iter().any(|a| a == "--markdown") {
        print!("{}", trace.to_markdown());
    } else {
        print!("{}", trace.to_text());
    }
}

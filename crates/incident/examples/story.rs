//! Prints the M31 story on your code: the bad hour, the page, the incident,
//! the postmortem, the regression case.
//!
//! ```text
//! cargo run -q -p incident --example story-incident                 # the trace as text
//! cargo run -q -p incident --example story-incident -- --markdown   # as a Markdown table, for posting
//! cargo run -q -p incident --example story-incident -- --postmortem # the rendered postmortem
//! cargo run -q -p incident --example story-incident -- 7            # another seed
//! ```

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed = args
        .iter()
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(incident::story::SEED);
    if args.iter().any(|a| a == "--postmortem") {
        match incident::story::run(seed) {
            Ok(shift) => print!("{}", shift.postmortem.render_markdown()),
            Err(e) => eprintln!("the story stopped: {e}"),
        }
        return;
    }
    let trace = incident::story::trace(seed);
    if args.iter().any(|a| a == "--markdown") {
        print!("{}", trace.to_markdown());
    } else {
        print!("{}", trace.to_text());
    }
}

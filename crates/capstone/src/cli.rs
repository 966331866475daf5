//! The small command line shared by `drill`, `demo` and `evals`.

use crate::scenario::Scenario;

/// What the binaries accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--seed N` (default: the reference seed).
    pub seed: u64,
    /// `--scenario NAME` (default `clean`).
    pub scenario: Scenario,
    /// `--markdown`: print the trace as a Markdown table.
    pub markdown: bool,
    /// `--json`: print the gate as JSON.
    pub json: bool,
    /// `--extension`: also run the stale-index outage and its check.
    pub extension: bool,
}

/// Why the command line was refused, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Parses `args` (without the program name). `allowed` lists the flags this
/// binary takes, among `--seed`, `--scenario`, `--markdown`, `--json`,
/// `--extension`.
pub fn parse(args: &[String], allowed: &[&str], default_seed: u64) -> Result<Options, UsageError> {
    let mut o = Options {
        seed: default_seed,
        scenario: Scenario::Clean,
        markdown: false,
        json: false,
        extension: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        if !allowed.contains(&flag) {
            return Err(UsageError(format!(
                "unknown argument `{a}`; valid arguments: {}",
                allowed.join(", ")
            )));
        }
        let mut value = |name: &str| -> Result<String, UsageError> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| UsageError(format!("{name} needs a value")))
        };
        match flag {
            "--seed" => {
                let v = value("--seed")?;
                o.seed = v
                    .parse()
                    .map_err(|_| UsageError(format!("--seed takes a whole number, not `{v}`")))?;
            }
            "--scenario" => {
                let v = value("--scenario")?;
                o.scenario = Scenario::parse(&v).ok_or_else(|| {
                    UsageError(format!(
                        "unknown scenario `{v}`; valid scenarios: {}",
                        Scenario::valid_names()
                    ))
                })?;
            }
            "--markdown" => o.markdown = true,
            "--json" => o.json = true,
            "--extension" => o.extension = true,
            _ => {}
        }
    }
    Ok(o)
}

/// Writes `text` to standard output. A closed pipe (`drill | head`) is not
/// an error: the reader has what it wanted.
pub fn emit(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Runs `f`, turning a panic in learner code (a `todo!()` not yet written,
/// an `unwrap` on a refusal) into a one-line message instead of a backtrace.
pub fn guarded<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(previous);
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".to_string());
        format!(
            "the shift stopped inside your code: {msg} (see `cargo xtask lab m34` for the next step)"
        )
    })
}

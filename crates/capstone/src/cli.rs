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
/// A `todo!()` in another module's starter (M33's `rollback`, reached
/// through your `execute_play`) is named as that module's step, with the
/// way round it: `--reference-parts`.
pub fn guarded<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Result<T, String> {
    static WHERE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let (Some(l), Ok(mut at)) = (info.location(), WHERE.lock()) {
            *at = Some(l.file().to_string());
        }
    }));
    let result = std::panic::catch_unwind(f);
    std::panic::set_hook(previous);
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".to_string());
        let at = WHERE.lock().ok().and_then(|mut w| w.take());
        stopped_in_your_code(&msg, at.as_deref())
    })
}

/// The message for a shift stopped by a panic `msg` raised in `file`.
pub fn stopped_in_your_code(msg: &str, file: Option<&str>) -> String {
    let file = file.map(labkit::check::normalize_path);
    let upstream = file.as_deref().and_then(|f| {
        let module = f.strip_prefix("starters/")?.split('/').next()?;
        (module != "m34" && module.starts_with('m')).then(|| (module.to_uppercase(), f))
    });
    match (labkit::check::todo_step(msg), upstream) {
        (Some(step), Some((module, f))) => format!(
            "the shift stopped in {module}'s `{step}` ({f}), not written yet: finish it \
             (cargo xtask lab {}), or add --reference-parts to run your M34 on the reference M31–M33",
            module.to_lowercase()
        ),
        _ => format!(
            "the shift stopped inside your code: {msg} (see `cargo xtask lab m34` for the next step)"
        ),
    }
}

/// What `drill` prints: the shift's trace (stages intake to ship), then
/// the gate's verdicts, then with `--extension` the stale-index outage.
///
/// Each part runs guarded on its own, so the trace goes as far as the
/// learner's code does: with Part A written and the gate (Part B) not yet,
/// the trace ends after the ship stage, and the second value says, one line
/// each, what did not run and why. `Err` only when the shift itself stopped
/// inside the learner's code, before any trace was whole.
pub fn drill_trace(o: &Options) -> Result<(labkit::Trace, Vec<String>), String> {
    let (seed, scenario) = (o.seed, o.scenario);
    let shift = guarded(move || crate::shift::run(seed, scenario))?;
    let mut trace = shift.trace;
    let report = shift.report;
    let mut not_run = Vec::new();
    match guarded(move || crate::shift::gate(&report)) {
        Ok(gate) => crate::shift::trace_gate(&mut trace, &gate),
        Err(msg) => not_run.push(format!(
            "the trace stops before the verify stage: the gate (Part B) did not run: {msg}"
        )),
    }
    if o.extension {
        match guarded(|| crate::extension::run(crate::extension::SEED).trace) {
            Ok(stale) => trace.extend(&stale),
            Err(msg) => not_run.push(format!("the stale-index outage did not run: {msg}")),
        }
    }
    Ok((trace, not_run))
}

//! Every command of the tool, declared once: its name, arguments, options and
//! help. The help text (`cargo xtask help`, `cargo xtask <command> --help`)
//! is generated from this table, the parser accepts exactly the options it
//! names, and each entry's `run` lives in its own module of
//! [`crate::commands`].

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crate::commands;

/// A mistake in how the tool was called: printed as one line, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error as an `anyhow::Error`.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// Who a command is for: the headings of the help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Learners,
    Shift,
    Book,
    Graders,
    Staff,
}

impl Audience {
    const ALL: [Audience; 5] = [
        Audience::Learners,
        Audience::Shift,
        Audience::Book,
        Audience::Graders,
        Audience::Staff,
    ];
    fn heading(self) -> &'static str {
        match self {
            Audience::Learners => "Learners",
            Audience::Shift => "The shift (M34)",
            Audience::Book => "The book",
            Audience::Graders => "Graders",
            Audience::Staff => "Teaching staff",
        }
    }
}

/// One command-line option of a command (`--watch`, `--out FILE`): called
/// an option here, since a *flag* is what grading puts on a submission.
#[derive(Debug, Clone, Copy)]
pub struct Opt {
    /// `--watch`.
    pub name: &'static str,
    /// The value's placeholder (`SECS`) for an option that takes one.
    pub value: Option<&'static str>,
    pub help: &'static str,
}

const fn switch(name: &'static str, help: &'static str) -> Opt {
    Opt {
        name,
        value: None,
        help,
    }
}

const fn valued(name: &'static str, value: &'static str, help: &'static str) -> Opt {
    Opt {
        name,
        value: Some(value),
        help,
    }
}

/// One command.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    /// The positional arguments as the help shows them (`[MODULE]`).
    pub args: &'static str,
    pub audience: Audience,
    /// What it does: the first line, then more lines of help.
    pub help: &'static [&'static str],
    pub options: &'static [Opt],
    pub run: fn(&Args) -> Result<ExitCode>,
}

const TIMEOUT: Opt = valued("--timeout", "SECS", "time limit per check (default 10)");

const MINE: Opt = switch("--mine", "run it on your own code instead of the reference");
const MINE_ON_REFERENCE_PARTS: Opt = switch(
    "--reference-parts",
    "with --mine: your M34 on the reference M31–M33",
);
const SCENARIO: Opt = valued(
    "--scenario",
    "NAME",
    "a break-on-purpose scenario (M34 Part B, B4)",
);

/// Every command, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "lab",
        args: "[MODULE]",
        audience: Audience::Learners,
        help: &[
            "build MODULE (m31, m32, m33, m34) from your starters and run its",
            "checks; without MODULE, list the modules and your progress",
        ],
        options: &[
            switch(
                "--watch",
                "re-run whenever a file under starters/MODULE changes",
            ),
            switch(
                "--solution",
                "the reference solution instead of your code (m34: on the reference M31–M33)",
            ),
            switch(
                "--reference-parts",
                "(m34) run the capstone on the reference M31–M33",
            ),
            switch(
"--clippy", "also show clippy's advice on your files"),
            TIMEOUT,
        ],
        run: commands::lab::run,
    },
    Command {
        name: "story",
        args: "MODULE",
        audience: Audience::Learners,
        help: &[
            "print the module's story as your code tells it (its trace, up to the",
            "first step you have not written) and how it differs from the reference",
        ],
        options: &[
            switch(
"--solution", "the reference's story"),
            switch(
                "--reference-parts",
                "(m34) your capstone on the reference M31–M33",
            ),
        ],
        run: commands::story::run,
    },
    Command {
        name: "rules",
        args: "m31",
        audience: Audience::Learners,
        help: &[
            "the M31 burn-rate policy as a Prometheus rule file: a recording rule per",
            "window, an alerting rule per tier (severity page or ticket); check it",
            "with `promtool check rules FILE`",
        ],
        options: &[
            switch(
                "--mine",
                "your policy (the comparison your tier_fires makes)",
            ),
            valued("--out", "FILE", "write to FILE instead of printing"),
            valued("--target", "T", "the SLO target (default 0.99)"),
            valued("--period-days", "D", "the SLO period (default 30)"),
            valued("--slo", "NAME", "the SLO's name, a label on every rule"),
            valued(
                "--good",
                "COUNTER",
                "the counter of good events (default sli_good_total)",
            ),
            valued(
                "--valid",
                "COUNTER",
                "the counter of valid events (default sli_valid_total)",
            ),
        ],
        run: crate::rules::run,
    },
    Command {
        name: "demo",
        args: "",
        audience: Audience::Shift,
        help: &["the on-call shift narrated for a person (reference code)"],
        options: &[MINE, MINE_ON_REFERENCE_PARTS],
        run: commands::shift::demo,
    },
    Command {
        name: "drill",
        args: "",
        audience: Audience::Shift,
        help: &[
            "the shift as a numbered trace: stages intake to ship, then the gate's",
            "verdicts (with only Part A written, it stops before the gate and says so)",
        ],
        options: &[
            MINE,
            MINE_ON_REFERENCE_PARTS,
            switch(
"--markdown", "as Markdown, to post"),
            SCENARIO,
            switch(
"--extension", "append the stale-index outage"),
        ],
        run: commands::shift::drill,
    },
    Command {
        name: "evals",
        args: "",
        audience: Audience::Shift,
        help: &[
            "the shift's eval gate: each assertion's verdict and why, exit code",
            "non-zero when one fails (break it on purpose with --scenario)",
        ],
        options: &[
            MINE,
            MINE_ON_REFERENCE_PARTS,
            SCENARIO,
            switch(
                "--extension",
                "the stale-index outage's gate, eight assertions",
            ),
            switch(
"--json", "the gate as JSON, for a machine"),
        ],
        run: commands::shift::evals,
    },
    Command {
        name: "report",
        args: "",
        audience: Audience::Shift,
        help: &["the shift in pictures: one HTML file, target/report/shift.html"],
        options: &[switch(
"--mine", "draw your own run beside the reference")],
        run: commands::book::report,
    },
    Command {
        name: "book",
        args: "",
        audience: Audience::Book,
        help: &["the course book (guides, pictures, API docs) in target/book/html"],
        options: &[
            switch(
"--serve", "serve it on 127.0.0.1 and open it"),
            switch(
"--open", "open it in your browser"),
        ],
        run: commands::book::book,
    },
    Command {
        name: "grade",
        args: "SUBMISSION…",
        audience: Audience::Graders,
        help: &[
            "grade submissions (learners' clones, hand-ins, git repositories; ID=PATH",
            "names one) on this course: only their files under starters/ are taken;",
            "writes results.json and feedback.md per submission, gradebook.csv and",
            "class.html for the class; exit 0 when some were graded, whatever the",
            "scores, 3 when none could be; folders, git repositories, .zip files and",
            "LMS download-all folders are found at any depth",
        ],
        options: &[
            valued(
                "--out",
                "DIR",
                "where results go (default target/grade/out)",
            ),
            valued("--rev", "REV", "grade this revision of each git repository"),
            valued(
                "--before",
                "DATETIME",
                "grade each repository's last commit by this time (UTC unless +HH:MM)",
            ),
            valued(
                "--shard",
                "I/N",
                "grade only the I-th of N shares of the submissions",
            ),
            TIMEOUT,
            switch(
                "--unconfined",
                "grade even where neither a user per check (root) nor Landlock can contain the checks",
            ),
            valued(
                "--work",
                "DIR",
                "where the course copy and its warm build live (default target/grade)",
            ),
            valued(
                "--roster",
                "FILE",
                "CSV of the class (id, name, email, section, LMS ids): every learner gets a row",
            ),
        ],
        run: commands::grade::run,
    },
    Command {
        name: "gradebook",
        args: "merge SHARD… | export GRADEBOOK",
        audience: Audience::Graders,
        help: &[
            "`merge`: join shards graded apart: their output folders into the whole",
            "class (similar pairs across shards flagged, gradebook.csv and class.html),",
            "or their gradebook.csv files, rows only; `export`: a gradebook as Canvas",
            "or Moodle imports it (one column per module)",
        ],
        options: &[
            valued(
                "--out",
                "DIR|FILE",
                "merge: a folder for the class, or a file for rows; export: a file (default: stdout)",
            ),
            switch(
"--canvas", "(export) Canvas's gradebook import"),
            switch(
"--moodle", "(export) Moodle's CSV grade import"),
            valued(
                "--roster",
                "FILE",
                "(export) the class roster (see `grade --roster`)",
            ),
            valued(
                "--assignment-ids",
                "M=ID,…",
                "(export, Canvas) the LMS's assignment id of each module: m31=4411,…",
            ),
            valued(
                "--map-by",
                "FIELD",
                "(export, Moodle) the user field to match: email (default), idnumber, username",
            ),
        ],
        run: commands::grade::gradebook,
    },
    Command {
        name: "gradescope",
        args: "[run | warm]",
        audience: Audience::Graders,
        help: &[
            "build autograder.zip (setup.sh, run_autograder, the course) for Gradescope;",
            "inside its container `run` grades /autograder/submission into",
            "/autograder/results/results.json ($AUTOGRADER_ROOT moves the tree) and",
            "`warm` (run by setup.sh) builds the grading once",
        ],
        options: &[valued(
            "--out",
            "FILE",
            "where to write the zip (default target/gradescope/autograder.zip)",
        )],
        run: commands::gradescope::run,
    },
    Command {
        name: "check",
        args: "",
        audience: Audience::Graders,
        help: &[
            "the learner's self-check: every module, a score table; exit 0 only if",
            "all pass (self-reported: a grade comes from `grade`)",
        ],
        options: &[
            valued(
                "--json",
                "FILE",
                "also write results in Exercism's results.json v2 form (+ points)",
            ),
            switch(
"--solution", "grade the reference solutions"),
        ],
        run: commands::check::run,
    },
    Command {
        name: "verify",
        args: "[MODULE]",
        audience: Audience::Staff,
        help: &[
            "every solution passes, every starter fails as not started, hints,",
            "starters and wiring match the generator, catalogue current, fmt and clippy;",
            "with MODULE, that module's checks and lints only (docs and wiring: all)",
        ],
        options: &[switch(
"--skip-lint", "leave out fmt and clippy")],
        run: commands::verify::verify,
    },
    Command {
        name: "starters",
        args: "",
        audience: Audience::Staff,
        help: &[
            "regenerate starters/ from solutions/ (refuses to overwrite edits) and",
            "each port's wiring (check binary, lib.rs block, edits.rs)",
        ],
        options: &[
            switch(
                "--check",
                "only compare, and fail with a diff when anything drifts",
            ),
            switch(
"--force", "overwrite starters even where they hold edits"),
        ],
        run: commands::starters::run,
    },
    Command {
        name: "refresh",
        args: "",
        audience: Audience::Staff,
        help: &[
            "after a change on purpose: starters and wiring, fmt, every snapshot accepted",
            "as the code now makes it, catalogue and manifest; prints what changed",
        ],
        options: &[],
        run: commands::refresh::run,
    },
    Command {
        name: "catalog",
        args: "",
        audience: Audience::Staff,
        help: &["rewrite labs/catalog.json and labs/integrity.sha256"],
        options: &[],
        run: commands::verify::catalog,
    },
    Command {
        name: "bench",
        args: "MODULE | loop MODULE | grade N",
        audience: Audience::Staff,
        help: &[
            "a module's benchmarks (release build); `loop`: the learner's edit → result",
            "loop on a scratch copy; `grade`: grading N submissions against one warm `check`",
        ],
        options: &[],
        run: commands::bench::run,
    },
    Command {
        name: "ci",
        args: "",
        audience: Audience::Staff,
        help: &["what CI runs: fmt, clippy, workflows, all tests in both variants, verify"],
        options: &[],
        run: commands::verify::ci,
    },
];

/// The help of the whole tool.
pub fn help() -> String {
    let mut s = String::from("cargo xtask — the opsloop course tool\n");
    for a in Audience::ALL {
        let _ = writeln!(s, "\n{}", a.heading());
        for c in COMMANDS.iter().filter(|c| c.audience == a) {
            s.push_str(&entry(c));
        }
    }
    s.push_str("\n`cargo xtask COMMAND --help` shows one command.\n");
    s
}

fn entry(c: &Command) -> String {
    let mut s = String::new();
    let head = format!("{} {}", c.name, c.args);
    for (i, line) in c.help.iter().enumerate() {
        let left = if i == 0 { head.trim_end() } else { "" };
        if left.len() > 22 {
            let _ = writeln!(s, "  {left}\n  {:<22}  {line}", "");
        } else {
            let _ = writeln!(s, "  {left:<22}  {line}");
        }
    }
    for f in c.options {
        let name = match f.value {
            Some(v) => format!("{} {v}", f.name),
            None => f.name.to_string(),
        };
        let _ = writeln!(s, "      {name:<18}  {}", f.help);
    }
    s
}

/// The help of one command.
pub fn command_help(c: &Command) -> String {
    format!("cargo xtask {} {}\n{}", c.name, c.args, entry(c)).replace(" \n", "\n")
}

/// A command's arguments, split by its table entry.
#[derive(Debug)]
pub struct Args {
    pub command: &'static Command,
    pub rest: Vec<String>,
    options: Vec<&'static str>,
    values: Vec<(&'static str, String)>,
}

impl Args {
    pub fn has(&self, f: &str) -> bool {
        self.options.contains(&f)
    }
    pub fn value(&self, k: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.as_str())
    }
    /// A usage error unless there are no positional arguments.
    pub fn no_positionals(&self) -> Result<()> {
        match self.rest.first() {
            Some(p) => Err(usage(format!(
                "`{}` takes no argument `{p}`",
                self.command.name
            ))),
            None => Ok(()),
        }
    }
}

/// Splits `args` by the options `c` declares; anything else is a usage error
/// naming what is valid.
pub fn parse(c: &'static Command, args: &[String]) -> Result<Args> {
    let mut out = Args {
        command: c,
        rest: Vec::new(),
        options: Vec::new(),
        values: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if !a.starts_with("--") {
            out.rest.push(a.clone());
            continue;
        }
        match c.options.iter().find(|f| f.name == a) {
            Some(f) if f.value.is_some() => {
                let v = it
                    .next()
                    .ok_or_else(|| usage(format!("{a} needs a value")))?;
                out.values.push((f.name, v.clone()));
            }
            Some(f) => out.options.push(f.name),
            None => {
                let mut valid: Vec<&str> = c.options.iter().map(|f| f.name).collect();
                valid.sort_unstable();
                let valid = if valid.is_empty() {
                    "none".to_string()
                } else {
                    valid.join(", ")
                };
                return Err(usage(format!(
                    "unknown option `{a}` for `{}`; valid options: {valid}",
                    c.name
                )));
            }
        }
    }
    Ok(out)
}

/// Runs the command named by `args`.
pub fn dispatch(args: &[String]) -> Result<ExitCode> {
    let Some(name) = args.first() else {
        print!("{}", help());
        return Ok(ExitCode::SUCCESS);
    };
    if matches!(name.as_str(), "help" | "--help" | "-h") {
        match args
            .get(1)
            .and_then(|n| COMMANDS.iter().find(|c| c.name == n))
        {
            Some(c) => print!("{}", command_help(c)),
            None => print!("{}", help()),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(c) = COMMANDS.iter().find(|c| c.name == name) else {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        return Err(usage(format!(
            "unknown command `{name}`; valid commands: {}, help",
            names.join(", ")
        )));
    };
    let rest = &args[1..];
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", command_help(c));
        return Ok(ExitCode::SUCCESS);
    }
    (c.run)(&parse(c, rest)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_option_is_in_the_help() {
        let h = help();
        for c in COMMANDS {
            assert!(
                h.contains(&format!("  {} ", c.name)) || h.contains(&format!("  {}\n", c.name)),
                "{}",
                c.name
            );
            for f in c.options {
                assert!(h.contains(f.name), "{} {}", c.name, f.name);
                assert!(command_help(c).contains(f.help), "{} {}", c.name, f.name);
            }
        }
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a command is declared twice");
        for line in h.lines() {
            assert!(line.chars().count() <= 110, "too wide: {line}");
        }
    }
}

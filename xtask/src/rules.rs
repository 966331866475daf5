//! `cargo xtask rules m31`: the burn-rate policy as a Prometheus rule file.
//!
//! The rules are written by the `slo-rules` binary (crate `crates/slo-rules`),
//! built against the reference M31 (default) or the learner's (`--mine`, where
//! the learner's `tier_fires` decides the comparison). Neither build is part
//! of `cargo xtask lab`.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

use crate::cargo::Variant;

/// What `cargo xtask rules --help` prints.
pub const HELP: &str = "\
cargo xtask rules m31 [--mine] [--out FILE] [--target T] [--period-days D] [--slo NAME]
                      [--good COUNTER] [--valid COUNTER]

Writes the M31 burn-rate policy as Prometheus rules: a recording rule per window
(the error ratio from the SLI's good/valid counters) and an alerting rule per
tier, labelled severity=page or severity=ticket. Check it with
`promtool check rules FILE`.

  --mine            your policy (the comparison your tier_fires makes), not the reference
  --out FILE        write to FILE instead of printing
  --target T        the SLO target (default 0.99)
  --period-days D   the SLO period (default 30)
  --slo NAME        the SLO's name, a label on every rule (default availability)
  --good, --valid   the counters of good and of all valid events
                    (default sli_good_total, sli_valid_total)
";

const PASSED_ON: [&str; 5] = ["--target", "--period-days", "--slo", "--good", "--valid"];

/// Runs `cargo xtask rules …`.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let root = crate::root();
    let mut mine = false;
    let mut out = None;
    let mut module = None;
    let mut passed: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--help" | "-h" => {
                print!("{HELP}");
                return Ok(ExitCode::SUCCESS);
            }
            "--mine" => mine = true,
            "--out" => out = Some(it.next().context("--out needs a file name")?.clone()),
            flag if PASSED_ON.contains(&flag) => {
                let v = it.next().with_context(|| format!("{flag} needs a value"))?;
                passed.push(flag.to_string());
                passed.push(v.clone());
            }
            flag if flag.starts_with('-') => {
                bail!(
                    "`rules` has no option `{flag}`; valid: --mine, --out, {}",
                    PASSED_ON.join(", ")
                )
            }
            m => {
                if module.replace(m.to_string()).is_some() {
                    bail!("`rules` takes one module");
                }
            }
        }
    }
    match module.as_deref() {
        Some("m31") => {}
        Some(other) => bail!("`rules` writes the burn-rate policy of m31; `{other}` has none"),
        None => bail!("usage: cargo xtask rules m31 [--mine] [--out FILE] (see --help)"),
    }
    let variant = if mine {
        Variant::Starter
    } else {
        Variant::Solution
    };
    let output = slo_rules(&root, variant, &passed)?;
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        return Ok(ExitCode::FAILURE);
    }
    match out {
        Some(file) => {
            std::fs::write(&file, &output.stdout).with_context(|| format!("writing {file}"))?;
            println!("wrote {file}");
        }
        None => print!("{}", String::from_utf8_lossy(&output.stdout)),
    }
    Ok(ExitCode::SUCCESS)
}

fn slo_rules(root: &Path, variant: Variant, args: &[String]) -> Result<std::process::Output> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["run", "--quiet", "-p", "slo-rules", "--bin", "slo-rules"])
        .arg("--target-dir")
        .arg(variant.target_dir(root));
    if variant == Variant::Solution {
        cmd.args(["--features", "solution"]);
    }
    cmd.arg("--").args(args);
    // cargo's own messages (a compile error in the learner's code) go to the terminal.
    cmd.stderr(std::process::Stdio::inherit());
    cmd.output().context("cannot run cargo")
}

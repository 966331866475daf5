//! `cargo xtask story MODULE`: the module's story as the learner's code
//! tells it, from the lab's own fast build.
//!
//! Each module has one or more *story checks* (`labkit::CheckKind::Story`),
//! which run its whole story; most are *trace checks*, comparing the
//! story's trace with the reference. `story` runs them in the check
//! binary's `story` mode: it prints the learner's trace (as far as it got:
//! the story stops at the first step not written yet) and how it differs
//! from the reference, so a Show step needs no other build. A story check
//! without a trace (M32's storm) says whether its story holds.

use std::io::Read;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::{usage, Args};
use crate::lab::{self, Options};
use crate::root;

/// How long one binary's stories may take.
const LIMIT: Duration = Duration::from_secs(60);

pub fn run(a: &Args) -> Result<ExitCode> {
    let [name] = a.rest.as_slice() else {
        return Err(usage(format!(
            "`story` takes one module; valid modules: {}",
            crate::modules::names()
        )));
    };
    let module = super::module_arg(name)?;
    if a.has("--reference-parts") && module.reference_parts_feature.is_none() {
        return Err(usage(
            "--reference-parts only applies to m34 (the capstone)",
        ));
    }
    let variant = super::variant(a);
    let root = root();
    let opts = Options {
        variant,
        reference_parts: lab::runs_on_reference_parts(module, variant, a.has("--reference-parts")),
        limits: Default::default(),
        jobs: 1,
        target_dir: None,
        clippy: false,
    };
    let built = lab::build_modules(&root, &[module], &opts)?;
    let mut all_match = true;
    for u in module.units {
        let Some(bin) = built.binaries.get(u.bin) else {
            let why = built
                .errors
                .values()
                .next()
                .map(|e| e.first.clone())
                .or_else(|| built.cargo_stderr.clone())
                .unwrap_or_else(|| "cargo did not build it".into());
            bail!("{} does not compile yet: {why}", module.name);
        };
        let mut child = std::process::Command::new(bin)
            .arg("story")
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let mut out = child.stdout.take().context("the story's output")?;
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        });
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait()? {
                break Some(s);
            }
            if started.elapsed() > LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        print!("{}", reader.join().unwrap_or_default());
        match status {
            Some(s) => all_match &= s.success(),
            None => {
                all_match = false;
                println!("-- stopped after {} s: an endless loop?", LIMIT.as_secs());
            }
        }
    }
    Ok(if all_match {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

//! `cargo xtask bench MODULE | loop MODULE | grade N`.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cargo::Variant;
use crate::cli::{usage, Args};
use crate::{modules, root};

pub fn run(a: &Args) -> Result<ExitCode> {
    let name = a.rest.first().ok_or_else(|| {
        usage(format!(
            "`bench` needs a module, `loop MODULE` or `grade N`; valid modules: {}",
            modules::names()
        ))
    })?;
    let root = root();
    match name.as_str() {
        "loop" => {
            let m = a.rest.get(1).ok_or_else(|| {
                usage(format!(
                    "`bench loop` needs a module; valid modules: {}",
                    modules::names()
                ))
            })?;
            return crate::loopbench::run(&root, super::module_arg(m)?);
        }
        "grade" => {
            let n = a
                .rest
                .get(1)
                .ok_or_else(|| usage("`bench grade` needs a number of submissions"))?;
            let n: usize = n.parse().map_err(|_| {
                usage(format!(
                    "`bench grade` takes a number of submissions, not `{n}`"
                ))
            })?;
            return crate::grade::bench::run(&root, n);
        }
        _ => {}
    }
    let module = super::module_arg(name)?;
    let mut ok = true;
    for u in module.units {
        if !root
            .join("crates")
            .join(u.package)
            .join("examples/bench.rs")
            .exists()
        {
            println!("{}: no benchmark yet", u.package);
            continue;
        }
        let mut features = vec![format!("{}/solution", u.package)];
        features.extend(module.reference_parts_feature.map(String::from));
        let status = crate::cargo::command()
            .current_dir(&root)
            .args(["run", "--quiet", "--release", "-p", u.package, "--example"])
            .arg(format!("bench-{}", u.package))
            .arg("--features")
            .arg(features.join(","))
            .arg("--target-dir")
            .arg(Variant::Solution.target_dir(&root))
            .status()
            .context("cannot run cargo")?;
        ok &= status.success();
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

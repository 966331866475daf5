//! A check binary full of the ways learner code goes wrong. The course tool's
//! own tests run it to prove the runner reports each one as what it is and
//! survives them all. It is not a lab.

use labkit::{ensure_eq, Check, CheckResult, Edit};

const EDIT: Option<Edit> = Some(Edit {
    file: "starters/m99/fixture.rs",
    function: "fixture",
});

const fn check(id: &'static str, title: &'static str, run: fn() -> CheckResult) -> Check {
    Check {
        id,
        part: "A",
        guide_step: "fixture",
        kind: labkit::CheckKind::Step,
        title,
        points: 1,
        plan: labkit::Plan::core(1),
        hint: "This is a fixture for the runner's own tests.",
        edit: EDIT,
        run,
    }
}

#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    // Keeps a frame alive per call so the optimiser cannot turn it into a loop.
    let pad = [n; 64];
    std::hint::black_box(&pad);
    recurse(n + 1) + pad[(n % 64) as usize]
}

const CHECKS: &[Check] = &[
    check("m99.a.1", "passes", || Ok(())),
    check("m99.a.2", "fails an expectation", || {
        ensure_eq!(2 + 2, 5, "arithmetic");
        Ok(())
    }),
    check("m99.a.3", "reaches a todo", || todo!("fixture: write me")),
    check("m99.a.4", "panics", || {
        let v: Vec<u32> = Vec::new();
        let first = v.first().copied();
        let _ = first.expect("the list was empty");
        Ok(())
    }),
    check("m99.a.5", "loops forever", || {
        let mut x = 0u64;
        loop {
            x = std::hint::black_box(x.wrapping_add(1));
        }
    }),
    check("m99.a.6", "overflows the stack", || {
        std::hint::black_box(recurse(0));
        Ok(())
    }),
    check("m99.a.7", "calls process::exit", || std::process::exit(1)),
    check("m99.a.8", "prints megabytes, then passes", || {
        for i in 0..200_000 {
            println!("line {i} of a very chatty learner function");
        }
        Ok(())
    }),
    // The attacks of a learner who wants the points without the work.
    check("m99.a.9", "forges its verdict, then exits", || {
        if let Some(path) = std::env::var_os(labkit::check::RESULT_ENV) {
            let _ = std::fs::write(path, r#"{"outcome":"pass","message":null}"#);
        }
        std::process::exit(0)
    }),
    check(
        "m99.a.10",
        "prints a verdict of its own, then fails",
        || {
            println!(r#"{{"outcome":"pass","message":null}}"#);
            ensure_eq!(1, 2, "the real answer");
            Ok(())
        },
    ),
    // What a runner must contain, not just survive.
    check(
        "m99.a.11",
        "leaves a sleeper holding its output, then loops",
        || {
            let _ = std::process::Command::new("sleep").arg("121").spawn();
            loop {
                std::hint::black_box(0u8);
            }
        },
    ),
    check("m99.a.12", "allocates without end", || {
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop {
            // Zeroed memory comes untouched from the system, so the limit
            // on the process's address space is reached at once, however
            // busy the machine (filling each block could outlast the time
            // limit on a loaded one).
            hoard.push(vec![0u8; 16 << 20]);
            std::hint::black_box(&hoard);
        }
    }),
    check("m99.a.13", "starts processes without end", || {
        let mut started = 0u64;
        loop {
            if std::process::Command::new("sleep")
                .arg("100001")
                .spawn()
                .is_ok()
            {
                started += 1;
            }
            std::hint::black_box(started);
        }
    }),
];

fn main() -> std::process::ExitCode {
    labkit::check::main(CHECKS)
}

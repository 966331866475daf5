//! Attacks on grading, performed for real, as the user who runs the tests
//! and, when that is root, as an ordinary user the test creates.
//!
//! One submission is the reference with an attack put first in `sli`
//! (which the first M31 checks call). From inside a check it
//!
//! - starts a survivor in a session of its own (a shell that forks,
//!   `setsid`, and for four seconds keeps rewriting `gradebook.csv` and
//!   dropping a file into the output folder);
//! - reads a file the test made outside the course;
//! - connects to a TCP listener the test opened on 127.0.0.1;
//! - writes outside its own directory;
//! - sends a UDP datagram to a socket the test bound on 127.0.0.1;
//! - connects to a unix socket the test listens on by path, and to one it
//!   listens on by abstract name.
//!
//! The attack earns points only if one of the last six succeeds; held
//! off, it panics with every error it met, each of which must be a refusal
//! (Landlock for files and TCP, the seccomp filter for every socket). Each target is writable (or
//! readable) by the check's user, so only containment stands in the way.
//! Processes are looked for by user (the sandbox users of this process, or
//! the user the test created) and by this run's own directory in their
//! command line, never by a pattern any other process could match.

use std::collections::BTreeMap;
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use labkit::check::Outcome;

use crate::grade::containment::Containment;
use crate::grade::{Batch, Entry, Status};
use crate::runner::{self, Limits, Sandbox};
use crate::test_support::user::{open_to_all, TestUser};

/// Where the attack aims.
struct Targets {
    /// This run's own directory: every path below is in it.
    run: PathBuf,
    out: PathBuf,
    secret: PathBuf,
    outside: PathBuf,
    port: u16,
    /// The test's UDP socket on 127.0.0.1.
    udp: u16,
    /// The test's unix socket, by path and by abstract name.
    unix: PathBuf,
    abstract_name: String,
}

impl Targets {
    fn new(listener: &TcpListener, udp: &UdpSocket) -> Self {
        let run = std::env::temp_dir().join(format!("opsloop-attacks-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&run);
        let t = Self {
            out: run.join("out"),
            secret: run.join("elsewhere").join("secret.txt"),
            outside: run.join("outside"),
            port: listener.local_addr().map(|a| a.port()).unwrap_or(0),
            udp: udp.local_addr().map(|a| a.port()).unwrap_or(0),
            unix: run.join("listening.sock"),
            abstract_name: format!("opsloop-attacks-{}", std::process::id()),
            run,
        };
        for d in [&t.run, &t.out, &t.outside] {
            std::fs::create_dir_all(d).expect("making the attack's targets");
        }
        write_file(&t.secret, "another learner's answers\n");
        open_to_all(&t.run, 0o755);
        open_to_all(&t.run.join("elsewhere"), 0o755);
        open_to_all(&t.secret, 0o644);
        // Writable by anyone: only containment keeps a check out.
        open_to_all(&t.out, 0o777);
        open_to_all(&t.outside, 0o777);
        t
    }

    /// The Rust put first in `sli`.
    fn code(&self) -> String {
        let out = self.out.display();
        format!(
            r#"    {{
        let script = "for i in $(seq 1 40); do sleep 0.1; echo pwned > {out}/gradebook.csv; echo pwned > {out}/dropped; done";
        let survivor = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("setsid sh -c '{{script}}' </dev/null >/dev/null 2>&1 &"))
            .status();
        let read = std::fs::read_to_string("{secret}");
        let connect = std::net::TcpStream::connect("127.0.0.1:{port}");
        let write = std::fs::write("{outside}/written", "pwned");
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.send_to(b"pwned", "127.0.0.1:{udp}"));
        let unix = std::os::unix::net::UnixStream::connect("{unix}");
        let abstract_name = {{
            use std::os::linux::net::SocketAddrExt;
            std::os::unix::net::SocketAddr::from_abstract_name(b"{abstract_name}")
                .and_then(|a| std::os::unix::net::UnixStream::connect_addr(&a))
        }};
        if read.is_err() && connect.is_err() && write.is_err() && udp.is_err() && unix.is_err() && abstract_name.is_err() {{
            panic!("held off: survivor {{:?}}; read {{:?}}; connect {{:?}}; write {{:?}}; udp {{:?}}; unix {{:?}}; abstract {{:?}}", survivor.map(|s| s.success()), read.err(), connect.err(), write.err(), udp.err(), unix.err(), abstract_name.err());
        }}
    }}"#,
            secret = self.secret.display(),
            port = self.port,
            outside = self.outside.display(),
            udp = self.udp,
            unix = self.unix.display(),
            abstract_name = self.abstract_name,
        )
    }

    /// Every file of the output folder and its bytes.
    fn outputs(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut found = BTreeMap::new();
        let mut stack = vec![self.out.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    found.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
                }
            }
        }
        found
    }

    /// What the survivor and the writes would have left, if anything.
    fn traces_of_attack(&self) -> Vec<PathBuf> {
        [self.out.join("dropped"), self.outside.join("written")]
            .into_iter()
            .filter(|p| p.exists())
            .collect()
    }
}

fn write_file(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("making a folder");
    }
    std::fs::write(path, text).expect("writing a file");
}

/// A listener on 127.0.0.1 that counts the connections it accepts.
fn listener() -> (TcpListener, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").expect("a listener on 127.0.0.1");
    let accepted = Arc::new(AtomicUsize::new(0));
    let (copy, count) = (l.try_clone().expect("listener"), Arc::clone(&accepted));
    std::thread::spawn(move || {
        for stream in copy.incoming() {
            if stream.is_ok() {
                count.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    (l, accepted)
}

/// Processes of `uids`, or whose command line names `dir` (this run's own
/// directory), from `/proc`. When the users are shared with other tests
/// (`shared_work`: the sandbox users of this test binary, which every test
/// that runs checks in it uses), a process of theirs counts only if its
/// command line or environment names `dir` or that work folder: the checks
/// of this run and what they started carry it (`TMPDIR`, the result file),
/// another test's do not.
fn processes_left(uids: &[u32], dir: &Path, shared_work: Option<&Path>) -> Vec<String> {
    let needle = dir.display().to_string();
    let mut out = Vec::new();
    for p in crate::test_support::procs::living() {
        if p.pid == std::process::id() as i32 {
            continue;
        }
        let ours = || match shared_work {
            None => true,
            Some(work) => {
                let work = work.display().to_string();
                // Unreadable: counted, rather than a survivor missed.
                let environ = std::fs::read(p.dir.join("environ"))
                    .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
                    .unwrap_or_else(|_| needle.clone());
                [&p.cmdline, &environ]
                    .iter()
                    .any(|t| t.contains(&needle) || t.contains(&work))
            }
        };
        if (p.uid.is_some_and(|u| uids.contains(&u)) && ours()) || p.cmdline.contains(&needle) {
            out.push(format!(
                "{} ({}, {}, parent {}): {}",
                p.pid,
                p.field("Name:"),
                p.field("State:"),
                p.field("PPid:"),
                p.cmdline
            ));
        }
    }
    out
}

/// The users this process's checks run as, when it is root.
fn sandbox_users() -> Vec<u32> {
    (0..16)
        .filter_map(|s| match Sandbox::for_slot(s) {
            Sandbox::OwnUser(uid) => Some(uid),
            Sandbox::SameUser => None,
        })
        .collect()
}

/// What the attack tries, as its panic names each.
const ATTEMPTS: [&str; 6] = ["read", "connect", "write", "udp", "unix", "abstract"];

/// The checks of the attack's panics, from verdicts `(id, outcome, message)`.
fn held_off(verdicts: &[(String, Outcome, String)]) -> Vec<String> {
    verdicts
        .iter()
        .filter(|(_, o, m)| *o == Outcome::Panicked && m.contains("held off"))
        .map(|(id, _, m)| {
            for attempt in ATTEMPTS {
                let said = m
                    .split("; ")
                    .find_map(|part| part.strip_prefix(attempt)?.strip_prefix(' '))
                    .unwrap_or("");
                assert!(
                    said.contains("PermissionDenied"),
                    "{id}: `{attempt}` is refused: {m}"
                );
            }
            id.clone()
        })
        .collect()
}

/// What reached the test's own sockets: datagrams on its UDP socket,
/// connections accepted on its unix socket by path and by abstract name.
#[derive(Default)]
struct Arrivals {
    datagrams: AtomicUsize,
    by_path: AtomicUsize,
    by_abstract_name: AtomicUsize,
}

impl Arrivals {
    /// Listens on `udp`, `path` and the abstract `name`, counting.
    fn listen(udp: &UdpSocket, path: &Path, name: &str) -> Arc<Self> {
        use std::os::linux::net::SocketAddrExt;
        let arrivals = Arc::new(Self::default());
        let udp = udp.try_clone().expect("the UDP socket");
        let count = Arc::clone(&arrivals);
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            while udp.recv_from(&mut buf).is_ok() {
                count.datagrams.fetch_add(1, Ordering::SeqCst);
            }
        });
        let by_path = UnixListener::bind(path).expect("a unix socket by path");
        // Anyone may connect: only containment keeps a check out.
        open_to_all(path, 0o777);
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
            .expect("an abstract name");
        let by_name = UnixListener::bind_addr(&addr).expect("an abstract unix socket");
        for (listener, which) in [(by_path, 0), (by_name, 1)] {
            let count = Arc::clone(&arrivals);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stream.is_ok() {
                        let counter = if which == 0 {
                            &count.by_path
                        } else {
                            &count.by_abstract_name
                        };
                        counter.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
        arrivals
    }

    /// Nothing arrived.
    fn assert_none(&self) {
        assert_eq!(
            [
                self.datagrams.load(Ordering::SeqCst),
                self.by_path.load(Ordering::SeqCst),
                self.by_abstract_name.load(Ordering::SeqCst),
            ],
            [0, 0, 0],
            "a check reached the test's UDP socket, unix socket by path or by abstract name"
        );
    }
}

/// The grading folder of this test, kept warm between runs when asked
/// (see [`crate::test_support::scratch`]): one per
/// checkout of the course (`opsloop-attack-tests-` and 12 hex digits of its
/// path's SHA-256), so two checkouts on one machine never grade in, and
/// sync their course into, the same copy — each would see the other's
/// files as written by its checks.
fn work_folder(root: &Path) -> PathBuf {
    let path = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let digest = labkit::digest::sha256_hex(path.to_string_lossy().as_bytes());
    std::env::temp_dir().join(format!("opsloop-attack-tests-{}", &digest[..12]))
}

#[test]
fn every_attack_from_a_check_is_held_off_as_this_user_and_as_an_ordinary_one() {
    let root = crate::root();
    let (listener, accepted) = listener();
    let udp = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket on 127.0.0.1");
    let t = Targets::new(&listener, &udp);
    let arrivals = Arrivals::listen(&udp, &t.unix, &t.abstract_name);
    let subs = t.run.join("subs");
    let reference = subs.join("a-reference");
    let attack = subs.join("z-attack");
    for f in crate::grade::learner_files(&root).expect("the catalogue") {
        let text =
            std::fs::read_to_string(root.join(crate::grade::solution_of(&f))).expect("reference");
        write_file(&reference.join(&f), &text);
        let text = if f == "starters/m31/budget.rs" {
            crate::grade::corpus::at_start_of(&text, "sli", &t.code())
        } else {
            text
        };
        write_file(&attack.join(&f), &text);
    }
    let _scratch = crate::test_support::scratch::Scratch::build_cache(work_folder(&root));
    let work = work_folder(&root).join("work");
    std::fs::create_dir_all(&work).expect("work folder");
    open_to_all(&work_folder(&root), 0o755);
    let batch = Batch {
        submissions: vec![
            Entry::parse(&reference.display().to_string(), &root),
            Entry::parse(&attack.display().to_string(), &root),
        ],
        rev: None,
        before: None,
        out: t.out.clone(),
        work: work.clone(),
        shard: None,
        limits: Limits {
            timeout: Duration::from_secs(6),
            ..Limits::default()
        },
        unconfined: false,
    };
    let containment = Containment::of_this_machine(false);
    if containment.landlock_abi.is_none() {
        let why = "this kernel has no Landlock (Linux 5.13 or later, enabled)";
        assert!(!labkit::tools::required(), "{why}; CI=true requires it");
        eprintln!("SKIPPED: {why}");
        return;
    }
    if !containment.seccomp {
        let why = "no seccomp filter here (Linux on x86_64 or aarch64)";
        assert!(!labkit::tools::required(), "{why}; CI=true requires it");
        eprintln!("SKIPPED: {why}");
        return;
    }
    let graded = crate::grade::run(&root, &batch).expect("grading runs");
    let left = processes_left(&sandbox_users(), &t.run, Some(&work));
    assert!(left.is_empty(), "processes outlived grading: {left:?}");
    let written = t.outputs();
    assert!(written.keys().any(|p| p.ends_with("gradebook.csv")));

    let by_id = |id: &str| graded.iter().find(|g| g.id == id).expect("graded");
    let (good, bad) = (by_id("a-reference"), by_id("z-attack"));
    assert_eq!(
        good.points(),
        good.max_points(),
        "the other submission's grade"
    );
    assert_ne!(bad.status, Status::Pass);
    assert!(bad.module_points("m31") < good.module_points("m31"));
    let names = crate::grade::gradebook::flag_names(bad);
    assert!(names.iter().any(|n| n == "suspicious"), "{names:?}");
    let verdicts: Vec<(String, Outcome, String)> = bad
        .runs
        .iter()
        .flat_map(|r| &r.checks)
        .map(|c| {
            let m = c.verdict.message.clone().unwrap_or_default();
            (c.info.id.clone(), c.verdict.outcome, m + &c.verdict.output)
        })
        .collect();
    let attacked = held_off(&verdicts);
    assert!(!attacked.is_empty(), "the attack ran: {verdicts:?}");
    let results: serde_json::Value = serde_json::from_slice(
        written
            .get(&t.out.join("z-attack/results.json"))
            .expect("results.json"),
    )
    .expect("json");
    let sandbox = &results["submission"]["sandbox"];
    assert_eq!(sandbox["subreaper"], true, "{sandbox}");
    assert_eq!(sandbox["unconfined"], false, "{sandbox}");
    assert_eq!(
        sandbox["landlock_abi"],
        serde_json::json!(containment.landlock_abi)
    );
    assert_eq!(sandbox["seccomp"], true, "{sandbox}");
    assert_eq!(sandbox["network"], "denied", "{sandbox}");

    // The survivor would be writing now, had it survived.
    std::thread::sleep(Duration::from_millis(4500));
    assert_eq!(t.outputs(), written, "the outputs changed after grading");
    assert_eq!(t.traces_of_attack(), Vec::<PathBuf>::new());
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "a check connected");
    arrivals.assert_none();

    if rustix::process::geteuid().is_root() {
        as_an_ordinary_user(&t, &work, &accepted, &arrivals);
    } else {
        eprintln!("(not root: the grading above was an ordinary user's)");
    }
    let _ = std::fs::remove_dir_all(&t.run);
}

/// The same checks, run by the grading runner as an ordinary user the test
/// creates (the toolchain under root's home is out of its reach, so root
/// built them above).
fn as_an_ordinary_user(t: &Targets, work: &Path, accepted: &AtomicUsize, arrivals: &Arrivals) {
    let Some(user) = TestUser::create(
        "every_attack_from_a_check_is_held_off_as_this_user_and_as_an_ordinary_one",
        "t",
    ) else {
        return;
    };
    // A fresh output folder, the user's own: only containment keeps its
    // checks from writing there.
    let _ = std::fs::remove_dir_all(&t.out);
    std::fs::create_dir_all(&t.out).expect("out");
    for d in [&t.out, &t.outside] {
        user.own(d);
    }
    let scratch = t.run.join("scratch");
    std::fs::create_dir_all(&scratch).expect("scratch");
    user.own(&scratch);
    let bin = ["lab", "debug"]
        .iter()
        .map(|p| work.join("target").join(p).join("checks-m31"))
        .find(|p| p.is_file())
        .expect("the attack's M31 checks were built");
    let tests = t.run.join("xtask-tests");
    std::fs::copy(std::env::current_exe().expect("this test binary"), &tests).expect("copy");
    open_to_all(&tests, 0o755);
    let plan = serde_json::json!({
        "bin": bin,
        "scratch": scratch,
        "readable": [work.join("course"), work.join("target")],
        "out": t.out,
    });
    let plan_file = t.run.join("plan.json");
    write_file(&plan_file, &plan.to_string());
    open_to_all(&plan_file, 0o644);
    let out = user
        .command(&tests)
        .args([
            "--exact",
            "grade::attacks::escapes::grading_runner_as_this_user",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PLAN_ENV, &plan_file)
        .current_dir(&t.run)
        .output()
        .expect("setpriv runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "as {}: {text}", user.name);
    assert!(text.contains("1 passed"), "the inner test ran: {text}");
    let left = processes_left(&[user.uid], &t.run, None);
    assert!(left.is_empty(), "processes outlived the checks: {left:?}");
    let written = t.outputs();
    std::thread::sleep(Duration::from_millis(4500));
    assert_eq!(t.outputs(), written, "the outputs changed after grading");
    assert_eq!(
        std::fs::read_to_string(t.out.join("gradebook.csv")).unwrap_or_default(),
        "as the grader wrote it\n"
    );
    assert_eq!(t.traces_of_attack(), Vec::<PathBuf>::new());
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "a check connected");
    arrivals.assert_none();
}

const PLAN_ENV: &str = "OPSLOOP_ATTACK_PLAN";

/// Started by the test above as an ordinary user: runs the attack's checks
/// as `grade` does, then writes the gradebook as a grader would.
#[test]
#[ignore = "started by every_attack_from_a_check_is_held_off…, as an ordinary user"]
fn grading_runner_as_this_user() {
    let Some(plan) = std::env::var_os(PLAN_ENV) else {
        return;
    };
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan).expect("plan")).expect("json");
    let path = |k: &str| PathBuf::from(plan[k].as_str().expect("a path"));
    let containment = Containment::of_this_machine(false);
    assert!(
        !containment.own_users,
        "an ordinary user has no users per check"
    );
    assert!(
        containment.landlock_abi.is_some(),
        "Landlock: {containment:?}"
    );
    assert!(containment.seccomp, "seccomp: {containment:?}");
    let limits = containment.limits(Limits {
        timeout: Duration::from_secs(6),
        ..Limits::default()
    });
    let bin = path("bin");
    let infos = runner::list(&bin).expect("the checks list");
    let jobs: Vec<(PathBuf, String)> = infos.iter().map(|i| (bin.clone(), i.id.clone())).collect();
    let readable: Vec<PathBuf> = plan["readable"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(PathBuf::from))
        .collect();
    let verdicts = runner::run_all_reading(
        &jobs,
        &path("scratch"),
        limits,
        2,
        &crate::grade::judges::Judges::none(),
        &readable,
    );
    let verdicts: Vec<(String, Outcome, String)> = infos
        .into_iter()
        .zip(verdicts)
        .map(|(i, v)| (i.id, v.outcome, v.message.unwrap_or_default() + &v.output))
        .collect();
    assert!(
        !held_off(&verdicts).is_empty(),
        "the attack ran: {verdicts:?}"
    );
    assert!(
        verdicts
            .iter()
            .all(|(_, o, m)| *o != Outcome::Pass || !m.contains("held off")),
        "{verdicts:?}"
    );
    std::fs::write(
        path("out").join("gradebook.csv"),
        "as the grader wrote it\n",
    )
    .expect("the grader writes its gradebook");
}

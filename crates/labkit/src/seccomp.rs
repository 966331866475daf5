//! The system calls a graded check may not make: a seccomp filter beside
//! Landlock ([`crate::sandbox`]).
//!
//! Landlock decides which files a check may touch and refuses TCP, but it
//! has no say over the other ways out of a process. Under `cargo xtask
//! grade` the check process therefore also installs a seccomp filter, right
//! after its Landlock domain and before any learner code runs. A filter is
//! kept across `fork`, `clone` and `exec` and cannot be removed, so every
//! process the check starts is held by it too. The filter answers each call
//! below with an error (`EPERM`, so learner code sees *permission denied*
//! and its step fails as any refused call would), never by killing:
//!
//! | calls | why a check may not make them |
//! | --- | --- |
//! | `socket`, `socketpair` | every socket family: UDP, unix sockets by path or abstract name, netlink, raw packets. Landlock refuses only TCP connect and bind; no check needs a socket. |
//! | `io_uring_setup`, `io_uring_enter`, `io_uring_register` | io_uring performs opens, reads and connects outside the system calls the other rules look at. |
//! | `ptrace`, `process_vm_readv`, `process_vm_writev` | reading or changing another process's memory (the warden's, another check's of the same user). |
//! | `bpf`, `perf_event_open`, `userfaultfd` | kernel programs, performance counters and page-fault handlers: large kernel surfaces and timing side channels no check needs. |
//! | `keyctl`, `add_key`, `request_key` | the kernel keyrings, shared by every process of the user (the grader's included). |
//! | `unshare`, `setns`, `clone` with a `CLONE_NEW*` flag | new namespaces: a user namespace hands out capabilities and opens much of the kernel to them. |
//! | `mount`, `umount2`, `pivot_root`, `chroot`, `fsopen`, `fsconfig`, `fsmount`, `fspick`, `move_mount`, `open_tree`, `mount_setattr` | changing what paths mean. |
//! | `open_by_handle_at`, `name_to_handle_at` | opening a file by handle skips the path walk. |
//! | `init_module`, `finit_module`, `delete_module`, `kexec_load`, `kexec_file_load`, `reboot`, `swapon`, `swapoff`, `acct` | the machine itself (they matter only if a check ever runs as root, which happens when starting checks as users of their own fails mid-batch). |
//!
//! `clone3` passes its flags in memory a filter cannot read, so it is
//! answered `ENOSYS` instead: the C library then falls back to `clone`,
//! whose flags the filter does see. Threads and processes are started as
//! before.
//!
//! The filter is built for the architecture this binary was compiled for
//! (x86_64 or aarch64); a call made through another architecture's entry
//! (32-bit `int 0x80` on x86_64) ends the process. On x86_64 the x32
//! numbering of each refused call is refused as well. On any other
//! architecture there is no filter and [`probe`] says so.
//!
//! `lab` and `check` on a learner's own machine never install it.

/// Why no filter could be installed.
pub type Refusal = String;

/// Installs the filter on this process (every thread of it) and on all it
/// will start. Sets `no_new_privs`, which a filter needs.
pub fn apply() -> Result<(), Refusal> {
    imp::install(true)
}

/// Whether this kernel takes the filter. Found by installing it on a
/// thread started for the purpose (a filter binds only the thread that
/// installs it, unless told otherwise), so the calling process keeps all
/// its rights.
pub fn probe() -> bool {
    std::thread::spawn(|| imp::install(false).is_ok())
        .join()
        .unwrap_or(false)
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod imp {
    use std::collections::BTreeMap;

    use seccompiler::{
        BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
        SeccompRule, TargetArch,
    };

    use super::Refusal;

    #[cfg(target_arch = "x86_64")]
    const ARCH: TargetArch = TargetArch::x86_64;
    #[cfg(target_arch = "aarch64")]
    const ARCH: TargetArch = TargetArch::aarch64;

    /// Refused outright, whatever their arguments.
    const REFUSED: &[libc::c_long] = &[
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
        libc::SYS_mount_setattr,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
    ];

    /// The x32 ABI's bit: on x86_64 a call may also be made by its number
    /// with this bit set (when the kernel was built with x32 and it is on).
    #[cfg(target_arch = "x86_64")]
    const X32: i64 = 0x4000_0000;

    /// The x32 numbers of the refused calls: each common number with the
    /// bit set, and the x32 table's own numbers for `ptrace`,
    /// `process_vm_readv` and `process_vm_writev`.
    #[cfg(target_arch = "x86_64")]
    fn x32_numbers() -> Vec<i64> {
        REFUSED
            .iter()
            .map(|n| X32 | n)
            .chain([521, 539, 540].map(|n| X32 | n))
            .collect()
    }

    #[cfg(target_arch = "aarch64")]
    fn x32_numbers() -> Vec<i64> {
        Vec::new()
    }

    /// The `clone` flags that make a namespace (`CLONE_NEWTIME` shares its
    /// bit with the exit signal in `clone`, so only `clone3` and `unshare`
    /// can ask for it, and both are refused).
    const NEW_NAMESPACE: &[libc::c_int] = &[
        libc::CLONE_NEWNS,
        libc::CLONE_NEWCGROUP,
        libc::CLONE_NEWUTS,
        libc::CLONE_NEWIPC,
        libc::CLONE_NEWUSER,
        libc::CLONE_NEWPID,
        libc::CLONE_NEWNET,
    ];

    fn problem(e: seccompiler::BackendError) -> Refusal {
        format!("cannot build the seccomp filter: {e}")
    }

    /// A filter that answers `refused` calls with `errno` and lets every
    /// other call through.
    fn program(
        refused: BTreeMap<i64, Vec<SeccompRule>>,
        errno: libc::c_int,
    ) -> Result<BpfProgram, Refusal> {
        SeccompFilter::new(
            refused,
            SeccompAction::Allow,
            SeccompAction::Errno(errno as u32),
            ARCH,
        )
        .map_err(problem)?
        .try_into()
        .map_err(problem)
    }

    /// The filter that answers `EPERM`.
    fn denials() -> Result<BpfProgram, Refusal> {
        let mut rules: BTreeMap<i64, Vec<SeccompRule>> = REFUSED
            .iter()
            .copied()
            .chain(x32_numbers())
            .map(|n| (n, Vec::new()))
            .collect();
        // Any one namespace flag set: one rule per flag (a call matches
        // when one of its rules does), each matching when the first
        // argument masked by the flag equals the flag.
        let clone_rules = NEW_NAMESPACE
            .iter()
            .map(|&flag| {
                let flag = flag as u64;
                SeccompCondition::new(
                    0,
                    SeccompCmpArgLen::Dword,
                    SeccompCmpOp::MaskedEq(flag),
                    flag,
                )
                .and_then(|c| SeccompRule::new(vec![c]))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(problem)?;
        rules.insert(libc::SYS_clone, clone_rules);
        program(rules, libc::EPERM)
    }

    /// The filter that answers `clone3` with `ENOSYS`.
    fn no_clone3() -> Result<BpfProgram, Refusal> {
        let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
        rules.insert(libc::SYS_clone3, Vec::new());
        #[cfg(target_arch = "x86_64")]
        rules.insert(X32 | libc::SYS_clone3, Vec::new());
        program(rules, libc::ENOSYS)
    }

    /// Installs both filters, on every thread or on this one.
    pub fn install(every_thread: bool) -> Result<(), Refusal> {
        let programs = [denials()?, no_clone3()?];
        for program in &programs {
            let applied = if every_thread {
                seccompiler::apply_filter_all_threads(program)
            } else {
                seccompiler::apply_filter(program)
            };
            applied.map_err(|e| format!("the kernel refused the seccomp filter: {e}"))?;
        }
        Ok(())
    }
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
mod imp {
    use super::Refusal;

    pub fn install(_every_thread: bool) -> Result<(), Refusal> {
        Err(
            "no seccomp filter for this system or architecture (Linux on x86_64 or aarch64 only)"
                .into(),
        )
    }
}

#[cfg(all(
    test,
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod tests {
    use std::io::ErrorKind;
    use std::process::Command;

    /// Set in the environment of the copy of this test binary that installs
    /// the filter (a filter cannot be removed, so never in the test runner
    /// itself).
    const CHILD: &str = "LABKIT_SECCOMP_TEST_CHILD";

    fn refused(what: &str, e: std::io::Error) -> String {
        assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{what}: {e:?}");
        assert_eq!(e.raw_os_error(), Some(libc::EPERM), "{what}: {e:?}");
        format!("{what} refused")
    }

    /// In the child: install, then try what a check may and may not do.
    fn as_the_child() {
        super::apply().expect("the filter installs");
        let said = [
            refused(
                "udp",
                std::net::UdpSocket::bind("127.0.0.1:0").expect_err("a UDP socket"),
            ),
            refused(
                "tcp",
                std::net::TcpListener::bind("127.0.0.1:0").expect_err("a TCP socket"),
            ),
            refused(
                "unix pair",
                std::os::unix::net::UnixStream::pair().expect_err("a socket pair"),
            ),
            refused(
                "unix path",
                std::os::unix::net::UnixStream::connect("/nonexistent/sock")
                    .expect_err("a unix socket"),
            ),
        ];
        // Ordinary work goes on.
        let text = std::fs::read_to_string("/proc/self/status").expect("a file read");
        assert!(text.contains("Seccomp:\t2"), "filter mode 2: {text}");
        let thread = std::thread::spawn(|| 6 * 7).join().expect("a thread");
        assert_eq!(thread, 42);
        let status = Command::new("/bin/true")
            .status()
            .expect("/bin/true starts");
        assert!(status.success(), "{status}");
        // No new namespace, where util-linux's `unshare` is there to ask.
        if std::path::Path::new("/usr/bin/unshare").is_file() {
            let out = Command::new("/usr/bin/unshare")
                .args(["--user", "/bin/true"])
                .output()
                .expect("unshare starts");
            assert!(!out.status.success(), "a user namespace was made");
            let text = String::from_utf8_lossy(&out.stderr);
            assert!(text.contains("Operation not permitted"), "{text}");
        }
        // What the filter refuses is refused in the processes it starts.
        let child = Command::new("/proc/self/exe")
            .args([
                "--exact",
                "seccomp::tests::a_process_under_the_filter_makes_no_socket_and_works_on",
                "--nocapture",
            ])
            .env(CHILD, "grandchild")
            .output()
            .expect("a grandchild starts");
        let text = String::from_utf8_lossy(&child.stdout);
        assert!(text.contains("grandchild: udp refused"), "{text}");
        println!("child: {}", said.join(", "));
    }

    #[test]
    fn a_process_under_the_filter_makes_no_socket_and_works_on() {
        match std::env::var(CHILD).as_deref() {
            Ok("child") => return as_the_child(),
            Ok("grandchild") => {
                let e = std::net::UdpSocket::bind("127.0.0.1:0").expect_err("a UDP socket");
                println!("grandchild: {}", refused("udp", e));
                return;
            }
            _ => {}
        }
        assert!(super::probe(), "this kernel takes the filter");
        // The probe binds only its own thread: this one still has sockets.
        std::net::UdpSocket::bind("127.0.0.1:0").expect("the runner keeps its sockets");
        let out = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--exact",
                "seccomp::tests::a_process_under_the_filter_makes_no_socket_and_works_on",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "child")
            .output()
            .expect("the child starts");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        assert!(
            text.contains("child: udp refused, tcp refused, unix pair refused, unix path refused"),
            "{text}"
        );
        assert!(text.contains("1 passed"), "the child ran the test: {text}");
    }
}

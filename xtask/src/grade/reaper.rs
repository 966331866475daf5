//! `grade` as a child subreaper: the last line behind the warden.
//!
//! Each check runs under a warden (`labkit::warden`) that ends everything
//! the check started. Should a warden itself be killed (the tool's own
//! backstop at the time limit kills the whole process group), whatever it
//! had adopted is orphaned again, and because `cargo xtask grade` made
//! itself a child subreaper, it comes here rather than to `init`. Before
//! writing any output, grading [`sweep`]s: it kills and reaps every child
//! left, so no process of a check is alive when the gradebook is written.
//!
//! Only the `grade` command becomes a subreaper: inside a test binary,
//! where other tests' processes are children too, [`sweep`] does nothing.

use std::sync::atomic::{AtomicBool, Ordering};

static SUBREAPER: AtomicBool = AtomicBool::new(false);

/// Makes this process a child subreaper. Call it where this process runs
/// nothing but grading (the `grade` command).
pub fn become_subreaper() -> std::io::Result<()> {
    rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
    SUBREAPER.store(true, Ordering::SeqCst);
    Ok(())
}

/// Whether this process adopts orphans.
pub fn is_subreaper() -> bool {
    SUBREAPER.load(Ordering::SeqCst)
}

/// When this process is a subreaper (and so runs nothing but grading, and
/// no check is running), kills and reaps every child it still has. Returns
/// how many there were.
pub fn sweep() -> usize {
    if !is_subreaper() {
        return 0;
    }
    let me = std::process::id() as i32;
    let found = labkit::warden::children_of(me).len();
    labkit::warden::end_descendants();
    found
}

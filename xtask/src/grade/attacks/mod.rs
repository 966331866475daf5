//! Attacks on grading, performed for real by tests: what a learner's code
//! could try from inside a check, and what the grader does about it.
//!
//! - [`judges`]: on what judges — the check binaries, the course copy and
//!   the `suspicious` scan (pinned binaries, a restored copy, whole-file
//!   tokens);
//! - [`escapes`]: out of the check — a survivor that outlives it, a file
//!   read outside the course, the network (TCP, UDP, unix sockets by path
//!   and by abstract name), a write outside its directory (Landlock, the
//!   seccomp filter, the warden and the grader as child subreapers).

mod escapes;
mod judges;

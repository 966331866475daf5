//! A story check that fails names the learner step that made the first
//! differing line (issue 22). Its own test binary: the steps entered are
//! process-wide state.

use labkit::check::compare_with_snapshot;
use labkit::stall::enter;
use labkit::Trace;

#[test]
fn a_differing_story_names_the_step_that_made_the_first_differing_line() {
    let story = |lazy: bool| {
        let mut t = Trace::new("story");
        {
            let _running = enter("plan_sync", "starters/m99/sync.rs");
        }
        t.note("m99", "sync: 2 added, 0 updated");
        {
            let _running = enter("sweep_expired", "starters/m99/sweep.rs");
        }
        t.note(
            "m99",
            if lazy {
                "sweep: removed 0 documents"
            } else {
                "sweep: removed 1 document"
            },
        );
        t.note("m99", "done");
        t.to_text()
    };
    let reference = format!("---\nsource: x\n---\n{}", story(false));
    assert_eq!(compare_with_snapshot(&story(false), &reference), Ok(()));
    let err = compare_with_snapshot(&story(true), &reference).unwrap_err();
    assert!(
        err.contains("your `sweep_expired` in starters/m99/sweep.rs"),
        "{err}"
    );
    assert!(!err.contains("plan_sync"), "{err}");
}

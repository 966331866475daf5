//! Lazy versions of a step that its own check catches must fail the story
//! checks too: m32.a.6 (the storm) and m32.b.6 (the trace) run every step
//! together, and a lazy step that happens to give the right answer on the
//! usual seeds would pass them.
//!
//! Each test installs the reference steps through the port, with one step
//! swapped for a lazy version, and runs the check from `desk::checks::CHECKS`
//! as the lab does. The port only exists in a lab build, so this file only
//! compiles in one (`cargo xtask verify` runs it):
//!
//! ```sh
//! cargo test -p desk --features desk/external-steps --test lazy_steps
//! ```
#![cfg(all(feature = "external-steps", not(feature = "solution")))]

use std::cell::Cell;
use std::collections::BTreeMap;

// The reference files refer to the crate's items as `crate::…`.
#[allow(unused_imports)]
use desk::*;

#[path = "../../../solutions/m32/correlation.rs"]
#[allow(dead_code)]
mod correlation;
#[path = "../../../solutions/m32/triage.rs"]
#[allow(dead_code)]
mod triage;

use desk::alert::{Alert, Deduped, Fingerprint};
use desk::correlate::{Cause, GroupKey, InhibitRule};
use desk::error::DeskError;
use desk::link::OpenIncident;
use desk::ticket::{Assessment, Category, Classification, Queue, Ticket};
use desk::topology::Topology;

thread_local! {
    /// The step this test thread swaps for its lazy version.
    static LAZY: Cell<Option<&'static str>> = const { Cell::new(None) };
}

fn lazy(step: &str) -> bool {
    LAZY.with(|l| l.get() == Some(step))
}

/// Ignores the topology: blames the service that alerted first.
fn probable_cause_by_clock(alerts: &[&Alert], _topology: &Topology) -> Option<Cause> {
    let first = alerts
        .iter()
        .min_by_key(|a| (a.starts_at, a.fingerprint()))?;
    let service = first.service().to_string();
    let mut own: Vec<&&Alert> = alerts.iter().filter(|a| a.service() == service).collect();
    own.sort_by_key(|a| (a.starts_at, a.fingerprint()));
    Some(Cause {
        alert: first.fingerprint(),
        first_at: first.starts_at,
        deploy: own.iter().find_map(|a| a.deploy.clone()),
        explains: vec![service.clone()],
        service,
    })
}

/// No time window: any incident with the service and the symptom, however
/// long ago it resolved.
fn find_incident_any_time(
    ticket: &Ticket,
    category: Category,
    incidents: &[OpenIncident],
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, inc) in incidents.iter().enumerate() {
        let same_service = ticket
            .service
            .as_ref()
            .is_none_or(|s| inc.services.contains(s));
        let fits = same_service && inc.symptoms.contains(&category);
        if fits && best.is_none_or(|b| inc.opened_at > incidents[b].opened_at) {
            best = Some(i);
        }
    }
    best
}

fn probable_cause(alerts: &[&Alert], topology: &Topology) -> Option<Cause> {
    if lazy("probable_cause") {
        probable_cause_by_clock(alerts, topology)
    } else {
        correlation::probable_cause(alerts, topology)
    }
}

fn find_incident(ticket: &Ticket, category: Category, incidents: &[OpenIncident]) -> Option<usize> {
    if lazy("find_incident") {
        find_incident_any_time(ticket, category, incidents)
    } else {
        triage::find_incident(ticket, category, incidents)
    }
}

fn install() {
    desk::port::install(desk::port::Steps {
        fingerprint: correlation::fingerprint as fn(&BTreeMap<String, String>) -> Fingerprint,
        dedup: correlation::dedup as fn(&[Alert]) -> Vec<Deduped>,
        group_key: correlation::group_key as fn(&Alert, &[String]) -> GroupKey,
        inhibits: correlation::inhibits as fn(&InhibitRule, &Alert, &Alert) -> bool,
        probable_cause,
        classify: triage::classify as fn(&str) -> Classification,
        assess: triage::assess as fn(&Ticket) -> Assessment,
        priority: triage::priority as fn(u8, u8) -> Result<u8, DeskError>,
        route: triage::route as fn(Category, u8) -> Queue,
        find_incident,
    });
}

/// Runs check `id` with `step` swapped for its lazy version (`None`: the
/// reference throughout).
fn run(id: &str, step: Option<&'static str>) -> Result<(), String> {
    install();
    LAZY.with(|l| l.set(step));
    let check = desk::checks::CHECKS
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"));
    (check.run)()
}

#[test]
fn the_reference_passes_the_story_checks() {
    for id in ["m32.a.5", "m32.a.6", "m32.b.5", "m32.b.6"] {
        assert_eq!(run(id, None), Ok(()), "{id}");
    }
}

#[test]
fn a_probable_cause_that_ignores_topology_fails_the_storm() {
    assert!(
        run("m32.a.5", Some("probable_cause")).is_err(),
        "its own check"
    );
    let e = run("m32.a.6", Some("probable_cause")).unwrap_err();
    assert!(
        e.contains("after the chat API"),
        "the storm whose cause alerts late catches it: {e}"
    );
}

#[test]
fn a_find_incident_without_a_time_window_fails_the_trace() {
    assert!(
        run("m32.b.5", Some("find_incident")).is_err(),
        "its own check"
    );
    let e = run("m32.b.6", Some("find_incident")).unwrap_err();
    assert!(e.contains("T-1005"), "the late ticket shows it: {e}");
}

//! Checks of `starters/m31/respond.rs`: severity, the incident lifecycle and the first play.

use super::random_policy;
use crate::burn::{Alert, BurnPolicy, Notification, WindowBurns};
use crate::window::minutes;
use crate::{
    EntryKind, Incident, IncidentError, IncidentKind, Play, Purpose, Runbook, Severity, Status,
    Step,
};
use labkit::{ensure, ensure_eq, CheckResult, SimClock, SimRng};

pub(super) fn severity_follows_the_alert() -> CheckResult {
    let policy = BurnPolicy::sre_workbook();
    let burns = policy
        .windows()
        .into_iter()
        .fold(WindowBurns::new(), |w, win| w.with(win, Some(50.0)));
    let want = [
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
    ];
    for (i, sev) in want.iter().enumerate() {
        let Some(alert) = Alert::from_tier(&policy, i, &burns, &[]) else {
            return Err(format!("could not build an alert for tier {i}"));
        };
        ensure_eq!(
            crate::severity_for(&alert),
            *sev,
            "the workbook tier {}",
            alert.tier.name
        );
    }
    let mut rng = SimRng::seed(3106);
    for _ in 0..200 {
        let policy = random_policy(&mut rng)?;
        let burns = policy
            .windows()
            .into_iter()
            .fold(WindowBurns::new(), |w, win| w.with(win, Some(99.0)));
        let i = rng.below(policy.tiers().len() as u64) as usize;
        let Some(alert) = Alert::from_tier(&policy, i, &burns, &[]) else {
            return Err(format!("could not build an alert for tier {i}"));
        };
        let kind = policy.tiers()[i].notification;
        let before = policy.tiers()[..i]
            .iter()
            .filter(|t| t.notification == kind)
            .count();
        let want = match (kind, before) {
            (Notification::Page, 0) => Severity::Sev1,
            (Notification::Page, _) => Severity::Sev2,
            (Notification::Ticket, 0) => Severity::Sev3,
            (Notification::Ticket, _) => Severity::Sev4,
        };
        ensure_eq!(
            crate::severity_for(&alert),
            want,
            "tier {i} of {:?} (a {kind} with {before} more urgent {kind} tiers before it)",
            policy
                .tiers()
                .iter()
                .map(|t| (t.name.as_str(), t.notification))
                .collect::<Vec<_>>()
        );
    }
    Ok(())
}

pub(super) fn lifecycle_is_enforced() -> CheckResult {
    let t0 = SimClock::course_epoch();
    let mut inc = Incident::declare(
        "INC-7",
        IncidentKind::BadRelease,
        "wrong answers",
        Severity::Sev2,
        t0,
    );
    // Illegal jumps from open, refused without a trace.
    for to in [Status::Open, Status::Mitigated, Status::Resolved] {
        let before = inc.clone();
        let r = inc.transition(to, t0 + minutes(1), "jump");
        ensure!(
            matches!(r, Err(IncidentError::IllegalTransition { from: Status::Open, to: t }) if t == to),
            "open → {to} must be refused with IllegalTransition, got {r:?}"
        );
        let changed = changed_fields(&before, &inc);
        ensure!(
            changed.is_empty(),
            "a refused transition (open → {to}) must leave the incident as it was; it changed: {}",
            changed.join(", ")
        );
    }
    inc.transition(Status::Acknowledged, t0 + minutes(3), "on-call here")
        .map_err(|e| e.to_string())?;
    ensure_eq!(
        inc.status(),
        Status::Acknowledged,
        "status after acknowledging"
    );
    ensure_eq!(
        inc.acknowledged_at(),
        Some(t0 + minutes(3)),
        "acknowledged_at"
    );
    let last = inc.timeline().last().cloned();
    ensure_eq!(
        last.map(|e| (e.at, e.kind, e.text)),
        Some((
            t0 + minutes(3),
            EntryKind::Acknowledged,
            "on-call here".to_string()
        )),
        "the timeline entry of the acknowledgement"
    );
    let before = inc.clone();
    let r = inc.transition(Status::Mitigated, t0 + minutes(2), "too early");
    ensure!(
        matches!(r, Err(IncidentError::TimeWentBackwards { .. })),
        "a mitigation stamped before the acknowledgement must be refused with TimeWentBackwards, got {r:?}"
    );
    let changed = changed_fields(&before, &inc);
    ensure!(
        changed.is_empty(),
        "a refused transition (time going backwards) must leave the incident as it was; it changed: {}",
        changed.join(", ")
    );
    inc.transition(Status::Mitigated, t0 + minutes(10), "rolled back")
        .map_err(|e| e.to_string())?;
    inc.transition(Status::Resolved, t0 + minutes(40), "held")
        .map_err(|e| e.to_string())?;
    ensure_eq!(inc.time_to_acknowledge(), Some(minutes(3)), "TTA");
    ensure_eq!(inc.time_to_mitigate(), Some(minutes(10)), "TTM");
    ensure_eq!(inc.time_to_resolve(), Some(minutes(40)), "TTR");
    for to in Status::ALL {
        let r = inc.transition(to, t0 + minutes(50), "after the end");
        ensure!(r.is_err(), "resolved → {to} must be refused, got {r:?}");
    }
    // Random sequences of requested moves against a model of the lifecycle.
    let mut rng = SimRng::seed(3107);
    for round in 0..200 {
        let mut inc = Incident::declare(
            &format!("INC-{round}"),
            IncidentKind::StaleIndex,
            "stale",
            Severity::Sev3,
            t0,
        );
        let mut model_status = Status::Open;
        let mut model_last = t0;
        let mut model_entries = inc.timeline().len();
        let mut now = t0;
        for _ in 0..8 {
            let to = Status::ALL[rng.below(4) as usize];
            let at = if rng.chance(0.2) {
                now - minutes(rng.between(1, 5) as i64)
            } else {
                now + minutes(rng.between(0, 20) as i64)
            };
            let legal = model_status.next() == Some(to) && at >= model_last;
            let r = inc.transition(to, at, "step");
            ensure_eq!(
                r.is_ok(),
                legal,
                "round {round}: {model_status} → {to} at +{}m (last entry +{}m)",
                (at - t0).num_minutes(),
                (model_last - t0).num_minutes()
            );
            if legal {
                model_status = to;
                model_last = at;
                model_entries += 1;
                now = at;
            }
            ensure_eq!(inc.status(), model_status, "round {round}: status");
            ensure_eq!(
                inc.timeline().len(),
                model_entries,
                "round {round}: timeline length"
            );
        }
    }
    Ok(())
}

pub(super) fn first_play_is_fastest_safe_mitigation() -> CheckResult {
    let play = |k| Runbook::for_kind(k).first_play().map(|s| s.play);
    ensure_eq!(
        play(IncidentKind::BadRelease),
        Some(Play::RollbackToLastGood),
        "bad_release"
    );
    ensure_eq!(
        play(IncidentKind::StaleIndex),
        Some(Play::ReindexChangedDocuments),
        "stale_index"
    );
    const PLAYS: [Play; 6] = [
        Play::RollbackToLastGood,
        Play::PatchLiveConfig,
        Play::CaptureState,
        Play::ReindexChangedDocuments,
        Play::RebuildIndex,
        Play::InspectSyncJob,
    ];
    const PURPOSES: [Purpose; 3] = [Purpose::Mitigate, Purpose::Diagnose, Purpose::Repair];
    let mut rng = SimRng::seed(3108);
    for _ in 0..300 {
        let n = rng.between(1, 7);
        let steps: Vec<Step> = (0..n)
            .map(|_| {
                Step::new(
                    PLAYS[rng.below(6) as usize],
                    PURPOSES[rng.below(3) as usize],
                    rng.chance(0.7),
                    rng.between(1, 6) as u32,
                )
            })
            .collect();
        let rb =
            Runbook::new(IncidentKind::BadRelease, steps.clone()).map_err(|e| e.to_string())?;
        let mut want: Option<usize> = None;
        for (i, s) in steps.iter().enumerate() {
            if s.purpose == Purpose::Mitigate
                && s.safe
                && want.is_none_or(|w| s.minutes < steps[w].minutes)
            {
                want = Some(i);
            }
        }
        let got = rb.first_play().map(|s| s as *const Step);
        let want_ptr = want
            .and_then(|i| rb.steps().get(i))
            .map(|s| s as *const Step);
        ensure!(
            got == want_ptr,
            "runbook {:?}\n  expected: {}\n       got: {}",
            steps.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            want.map(|i| format!(
                "step {} of the runbook (counting from 1): {}",
                i + 1,
                steps[i]
            ))
            .unwrap_or_else(|| "no play (None)".into()),
            rb.first_play()
                .map(|s| format!("{s}"))
                .unwrap_or_else(|| "no play (None)".into())
        );
    }
    Ok(())
}

/// What changed between two states of an incident, field by field: what a
/// failing check names instead of printing both incidents whole.
fn changed_fields(before: &Incident, after: &Incident) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name} {a} -> {b}"));
        }
    };
    field(
        "status",
        format!("{:?}", before.status()),
        format!("{:?}", after.status()),
    );
    field(
        "acknowledged_at",
        format!("{:?}", before.acknowledged_at()),
        format!("{:?}", after.acknowledged_at()),
    );
    field(
        "mitigated_at",
        format!("{:?}", before.mitigated_at()),
        format!("{:?}", after.mitigated_at()),
    );
    field(
        "resolved_at",
        format!("{:?}", before.resolved_at()),
        format!("{:?}", after.resolved_at()),
    );
    field(
        "timeline entries",
        before.timeline().len().to_string(),
        after.timeline().len().to_string(),
    );
    if out.is_empty() && before != after {
        out.push("another field".to_string());
    }
    out
}

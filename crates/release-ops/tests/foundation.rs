//! The scaffolding the learner does not write: artifacts, the registry, the
//! simulated models, eval sets, ramp plans, the manager's bookkeeping. These
//! run in both variants.

use release_ops::artifact::{ArtifactStore, Digest};
use release_ops::eval::{incident_regression_case, EvalSet, Score, Topic};
use release_ops::model::SimModel;
use release_ops::registry::{Registry, ReleaseSpec};
use release_ops::traffic::{validate_plan, RampPlan, RampStage};
use release_ops::{ReleaseError, ReleaseManager};

#[test]
fn digests_name_content() {
    let d = Digest::of(b"abc");
    assert_eq!(
        d.as_str(),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(Digest::parse(d.as_str()), Ok(d.clone()));
    assert_eq!(d.short(), "sha256:ba7816bf8f01");
    for bad in [
        "",
        "sha256:",
        "sha256:ABC",
        "md5:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        &format!("{d}0"),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aZ",
    ] {
        assert!(
            matches!(
                Digest::parse(bad),
                Err(ReleaseError::MalformedDigest { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_store_refuses_mismatched_and_tampered_bytes() {
    let mut s = ArtifactStore::new();
    let d = s.put(b"model bytes");
    assert_eq!(s.put(b"model bytes"), d, "same bytes, same name");
    assert_eq!(s.len(), 1);
    let err = s.put_claimed(&d, b"other bytes").unwrap_err();
    assert!(matches!(err, ReleaseError::DigestMismatch { .. }), "{err}");
    assert_eq!(s.len(), 1, "a refused upload stores nothing");
    assert!(s
        .put_claimed(&Digest::of(b"other bytes"), b"other bytes")
        .is_ok());
    assert_eq!(s.get(&d).unwrap(), b"model bytes");
    assert!(s.tamper(&d, b"evil"));
    assert!(matches!(
        s.get(&d),
        Err(ReleaseError::DigestMismatch { .. })
    ));
    assert!(matches!(
        s.get(&Digest::of(b"never stored")),
        Err(ReleaseError::MissingArtifact { .. })
    ));
}

#[test]
fn the_course_registry_chains_commit_image_model() {
    let r = Registry::course();
    assert_eq!(r.versions(), vec!["v1", "v2", "v3"]);
    for v in ["v1", "v2", "v3"] {
        let m = r.manifest(v).unwrap();
        assert_eq!(m.commit.len(), 40);
        let image = std::str::from_utf8(r.store().get(&m.image).unwrap()).unwrap();
        assert!(
            image.contains(m.model.as_str()) && image.contains(&m.commit),
            "the image names its model and commit"
        );
        assert_eq!(r.load_model(v).unwrap().version, v);
        assert_eq!(m.build_score.total, 500);
    }
    let (s1, s2, s3) = (
        r.manifest("v1").unwrap().build_score,
        r.manifest("v2").unwrap().build_score,
        r.manifest("v3").unwrap().build_score,
    );
    assert!(
        s2.passed < s1.passed && s1.passed < s3.passed,
        "{s1} {s2} {s3}"
    );
    assert!(matches!(
        r.manifest("v4"),
        Err(ReleaseError::UnknownVersion { .. })
    ));
}

#[test]
fn publishing_is_immutable_and_checks_the_eval_set() {
    let mut r = Registry::course();
    let eval = EvalSet::generate(1, 10);
    let err = r
        .publish(ReleaseSpec::for_model(SimModel::v1(), 1, "p1"), &eval)
        .unwrap_err();
    assert_eq!(
        err,
        ReleaseError::VersionExists {
            version: "v1".into()
        }
    );
    let mut m = SimModel::v3();
    m.version = "v4".into();
    assert_eq!(
        r.publish(ReleaseSpec::for_model(m.clone(), 4, "p9"), &EvalSet::new())
            .unwrap_err(),
        ReleaseError::EmptyEvalSet
    );
    assert!(
        r.manifest("v4").is_err(),
        "a refused publish records nothing"
    );
    r.publish(ReleaseSpec::for_model(m, 4, "p9"), &eval)
        .unwrap();
    assert_eq!(r.versions().len(), 4);
}

#[test]
fn a_tampered_model_is_never_loaded() {
    let mut r = Registry::course();
    let d = r.manifest("v3").unwrap().model.clone();
    r.store_mut().tamper(&d, &SimModel::v2().to_bytes());
    assert!(matches!(
        r.load_model("v3"),
        Err(ReleaseError::DigestMismatch { .. })
    ));
}

#[test]
fn models_round_trip_and_refuse_garbage() {
    for m in [SimModel::v1(), SimModel::v2(), SimModel::v3()] {
        assert_eq!(SimModel::from_bytes(&m.to_bytes()).unwrap(), m);
    }
    for bad in [
        &b"\xff"[..],
        b"hello",
        b"opsloop-sim-model 1\nnoise_key 1\n",
        b"opsloop-sim-model 1\nversion v1\nmiss nosuch 3\n",
        b"opsloop-sim-model 1\nversion v1\nbad_ppm 99999999999\n",
    ] {
        assert!(SimModel::from_bytes(bad).is_err());
    }
}

#[test]
fn models_answer_deterministically_and_v2_breaks_refunds_only() {
    let eval = EvalSet::generate(77, 2000);
    let (v1, v2, v3) = (SimModel::v1(), SimModel::v2(), SimModel::v3());
    let a = eval.run(&v1).unwrap();
    assert_eq!(a, eval.run(&v1).unwrap());
    let b = eval.run(&v2).unwrap();
    let c = eval.run(&v3).unwrap();
    let rate = |r: &release_ops::EvalReport, t: Topic| {
        r.by_topic[&t].passed as f64 / r.by_topic[&t].total as f64
    };
    assert!(rate(&b, Topic::Refunds) < 0.6 && rate(&a, Topic::Refunds) > 0.9);
    assert_eq!(
        c.by_topic[&Topic::Refunds].passed,
        c.by_topic[&Topic::Refunds].total,
        "v3 answers every refunds question"
    );
    for t in [
        Topic::Account,
        Topic::Billing,
        Topic::Security,
        Topic::Shipping,
    ] {
        assert!(rate(&b, t) > 0.9, "v2 is fine on {t:?}");
    }
    assert_ne!(
        eval.failures(&v1),
        eval.failures(&v3),
        "different releases miss different questions"
    );
}

#[test]
fn eval_sets_refuse_duplicates_and_empty_runs() {
    let mut e = EvalSet::generate(3, 20);
    let c = e.cases()[0].clone();
    assert_eq!(
        e.add(c).unwrap_err(),
        ReleaseError::DuplicateCase {
            id: "ev-0001".into()
        }
    );
    assert_eq!(
        e.mark_regression("nope").unwrap_err(),
        ReleaseError::UnknownCase { id: "nope".into() }
    );
    e.mark_regression("ev-0002").unwrap();
    assert_eq!(e.regression_cases().count(), 1);
    let case = incident_regression_case("reg-001");
    assert!(
        SimModel::v2().misses(&case)
            && !SimModel::v1().misses(&case)
            && !SimModel::v3().misses(&case)
    );
    e.add_regression(case).unwrap();
    assert_eq!(e.regression_cases().count(), 2);
    let nothing = EvalSet::new().run(&SimModel::v1()).unwrap();
    assert_eq!((nothing.score, nothing.cases.len()), (Score::new(0, 0), 0));
    assert_eq!(EvalSet::generate(9, 50), EvalSet::generate(9, 50));
    assert_ne!(EvalSet::generate(9, 50), EvalSet::generate(10, 50));
}

#[test]
fn ramp_plans_are_validated() {
    let s = |percent, requests| RampStage { percent, requests };
    let plan = |stages: Vec<RampStage>| RampPlan {
        stages,
        budget_ppm: 5000,
    };
    assert!(validate_plan(&RampPlan::standard(100, 5000)).is_ok());
    assert_eq!(
        validate_plan(&plan(vec![])),
        Err(ReleaseError::RampNoStages)
    );
    assert_eq!(
        validate_plan(&plan(vec![s(10, 100), s(10, 100), s(100, 100)])),
        Err(ReleaseError::RampNotIncreasing {
            stage: 2,
            previous: 10,
            percent: 10
        })
    );
    assert_eq!(
        validate_plan(&plan(vec![s(50, 100), s(120, 100)])),
        Err(ReleaseError::RampAbove100 {
            stage: 2,
            percent: 120
        })
    );
    assert_eq!(
        validate_plan(&plan(vec![s(0, 100), s(100, 100)])),
        Err(ReleaseError::RampNotIncreasing {
            stage: 1,
            previous: 0,
            percent: 0
        })
    );
    assert_eq!(
        validate_plan(&plan(vec![s(1, 50), s(100, 100)])),
        Err(ReleaseError::RampZeroTraffic { stage: 1 })
    );
    assert_eq!(
        validate_plan(&plan(vec![s(1, 100), s(10, 0), s(100, 100)])),
        Err(ReleaseError::RampZeroTraffic { stage: 2 })
    );
    assert_eq!(
        validate_plan(&plan(vec![s(1, 100), s(10, 100), s(101, 100)])),
        Err(ReleaseError::RampAbove100 {
            stage: 3,
            percent: 101
        })
    );
    assert_eq!(
        validate_plan(&plan(vec![])),
        Err(ReleaseError::RampNoStages)
    );
    // Flagger's `stepWeights` form: the last step below 100% is a valid plan.
    assert_eq!(validate_plan(&plan(vec![s(1, 100), s(50, 100)])), Ok(()));
}

#[test]
fn deploy_needs_a_rollback_target_and_unknown_versions_change_nothing() {
    let eval = EvalSet::generate(1, 30);
    let mut empty = ReleaseManager::new(Registry::course(), eval.clone(), "idx");
    assert_eq!(empty.deploy("v2"), Err(ReleaseError::NoRollbackTarget));
    assert_eq!(empty.live(), None);
    assert_eq!(
        empty.install_first("v9"),
        Err(ReleaseError::UnknownVersion {
            version: "v9".into()
        })
    );
    empty.install_first("v1").unwrap();
    assert_eq!(
        empty.install_first("v2"),
        Err(ReleaseError::AlreadyInstalled { live: "v1".into() })
    );

    let mut m = ReleaseManager::course(eval, "idx-1").unwrap();
    let ns = m.cache_namespace().to_string();
    assert_eq!(
        m.deploy("v9"),
        Err(ReleaseError::UnknownVersion {
            version: "v9".into()
        })
    );
    assert_eq!(
        m.deploy("v1"),
        Err(ReleaseError::AlreadyLive {
            version: "v1".into()
        })
    );
    assert_eq!(
        m.promote("v3"),
        Err(ReleaseError::NotApproved {
            candidate: "v3".into()
        })
    );
    assert_eq!(
        (m.live(), m.cache_namespace()),
        (Some("v1"), ns.as_str()),
        "refusals change nothing"
    );
    m.deploy("v2").unwrap();
    assert_eq!(
        (m.live(), m.last_good(), m.live_verified()),
        (Some("v2"), Some("v1"), false)
    );
    m.deploy("v3").unwrap();
    assert_eq!(
        m.last_good(),
        Some("v1"),
        "an unverified release never becomes last-good"
    );
    assert_ne!(
        m.cache_namespace(),
        ns,
        "every pointer change gets a fresh cache namespace"
    );
}

#[test]
fn a_tampered_model_stops_a_deploy() {
    let mut m = ReleaseManager::course(EvalSet::generate(1, 30), "idx").unwrap();
    let d = m.registry().manifest("v3").unwrap().model.clone();
    m.registry_mut()
        .store_mut()
        .tamper(&d, b"opsloop-sim-model 1\nversion v3\n");
    assert!(matches!(
        m.deploy("v3"),
        Err(ReleaseError::DigestMismatch { .. })
    ));
    assert_eq!(m.live(), Some("v1"));
}

#[test]
fn error_messages_say_what_to_do() {
    let e = ReleaseError::NoRollbackTarget.to_string();
    assert!(e.contains("rollback path"), "{e}");
    let e = ReleaseError::RampZeroTraffic { stage: 2 }.to_string();
    assert!(e.contains("stage 2"), "{e}");
}

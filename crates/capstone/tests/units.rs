//! The capstone's own pieces, in either variant: scenarios by name, the
//! question key and topics, formatting, and what an empty report says.

use capstone::cases::{question_key, topic_of};
use capstone::shift_report::{pct, Halt, ShiftReport, Stage};
use capstone::{Assertion, AssertionId, Gate, Scenario};
use release_ops::Topic;

#[test]
fn every_scenario_round_trips_by_name_and_declares_what_it_breaks() {
    for s in Scenario::ALL {
        assert_eq!(Scenario::parse(s.name()), Some(s));
        assert!(Scenario::valid_names().contains(s.name()));
        assert!(!s.describe().is_empty());
        assert_eq!(s.should_fail().is_empty(), s == Scenario::Clean);
        // Declared in gate order, without repeats.
        assert!(s.should_fail().windows(2).all(|w| w[0] < w[1]));
    }
    assert_eq!(Scenario::parse("Clean"), None);
}

#[test]
fn a_question_key_is_a_pure_function_of_its_text() {
    let q =
        "An order of $240 is returned on day 12; returns close after 30 days and cost 10%. Refund?";
    assert_eq!(question_key(q), question_key(String::from(q).as_str()));
    assert_ne!(question_key(q), question_key(&q.replace("240", "250")));
    assert_eq!(topic_of(q), Some(Topic::Refunds));
    assert_eq!(
        topic_of("A plan costs $9 a month. What do 3 months cost?"),
        Some(Topic::Billing)
    );
    assert_eq!(
        topic_of("A 3 kg parcel ships at $2/kg, free above 20 kg. Cost?"),
        Some(Topic::Shipping)
    );
    assert_eq!(
        topic_of("A password set 3 days ago expires after 90 days. Days left?"),
        Some(Topic::Account)
    );
    assert_eq!(
        topic_of("An API key is 9 days old and rotates every 30 days."),
        Some(Topic::Security)
    );
    assert_eq!(topic_of("What is the weather?"), None);
}

#[test]
fn percentages_drop_trailing_zeros() {
    assert_eq!(pct(0.8), "80%");
    assert_eq!(pct(0.99), "99%");
    assert_eq!(pct(0.9992), "99.92%");
    assert_eq!(pct(0.02234), "2.23%");
}

#[test]
fn an_empty_stage_says_which_stage_stopped_the_shift() {
    let mut r = ShiftReport::new(1, Scenario::Clean);
    assert!(r.why_missing(Stage::Learn).contains("recorded nothing"));
    r.halted.push(Halt {
        stage: Stage::Mitigate,
        reason: "no last-good release".into(),
    });
    assert!(r
        .why_missing(Stage::Mitigate)
        .starts_with("the mitigate stage failed"));
    let later = r.why_missing(Stage::Ship);
    assert!(
        later.contains("did not run")
            && later.contains("mitigate")
            && later.contains("no last-good")
    );
    // An earlier stage is not blamed on a later failure.
    assert!(r.why_missing(Stage::Intake).contains("recorded nothing"));
}

#[test]
fn the_gate_prints_every_assertion_and_its_verdict() {
    let g = Gate {
        scenario: "clean".into(),
        assertions: vec![
            Assertion::pass(AssertionId::StormReduced, "43 -> 3"),
            Assertion::fail(AssertionId::FixPromoted, "v4 blocked"),
        ],
        exit_code: 1,
    };
    let text = g.to_text();
    assert!(text.contains("PASS storm-reduced: 43 -> 3"));
    assert!(text.contains("FAIL fix-promoted: v4 blocked"));
    assert!(text.contains("gate RED: 1 of 2 assertions failed: fix-promoted (exit 1)"));
    assert_eq!(g.failed(), vec![AssertionId::FixPromoted]);
    let json: serde_json::Value = serde_json::from_str(&g.to_json()).unwrap();
    assert_eq!(json["exit_code"], 1);
    assert_eq!(json["assertions"][1]["check"], "fix-promoted");
    assert_eq!(json["assertions"][1]["passed"], false);
}

#[test]
fn production_questions_fit_their_topic() {
    let mut rng = labkit::SimRng::seed(7);
    for topic in release_ops::Topic::ALL {
        for _ in 0..20 {
            let case = capstone::cases::production_question(&mut rng, topic);
            assert_eq!(case.topic, topic);
            assert_eq!(
                capstone::cases::topic_of(&case.question),
                Some(topic),
                "{}",
                case.question
            );
            assert!(!case.expected.trim().is_empty());
        }
    }
}

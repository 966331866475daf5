//! A seeded alert storm: one bad deploy, forty alert records, a little noise.
//!
//! The scenario: a new retriever release goes live with a broken reranker.
//! Recall drops at once; the chat API, which builds its answers from what the
//! retriever finds, starts giving ungrounded answers; the gateway in front of
//! it sees slow and failed requests; the model server works harder on longer
//! prompts. Two Prometheus replicas send every alert, and keep re-sending it
//! with a fresher value while it fires: **40 records** from the one deploy.
//! Meanwhile, unrelated to it, a certificate on `auth` has been close to
//! expiry since the start of the night, and the billing queue backs up.
//!
//! Correlated with the default [`CorrelationConfig`](crate::CorrelationConfig),
//! the 43 records are 13 alerts and **3 incidents**: the deploy, the
//! certificate, the billing queue. The seed changes timings, which alerts are
//! re-sent, values and the deploy's id — never that outcome.

use chrono::{DateTime, TimeDelta, Utc};
use labkit::{SimClock, SimRng};

use crate::alert::{Alert, Severity};

/// Records the bad deploy trips.
pub const STORM_RECORDS: usize = 40;
/// Records of unrelated noise in a storm.
pub const NOISE_RECORDS: usize = 3;

/// A deploy: what went live, where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    /// Its id, e.g. `rel-4k2p9`.
    pub id: String,
    /// The service deployed.
    pub service: String,
    /// When it went live.
    pub at: DateTime<Utc>,
}

/// A generated storm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storm {
    /// The bad deploy.
    pub deploy: Deploy,
    /// Every record, in order of arrival.
    pub alerts: Vec<Alert>,
    /// How many records the deploy caused ([`STORM_RECORDS`]).
    pub from_deploy: usize,
    /// How many are unrelated noise ([`NOISE_RECORDS`]).
    pub noise: usize,
    /// The cluster label of the storm's alerts.
    pub cluster: String,
}

struct Kind {
    name: &'static str,
    service: &'static str,
    severity: Severity,
    symptom: &'static str,
    instances: &'static [&'static str],
    /// Minutes after the deploy the alert starts: lo..=hi.
    delay: (u64, u64),
    summary: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        name: "RetrievalRecallDrop",
        service: "retriever",
        severity: Severity::Critical,
        symptom: "quality",
        instances: &[],
        delay: (1, 3),
        summary: "recall@10 on the probe set fell",
    },
    Kind {
        name: "RetrieverLatencyHigh",
        service: "retriever",
        severity: Severity::Warning,
        symptom: "latency",
        instances: &["retriever-0", "retriever-1", "retriever-2"],
        delay: (2, 5),
        summary: "p95 search latency above 800 ms",
    },
    Kind {
        name: "GroundednessLow",
        service: "chat-api",
        severity: Severity::Critical,
        symptom: "quality",
        instances: &[],
        delay: (4, 7),
        summary: "share of answers supported by their sources fell",
    },
    Kind {
        name: "AnswerLatencyHigh",
        service: "chat-api",
        severity: Severity::Warning,
        symptom: "latency",
        instances: &["chat-api-0", "chat-api-1"],
        delay: (4, 8),
        summary: "p95 answer latency above 6 s",
    },
    Kind {
        name: "EmptyCitations",
        service: "chat-api",
        severity: Severity::Warning,
        symptom: "quality",
        instances: &[],
        delay: (5, 8),
        summary: "answers without any citation",
    },
    Kind {
        name: "Http5xxRate",
        service: "gateway",
        severity: Severity::Warning,
        symptom: "outage",
        instances: &[],
        delay: (6, 10),
        summary: "5xx responses above 2%",
    },
    Kind {
        name: "RequestLatencyP95",
        service: "gateway",
        severity: Severity::Warning,
        symptom: "latency",
        instances: &[],
        delay: (6, 10),
        summary: "p95 request latency above 8 s",
    },
    Kind {
        name: "PromptTokensHigh",
        service: "model-server",
        severity: Severity::Warning,
        symptom: "latency",
        instances: &[],
        delay: (7, 11),
        summary: "prompt tokens per request up",
    },
];

const REPLICAS: [&str; 2] = ["prometheus-a", "prometheus-b"];

fn secs(s: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX))
}

/// The course's storm for `seed`, starting at the course epoch in cluster
/// `eu-1`. The deploy goes live 90 minutes in.
pub fn storm(seed: u64) -> Storm {
    storm_at(seed, SimClock::course_epoch(), "eu-1")
}

/// A storm whose night starts at `start`, with cluster label `cluster`.
pub fn storm_at(seed: u64, start: DateTime<Utc>, cluster: &str) -> Storm {
    let mut rng = SimRng::seed(seed);
    let deploy = Deploy {
        id: format!("rel-{}", rng.word(5)),
        service: "retriever".to_string(),
        at: start + TimeDelta::minutes(90),
    };
    // (arrival, generation order, record)
    let mut records: Vec<(DateTime<Utc>, usize, Alert)> = Vec::new();
    let mut firsts: Vec<Alert> = Vec::new();
    for kind in KINDS {
        let instances: Vec<Option<&str>> = if kind.instances.is_empty() {
            vec![None]
        } else {
            kind.instances.iter().map(|i| Some(*i)).collect()
        };
        for instance in instances {
            let starts_at = deploy.at + secs(rng.between(kind.delay.0 * 60, kind.delay.1 * 60));
            let mut a = Alert::new(kind.name, kind.service, kind.severity, starts_at)
                .with_label("cluster", cluster)
                .with_label("symptom", kind.symptom)
                .with_annotation("summary", kind.summary)
                .with_annotation("value", &format!("{:.2}", 0.5 + rng.unit()));
            if let Some(i) = instance {
                a = a.with_label("instance", i);
            }
            if kind.service == deploy.service {
                a = a.after_deploy(&deploy.id);
            }
            firsts.push(a);
        }
    }
    // Both replicas send each alert once when it starts (b a few seconds late).
    for a in &firsts {
        for (r, replica) in REPLICAS.iter().enumerate() {
            let lag = if r == 0 { 0 } else { rng.between(1, 20) };
            let record = a.clone().from_source(replica);
            records.push((a.starts_at + secs(lag), records.len(), record));
        }
    }
    // Re-sends with a fresher value until the deploy accounts for 40 records.
    while records.len() < STORM_RECORDS {
        let Some(a) = rng.pick(&firsts) else { break };
        let replica = REPLICAS[rng.below(2) as usize];
        let after = secs(60 * rng.between(1, 6));
        let record = a
            .clone()
            .from_source(replica)
            .with_annotation("value", &format!("{:.2}", 0.5 + rng.unit()));
        records.push((a.starts_at + after, records.len(), record));
    }
    // Noise 1: a blackbox probe (no cluster label) warns about auth's
    // certificate, early in the night.
    let cert_at = start + secs(rng.between(0, 600));
    records.push((
        cert_at,
        records.len(),
        Alert::new("CertificateExpiresSoon", "auth", Severity::Warning, cert_at)
            .with_annotation("summary", "TLS certificate expires in 9 days")
            .from_source("blackbox"),
    ));
    // Noise 2: the billing queue backs up, whenever it likes.
    let billing_at = deploy.at + secs(rng.between(0, 14 * 60));
    let billing = Alert::new(
        "InvoiceQueueBacklog",
        "billing",
        Severity::Warning,
        billing_at,
    )
    .with_label("cluster", cluster)
    .with_label("symptom", "billing")
    .with_annotation("summary", "invoice jobs waiting over 10 min");
    for replica in REPLICAS {
        records.push((
            billing_at,
            records.len(),
            billing.clone().from_source(replica),
        ));
    }
    records.sort_by_key(|(at, n, _)| (*at, *n));
    Storm {
        deploy,
        alerts: records.into_iter().map(|(_, _, a)| a).collect(),
        from_deploy: STORM_RECORDS,
        noise: NOISE_RECORDS,
        cluster: cluster.to_string(),
    }
}

/// `n` records made of storms back to back, each in its own cluster and four
/// hours after the last: the benchmark's input. Deterministic for a seed.
pub fn many(seed: u64, n: usize) -> Vec<Alert> {
    let mut out = Vec::with_capacity(n);
    let mut k: u64 = 0;
    while out.len() < n {
        let start = SimClock::course_epoch() + TimeDelta::hours(4 * i64::try_from(k).unwrap_or(0));
        let s = storm_at(
            seed.wrapping_mul(1_000_003).wrapping_add(k),
            start,
            &format!("c{k:05}"),
        );
        out.extend(s.alerts.into_iter().take(n - out.len()));
        k += 1;
    }
    out
}

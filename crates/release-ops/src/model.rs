//! Releases as simulated models.
//!
//! Nothing in this lab calls a real model. A [`SimModel`] answers an eval case
//! by a fixed rule: it gets a case wrong when a hash of (its own key, the
//! case's key) falls under its miss rate for the case's topic. So every
//! release gets the same questions wrong every time, two releases get
//! *different* questions wrong, and every number in the lab is reproducible.
//!
//! The course ships three releases of the support assistant:
//!
//! | release | behaviour |
//! |---|---|
//! | `v1` | good: misses about 4% of questions on every topic |
//! | `v2` | a regression: same as v1, except it gets about half of the **refunds** questions wrong, and in production about 20% of requests go bad |
//! | `v3` | the fix: misses about 2.5% elsewhere and no refunds question |
//!
//! A model is also an artifact: [`SimModel::to_bytes`] is the file the
//! registry stores under its digest, and [`SimModel::from_bytes`] reads it back.

use std::collections::BTreeMap;

use crate::eval::{EvalCase, Topic};

/// How a release behaves when it serves real traffic: the share of requests
/// that go bad, in parts per million, and the 95th-percentile latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ServingProfile {
    /// Bad responses per million requests (errors and wrong answers users see).
    pub bad_ppm: u32,
    /// 95th-percentile latency in milliseconds.
    pub p95_ms: u32,
}

/// A release's model, reduced to the rule that decides which questions it
/// gets wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SimModel {
    /// The release tag, e.g. `v2`.
    pub version: String,
    /// Which cases this model misses depends on this key.
    pub noise_key: u64,
    /// Misses per thousand questions, by topic (a missing topic uses `default_miss_permille`).
    pub miss_permille: BTreeMap<Topic, u32>,
    /// Misses per thousand for topics not listed.
    pub default_miss_permille: u32,
    /// How the release behaves in production.
    pub serving: ServingProfile,
}

/// splitmix64: a fast, well-mixed 64-bit hash step.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl SimModel {
    /// v1, the good release.
    pub fn v1() -> Self {
        Self::uniform(
            "v1",
            0x0001_1111,
            40,
            ServingProfile {
                bad_ppm: 800,
                p95_ms: 420,
            },
        )
    }

    /// v2, the regression: half of the refunds questions come out wrong.
    pub fn v2() -> Self {
        let mut m = Self::uniform(
            "v2",
            0x0002_2222,
            40,
            ServingProfile {
                bad_ppm: 200_000,
                p95_ms: 610,
            },
        );
        m.miss_permille.insert(Topic::Refunds, 500);
        m
    }

    /// v3, the fix: refunds are answered right, the rest slightly better.
    pub fn v3() -> Self {
        let mut m = Self::uniform(
            "v3",
            0x0003_3333,
            25,
            ServingProfile {
                bad_ppm: 600,
                p95_ms: 400,
            },
        );
        m.miss_permille.insert(Topic::Refunds, 0);
        m
    }

    /// A model that misses `permille` per thousand on every topic.
    pub fn uniform(version: &str, noise_key: u64, permille: u32, serving: ServingProfile) -> Self {
        Self {
            version: version.to_string(),
            noise_key,
            miss_permille: BTreeMap::new(),
            default_miss_permille: permille,
            serving,
        }
    }

    /// Misses per thousand on `topic`.
    pub fn miss_rate(&self, topic: Topic) -> u32 {
        self.miss_permille
            .get(&topic)
            .copied()
            .unwrap_or(self.default_miss_permille)
    }

    /// `true` if this model gets `case` wrong.
    pub fn misses(&self, case: &EvalCase) -> bool {
        mix64(self.noise_key ^ mix64(case.key)) % 1000 < u64::from(self.miss_rate(case.topic))
    }

    /// The model's answer to `case`: the right one, or a plausible wrong one.
    pub fn answer(&self, case: &EvalCase) -> String {
        if self.misses(case) {
            format!("{} (approx.)", case.expected)
        } else {
            case.expected.clone()
        }
    }

    /// The artifact bytes: a small line-based text file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = format!(
            "opsloop-sim-model 1\nversion {}\nnoise_key {}\ndefault_miss {}\n",
            self.version, self.noise_key, self.default_miss_permille
        );
        for (t, p) in &self.miss_permille {
            s.push_str(&format!("miss {} {p}\n", t.name()));
        }
        s.push_str(&format!(
            "bad_ppm {}\np95_ms {}\n",
            self.serving.bad_ppm, self.serving.p95_ms
        ));
        s.into_bytes()
    }

    /// Reads the bytes written by [`SimModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
        let mut lines = text.lines();
        if lines.next() != Some("opsloop-sim-model 1") {
            return Err("missing the `opsloop-sim-model 1` header".to_string());
        }
        let mut m = SimModel::uniform(
            "",
            0,
            0,
            ServingProfile {
                bad_ppm: 0,
                p95_ms: 0,
            },
        );
        let num = |v: Option<&str>, what: &str| -> Result<u64, String> {
            v.and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("bad {what}"))
        };
        let small = |v: u64, what: &str| -> Result<u32, String> {
            u32::try_from(v).map_err(|_| format!("{what} out of range"))
        };
        for line in lines {
            let mut parts = line.split(' ');
            match parts.next() {
                Some("version") => m.version = parts.next().unwrap_or_default().to_string(),
                Some("noise_key") => m.noise_key = num(parts.next(), "noise_key")?,
                Some("default_miss") => {
                    m.default_miss_permille =
                        small(num(parts.next(), "default_miss")?, "default_miss")?
                }
                Some("miss") => {
                    let topic = parts.next().and_then(Topic::from_name).ok_or("bad topic")?;
                    m.miss_permille
                        .insert(topic, small(num(parts.next(), "miss")?, "miss")?);
                }
                Some("bad_ppm") => {
                    m.serving.bad_ppm = small(num(parts.next(), "bad_ppm")?, "bad_ppm")?
                }
                Some("p95_ms") => m.serving.p95_ms = small(num(parts.next(), "p95_ms")?, "p95_ms")?,
                _ => return Err(format!("unexpected line `{line}`")),
            }
        }
        if m.version.is_empty() {
            return Err("no version line".to_string());
        }
        Ok(m)
    }
}

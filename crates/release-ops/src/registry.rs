//! The release registry: what was built, from what, and how good it was.
//!
//! A **manifest** ties the chain together: a git commit → the image built
//! from it (by digest) → the model inside it (by digest), with the prompt
//! version and the eval score the build got when it was made. Manifests are
//! never edited and old releases are never deleted, so "roll back" is simply
//! "deploy an older tag": the registry still holds exactly the bytes that
//! were tested.

use std::collections::BTreeMap;

use crate::artifact::{ArtifactStore, Digest};
use crate::error::{ReleaseError, Result};
use crate::eval::{EvalSet, Score};
use crate::model::SimModel;

/// The seed of the eval set the course's builds were scored on.
pub const BUILD_EVAL_SEED: u64 = 2026;
/// The size of that eval set.
pub const BUILD_EVAL_SIZE: usize = 500;

/// What one release is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Manifest {
    /// The tag, e.g. `v2`.
    pub version: String,
    /// The CI build that produced it.
    pub build_id: String,
    /// The git commit (40 hex characters) it was built from.
    pub commit: String,
    /// The prompt templates' version shipped with it.
    pub prompt_version: String,
    /// The container image.
    pub image: Digest,
    /// The model file inside the image.
    pub model: Digest,
    /// The eval score at build time (on the build's eval set).
    pub build_score: Score,
}

/// What a team hands to [`Registry::publish`].
#[derive(Debug, Clone)]
pub struct ReleaseSpec {
    pub version: String,
    pub build_id: String,
    pub commit: String,
    pub prompt_version: String,
    pub model: SimModel,
}

impl ReleaseSpec {
    /// A spec for `model` with a commit and build id derived from its version.
    pub fn for_model(model: SimModel, build_number: u32, prompt_version: &str) -> Self {
        let commit = labkit::digest::sha256_hex(format!("commit of {}", model.version).as_bytes());
        Self {
            version: model.version.clone(),
            build_id: format!("build-{build_number}"),
            commit: commit.get(..40).unwrap_or(&commit).to_string(),
            prompt_version: prompt_version.to_string(),
            model,
        }
    }
}

/// Manifests by version, over a content-addressed artifact store.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    store: ArtifactStore,
    manifests: BTreeMap<String, Manifest>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The course's registry: v1, v2 and v3, each scored at build time on
    /// the build eval set (seed [`BUILD_EVAL_SEED`], [`BUILD_EVAL_SIZE`] cases).
    pub fn course() -> Self {
        let mut r = Self::new();
        let build_eval = EvalSet::generate(BUILD_EVAL_SEED, BUILD_EVAL_SIZE);
        let specs = [
            ReleaseSpec::for_model(SimModel::v1(), 101, "p7"),
            ReleaseSpec::for_model(SimModel::v2(), 102, "p8"),
            ReleaseSpec::for_model(SimModel::v3(), 103, "p8"),
        ];
        for spec in specs {
            // The three course versions are distinct and the build set is not empty.
            let _ = r.publish(spec, &build_eval);
        }
        r
    }

    /// Builds and stores a release: stores the model file and an image that
    /// names it, scores the model on `build_eval`, records the manifest.
    /// A version that exists is refused (tags are immutable here), and so is
    /// an empty build eval set (a build-time score of nothing).
    pub fn publish(&mut self, spec: ReleaseSpec, build_eval: &EvalSet) -> Result<&Manifest> {
        if self.manifests.contains_key(&spec.version) {
            return Err(ReleaseError::VersionExists {
                version: spec.version,
            });
        }
        if build_eval.is_empty() {
            return Err(ReleaseError::EmptyEvalSet);
        }
        let build_score = build_eval.run(&spec.model)?.score;
        let model = self.store.put(&spec.model.to_bytes());
        let image_bytes = format!(
            "opsloop-image 1\nbuild {}\ncommit {}\nprompt {}\nmodel {}\n",
            spec.build_id, spec.commit, spec.prompt_version, model
        );
        let image = self.store.put(image_bytes.as_bytes());
        let manifest = Manifest {
            version: spec.version.clone(),
            build_id: spec.build_id,
            commit: spec.commit,
            prompt_version: spec.prompt_version,
            image,
            model,
            build_score,
        };
        Ok(self.manifests.entry(spec.version).or_insert(manifest))
    }

    /// The manifest of `version`.
    pub fn manifest(&self, version: &str) -> Result<&Manifest> {
        self.manifests
            .get(version)
            .ok_or_else(|| ReleaseError::UnknownVersion {
                version: version.to_string(),
            })
    }

    /// Every published version, in order.
    pub fn versions(&self) -> Vec<&str> {
        self.manifests.keys().map(String::as_str).collect()
    }

    /// Loads the model of `version` from the store, checking its digest on
    /// the way: a tampered model file is refused, never run.
    pub fn load_model(&self, version: &str) -> Result<SimModel> {
        let manifest = self.manifest(version)?;
        let bytes = self.store.get(&manifest.model)?;
        SimModel::from_bytes(bytes).map_err(|reason| ReleaseError::MalformedModel {
            digest: manifest.model.to_string(),
            reason,
        })
    }

    /// The artifact store (read-only).
    pub fn store(&self) -> &ArtifactStore {
        &self.store
    }

    /// The artifact store, for uploads with a claimed digest and for drills.
    pub fn store_mut(&mut self) -> &mut ArtifactStore {
        &mut self.store
    }
}

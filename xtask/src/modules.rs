//! The course's modules, as the tool knows them: which packages hold each
//! module's checks, where the learner's files and the reference files live,
//! and where the lab guide is.

/// One lab module of Part E.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    /// The name learners type: `m33`.
    pub name: &'static str,
    /// What the module is about.
    pub title: &'static str,
    /// The packages and check binaries, in lab-guide order.
    pub units: &'static [Unit],
    /// Extra cargo features for this module's lab builds (`lab`, `check`,
    /// `verify`), in either variant: `<package>/external-steps` where the
    /// crate has a port, so that an edit recompiles only the check binary
    /// (see `crates/labkit/src/steps.rs`).
    pub lab_features: &'static [&'static str],
    /// For a module that runs on the others (the capstone): the feature
    /// that runs it on the reference M31–M33. Such a module is built in a
    /// cargo call of its own, since its features would switch the others to
    /// the reference too.
    pub reference_parts_feature: Option<&'static str>,
    /// The run of show's lab slot of each part, in minutes (`A`, `B`):
    /// `cargo xtask verify` fails when a part's core budgets add up to more.
    pub slots: &'static [Slot],
}

/// One part's lab slot in the run of show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub part: &'static str,
    pub minutes: u32,
}

/// Part A and Part B, twenty minutes each: the shape of M31–M33's hour.
const TWENTY_AND_TWENTY: &[Slot] = &[
    Slot {
        part: "A",
        minutes: 20,
    },
    Slot {
        part: "B",
        minutes: 20,
    },
];

/// A package and the binary that runs its checks.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    pub package: &'static str,
    pub bin: &'static str,
    /// Where this package's learner files and crate-root shim live.
    pub starters: &'static str,
}

impl Module {
    /// `starters/<name>`: the files the learner edits.
    pub fn starters_dir(&self) -> String {
        format!("starters/{}", self.name)
    }
    /// `solutions/<name>`: the reference files.
    pub fn solutions_dir(&self) -> String {
        format!("solutions/{}", self.name)
    }
    /// `labs/<name>/README.md`: the lab guide.
    pub fn guide(&self) -> String {
        format!("labs/{}/README.md", self.name)
    }
}

/// Every module, in course order.
pub const MODULES: &[Module] = &[
    Module {
        name: "m31",
        title: "Incident response",
        units: &[Unit {
            package: "incident",
            bin: "checks-m31",
            starters: "starters/m31",
        }],
        lab_features: &["incident/external-steps"],
        reference_parts_feature: None,
        slots: TWENTY_AND_TWENTY,
    },
    Module {
        name: "m32",
        title: "Support desk and AIOps",
        units: &[Unit {
            package: "desk",
            bin: "checks-m32",
            starters: "starters/m32",
        }],
        lab_features: &["desk/external-steps"],
        reference_parts_feature: None,
        slots: TWENTY_AND_TWENTY,
    },
    Module {
        name: "m33",
        title: "Data and release operations",
        units: &[
            Unit {
                package: "index-ops",
                bin: "checks-m33-index",
                starters: "starters/m33/index",
            },
            Unit {
                package: "release-ops",
                bin: "checks-m33-release",
                starters: "starters/m33/release",
            },
        ],
        lab_features: &["index-ops/external-steps", "release-ops/external-steps"],
        reference_parts_feature: None,
        slots: TWENTY_AND_TWENTY,
    },
    Module {
        name: "m34",
        title: "Capstone: the on-call shift",
        units: &[Unit {
            package: "capstone",
            bin: "checks-m34",
            starters: "starters/m34",
        }],
        lab_features: &["capstone/external-steps"],
        reference_parts_feature: Some("capstone/reference-parts"),
        // About 70 minutes: Part A 20, Part B 23 (COURSE.md's run of show).
        slots: &[
            Slot {
                part: "A",
                minutes: 20,
            },
            Slot {
                part: "B",
                minutes: 23,
            },
        ],
    },
];

/// The module called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.name == name)
}

/// The valid module names, for error messages.
pub fn names() -> String {
    MODULES
        .iter()
        .map(|m| m.name)
        .collect::<Vec<_>>()
        .join(", ")
}

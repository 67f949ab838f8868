//! The FTR requirements of the readiness report, as data: `policies/requirements/ftr.toml`
//! (embedded at build time).

use crate::rules::meta::Profile;
use serde::Deserialize;
use std::sync::OnceLock;

const TEXT: &str = include_str!("../../policies/requirements/ftr.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable public ID (`REQ-06.4`, `REQ-DCX-1.16`).
    pub id: String,
    /// The FTR lens question (or checklist) it belongs to.
    pub section: String,
    /// The requirement as the FTR documents word it.
    pub text: String,
    pub profiles: Vec<Profile>,
    /// How rule metadata cites the requirement (`[ftr].references` prefixes).
    pub sources: Vec<String>,
    /// Rules that give evidence for it; empty: only attestable manually.
    pub rules: Vec<String>,
    /// The part of the requirement code cannot show, for rule-backed requirements.
    #[serde(default)]
    pub attest: Option<String>,
    /// Resource types whose presence is partial evidence of a manual requirement.
    #[serde(default)]
    pub present: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    requirement: Vec<Requirement>,
}

/// Every requirement, in worksheet order. The file is part of the build (a test parses it),
/// so a parse error here is a build defect: no requirement rather than a panic.
pub fn all() -> &'static [Requirement] {
    static ALL: OnceLock<Vec<Requirement>> = OnceLock::new();
    ALL.get_or_init(|| {
        toml::from_str::<File>(TEXT)
            .map(|f| f.requirement)
            .unwrap_or_default()
    })
}

/// The requirements that apply to `profile`, in worksheet order.
pub fn for_profile(profile: Profile) -> Vec<&'static Requirement> {
    all()
        .iter()
        .filter(|r| r.profiles.contains(&profile))
        .collect()
}

/// Parses the embedded file, with the error (for the test that guards it).
pub fn parse_error() -> Option<String> {
    toml::from_str::<File>(TEXT).err().map(|e| e.to_string())
}

//! Rule metadata (title, severity, profiles, FTR requirement, remediation) lives as data in
//! `policies/<RULE-ID>.toml`, embedded at build time.

use serde::Deserialize;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

pub use crate::severity::Severity;

/// Deployment model a scan runs for (FTR applicability columns).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Multi-tenant or single-tenant SaaS, managed service (the superset; default).
    PartnerHosted,
    /// Software the customer deploys in their own account.
    CustomerDeployed,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::PartnerHosted => "partner-hosted",
            Profile::CustomerDeployed => "customer-deployed",
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ftr {
    pub requirement: String,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub fix: String,
    pub terraform: String,
    pub cloudformation: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub profiles: Vec<Profile>,
    pub graph: bool,
    pub resources: Vec<String>,
    pub ftr: Ftr,
    pub docs: Docs,
}

struct Loaded {
    rules: Vec<RuleMeta>,
    errors: Vec<String>,
}

fn loaded() -> &'static Loaded {
    static CELL: OnceLock<Loaded> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in POLICY_FILES {
            match toml::from_str::<RuleMeta>(text) {
                Ok(m) => rules.push(m),
                Err(e) => errors.push(format!("policies/{name}: {e}")),
            }
        }
        Loaded { rules, errors }
    })
}

/// Every rule's metadata, in ID order.
pub fn all() -> &'static [RuleMeta] {
    &loaded().rules
}

/// Problems in the embedded metadata (tested to be empty).
pub fn load_errors() -> &'static [String] {
    &loaded().errors
}

pub fn get(id: &str) -> Option<&'static RuleMeta> {
    all().iter().find(|m| m.id == id)
}

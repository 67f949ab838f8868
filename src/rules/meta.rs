//! Rule metadata (title, severity, profiles, FTR requirement, remediation) lives as data in
//! `policies/<RULE-ID>.toml`, embedded at build time.

use crate::resource::Format;
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
    /// How to fix a finding in Terraform (empty when the rule has no Terraform resource).
    pub fix_terraform: String,
    /// How to fix a finding in CloudFormation (empty when the rule has no CloudFormation
    /// resource).
    pub fix_cloudformation: String,
    /// A compliant Terraform example (empty when the rule has no Terraform resource).
    pub terraform: String,
    /// A compliant CloudFormation example (empty when the rule has no CloudFormation
    /// resource).
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

impl RuleMeta {
    /// How to fix a finding in a file of `format`, worded for that format.
    pub fn remediation(&self, format: Format) -> &str {
        match format {
            Format::Terraform => self.docs.fix_terraform.trim(),
            Format::CloudFormation => self.docs.fix_cloudformation.trim(),
        }
    }

    /// The formats the rule covers, from its `resources`: `AWS::…` types are CloudFormation,
    /// the others Terraform.
    pub fn formats(&self) -> Vec<Format> {
        let mut out = Vec::new();
        if self.resources.iter().any(|r| !r.starts_with("AWS::")) {
            out.push(Format::Terraform);
        }
        if self.resources.iter().any(|r| r.starts_with("AWS::")) {
            out.push(Format::CloudFormation);
        }
        out
    }
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
        for (name, text, json) in POLICY_FILES {
            let parsed = match json {
                Some(json) => serde_json::from_str::<RuleMeta>(json).map_err(|e| e.to_string()),
                None => toml::from_str::<RuleMeta>(text).map_err(|e| e.to_string()),
            };
            match parsed {
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

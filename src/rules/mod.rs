//! The FTR rules: one file per rule, grouped by catalog section, and the registry.
//!
//! A rule reads the typed model (never a parser) and reports an [`Outcome`] for every resource
//! it examines: pass, fail (a finding at the most precise span) or unknown. Metadata (title,
//! severity, profiles, FTR requirement, remediation) lives in `policies/<ID>.toml`.

pub mod meta;
pub mod select;

mod cloudtrail;
mod cross_account;
mod encryption;
mod iam;
mod s3;

use crate::graph::ResIdx;
use crate::model::{Attr, Model};
use crate::source::Span;

/// A rule of the catalog.
pub trait Rule: Send + Sync {
    /// The public, stable ID (`FTR-CT-002`); its metadata is `policies/<ID>.toml`.
    fn id(&self) -> &'static str;
    fn check(&self, model: &Model<'_>, out: &mut Outcomes);
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Pass,
    Fail {
        span: Span,
        message: String,
    },
    /// Could not be decided statically (never a finding).
    Unknown {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub rule: &'static str,
    pub resource: ResIdx,
    pub status: Status,
}

/// Collects the outcomes of one rule.
#[derive(Debug)]
pub struct Outcomes {
    rule: &'static str,
    pub items: Vec<Outcome>,
}

impl Outcomes {
    pub fn new(rule: &'static str) -> Self {
        Outcomes {
            rule,
            items: Vec::new(),
        }
    }
    pub fn pass(&mut self, resource: ResIdx) {
        self.push(resource, Status::Pass);
    }
    pub fn fail(&mut self, resource: ResIdx, span: Span, message: impl Into<String>) {
        self.push(
            resource,
            Status::Fail {
                span,
                message: message.into(),
            },
        );
    }
    pub fn unknown(&mut self, resource: ResIdx, reason: impl Into<String>) {
        self.push(
            resource,
            Status::Unknown {
                reason: reason.into(),
            },
        );
    }
    fn push(&mut self, resource: ResIdx, status: Status) {
        self.items.push(Outcome {
            rule: self.rule,
            resource,
            status,
        });
    }

    /// Judges an attribute with `verdict`, branch by branch for an [`Attr::Branches`]
    /// (an undecided CloudFormation `Fn::If`): a finding only when every branch fails (at the
    /// attribute, saying so), a pass when every branch passes, else unknown.
    pub fn judge<T>(&mut self, res: ResIdx, attr: &Attr<T>, verdict: impl Fn(&Attr<T>) -> Verdict) {
        let v = match attr {
            Attr::Branches { span, branches } => {
                let vs: Vec<(&str, Verdict)> = branches
                    .iter()
                    .map(|b| (b.when.as_str(), verdict(&b.attr)))
                    .collect();
                if vs.iter().all(|(_, v)| matches!(v, Verdict::Pass)) {
                    Verdict::Pass
                } else if let Some(message) = every_branch_fails(&vs) {
                    Verdict::Fail {
                        span: *span,
                        message,
                    }
                } else {
                    let failing: Vec<&str> = vs
                        .iter()
                        .filter(|(_, v)| matches!(v, Verdict::Fail { .. }))
                        .map(|(w, _)| *w)
                        .collect();
                    Verdict::Unknown(if failing.is_empty() {
                        "depends on a condition only known at deploy time".to_string()
                    } else {
                        format!(
                            "fails only in some branches ({}), decided at deploy time",
                            failing.join("; ")
                        )
                    })
                }
            }
            other => verdict(other),
        };
        match v {
            Verdict::Pass => self.pass(res),
            Verdict::Fail { span, message } => self.fail(res, span, message),
            Verdict::Unknown(reason) => self.unknown(res, reason),
        }
    }

    /// The common "this boolean must be true" check. `absent_is_false`: the provider default
    /// is false, so a missing attribute fails.
    pub fn require_true(
        &mut self,
        res: ResIdx,
        attr: &Attr<bool>,
        absent_is_false: bool,
        on_false: &str,
        on_absent: &str,
    ) {
        self.judge(res, attr, |a| match a {
            Attr::Known { value: true, .. } => Verdict::Pass,
            Attr::Known {
                value: false, span, ..
            } => Verdict::fail(*span, on_false),
            Attr::Absent { span } if absent_is_false => Verdict::fail(*span, on_absent),
            Attr::Absent { .. } => Verdict::Pass,
            Attr::Unknown { .. } | Attr::Branches { .. } => {
                Verdict::Unknown("the value cannot be resolved statically".into())
            }
        });
    }
}

/// The verdict of a rule on one attribute (or one branch of it), for [`Outcomes::judge`].
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Pass,
    Fail { span: Span, message: String },
    Unknown(String),
}

impl Verdict {
    pub fn fail(span: Span, message: impl Into<String>) -> Self {
        Verdict::Fail {
            span,
            message: message.into(),
        }
    }
}

/// The spelling of a setting in the resource's own format, for messages.
pub fn spelled<'a>(
    model: &Model<'_>,
    res: ResIdx,
    terraform: &'a str,
    cloudformation: &'a str,
) -> &'a str {
    match model.resource(res).format {
        crate::resource::Format::Terraform => terraform,
        crate::resource::Format::CloudFormation => cloudformation,
    }
}

/// "… in every branch (when `C` is true: …; when `C` is false: …)" when all branches fail.
fn every_branch_fails(vs: &[(&str, Verdict)]) -> Option<String> {
    let mut first = None;
    let mut parts = Vec::new();
    for (when, v) in vs {
        let Verdict::Fail { message, .. } = v else {
            return None;
        };
        first.get_or_insert(message.as_str());
        parts.push((*when).to_string());
    }
    const SHOWN: usize = 4;
    if parts.len() > SHOWN {
        let more = parts.len() - SHOWN;
        parts.truncate(SHOWN);
        parts.push(format!("and {more} more"));
    }
    Some(format!(
        "{} in every branch of `Fn::If` ({})",
        first?,
        parts.join("; ")
    ))
}

/// Every rule, in ID order. Adding a rule: its file, one line here, `policies/<ID>.toml`, and
/// `fixtures/<ID>/`.
pub fn registry() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(cloudtrail::ct_001_multi_region::MultiRegion),
        Box::new(cloudtrail::ct_002_log_file_validation::LogFileValidation),
        Box::new(cloudtrail::ct_003_logging_enabled::LoggingEnabled),
        Box::new(cloudtrail::ct_004_log_bucket_protection::LogBucketProtection),
        Box::new(cloudtrail::ct_005_log_bucket_separate_account::LogBucketSeparateAccount),
        Box::new(cloudtrail::ct_006_kms_encryption::KmsEncryption),
        Box::new(encryption::enc_001_rds_storage::RdsStorageEncrypted),
        Box::new(encryption::enc_002_ebs::EbsEncrypted),
        Box::new(encryption::enc_003_efs::EfsEncrypted),
        Box::new(iam::iam_001_full_admin_statement::FullAdminStatement),
        Box::new(iam::iam_002_administrator_access::AdministratorAccessAttached),
        Box::new(s3::s3_004_default_encryption::DefaultEncryption),
        Box::new(cross_account::xa_001_external_id_required::ExternalIdRequired),
        Box::new(cross_account::xa_002_external_id_literal::ExternalIdLiteral),
        Box::new(cross_account::xa_003_external_id_weak::ExternalIdWeak),
        Box::new(cross_account::xa_004_external_id_unconstrained::ExternalIdUnconstrained),
        Box::new(cross_account::xa_005_wildcard_principal::WildcardPrincipal),
        Box::new(cross_account::xa_006_admin_cross_account_role::AdminCrossAccountRole),
    ]
}

//! The FTR rules: one file per rule, grouped by catalog section, and the registry.
//!
//! A rule reads the typed model (never a parser) and reports an [`Outcome`] for every resource
//! it examines: pass, fail (a finding at the most precise span) or unknown. Metadata (title,
//! severity, profiles, FTR requirement, remediation) lives in `policies/<ID>.toml`.

pub mod meta;

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
        match attr {
            Attr::Known { value: true, .. } => self.pass(res),
            Attr::Known {
                value: false, span, ..
            } => self.fail(res, *span, on_false),
            Attr::Absent { span } if absent_is_false => self.fail(res, *span, on_absent),
            Attr::Absent { .. } => self.pass(res),
            Attr::Unknown { .. } => self.unknown(res, "the value cannot be resolved statically"),
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

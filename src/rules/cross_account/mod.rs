//! Catalog section 3: cross-account access, the confused-deputy rules (FTR lens §11).
//!
//! Shared analysis: which trust statements let another account (or anyone) assume a role.
pub mod xa_001_external_id_required;
pub mod xa_002_external_id_literal;
pub mod xa_003_external_id_weak;
pub mod xa_004_external_id_unconstrained;
pub mod xa_005_wildcard_principal;
pub mod xa_006_admin_cross_account_role;

use crate::graph::ResIdx;
use crate::iam::principal::{classify_aws_principal, AccountKind};
use crate::iam::{Condition, Principals, Statement};
use crate::model::Model;
use crate::source::Span;

/// A trust statement that allows `sts:AssumeRole`.
pub(crate) struct Trust<'m> {
    pub role: ResIdx,
    pub statement: &'m Statement,
    /// AWS principals naming another account: (span of the principal key, description).
    pub external: Vec<(Span, String)>,
    /// `Principal: "*"` or `AWS: "*"`.
    pub wildcard: Option<Span>,
}

impl Trust<'_> {
    pub fn is_cross_account(&self) -> bool {
        !self.external.is_empty() || self.wildcard.is_some()
    }
}

pub(crate) fn trusts<'m>(model: &'m Model<'_>) -> Vec<Trust<'m>> {
    let mut out = Vec::new();
    for role in &model.iam.roles {
        let Some(doc) = &role.trust else {
            continue;
        };
        for s in &doc.statements {
            if !s.allows_action("sts:AssumeRole") {
                continue;
            }
            let mut t = Trust {
                role: role.res,
                statement: s,
                external: Vec::new(),
                wildcard: None,
            };
            match &s.principal {
                Some(Principals::Wildcard(span)) => t.wildcard = Some(*span),
                Some(Principals::Entries(entries)) => {
                    for e in entries.iter().filter(|e| e.kind == "AWS") {
                        for v in &e.values {
                            match classify_aws_principal(v) {
                                AccountKind::Wildcard => t.wildcard = Some(e.span),
                                AccountKind::External(why) => {
                                    if !t.external.iter().any(|(sp, _)| *sp == e.span) {
                                        t.external.push((e.span, why));
                                    }
                                }
                                AccountKind::SameAccount | AccountKind::Unknown => {}
                            }
                        }
                    }
                }
                _ => {}
            }
            out.push(t);
        }
    }
    out
}

pub(crate) fn is_string_equals(op: &str) -> bool {
    let op = op
        .strip_prefix("ForAnyValue:")
        .or_else(|| op.strip_prefix("ForAllValues:"))
        .unwrap_or(op);
    op.eq_ignore_ascii_case("StringEquals") || op.eq_ignore_ascii_case("StringEqualsIgnoreCase")
}

pub(crate) fn is_string_like(op: &str) -> bool {
    let op = op
        .strip_prefix("ForAnyValue:")
        .or_else(|| op.strip_prefix("ForAllValues:"))
        .unwrap_or(op);
    op.eq_ignore_ascii_case("StringLike")
}

/// The `sts:ExternalId` conditions of a statement, compared with `StringEquals` or `StringLike`.
pub(crate) fn external_id_conditions(s: &Statement) -> Vec<&Condition> {
    s.conditions
        .find("sts:ExternalId", |op| {
            is_string_equals(op) || is_string_like(op)
        })
        .collect()
}

/// Minimum length of an external ID literal (FTR-XA-003).
pub(crate) const MIN_EXTERNAL_ID_LEN: usize = 8;

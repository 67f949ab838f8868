//! IAM principals, identity policies and managed-policy attachments.

use crate::graph::ResIdx;
use crate::iam::PolicyDocument;
use crate::source::Span;
use crate::value::Value;

#[derive(Debug, Default)]
pub struct Iam {
    pub roles: Vec<Role>,
    /// Identity-based policy documents (inline and managed).
    pub policies: Vec<PolicyUse>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub res: ResIdx,
    /// The trust policy, when it could be read.
    pub trust: Option<PolicyDocument>,
}

/// An identity-based policy document and who it applies to.
#[derive(Debug, Clone)]
pub struct PolicyUse {
    /// The resource that holds the policy (policy resource, or the role/user/group for inline
    /// policies).
    pub res: ResIdx,
    pub doc: PolicyDocument,
    /// Roles / users / groups it is attached to, where the code says so.
    pub principals: Vec<ResIdx>,
}

/// A managed policy attached to a role, user or group.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The attachment resource, or the role/user/group with `managed_policy_arns`.
    pub res: ResIdx,
    /// The policy ARN as written (may be unknown).
    pub arn: Value,
    /// Where to report: the `policy_arn` attribute or the list item.
    pub span: Span,
    pub principals: Vec<ResIdx>,
    /// The customer-managed policy resource of the scan it points at, if any.
    pub policy: Option<ResIdx>,
    /// The ARN is certainly `AdministratorAccess` (known, or partly known with that suffix).
    pub is_administrator_access: bool,
}

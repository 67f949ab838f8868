//! The IAM policy document model, shared by every rule that reads policies.
//!
//! Documents come in every form (TF `jsonencode`, heredoc or literal JSON, `file()`,
//! `data "aws_iam_policy_document"`, CloudFormation objects or JSON strings); [`document`] turns
//! each into the same [`PolicyDocument`]: statements with Effect / Action / NotAction /
//! Resource / NotResource / Principal / NotPrincipal / Condition, each element a list of
//! values (string-or-list normalised) with spans.

pub mod document;
pub mod matching;
pub mod principal;
pub mod public;

use crate::source::Span;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Unknown,
}

/// One element of a statement (`Action`, `Resource`, ...): its key's span and its values.
#[derive(Debug, Clone)]
pub struct Element {
    /// Span of the key (`"Action"`, `actions`): findings about the element point here.
    pub span: Span,
    /// The values, a single string normalised to a one-item list. Items may be unknown.
    pub values: Vec<Value>,
    /// The element itself is unknown (e.g. `actions = var.actions`).
    pub unknown: bool,
}

impl Element {
    /// Known string items.
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.values.iter().filter_map(Value::as_str)
    }
    /// True when some item (or the element) is unknown.
    pub fn has_unknown(&self) -> bool {
        self.unknown || self.values.iter().any(Value::is_unknown)
    }
    /// Whether some item is, or may be once resolved, one of `texts` (see
    /// [`matching::may_be`]).
    pub fn may_be(&self, texts: &[&str]) -> bool {
        self.values.iter().any(|v| matching::may_be(v, texts))
    }
}

/// One principal type of a statement (`AWS`, `Service`, `Federated`, `CanonicalUser`).
#[derive(Debug, Clone)]
pub struct PrincipalEntry {
    pub kind: String,
    /// Span of the `AWS` key (or `identifiers` of a policy document `principals` block).
    pub span: Span,
    pub values: Vec<Value>,
    pub unknown: bool,
}

#[derive(Debug, Clone)]
pub enum Principals {
    /// `Principal: "*"`.
    Wildcard(Span),
    Entries(Vec<PrincipalEntry>),
    /// Could not be resolved.
    Unknown(Span),
}

/// One condition: operator (`StringEquals`), key (`sts:ExternalId`), values.
#[derive(Debug, Clone)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    /// Span of the condition key (`"sts:ExternalId"`, or `variable = ...` in a policy document).
    pub key_span: Span,
    pub values: Vec<Value>,
    pub unknown: bool,
}

#[derive(Debug, Clone)]
pub enum Conditions {
    /// No `Condition` at all.
    None,
    Known(Vec<Condition>),
    /// Present but not resolvable.
    Unknown,
}

impl Conditions {
    pub fn known(&self) -> &[Condition] {
        match self {
            Conditions::Known(c) => c,
            _ => &[],
        }
    }
    /// Conditions on `key` (case-insensitive) with an operator accepted by `op`.
    pub fn find<'a>(
        &'a self,
        key: &'a str,
        op: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Condition> + 'a {
        self.known()
            .iter()
            .filter(move |c| c.key.eq_ignore_ascii_case(key) && op(&c.operator))
    }
}

#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement (object or `statement` block).
    pub span: Span,
    pub effect: Effect,
    pub action: Option<Element>,
    pub not_action: Option<Element>,
    pub resource: Option<Element>,
    pub not_resource: Option<Element>,
    pub principal: Option<Principals>,
    pub not_principal: Option<Principals>,
    pub conditions: Conditions,
}

#[derive(Debug, Clone)]
pub struct PolicyDocument {
    pub span: Span,
    pub statements: Vec<Statement>,
    /// False when parts of the document could not be resolved (an unknown statement list,
    /// `source_policy_documents`, ...): rules then must not conclude "no such statement".
    pub complete: bool,
}

impl Statement {
    /// `Allow` of action `*` (or `*:*`) on resource `*`: the span of the `Action` key.
    pub fn full_admin_action_span(&self) -> Option<Span> {
        if self.effect != Effect::Allow {
            return None;
        }
        let action = self.action.as_ref()?;
        let resource = self.resource.as_ref()?;
        let any_action = action.strings().any(matching::is_full_wildcard_action);
        let any_resource = resource.strings().any(|r| r.trim() == "*");
        (any_action && any_resource).then_some(action.span)
    }

    /// Could this statement, once its unknown parts are resolved, allow `*` on `*`?
    pub fn may_be_full_admin(&self) -> bool {
        self.effect != Effect::Deny
            && self
                .action
                .as_ref()
                .is_some_and(|a| a.may_be(&["*", "*:*"]))
            && self.resource.as_ref().is_some_and(|r| r.may_be(&["*"]))
    }

    /// Does this statement allow `action` (through `Action`; `NotAction` is not considered)?
    pub fn allows_action(&self, action: &str) -> bool {
        self.effect == Effect::Allow
            && self
                .action
                .as_ref()
                .is_some_and(|a| a.strings().any(|p| matching::action_allows(p, action)))
    }
}

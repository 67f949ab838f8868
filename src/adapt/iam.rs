//! IAM: roles and their trust policies, identity policies in every form, and managed-policy
//! attachments, for both formats.

use super::{blocks, designated, entry_span};
use crate::graph::ResIdx;
use crate::iam::document::{from_policy_document_data, from_value};
use crate::iam::matching::is_administrator_access_arn;
use crate::iam::PolicyDocument;
use crate::model::iam::{Attachment, PolicyUse, Role};
use crate::model::Model;
use crate::resource::{Mode, Resource, ScopeId};
use crate::source::Span;
use crate::value::{Kind, RefKind, Value};

const TF_ROLE: &[&str] = &["aws_iam_role"];
const TF_USER: &[&str] = &["aws_iam_user"];
const TF_GROUP: &[&str] = &["aws_iam_group"];
const CFN_PRINCIPALS: &[&str] = &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];

/// A policy from any form, including a reference to `data.aws_iam_policy_document.x.json`.
pub(crate) fn policy_from(model: &Model<'_>, scope: ScopeId, v: &Value) -> Option<PolicyDocument> {
    if let Some(doc) = from_value(v, model.sources) {
        return Some(doc);
    }
    let u = v.as_unknown()?;
    // A whole-value reference to a policy document data source. Judged on the resolved
    // resource: inside a module the reference target carries the module prefix.
    if let [r] = &u.refs[..] {
        if r.kind == RefKind::Data {
            let target = &model.resources[model.graph.resolve(scope, r)?];
            if target.mode == Mode::Data && target.rtype == "aws_iam_policy_document" {
                return Some(from_policy_document_data(target));
            }
        }
    }
    None
}

fn principals_of(
    model: &Model<'_>,
    r: &Resource,
    key: &str,
    types: &[&str],
    name: &str,
) -> Vec<ResIdx> {
    let Some(v) = r.body.get(key) else {
        return Vec::new();
    };
    v.one_or_many()
        .into_iter()
        .filter_map(|item| designated(model, r.scope, item, types, name).ok().flatten())
        .collect()
}

fn cfn_principals(model: &Model<'_>, r: &Resource) -> Vec<ResIdx> {
    let mut out = Vec::new();
    for (key, name) in [
        ("Roles", "RoleName"),
        ("Users", "UserName"),
        ("Groups", "GroupName"),
    ] {
        out.extend(principals_of(model, r, key, CFN_PRINCIPALS, name));
    }
    out
}

/// Whether an attached ARN is AdministratorAccess, and which policy resource of the scan it is.
fn classify_arn(model: &Model<'_>, scope: ScopeId, arn: &Value) -> (bool, Option<ResIdx>) {
    if let Some(s) = arn.as_str() {
        return (is_administrator_access_arn(s), None);
    }
    let Some(u) = arn.as_unknown() else {
        return (false, None);
    };
    if let Some(p) = u.partial.as_deref() {
        if p.starts_with("arn:") && u.partial_ends_with(":iam::aws:policy/AdministratorAccess") {
            return (true, None);
        }
    }
    for r in &u.refs {
        let Some(idx) = model.graph.resolve(scope, r) else {
            continue;
        };
        let target = &model.resources[idx];
        if target.mode == Mode::Data && target.rtype == "aws_iam_policy" {
            let by_arn = target
                .body
                .get("arn")
                .and_then(Value::as_str)
                .is_some_and(is_administrator_access_arn);
            let by_name =
                target.body.get("name").and_then(Value::as_str) == Some("AdministratorAccess");
            return (by_arn || by_name, None);
        }
        if matches!(
            target.rtype.as_str(),
            "aws_iam_policy" | "AWS::IAM::ManagedPolicy"
        ) {
            return (false, Some(idx));
        }
    }
    (false, None)
}

fn attachment(
    model: &Model<'_>,
    res: ResIdx,
    arn: &Value,
    span: Span,
    principals: Vec<ResIdx>,
) -> Attachment {
    let scope = model.resources[res].scope;
    let (is_admin, policy) = classify_arn(model, scope, arn);
    Attachment {
        res,
        arn: arn.clone(),
        span,
        principals,
        policy,
        is_administrator_access: is_admin,
    }
}

/// `managed_policy_arns` / `ManagedPolicyArns` list items.
fn arn_list(model: &Model<'_>, res: ResIdx, key: &str, out: &mut Vec<Attachment>) {
    let r = &model.resources[res];
    let Some(e) = r.body.entry(key) else {
        return;
    };
    match &e.value.kind {
        Kind::List(items) => {
            for item in items {
                let span = if item.span.file == e.key_span.file && item.span != Span::default() {
                    item.span
                } else {
                    e.key_span
                };
                out.push(attachment(model, res, item, span, vec![res]));
            }
        }
        // Not set (`null`, or `AWS::NoValue` chosen by a condition): nothing attached.
        Kind::Null => {}
        _ => out.push(attachment(model, res, &e.value, entry_span(e), vec![res])),
    }
}

/// Inline policies of a role/user/group (`inline_policy` blocks, `Policies` items): each
/// item's `key` holds a document that applies to the holder itself.
fn inline_policies(
    model: &Model<'_>,
    holder: ResIdx,
    items: &[&Value],
    key: &str,
    out: &mut Vec<PolicyUse>,
) {
    let scope = model.resources[holder].scope;
    for item in items {
        if let Some(doc) = item.get(key).and_then(|v| policy_from(model, scope, v)) {
            out.push(PolicyUse {
                res: holder,
                doc,
                principals: vec![holder],
            });
        }
    }
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let resources = model.resources;
    let mut roles = Vec::new();
    let mut policies = Vec::new();
    let mut attachments = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed {
            continue;
        }
        let b = &r.body;
        match r.rtype.as_str() {
            "aws_iam_role" => {
                roles.push(Role {
                    res: i,
                    trust: b
                        .get("assume_role_policy")
                        .and_then(|v| policy_from(model, r.scope, v)),
                });
                let inline = blocks(b, "inline_policy");
                inline_policies(model, i, &inline, "policy", &mut policies);
                arn_list(model, i, "managed_policy_arns", &mut attachments);
            }
            "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
                let (key, types) = match r.rtype.as_str() {
                    "aws_iam_role_policy" => ("role", TF_ROLE),
                    "aws_iam_user_policy" => ("user", TF_USER),
                    _ => ("group", TF_GROUP),
                };
                if let Some(doc) = b.get("policy").and_then(|v| policy_from(model, r.scope, v)) {
                    let principals = principals_of(model, r, key, types, "name");
                    policies.push(PolicyUse {
                        res: i,
                        doc,
                        principals,
                    });
                }
            }
            "aws_iam_policy" => {
                if let Some(doc) = b.get("policy").and_then(|v| policy_from(model, r.scope, v)) {
                    policies.push(PolicyUse {
                        res: i,
                        doc,
                        principals: Vec::new(),
                    });
                }
            }
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_policy_attachment" => {
                let Some(e) = b.entry("policy_arn") else {
                    continue;
                };
                let principals = match r.rtype.as_str() {
                    "aws_iam_role_policy_attachment" => {
                        principals_of(model, r, "role", TF_ROLE, "name")
                    }
                    "aws_iam_user_policy_attachment" => {
                        principals_of(model, r, "user", TF_USER, "name")
                    }
                    "aws_iam_group_policy_attachment" => {
                        principals_of(model, r, "group", TF_GROUP, "name")
                    }
                    _ => {
                        let mut p = principals_of(model, r, "roles", TF_ROLE, "name");
                        p.extend(principals_of(model, r, "users", TF_USER, "name"));
                        p.extend(principals_of(model, r, "groups", TF_GROUP, "name"));
                        p
                    }
                };
                attachments.push(attachment(model, i, &e.value, entry_span(e), principals));
            }
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                if r.rtype == "AWS::IAM::Role" {
                    roles.push(Role {
                        res: i,
                        trust: b
                            .get("AssumeRolePolicyDocument")
                            .and_then(|v| policy_from(model, r.scope, v)),
                    });
                }
                let inline: Vec<&Value> = b
                    .get("Policies")
                    .and_then(Value::as_list)
                    .map(|l| l.iter().collect())
                    .unwrap_or_default();
                inline_policies(model, i, &inline, "PolicyDocument", &mut policies);
                arn_list(model, i, "ManagedPolicyArns", &mut attachments);
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                if let Some(doc) = b
                    .get("PolicyDocument")
                    .and_then(|v| policy_from(model, r.scope, v))
                {
                    let principals = cfn_principals(model, r);
                    policies.push(PolicyUse {
                        res: i,
                        doc,
                        principals,
                    });
                }
            }
            _ => {}
        }
    }
    // Customer-managed policies apply to whoever they are attached to.
    for a in &attachments {
        if let Some(p) = a.policy {
            for pu in policies.iter_mut().filter(|pu| pu.res == p) {
                for &who in &a.principals {
                    if !pu.principals.contains(&who) {
                        pu.principals.push(who);
                    }
                }
            }
        }
    }
    model.iam.roles = roles;
    model.iam.policies = policies;
    model.iam.attachments = attachments;
}

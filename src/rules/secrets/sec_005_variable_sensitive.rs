//! FTR-SEC-005: secret-looking Terraform variables are `sensitive = true` and have no literal
//! default.
use crate::model::Model;
use crate::resource::Format;
use crate::rules::{Outcomes, Rule, Subject};
use crate::secrets::{is_aws_key, looks_secret, points_elsewhere};
use crate::value::{Kind, Value};
use std::collections::HashSet;

pub struct VariableSensitive;

/// `bool`, `number`, collections of them, and objects (settings that reference secrets, such as
/// ECS `secrets` / `repositoryCredentials` lists of ARNs) are never the secret itself.
fn non_secret_type(decl: &Value) -> bool {
    let Some(t) = decl.get("type").and_then(Value::as_str) else {
        return false;
    };
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains("object(") {
        return true;
    }
    let inner = t
        .trim_start_matches("list(")
        .trim_start_matches("set(")
        .trim_start_matches("map(")
        .trim_end_matches(')');
    matches!(inner, "bool" | "number")
}

impl Rule for VariableSensitive {
    fn id(&self) -> &'static str {
        "FTR-SEC-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let mut seen = HashSet::new();
        for scope in model.scopes.iter().filter(|s| s.format == Format::Terraform) {
            for v in &scope.inputs {
                // Module instances share one declaration: judged once. Cheapest tests first
                // (this rule meets every variable of every module instance).
                if !seen.insert(v.span)
                    || !looks_secret(&v.name)
                    || non_secret_type(&v.decl)
                    || v.decl
                        .get("description")
                        .and_then(Value::as_str)
                        .is_some_and(crate::secrets::described_as_arn)
                {
                    continue;
                }
                let literal_default = v.default.as_ref().filter(|d| match &d.kind {
                    // An AWS key in the default is FTR-SEC-001's (one defect, one finding).
                    Kind::String(s) => {
                        !s.is_empty()
                            && !points_elsewhere(s)
                            && !is_aws_key(s)
                    }
                    _ => false,
                });
                // A flag, a number or a structure by default: a setting, not a secret.
                if v.default.as_ref().is_some_and(|d| match &d.kind {
                    Kind::Bool(_) | Kind::Number(_) | Kind::Map(_) => true,
                    Kind::String(s) => !s.is_empty() && crate::secrets::trivially_not_secret(s),
                    _ => false,
                }) {
                    continue;
                }
                let subject = Subject::Other {
                    address: format!("var.{}", v.name),
                    format: Format::Terraform,
                };
                let sensitive = if v.sensitive {
                    ""
                } else {
                    " and is not `sensitive = true` (plan and apply output print it)"
                };
                match literal_default {
                    Some(d) => out.fail_secret(
                        subject,
                        d.span,
                        format!("the secret-looking variable `{}` has a literal default{sensitive}: the secret is written in the code; remove the default and supply the value at apply time, or read it from Secrets Manager", v.name),
                        vec![d.span],
                    ),
                    None if !v.sensitive => out.fail(
                        subject,
                        v.span,
                        format!("the secret-looking variable `{}` is not `sensitive = true`: plan and apply output print its value", v.name),
                    ),
                    None => out.pass_at(subject, v.span),
                }
            }
        }
    }
}

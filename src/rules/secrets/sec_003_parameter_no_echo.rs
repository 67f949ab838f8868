//! FTR-SEC-003: secret-looking CloudFormation parameters have `NoEcho: true` and no `Default`.
use crate::model::Model;
use crate::resource::Format;
use crate::rules::{Outcomes, Rule, Subject};
use crate::secrets::{is_aws_key, looks_secret, trivially_not_secret};
use crate::value::Value;
use std::collections::HashSet;

pub struct ParameterNoEcho;

impl Rule for ParameterNoEcho {
    fn id(&self) -> &'static str {
        "FTR-SEC-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let mut seen = HashSet::new();
        for scope in model.scopes.iter().filter(|s| s.format == Format::CloudFormation) {
            for p in &scope.inputs {
                // A template instantiated twice (nested stacks) declares its parameters once.
                if !seen.insert(p.span) || !looks_secret(&p.name) {
                    continue;
                }
                let ty = p.decl.get("Type").and_then(Value::as_str).unwrap_or("String");
                // `AWS::SSM::Parameter::Value<…>`, `AWS::EC2::KeyPair::KeyName`: names, not
                // secrets; numbers are not secrets.
                // A fixed list of values, or a flag / number default: a setting, not a secret.
                // An ARN pattern: the parameter names a secret kept in Secrets Manager.
                let pointer = p
                    .decl
                    .get("AllowedPattern")
                    .and_then(Value::as_str)
                    .is_some_and(|pat| pat.contains("arn:"))
                    || p.decl
                        .get("Description")
                        .and_then(Value::as_str)
                        .is_some_and(crate::secrets::described_as_arn);
                let setting = pointer
                    || p.decl.get("AllowedValues").is_some()
                    || p.default.as_ref().is_some_and(|d| {
                        matches!(d.kind, crate::value::Kind::Bool(_))
                            || d.as_str().is_some_and(|s| !s.is_empty() && trivially_not_secret(s))
                    });
                if ty.starts_with("AWS::") || ty.contains("Number") || setting {
                    continue;
                }
                let subject = Subject::Other {
                    address: p.name.clone(),
                    format: Format::CloudFormation,
                };
                let default = p.default.as_ref().filter(|d| {
                    d.as_str().is_some_and(|s| {
                        !s.is_empty() && !is_aws_key(s)
                    })
                });
                let echo = if p.sensitive {
                    ""
                } else {
                    " and no `NoEcho: true` (its value shows in the console, the CLI and API responses)"
                };
                match default {
                    Some(d) => out.fail_secret(
                        subject,
                        d.span,
                        format!("the secret-looking parameter `{}` has a `Default`{echo}: the default is a secret written in the template; remove it and pass the value at deploy time, or use `{{{{resolve:secretsmanager:…}}}}`", p.name),
                        vec![d.span],
                    ),
                    None if !p.sensitive => out.fail(
                        subject,
                        p.span,
                        format!("the secret-looking parameter `{}` has no `NoEcho: true`: its value shows in the console, the CLI and API responses", p.name),
                    ),
                    None => out.pass_at(subject, p.span),
                }
            }
        }
    }
}

//! FTR-SEC-004: no secret-looking literals in Lambda / ECS environment variables or EC2 user
//! data.
use super::{at_path, literal, Literal};
use crate::graph::ResIdx;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::secrets::{decode_base64, is_aws_key, looks_secret, script_assignments};
use crate::source::Span;
use crate::value::{Kind, Value};

pub struct EnvironmentSecrets;

/// What one resource holds: a finding per secret, or unknown parts.
#[derive(Default)]
struct Verdict {
    failed: bool,
    unknown: bool,
}

/// `{NAME = value}` maps (Lambda `variables`) and `[{name, value}]` lists (ECS `environment`).
fn env_pairs<'v>(v: &'v Value, name_key: &str, value_key: &str) -> Vec<(&'v str, Span, &'v Value)> {
    match &v.kind {
        Kind::Map(entries) => entries
            .iter()
            .map(|e| (e.key.as_str(), e.key_span, &e.value))
            .collect(),
        Kind::List(items) => items
            .iter()
            .filter_map(|i| {
                let n = i.entry(name_key)?;
                let name = n.value.as_str()?;
                Some((name, n.value.span, i.get(value_key)?))
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn check_env(
    model: &Model<'_>,
    out: &mut Outcomes,
    res: ResIdx,
    env: &Value,
    keys: (&str, &str),
    what: &str,
    v: &mut Verdict,
) {
    if env.contains_unknown() && env.as_map().is_none() && env.as_list().is_none() {
        v.unknown = true;
        return;
    }
    for (name, name_span, value) in env_pairs(env, keys.0, keys.1) {
        if !looks_secret(name) {
            continue;
        }
        if value.as_str().is_some_and(crate::secrets::trivially_not_secret) {
            continue;
        }
        match literal(value) {
            Literal::Secret(spans) => {
                v.failed = true;
                out.fail_secret(
                    res,
                    name_span,
                    format!(
                        "the {what} `{name}` holds a literal secret: {}",
                        spelled(
                            model,
                            res,
                            "read it at run time from Secrets Manager or SSM Parameter Store (SecureString)",
                            "read it at run time from Secrets Manager or SSM Parameter Store (SecureString)"
                        )
                    ),
                    spans,
                );
            }
            Literal::Unknown => v.unknown = true,
            Literal::No => {}
        }
    }
}

/// Where in the source `needle` is written, inside `within`.
fn locate(model: &Model<'_>, within: Span, needle: &str) -> Option<Span> {
    let file = model.sources.get(within.file)?;
    let text = file.text.get(within.start as usize..within.end as usize)?;
    let at = text.find(needle)?;
    let start = within.start as usize + at;
    Some(Span::new(within.file, start, start + needle.len()))
}

fn check_user_data(model: &Model<'_>, out: &mut Outcomes, res: ResIdx, data: &Value, v: &mut Verdict) {
    let alts: Vec<&Value> = match data.alternatives() {
        Some(a) => a.iter().filter_map(|a| a.value.as_ref()).collect(),
        None => vec![data],
    };
    for d in alts {
        let Some(raw) = d.as_str() else {
            if d.contains_unknown() {
                v.unknown = true;
            }
            continue;
        };
        // `Fn::Base64` of a literal is evaluated: read the script it encodes.
        let script = decode_base64(raw).unwrap_or_else(|| raw.to_string());
        for a in script_assignments(&script) {
            let name = &script[a.name.0..a.name.1];
            let value = &script[a.value.0..a.value.1];
            if is_aws_key(value) {
                continue; // FTR-SEC-001's
            }
            let at = locate(model, d.span, value);
            let span = at.map_or(d.span, |s| {
                // Point at the assignment's line: from the name when it is on it.
                locate(model, d.span, name)
                    .filter(|n| n.start <= s.start)
                    .map_or(s, |n| n.to(s))
            });
            v.failed = true;
            out.fail_secret(
                res,
                span,
                format!(
                    "the user data sets `{}` to a literal secret (user data is readable by anyone who can describe the instance): fetch it at boot from Secrets Manager or SSM Parameter Store",
                    name.trim_start_matches('-')
                ),
                at.into_iter().collect(),
            );
        }
    }
}

impl Rule for EnvironmentSecrets {
    fn id(&self) -> &'static str {
        "FTR-SEC-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let kinds: [(&str, &str); 10] = [
            ("aws_lambda_function", "environment.variables"),
            ("AWS::Lambda::Function", "Environment.Variables"),
            ("aws_ecs_task_definition", "container_definitions"),
            ("AWS::ECS::TaskDefinition", "ContainerDefinitions"),
            ("aws_instance", "user_data"),
            ("aws_launch_template", "user_data"),
            ("aws_launch_configuration", "user_data"),
            ("AWS::EC2::Instance", "UserData"),
            ("AWS::EC2::LaunchTemplate", "LaunchTemplateData.UserData"),
            ("AWS::AutoScaling::LaunchConfiguration", "UserData"),
        ];
        for (rtype, path) in kinds {
            for &i in model.of_type(rtype) {
                let r = model.resource(i);
                let mut v = Verdict::default();
                if let Some(e) = at_path(&r.body, path) {
                    match rtype {
                        "aws_lambda_function" | "AWS::Lambda::Function" => check_env(
                            model,
                            out,
                            i,
                            &e.value,
                            ("", ""),
                            spelled(model, i, "environment variable", "`Environment` entry"),
                            &mut v,
                        ),
                        "aws_ecs_task_definition" | "AWS::ECS::TaskDefinition" => {
                            let (env, name, value) = if rtype.starts_with("AWS::") {
                                ("Environment", "Name", "Value")
                            } else {
                                ("environment", "name", "value")
                            };
                            match e.value.as_list() {
                                Some(containers) => {
                                    for c in containers {
                                        match c.get(env) {
                                            Some(list) => check_env(
                                                model,
                                                out,
                                                i,
                                                list,
                                                (name, value),
                                                spelled(
                                                    model,
                                                    i,
                                                    "container environment variable",
                                                    "container `Environment` entry",
                                                ),
                                                &mut v,
                                            ),
                                            None if c.contains_unknown() && c.as_map().is_none() => {
                                                v.unknown = true
                                            }
                                            None => {}
                                        }
                                    }
                                }
                                None => v.unknown = true,
                            }
                        }
                        _ => check_user_data(model, out, i, &e.value, &mut v),
                    }
                }
                if !v.failed {
                    if v.unknown {
                        out.unknown(i, "the environment or user data cannot be resolved");
                    } else {
                        out.pass(i);
                    }
                }
            }
        }
    }
}

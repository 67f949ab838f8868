//! FTR-IAM-010: a secret access key must never be exposed as an output.
use crate::model::iam_user::AccessKey;
use crate::model::Model;
use crate::resource::Format;
use crate::rules::{Outcomes, Rule};
use crate::value::RefKind;
use std::collections::BTreeMap;

pub struct SecretKeyOutput;

/// Whether reading `attr` of an access key gives its secret (`None`: the whole object).
fn reads_secret(format: Format, attr: Option<&str>) -> bool {
    match format {
        Format::Terraform => matches!(attr, None | Some("secret" | "ses_smtp_password_v4")),
        Format::CloudFormation => attr == Some("SecretAccessKey"),
    }
}

impl Rule for SecretKeyOutput {
    fn id(&self) -> &'static str {
        "FTR-IAM-010"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let keys: Vec<usize> = model.all::<AccessKey>().iter().map(|k| k.res).collect();
        if keys.is_empty() {
            return;
        }
        // Access key → the outputs that expose its secret (reference span, output name).
        let mut exposed: BTreeMap<usize, Vec<(crate::source::Span, String)>> = BTreeMap::new();
        for (si, scope) in model.scopes.iter().enumerate() {
            let sid = crate::resource::ScopeId(si as u32);
            for o in &scope.outputs {
                for r in o.value.references() {
                    if r.kind != RefKind::Resource {
                        continue;
                    }
                    let Some(idx) = model.graph.resolve(sid, r) else {
                        continue;
                    };
                    let res = model.resource(idx);
                    if keys.contains(&idx) && reads_secret(res.format, r.attr.as_deref()) {
                        exposed.entry(idx).or_default().push((r.span, o.name.clone()));
                    }
                }
            }
        }
        for k in keys {
            match exposed.get(&k) {
                Some(uses) => {
                    for (span, name) in uses {
                        out.fail(
                            k,
                            *span,
                            format!("the secret access key is exposed by the output `{name}`: anyone who can read outputs (or the state) gets the credential; remove the output"),
                        );
                    }
                }
                None => out.pass(k),
            }
        }
    }
}

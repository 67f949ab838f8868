//! FTR-SEC-006: SSM parameters whose name looks secret are `SecureString`, not `String`.
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::secrets::looks_secret;
use crate::value::{Value, HOLE};

pub struct SsmPlainString;

/// The parameter's name as far as it is known (the text after the last unknown part).
fn known_name(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_string());
    }
    let p = v.as_unknown()?.partial.as_deref()?;
    p.rsplit(HOLE).next().map(str::to_string).filter(|s| !s.is_empty())
}

impl Rule for SsmPlainString {
    fn id(&self) -> &'static str {
        "FTR-SEC-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for rtype in ["aws_ssm_parameter", "AWS::SSM::Parameter"] {
            for &i in model.of_type(rtype) {
                let r = model.resource(i);
                let cfn = rtype.starts_with("AWS::");
                let (name_key, type_key) = if cfn { ("Name", "Type") } else { ("name", "type") };
                // CloudFormation names an unnamed parameter after its logical ID.
                let name = match r.body.get(name_key) {
                    Some(v) => known_name(v),
                    None if cfn => Some(r.name.clone()),
                    None => None,
                };
                let Some(name) = name else {
                    out.unknown(i, "the parameter name cannot be resolved");
                    continue;
                };
                if !looks_secret(&name) {
                    out.pass(i);
                    continue;
                }
                let Some(t) = r.body.entry(type_key) else {
                    out.unknown(i, "the parameter type is not set");
                    continue;
                };
                match t.value.as_str() {
                    Some(kind @ ("String" | "StringList")) => out.fail(
                        i,
                        t.key_span,
                        format!(
                            "the name `{name}` looks secret but {} is a plain `{kind}`: {}",
                            spelled(model, i, "the aws_ssm_parameter", "the SSM parameter"),
                            spelled(
                                model,
                                i,
                                "use `type = \"SecureString\"` (encrypted with KMS)",
                                "CloudFormation cannot create a SecureString parameter: keep the secret in `AWS::SecretsManager::Secret`, or create the SecureString outside the template"
                            )
                        ),
                    ),
                    Some(_) => out.pass(i),
                    None => out.unknown(i, "the parameter type cannot be resolved"),
                }
            }
        }
    }
}

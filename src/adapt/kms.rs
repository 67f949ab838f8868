//! KMS: `aws_kms_key` (with `aws_kms_key_policy` joined in), `AWS::KMS::Key`.

use super::declarative::field;
use super::iam::policy_from;
use super::of_types;
use crate::model::kms::Key;
use crate::model::Model;
use crate::resource::Format;
use crate::value::{Kind, Value};

const TF_KEY_POLICY: &str = "aws_kms_key_policy";

/// Present, not null and not `""`.
fn set(v: Option<&Value>) -> bool {
    v.is_some_and(|v| !matches!(v.kind, Kind::Null) && v.as_str() != Some(""))
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let mut keys = Vec::new();
    for (i, r) in of_types(model.resources, &["aws_kms_key", "AWS::KMS::Key"]) {
        let b = &r.body;
        let rotation_unsupported = match r.format {
            Format::Terraform if set(b.get("custom_key_store_id")) => {
                Some("keys in a custom key store cannot be rotated automatically")
            }
            Format::CloudFormation
                if b.get("Origin").and_then(Value::as_str) == Some("EXTERNAL") =>
            {
                Some("keys with imported key material cannot be rotated automatically")
            }
            _ => None,
        };
        let mut policies = Vec::new();
        let mut policy_incomplete = false;
        let mut read = |v: Option<&Value>| {
            let Some(v) = v.filter(|v| !matches!(v.kind, Kind::Null)) else {
                return;
            };
            match policy_from(model, r.scope, v) {
                Some(doc) => {
                    policy_incomplete |= !doc.complete;
                    policies.push(doc);
                }
                None => policy_incomplete = true,
            }
        };
        match r.format {
            Format::Terraform => {
                read(b.get("policy"));
                for (_, c) in model.children(i, TF_KEY_POLICY) {
                    read(c.body.get("policy"));
                }
                policy_incomplete |= model.unresolved_children(r.scope, TF_KEY_POLICY);
            }
            Format::CloudFormation => read(b.get("KeyPolicy")),
        }
        keys.push(Key {
            res: i,
            spec: field(r, "customer_master_key_spec", "KeySpec"),
            usage: field(r, "key_usage", "KeyUsage"),
            rotation: field(r, "enable_key_rotation", "EnableKeyRotation"),
            rotation_unsupported,
            policies,
            policy_incomplete,
        });
    }
    model.kms = keys;
}

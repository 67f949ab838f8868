//! S3: `aws_s3_bucket` (with legacy inline blocks) joined with `aws_s3_bucket_versioning`,
//! `aws_s3_bucket_object_lock_configuration` and
//! `aws_s3_bucket_server_side_encryption_configuration`; `AWS::S3::Bucket`. Public access,
//! ACLs, policies, versioning and logging are read in [`access`].

mod access;

use super::{blocks, entry_span, of_types};
use crate::model::s3::{Bucket, Setting};
use crate::model::Model;
use crate::resource::Format;
use crate::value::{Kind, Value};

const TF_BUCKET: &str = "aws_s3_bucket";

/// Evidence collected for one setting of one bucket.
#[derive(Default)]
struct Evidence {
    on: bool,
    unknown: bool,
    off: Option<crate::source::Span>,
}

impl Evidence {
    fn add(&mut self, s: Setting) {
        match s {
            Setting::On => self.on = true,
            Setting::Unknown => self.unknown = true,
            Setting::Off { span } => {
                self.off.get_or_insert(span);
            }
        }
    }
    fn finish(&self, header: crate::source::Span, unresolved_in_scope: bool) -> Setting {
        if self.on {
            Setting::On
        } else if self.unknown || unresolved_in_scope {
            Setting::Unknown
        } else {
            Setting::Off {
                span: self.off.unwrap_or(header),
            }
        }
    }
}

/// A versioning status (`Enabled`, `Suspended`, `Disabled`), in either format.
fn versioning_status(e: &crate::value::Entry) -> Setting {
    if e.value.contains_unknown() {
        Setting::Unknown
    } else if e.value.as_str() == Some("Enabled") {
        Setting::On
    } else {
        Setting::Off {
            span: entry_span(e),
        }
    }
}

fn bool_setting(v: Option<&Value>) -> Option<Setting> {
    let v = v?;
    if v.contains_unknown() {
        return Some(Setting::Unknown);
    }
    match v.as_bool() {
        Some(true) => Some(Setting::On),
        _ => None,
    }
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let resources = model.resources;
    let buckets: Vec<usize> = of_types(resources, &[TF_BUCKET, "AWS::S3::Bucket"])
        .map(|(i, _)| i)
        .collect();
    let mut protection: Vec<Evidence> = buckets.iter().map(|_| Evidence::default()).collect();
    let mut encryption: Vec<Evidence> = buckets.iter().map(|_| Evidence::default()).collect();
    let mut branches: Vec<Option<String>> = buckets.iter().map(|_| None).collect();

    // Settings written on the bucket itself.
    for (k, &i) in buckets.iter().enumerate() {
        let r = &resources[i];
        let body = &r.body;
        match r.format {
            Format::Terraform => {
                for v in blocks(body, "versioning") {
                    for key in ["enabled", "mfa_delete"] {
                        if let Some(s) = bool_setting(v.get(key)) {
                            protection[k].add(s);
                        }
                    }
                    if let Some(e) = v.entry("enabled") {
                        if e.value.as_bool() == Some(false) {
                            protection[k].add(Setting::Off {
                                span: entry_span(e),
                            });
                        }
                    }
                }
                if let Some(s) = bool_setting(body.get("object_lock_enabled")) {
                    protection[k].add(s);
                }
                for b in blocks(body, "object_lock_configuration") {
                    match b.get("object_lock_enabled") {
                        Some(v) if v.is_unknown() => protection[k].add(Setting::Unknown),
                        Some(v) if v.as_str() == Some("Enabled") => protection[k].add(Setting::On),
                        _ => {}
                    }
                }
                if body.get("versioning").is_some_and(Value::contains_unknown)
                    || body
                        .get("object_lock_configuration")
                        .is_some_and(Value::contains_unknown)
                {
                    protection[k].add(Setting::Unknown);
                }
                if let Some(v) = body.get("server_side_encryption_configuration") {
                    encryption[k].add(if v.contains_unknown() && v.as_list().is_none() {
                        Setting::Unknown
                    } else {
                        Setting::On
                    });
                }
            }
            Format::CloudFormation => {
                if let Some(vc) = body.get("VersioningConfiguration") {
                    match vc.entry("Status") {
                        Some(e) => protection[k].add(versioning_status(e)),
                        None if vc.is_unknown() => protection[k].add(Setting::Unknown),
                        None => {}
                    }
                }
                if let Some(s) = bool_setting(body.get("ObjectLockEnabled")) {
                    protection[k].add(s);
                }
                if let Some(v) = body.get("BucketEncryption") {
                    let off = |v: Option<&Value>| v.is_none_or(|v| matches!(v.kind, Kind::Null));
                    match v.alternatives() {
                        // An undecided `Fn::If`: off only when off in every branch.
                        Some(alts) if alts.iter().all(|a| off(a.value.as_ref())) => {
                            let when: Vec<String> = alts.iter().map(|a| a.describe()).collect();
                            branches[k] = Some(when.join("; "));
                            let at = body.entry("BucketEncryption").map_or(r.span, entry_span);
                            encryption[k].add(Setting::Off { span: at });
                        }
                        Some(alts) if alts.iter().any(|a| off(a.value.as_ref())) => {
                            encryption[k].add(Setting::Unknown)
                        }
                        _ if off(Some(v)) => encryption[k].add(Setting::Off { span: r.span }),
                        _ => encryption[k].add(Setting::On),
                    }
                }
            }
        }
    }

    // Split Terraform resources joined to their bucket (by reference or literal name).
    for (k, &b) in buckets.iter().enumerate() {
        for (_, r) in model.children(b, "aws_s3_bucket_versioning") {
            let cfgs = blocks(&r.body, "versioning_configuration");
            if cfgs.is_empty() {
                protection[k].add(Setting::Unknown);
            }
            for c in cfgs {
                let mfa = c.get("mfa_delete");
                if mfa.and_then(Value::as_str) == Some("Enabled") {
                    protection[k].add(Setting::On);
                    continue;
                }
                match c.entry("status") {
                    Some(e) => protection[k].add(versioning_status(e)),
                    None => protection[k].add(Setting::Unknown),
                }
                if mfa.is_some_and(Value::contains_unknown) {
                    protection[k].add(Setting::Unknown);
                }
            }
        }
        if model
            .children(b, "aws_s3_bucket_object_lock_configuration")
            .next()
            .is_some()
        {
            protection[k].add(Setting::On);
        }
        if model
            .children(b, "aws_s3_bucket_server_side_encryption_configuration")
            .next()
            .is_some()
        {
            encryption[k].add(Setting::On);
        }
    }

    let roots = crate::resource::tree_roots(model.scopes);
    let account = access::account_blocks(model, &roots);
    let destinations = access::log_destinations(model);
    let mut accesses: Vec<_> = buckets
        .iter()
        .map(|&b| Some(access::read(model, b, &roots, &account, &destinations)))
        .collect();

    for (k, &i) in buckets.iter().enumerate() {
        let r = &resources[i];
        let Some(access) = accesses[k].take() else {
            continue;
        };
        let name_key = match r.format {
            Format::Terraform => "bucket",
            Format::CloudFormation => "BucketName",
        };
        model.buckets.push(Bucket {
            res: i,
            name: r
                .body
                .get(name_key)
                .and_then(Value::as_str)
                .map(str::to_string),
            object_protection: protection[k].finish(
                r.span,
                model.unresolved_children(r.scope, "aws_s3_bucket_versioning")
                    || model
                        .unresolved_children(r.scope, "aws_s3_bucket_object_lock_configuration"),
            ),
            encryption: encryption[k].finish(
                r.span,
                model.unresolved_children(
                    r.scope,
                    "aws_s3_bucket_server_side_encryption_configuration",
                ),
            ),
            encryption_branches: branches[k].take(),
            access,
        });
    }
}

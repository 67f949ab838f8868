//! Public access, ACL, object ownership, bucket policy, versioning and logging of a bucket,
//! joined over the bucket, its split Terraform resources, `AWS::S3::BucketPolicy`, and the
//! account-level `aws_s3_account_public_access_block` of its configuration.

use super::Evidence;
use crate::adapt::iam::policy_from;
use crate::adapt::{blocks, designated, entry_span};
use crate::graph::ResIdx;
use crate::iam::{Effect, Principals};
use crate::model::s3::{Acl, BucketAccess, BucketPolicies, PublicAccessBlock, Setting, PAB_FLAGS};
use crate::model::Model;
use crate::resource::{Format, Resource, ScopeId};
use crate::source::Span;
use crate::value::{Kind, Value};
use std::collections::{HashMap, HashSet};

const TF_PAB: &str = "aws_s3_bucket_public_access_block";
const TF_ACL: &str = "aws_s3_bucket_acl";
const TF_OWNERSHIP: &str = "aws_s3_bucket_ownership_controls";
const TF_POLICY: &str = "aws_s3_bucket_policy";
const TF_VERSIONING: &str = "aws_s3_bucket_versioning";
const TF_LOCK: &str = "aws_s3_bucket_object_lock_configuration";
const TF_LOGGING: &str = "aws_s3_bucket_logging";
const CFN_POLICY: &str = "AWS::S3::BucketPolicy";
const BUCKET_TYPES: &[&str] = &["aws_s3_bucket", "AWS::S3::Bucket"];

/// Public canned ACLs, Terraform and CloudFormation spellings.
const PUBLIC_ACLS: &[&str] = &[
    "public-read",
    "public-read-write",
    "authenticated-read",
    "PublicRead",
    "PublicReadWrite",
    "AuthenticatedRead",
];
/// ACL grantee groups that make a grant public.
const PUBLIC_GROUPS: &[&str] = &[
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// Three-valued answer to a question about a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

/// Asks `f` of a value, or of every branch of an undecided `Fn::If` (`None`: absent, as for
/// `AWS::NoValue`): yes or no only when every branch agrees.
fn tri(v: Option<&Value>, f: &dyn Fn(Option<&Value>) -> Tri) -> Tri {
    let Some(alts) = v.and_then(Value::alternatives) else {
        return f(v);
    };
    let all: Vec<Tri> = alts.iter().map(|a| tri(a.value.as_ref(), f)).collect();
    if all.iter().all(|t| *t == Tri::Yes) {
        Tri::Yes
    } else if all.iter().all(|t| *t == Tri::No) {
        Tri::No
    } else {
        Tri::Unknown
    }
}

/// `true` (absent and `null` are false: the defaults of every flag read here).
fn is_true(v: Option<&Value>) -> Tri {
    tri(v, &|v| match v {
        None => Tri::No,
        Some(v) if matches!(v.kind, Kind::Null) => Tri::No,
        Some(v) => match v.as_bool() {
            Some(true) => Tri::Yes,
            Some(false) => Tri::No,
            None => Tri::Unknown,
        },
    })
}

/// A string attribute equal to one of `values` (absent or `null`: no).
fn is_one_of(v: Option<&Value>, values: &[&str]) -> Tri {
    tri(v, &|v| match v {
        None => Tri::No,
        Some(v) if matches!(v.kind, Kind::Null) => Tri::No,
        Some(v) => match v.as_str() {
            Some(s) if values.contains(&s) => Tri::Yes,
            Some(_) => Tri::No,
            None => Tri::Unknown,
        },
    })
}

fn setting(t: Tri, off_at: Span) -> Setting {
    match t {
        Tri::Yes => Setting::On,
        Tri::No => Setting::Off { span: off_at },
        Tri::Unknown => Setting::Unknown,
    }
}

/// One flag of a public access block (`config`: the Terraform resource body, or the
/// CloudFormation `PublicAccessBlockConfiguration`, possibly an `Fn::If`).
fn pab_flag(config: &Value, key: &str, off_at: Span) -> Setting {
    let t = tri(Some(config), &|c| match c {
        None => Tri::No,
        Some(c) if c.as_map().is_some() => is_true(c.get(key)),
        Some(c) if matches!(c.kind, Kind::Null) => Tri::No,
        Some(_) => Tri::Unknown,
    });
    let at = config.entry(key).map_or(off_at, entry_span);
    setting(t, at)
}

/// The flags of every account-level public access block, per configuration (root scope).
pub(super) fn account_blocks(
    model: &Model<'_>,
    roots: &[ScopeId],
) -> HashMap<ScopeId, Vec<[Setting; 4]>> {
    let mut out: HashMap<ScopeId, Vec<[Setting; 4]>> = HashMap::new();
    for &i in model.of_type("aws_s3_account_public_access_block") {
        let r = &model.resources[i];
        let root = roots.get(r.scope.0 as usize).copied().unwrap_or(r.scope);
        let flags = PAB_FLAGS.map(|(tf, _)| pab_flag(&r.body, tf, r.span));
        out.entry(root).or_default().push(flags);
    }
    out
}

/// Where each bucket's server access logs go, and which buckets receive them.
pub(super) fn log_destinations(model: &Model<'_>) -> HashSet<ResIdx> {
    let mut out = HashSet::new();
    let mut add = |scope: ScopeId, v: Option<&Value>, name_key: &str| {
        if let Some(v) = v {
            if let Ok(Some(t)) = designated(model, scope, v, BUCKET_TYPES, name_key) {
                out.insert(t);
            }
        }
    };
    for (_, r) in crate::adapt::of_types(model.resources, &["aws_s3_bucket", TF_LOGGING]) {
        let mut targets: Vec<&Value> = blocks(&r.body, "logging")
            .into_iter()
            .filter_map(|b| b.get("target_bucket"))
            .collect();
        if r.rtype == TF_LOGGING {
            targets.extend(r.body.get("target_bucket"));
        }
        for t in targets {
            add(r.scope, Some(t), "bucket");
        }
    }
    for (_, r) in crate::adapt::of_types(model.resources, &["AWS::S3::Bucket"]) {
        add(
            r.scope,
            r.body
                .path(&["LoggingConfiguration", "DestinationBucketName"]),
            "BucketName",
        );
    }
    out
}

/// ACL evidence: a known public grant wins; else unknown if anything is unknown.
#[derive(Default)]
struct AclEvidence {
    public: Option<(String, Span)>,
    unknown: bool,
}

impl AclEvidence {
    fn canned(&mut self, e: Option<&crate::value::Entry>) {
        let Some(e) = e else { return };
        match is_one_of(Some(&e.value), PUBLIC_ACLS) {
            Tri::Yes => {
                let what = match e.value.as_str() {
                    Some(s) => format!("the canned ACL `{s}`"),
                    None => "a public canned ACL in every branch of `Fn::If`".to_string(),
                };
                self.public.get_or_insert((what, entry_span(e)));
            }
            Tri::Unknown => self.unknown = true,
            Tri::No => {}
        }
    }
    /// Grant blocks (`grant { uri }` on a legacy bucket, `grant { grantee { uri } }` in an
    /// `access_control_policy`).
    fn grants(&mut self, grants: Vec<&Value>) {
        for g in grants {
            let uri = g.entry("uri").or_else(|| {
                blocks(g, "grantee")
                    .into_iter()
                    .find_map(|grantee| grantee.entry("uri"))
            });
            let Some(uri) = uri else {
                if g.contains_unknown() {
                    self.unknown = true;
                }
                continue;
            };
            match uri.value.as_str() {
                Some(s) if PUBLIC_GROUPS.contains(&s) => {
                    let group = s.rsplit('/').next().unwrap_or(s);
                    self.public
                        .get_or_insert((format!("a grant to `{group}`"), entry_span(uri)));
                }
                Some(_) => {}
                None => self.unknown = true,
            }
        }
    }
    fn finish(self, unresolved: bool) -> Acl {
        match self.public {
            Some((what, span)) => Acl::Public { what, span },
            None if self.unknown || unresolved => Acl::Unknown,
            None => Acl::NotPublic,
        }
    }
}

/// Whether some policy statement lets the S3 log delivery service write to the bucket.
fn grants_log_delivery(policies: &BucketPolicies) -> bool {
    policies.documents.iter().any(|d| {
        d.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && matches!(&s.principal, Some(Principals::Entries(es)) if es.iter().any(|e| {
                    e.kind == "Service"
                        && e.values.iter().any(|v| v.as_str() == Some("logging.s3.amazonaws.com"))
                }))
        })
    })
}

/// Reads the access settings of bucket `b`.
pub(super) fn read(
    model: &Model<'_>,
    b: ResIdx,
    roots: &[ScopeId],
    account: &HashMap<ScopeId, Vec<[Setting; 4]>>,
    destinations: &HashSet<ResIdx>,
) -> BucketAccess {
    let r: &Resource = &model.resources[b];
    let body = &r.body;
    let header = r.span;
    let unresolved = |t: &str| model.unresolved_children(r.scope, t);

    // Block Public Access: the bucket's own block(s), then the account's.
    let mut flags: [Evidence; 4] = Default::default();
    let mut declared = false;
    let mut own_blocks: Vec<(&Value, Span)> = Vec::new();
    match r.format {
        Format::Terraform => {
            for (_, c) in model.children(b, TF_PAB) {
                own_blocks.push((&c.body, c.span));
            }
        }
        Format::CloudFormation => {
            if let Some(e) = body.entry("PublicAccessBlockConfiguration") {
                own_blocks.push((&e.value, entry_span(e)));
            }
        }
    }
    for (config, at) in own_blocks {
        declared = true;
        for (k, (tf, cfn)) in PAB_FLAGS.iter().enumerate() {
            let key = if r.format == Format::Terraform {
                tf
            } else {
                cfn
            };
            flags[k].add(pab_flag(config, key, at));
        }
    }
    let root = roots.get(r.scope.0 as usize).copied().unwrap_or(r.scope);
    for acct in account.get(&root).into_iter().flatten() {
        for (k, s) in acct.iter().enumerate() {
            // An account flag that is off is reported at the bucket, not at the account block.
            flags[k].add(match s {
                Setting::Off { .. } => Setting::Off { span: header },
                other => other.clone(),
            });
        }
    }
    let pab_unresolved = unresolved(TF_PAB);
    let public_access_block = PublicAccessBlock {
        flags: [0, 1, 2, 3].map(|k| flags[k].finish(header, pab_unresolved)),
        declared,
    };

    // ACLs and object ownership.
    let mut acl = AclEvidence::default();
    let mut acls_disabled = false;
    let mut log_delivery_acl = false;
    match r.format {
        Format::Terraform => {
            acl.canned(body.entry("acl"));
            acl.grants(blocks(body, "grant"));
            log_delivery_acl |=
                body.get("acl").and_then(Value::as_str) == Some("log-delivery-write");
            for (_, c) in model.children(b, TF_ACL) {
                acl.canned(c.body.entry("acl"));
                log_delivery_acl |=
                    c.body.get("acl").and_then(Value::as_str) == Some("log-delivery-write");
                for p in blocks(&c.body, "access_control_policy") {
                    acl.grants(blocks(p, "grant"));
                }
            }
            for (_, c) in model.children(b, TF_OWNERSHIP) {
                acls_disabled |= blocks(&c.body, "rule").iter().any(|rule| {
                    is_one_of(rule.get("object_ownership"), &["BucketOwnerEnforced"]) == Tri::Yes
                });
            }
        }
        Format::CloudFormation => {
            acl.canned(body.entry("AccessControl"));
            log_delivery_acl |=
                body.get("AccessControl").and_then(Value::as_str) == Some("LogDeliveryWrite");
            let rules = body.path(&["OwnershipControls", "Rules"]);
            acls_disabled = rules.and_then(Value::as_list).is_some_and(|rules| {
                rules.iter().any(|rule| {
                    is_one_of(rule.get("ObjectOwnership"), &["BucketOwnerEnforced"]) == Tri::Yes
                })
            });
        }
    }
    let acl = acl.finish(unresolved(TF_ACL));

    // Bucket policies.
    let mut policies = BucketPolicies::default();
    let mut read_policy = |v: Option<&Value>, scope: ScopeId| {
        let Some(v) = v else { return };
        if matches!(v.kind, Kind::Null) {
            return;
        }
        match policy_from(model, scope, v) {
            Some(doc) => {
                policies.incomplete |= !doc.complete;
                policies.documents.push(doc);
            }
            None => policies.incomplete = true,
        }
    };
    match r.format {
        Format::Terraform => {
            read_policy(body.get("policy"), r.scope);
            for (_, c) in model.children(b, TF_POLICY) {
                read_policy(c.body.get("policy"), c.scope);
            }
        }
        Format::CloudFormation => {
            for (_, c) in model.children(b, CFN_POLICY) {
                read_policy(c.body.get("PolicyDocument"), c.scope);
            }
        }
    }
    policies.incomplete |= unresolved(TF_POLICY) || unresolved(CFN_POLICY);

    // Versioning (object lock implies it).
    let mut versioning = Evidence::default();
    let mut logging = Evidence::default();
    match r.format {
        Format::Terraform => {
            for v in blocks(body, "versioning") {
                let at = v.entry("enabled").map_or(header, entry_span);
                versioning.add(setting(is_true(v.get("enabled")), at));
            }
            if body.get("versioning").is_some_and(Value::is_unknown) {
                versioning.add(Setting::Unknown);
            }
            if is_true(body.get("object_lock_enabled")) == Tri::Yes {
                versioning.add(Setting::On);
            }
            for c in blocks(body, "object_lock_configuration") {
                match is_one_of(c.get("object_lock_enabled"), &["Enabled"]) {
                    Tri::Yes => versioning.add(Setting::On),
                    Tri::Unknown => versioning.add(Setting::Unknown),
                    Tri::No => {}
                }
            }
            for (_, c) in model.children(b, TF_VERSIONING) {
                let cfgs = blocks(&c.body, "versioning_configuration");
                if cfgs.is_empty() {
                    versioning.add(Setting::Unknown);
                }
                for cfg in cfgs {
                    let at = cfg.entry("status").map_or(c.span, entry_span);
                    versioning.add(setting(is_one_of(cfg.get("status"), &["Enabled"]), at));
                }
            }
            if model.children(b, TF_LOCK).next().is_some() {
                versioning.add(Setting::On);
            }
            for l in blocks(body, "logging") {
                logging.add(
                    if l.get("target_bucket").is_some() || l.contains_unknown() {
                        Setting::On
                    } else {
                        Setting::Unknown
                    },
                );
            }
            if body.get("logging").is_some_and(Value::is_unknown) {
                logging.add(Setting::Unknown);
            }
            if model.children(b, TF_LOGGING).next().is_some() {
                logging.add(Setting::On);
            }
        }
        Format::CloudFormation => {
            if let Some(e) = body.entry("VersioningConfiguration") {
                let t = tri(Some(&e.value), &|vc| match vc {
                    None => Tri::No,
                    Some(vc) if vc.as_map().is_some() => is_one_of(vc.get("Status"), &["Enabled"]),
                    Some(vc) if matches!(vc.kind, Kind::Null) => Tri::No,
                    Some(_) => Tri::Unknown,
                });
                let at = e.value.entry("Status").map_or(entry_span(e), entry_span);
                versioning.add(setting(t, at));
            }
            if is_true(body.get("ObjectLockEnabled")) == Tri::Yes {
                versioning.add(Setting::On);
            }
            if let Some(e) = body.entry("LoggingConfiguration") {
                let t = tri(Some(&e.value), &|l| match l {
                    None => Tri::No,
                    Some(l) if matches!(l.kind, Kind::Null) => Tri::No,
                    Some(_) => Tri::Yes,
                });
                logging.add(setting(t, entry_span(e)));
            }
        }
    }
    let versioning = versioning.finish(header, unresolved(TF_VERSIONING) || unresolved(TF_LOCK));
    let logging = logging.finish(header, unresolved(TF_LOGGING));

    let log_destination = if destinations.contains(&b) {
        Some("it receives the server access logs of another bucket")
    } else if log_delivery_acl {
        Some("its ACL lets the S3 log delivery group write to it")
    } else if grants_log_delivery(&policies) {
        Some("its policy lets the S3 logging service write to it")
    } else {
        None
    };

    BucketAccess {
        public_access_block,
        acl,
        acls_disabled,
        policies,
        versioning,
        logging,
        log_destination,
    }
}

//! One generic child-to-parent join for split resources: a configuration resource that points
//! at the resource it configures (`aws_s3_bucket_versioning.bucket`,
//! `AWS::S3::BucketPolicy.Bucket`, …) by reference or by the parent's literal name.
//!
//! A new split resource is one line in [`JOINS`]; adapters then ask the model for
//! [`Model::children`](crate::model::Model::children) of a parent, and
//! [`Model::unresolved_children`](crate::model::Model::unresolved_children) tells whether a
//! configuration resource of that type in the same scope points at something unknown (it might
//! be this parent: no verdict).

use super::designated;
use crate::model::{Joins, Model};
use crate::resource::Mode;

/// A configuration resource type, the attribute naming its parent, the parent types, and the
/// parent attribute a literal name is matched against.
#[derive(Debug, Clone, Copy)]
pub struct JoinSpec {
    pub child: &'static str,
    pub via: &'static str,
    pub parents: &'static [&'static str],
    pub name_key: &'static str,
}

const fn s3(child: &'static str) -> JoinSpec {
    JoinSpec {
        child,
        via: "bucket",
        parents: &["aws_s3_bucket"],
        name_key: "bucket",
    }
}

/// A Terraform security-group rule resource attached to its group by `security_group_id`.
const fn sg_rule(child: &'static str) -> JoinSpec {
    JoinSpec {
        child,
        via: "security_group_id",
        parents: &["aws_security_group", "aws_default_security_group"],
        name_key: "name",
    }
}

/// Every split resource the adapters join.
pub const JOINS: &[JoinSpec] = &[
    // S3 configuration resources of AWS provider v4+.
    s3("aws_s3_bucket_versioning"),
    s3("aws_s3_bucket_object_lock_configuration"),
    s3("aws_s3_bucket_server_side_encryption_configuration"),
    s3("aws_s3_bucket_public_access_block"),
    s3("aws_s3_bucket_acl"),
    s3("aws_s3_bucket_policy"),
    s3("aws_s3_bucket_logging"),
    s3("aws_s3_bucket_ownership_controls"),
    // KMS key policies of AWS provider v5+ (`aws_kms_key_policy.key_id`).
    JoinSpec {
        child: "aws_kms_key_policy",
        via: "key_id",
        parents: &["aws_kms_key"],
        name_key: "name",
    },
    JoinSpec {
        child: "AWS::S3::BucketPolicy",
        via: "Bucket",
        parents: &["AWS::S3::Bucket"],
        name_key: "BucketName",
    },
    // Security-group rules joined to their group.
    sg_rule("aws_security_group_rule"),
    sg_rule("aws_vpc_security_group_ingress_rule"),
    sg_rule("aws_vpc_security_group_egress_rule"),
    JoinSpec {
        child: "AWS::EC2::SecurityGroupIngress",
        via: "GroupId",
        parents: &["AWS::EC2::SecurityGroup"],
        name_key: "GroupName",
    },
    JoinSpec {
        child: "AWS::EC2::SecurityGroupEgress",
        via: "GroupId",
        parents: &["AWS::EC2::SecurityGroup"],
        name_key: "GroupName",
    },
    // Flow logs joined to the VPC they log (a CloudFormation flow log of a subnet or network
    // interface designates no VPC).
    JoinSpec {
        child: "aws_flow_log",
        via: "vpc_id",
        parents: &["aws_vpc"],
        name_key: "name",
    },
    JoinSpec {
        child: "AWS::EC2::FlowLog",
        via: "ResourceId",
        parents: &["AWS::EC2::VPC"],
        name_key: "name",
    },
];

/// Joins every configuration resource of [`JOINS`] to its parent.
pub fn build(model: &Model<'_>) -> Joins {
    let mut out = Joins::default();
    for (i, r) in model.resources.iter().enumerate() {
        if r.mode != Mode::Managed {
            continue;
        }
        let Some(spec) = JOINS.iter().find(|s| s.child == r.rtype) else {
            continue;
        };
        let Some(value) = r.body.get(spec.via) else {
            continue;
        };
        match designated(model, r.scope, value, spec.parents, spec.name_key) {
            Ok(Some(parent)) => out.children.entry(parent).or_default().push(i),
            Ok(None) => {}
            // Unresolved (a parent named by the same unknown expression is found by
            // `designated` through the name index).
            Err(()) => {
                out.unresolved.insert((r.scope, spec.child.to_string()));
            }
        }
    }
    out
}

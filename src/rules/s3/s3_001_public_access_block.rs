//! FTR-S3-001: every bucket has S3 Block Public Access with all four flags on, declared on the
//! bucket or account-wide (`aws_s3_account_public_access_block`).
use crate::model::s3::{Setting, PAB_FLAGS};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct PublicAccessBlock;

impl Rule for PublicAccessBlock {
    fn id(&self) -> &'static str {
        "FTR-S3-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            let pab = &b.access.public_access_block;
            let terraform = model.resource(b.res).format == crate::resource::Format::Terraform;
            let off: Vec<(&str, crate::source::Span)> = PAB_FLAGS
                .iter()
                .zip(&pab.flags)
                .filter_map(|((tf, cfn), s)| match s {
                    Setting::Off { span } => Some((if terraform { *tf } else { *cfn }, *span)),
                    _ => None,
                })
                .collect();
            let Some(&(_, span)) = off.first() else {
                if pab.all_on() {
                    out.pass(b.res);
                } else {
                    out.unknown(b.res, "the public access block settings cannot be resolved");
                }
                continue;
            };
            let message = if !pab.declared && off.len() == PAB_FLAGS.len() {
                format!(
                    "the bucket has no public access block: S3 turns Block Public Access on for buckets created since April 2023, but FTR requires it stated in code, with all four flags on ({})",
                    spelled(
                        model,
                        b.res,
                        "add an `aws_s3_bucket_public_access_block` or an `aws_s3_account_public_access_block`",
                        "add `PublicAccessBlockConfiguration`"
                    )
                )
            } else {
                let names: Vec<String> = off
                    .iter()
                    .map(|(n, _)| {
                        if terraform {
                            format!("`{n} = true`")
                        } else {
                            format!("`{n}: true`")
                        }
                    })
                    .collect();
                let whose = if pab.declared {
                    "the public access block of the bucket does not set"
                } else {
                    "the bucket has no public access block and the account-level one does not set"
                };
                format!(
                    "{whose} {}: public access can still be granted",
                    names.join(", ")
                )
            };
            out.fail(b.res, span, message);
        }
    }
}

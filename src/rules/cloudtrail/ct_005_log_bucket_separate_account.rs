//! FTR-CT-005: FTR wants trail logs in a bucket of a separate log-archive account, so a trail
//! whose bucket is created by the same code is a finding.
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct LogBucketSeparateAccount;

impl Rule for LogBucketSeparateAccount {
    fn id(&self) -> &'static str {
        "FTR-CT-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            let Some(link) = &t.bucket else {
                continue;
            };
            match link.bucket {
                Some(b) => out.fail(
                    t.res,
                    link.span,
                    format!(
                        "the trail writes to bucket `{}`, created in the same {}: deliver logs to a bucket in a separate log-archive account",
                        model.resource(model.buckets[b].res).address,
                        match model.resource(t.res).format {
                            crate::resource::Format::Terraform => "configuration",
                            crate::resource::Format::CloudFormation => "template",
                        }
                    ),
                ),
                None => out.pass(t.res),
            }
        }
    }
}

//! FTR-CT-004: the trail's log bucket (when defined in the scan) must protect its objects with
//! versioning, MFA delete or object lock.
use crate::model::s3::Setting;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct LogBucketProtection;

impl Rule for LogBucketProtection {
    fn id(&self) -> &'static str {
        "FTR-CT-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in &model.trails {
            let Some(bucket) = t.bucket.as_ref().and_then(|b| b.bucket) else {
                continue;
            };
            let b = &model.buckets[bucket];
            let trail = &model.resource(t.res).address;
            match &b.object_protection {
                Setting::On => out.pass(b.res),
                Setting::Unknown => out.unknown(b.res, "the bucket's versioning cannot be resolved"),
                Setting::Off { span } => out.fail(
                    b.res,
                    *span,
                    format!(
                        "bucket `{}` stores the logs of trail `{trail}` but has neither versioning, MFA delete nor object lock: log files can be overwritten or deleted",
                        model.resource(b.res).address
                    ),
                ),
            }
        }
    }
}

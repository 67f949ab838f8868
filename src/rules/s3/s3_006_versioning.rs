//! FTR-S3-006: bucket versioning is enabled (object lock implies it).
use crate::model::s3::Setting;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct Versioning;

impl Rule for Versioning {
    fn id(&self) -> &'static str {
        "FTR-S3-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for (k, b) in model.buckets.iter().enumerate() {
            // A CloudTrail log bucket without versioning is FTR-CT-004's finding (one defect,
            // one finding).
            let trail_bucket = model
                .trails
                .iter()
                .any(|t| t.bucket.as_ref().and_then(|tb| tb.bucket) == Some(k));
            match &b.access.versioning {
                Setting::On => out.pass(b.res),
                Setting::Unknown => out.unknown(b.res, "the bucket's versioning cannot be resolved"),
                Setting::Off { .. } if trail_bucket && matches!(b.object_protection, Setting::Off { .. }) => {}
                Setting::Off { span } => out.fail(
                    b.res,
                    *span,
                    format!(
                        "versioning is not enabled on the bucket (new buckets are unversioned by default): overwritten or deleted objects cannot be recovered; {}",
                        spelled(
                            model,
                            b.res,
                            "add an `aws_s3_bucket_versioning` with `status = \"Enabled\"`",
                            "set `VersioningConfiguration: {Status: Enabled}`"
                        )
                    ),
                ),
            }
        }
    }
}

//! CloudTrail: `aws_cloudtrail`, `AWS::CloudTrail::Trail`, linked to the log bucket.

use super::{bool_attr, designated, entry_span, of_types, set_attr};
use crate::model::cloudtrail::{Trail, TrailBucket};
use crate::model::Model;
use crate::resource::Format;

pub(super) fn adapt(model: &mut Model<'_>) {
    let resources = model.resources;
    let mut trails = Vec::new();
    for (i, r) in of_types(resources, &["aws_cloudtrail", "AWS::CloudTrail::Trail"]) {
        let b = &r.body;
        let h = r.span;
        let (multi, validation, logging, kms, bucket_key) = match r.format {
            Format::Terraform => (
                "is_multi_region_trail",
                "enable_log_file_validation",
                "enable_logging",
                "kms_key_id",
                "s3_bucket_name",
            ),
            Format::CloudFormation => (
                "IsMultiRegionTrail",
                "EnableLogFileValidation",
                "IsLogging",
                "KMSKeyId",
                "S3BucketName",
            ),
        };
        let bucket = b.entry(bucket_key).map(|e| {
            let (types, name_key): (&[&str], &str) = match r.format {
                Format::Terraform => (&["aws_s3_bucket"], "bucket"),
                Format::CloudFormation => (&["AWS::S3::Bucket"], "BucketName"),
            };
            let target = designated(model, r.scope, &e.value, types, name_key)
                .ok()
                .flatten();
            TrailBucket {
                span: entry_span(e),
                bucket: target.and_then(|t| model.buckets.iter().position(|bk| bk.res == t)),
            }
        });
        trails.push(Trail {
            res: i,
            multi_region: bool_attr(b, multi, h),
            log_file_validation: bool_attr(b, validation, h),
            logging: bool_attr(b, logging, h),
            kms_key: set_attr(b, kms, h),
            bucket,
        });
    }
    model.trails = trails;
}

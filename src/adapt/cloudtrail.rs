//! CloudTrail: `aws_cloudtrail`, `AWS::CloudTrail::Trail`, linked to the log bucket.

use super::declarative::field;
use super::{designated, entry_span, of_types};
use crate::model::cloudtrail::{Trail, TrailBucket};
use crate::model::Model;
use crate::resource::Format;

pub(super) fn adapt(model: &mut Model<'_>) {
    let resources = model.resources;
    let mut trails = Vec::new();
    for (i, r) in of_types(resources, &["aws_cloudtrail", "AWS::CloudTrail::Trail"]) {
        let b = &r.body;
        let bucket_key = match r.format {
            Format::Terraform => "s3_bucket_name",
            Format::CloudFormation => "S3BucketName",
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
            multi_region: field(r, "is_multi_region_trail", "IsMultiRegionTrail"),
            log_file_validation: field(r, "enable_log_file_validation", "EnableLogFileValidation"),
            logging: field(r, "enable_logging", "IsLogging"),
            kms_key: field(r, "kms_key_id", "KMSKeyId"),
            bucket,
        });
    }
    model.trails = trails;
}

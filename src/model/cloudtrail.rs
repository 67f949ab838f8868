//! CloudTrail trails (`aws_cloudtrail`, `AWS::CloudTrail::Trail`).

use super::Attr;
use crate::graph::ResIdx;
use crate::source::Span;

#[derive(Debug, Clone)]
pub struct Trail {
    pub res: ResIdx,
    pub multi_region: Attr<bool>,
    pub log_file_validation: Attr<bool>,
    pub logging: Attr<bool>,
    /// Set to anything (the key id itself does not matter).
    pub kms_key: Attr<super::declare::Set>,
    pub bucket: Option<TrailBucket>,
}

/// The trail's log bucket setting and, when it is a bucket of the scan, that bucket.
#[derive(Debug, Clone)]
pub struct TrailBucket {
    /// The `s3_bucket_name` / `S3BucketName` attribute.
    pub span: Span,
    /// Index into `Model::buckets`.
    pub bucket: Option<usize>,
}

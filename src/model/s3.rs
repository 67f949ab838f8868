//! S3 buckets with their split configuration resources joined in.

use crate::graph::ResIdx;
use crate::source::Span;

/// Whether a setting is in place, joined over the bucket and its split resources.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    On,
    /// Not in place; `span` is where to report (a `Suspended` status, else the bucket header).
    Off {
        span: Span,
    },
    /// Cannot tell (an unknown value, or a configuration resource whose bucket is unknown).
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub res: ResIdx,
    /// The literal bucket name, when written (`bucket`, `BucketName`).
    pub name: Option<String>,
    /// Versioning enabled, MFA delete, or object lock: protection of the objects.
    pub object_protection: Setting,
    /// A default encryption configuration.
    pub encryption: Setting,
    /// When `encryption` is off in every branch of an undecided `Fn::If`: those branches
    /// ("when `C` is true; when `C` is false"), for the message.
    pub encryption_branches: Option<String>,
}

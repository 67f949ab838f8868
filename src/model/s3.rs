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
    /// Public access, ACL, policy, versioning and logging (FTR-S3-001…007).
    pub access: BucketAccess,
}

/// The four S3 Block Public Access flags, in the order of [`PublicAccessBlock::flags`].
pub const PAB_FLAGS: [(&str, &str); 4] = [
    ("block_public_acls", "BlockPublicAcls"),
    ("block_public_policy", "BlockPublicPolicy"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("restrict_public_buckets", "RestrictPublicBuckets"),
];

/// S3 Block Public Access as it applies to one bucket: its own block (Terraform
/// `aws_s3_bucket_public_access_block`, CloudFormation `PublicAccessBlockConfiguration`)
/// combined flag by flag with an account-level `aws_s3_account_public_access_block` of the same
/// configuration (S3 applies the most restrictive of the two).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicAccessBlock {
    /// Each flag of [`PAB_FLAGS`]: on, off (where: the `false` flag, the block, or the bucket
    /// header when there is no block), or unknown.
    pub flags: [Setting; 4],
    /// A bucket-level block is declared.
    pub declared: bool,
}

impl PublicAccessBlock {
    /// All four flags on.
    pub fn all_on(&self) -> bool {
        self.flags.iter().all(|f| *f == Setting::On)
    }
    /// A flag of [`PAB_FLAGS`] by its Terraform name is certainly on.
    pub fn is_on(&self, terraform_name: &str) -> bool {
        PAB_FLAGS
            .iter()
            .position(|(tf, _)| *tf == terraform_name)
            .is_some_and(|i| self.flags[i] == Setting::On)
    }
}

/// Whether the bucket grants public access through an ACL.
#[derive(Debug, Clone, PartialEq)]
pub enum Acl {
    /// A public canned ACL or a grant to everyone / any AWS user: what and where.
    Public {
        what: String,
        span: Span,
    },
    NotPublic,
    Unknown,
}

/// The bucket policies of a bucket, read as policy documents.
#[derive(Debug, Clone, Default)]
pub struct BucketPolicies {
    pub documents: Vec<crate::iam::PolicyDocument>,
    /// A policy of the bucket (or one that may be of the bucket) could not be read: a rule must
    /// not conclude that no statement exists.
    pub incomplete: bool,
}

/// The S3 access, protection and logging settings of a bucket (FTR-S3-001…007).
#[derive(Debug, Clone)]
pub struct BucketAccess {
    pub public_access_block: PublicAccessBlock,
    pub acl: Acl,
    /// Object ownership `BucketOwnerEnforced`: ACLs are disabled and grant nothing.
    pub acls_disabled: bool,
    pub policies: BucketPolicies,
    /// Versioning enabled (object lock implies it).
    pub versioning: Setting,
    /// Server access logging configured.
    pub logging: Setting,
    /// Why the bucket is a destination of server access logs (it need not log itself), if it
    /// is one.
    pub log_destination: Option<&'static str>,
}

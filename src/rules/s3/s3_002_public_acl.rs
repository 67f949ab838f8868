//! FTR-S3-002: no bucket is made public by its ACL.
use crate::model::s3::Acl;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct PublicAcl;

impl Rule for PublicAcl {
    fn id(&self) -> &'static str {
        "FTR-S3-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            match &b.access.acl {
                Acl::NotPublic => out.pass(b.res),
                Acl::Unknown => out.unknown(b.res, "the bucket's ACL cannot be resolved"),
                // ACLs are disabled, or Block Public Access ignores public ACLs: they grant
                // nothing.
                Acl::Public { .. }
                    if b.access.acls_disabled
                        || b.access.public_access_block.is_on("ignore_public_acls") =>
                {
                    out.pass(b.res)
                }
                Acl::Public { what, span } => out.fail(
                    b.res,
                    *span,
                    format!(
                        "{what} opens the bucket to everyone (or every AWS account): remove it ({})",
                        spelled(
                            model,
                            b.res,
                            "use `private`, or disable ACLs with `object_ownership = \"BucketOwnerEnforced\"`",
                            "use `Private`, or disable ACLs with `ObjectOwnership: BucketOwnerEnforced`"
                        )
                    ),
                ),
            }
        }
    }
}

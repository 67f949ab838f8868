//! FTR-S3-003: no bucket policy statement allows anyone (`*`) without a condition that narrows
//! down who (a VPC endpoint, the organization, a source ARN or account, …).
use crate::iam::public::{describe_unrestricted, grantee_anyone, restriction, Anyone, Restriction};
use crate::iam::Effect;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct PublicPolicy;

impl Rule for PublicPolicy {
    fn id(&self) -> &'static str {
        "FTR-S3-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for b in &model.buckets {
            let policies = &b.access.policies;
            let mut open = None;
            let mut unknown = policies.incomplete;
            for s in policies.documents.iter().flat_map(|d| &d.statements) {
                // A `Deny` never grants anything.
                match s.effect {
                    Effect::Deny => continue,
                    Effect::Unknown => {
                        unknown = true;
                        continue;
                    }
                    Effect::Allow => {}
                }
                match (grantee_anyone(s), restriction(&s.conditions)) {
                    (Anyone::Yes(span), Restriction::None) => {
                        open.get_or_insert((span, describe_unrestricted(&s.conditions)));
                    }
                    (Anyone::No, _) | (Anyone::Yes(_), Restriction::Restricted) => {}
                    _ => unknown = true,
                }
            }
            match open {
                // Block Public Access restricts a public policy to the account's own principals.
                Some(_)
                    if b
                        .access
                        .public_access_block
                        .is_on("restrict_public_buckets") =>
                {
                    out.pass(b.res)
                }
                Some((span, how)) => out.fail(
                    b.res,
                    span,
                    format!(
                        "the bucket policy allows anyone (`*`) {}: restrict the principal, or add a condition such as `aws:SourceVpce`, `aws:PrincipalOrgID` or `aws:SourceArn`",
                        how
                    ),
                ),
                None if unknown => out.unknown(b.res, "a bucket policy cannot be fully resolved"),
                None => out.pass(b.res),
            }
        }
    }
}

//! FTR-IAM-002: the AWS managed `AdministratorAccess` policy must not be attached.
use crate::iam::matching::partial_is_other_policy;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct AdministratorAccessAttached;

impl Rule for AdministratorAccessAttached {
    fn id(&self) -> &'static str {
        "FTR-IAM-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for a in &model.iam.attachments {
            if a.is_administrator_access {
                let whom: Vec<&str> = a
                    .principals
                    .iter()
                    .map(|&p| model.resource(p).address.as_str())
                    .collect();
                let whom = if whom.is_empty() {
                    String::new()
                } else {
                    format!(" to `{}`", whom.join("`, `"))
                };
                out.fail(
                    a.res,
                    a.span,
                    format!("the AWS managed policy AdministratorAccess is attached{whom}: attach a least-privilege policy instead"),
                );
            } else if a.arn.contains_unknown()
                && a.policy.is_none()
                && !a
                    .arn
                    .as_unknown()
                    .and_then(|u| u.partial.as_deref())
                    .is_some_and(partial_is_other_policy)
            {
                out.unknown(a.res, "the attached policy ARN cannot be resolved");
            } else {
                out.pass(a.res);
            }
        }
    }
}

//! FTR-XA-005: a role must not be assumable by anyone.
use super::trusts;
use crate::iam::Conditions;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct WildcardPrincipal;

impl Rule for WildcardPrincipal {
    fn id(&self) -> &'static str {
        "FTR-XA-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in trusts(model) {
            let Some(span) = t.wildcard else {
                continue;
            };
            match &t.statement.conditions {
                Conditions::None => out.fail(
                    t.role,
                    span,
                    format!(
                        "role `{}` can be assumed by any AWS principal (`*`) with no condition: name the partner account and require an external ID",
                        model.resource(t.role).address
                    ),
                ),
                Conditions::Known(c) if c.is_empty() => out.fail(
                    t.role,
                    span,
                    format!(
                        "role `{}` can be assumed by any AWS principal (`*`) with an empty condition",
                        model.resource(t.role).address
                    ),
                ),
                Conditions::Known(_) => out.pass(t.role),
                Conditions::Unknown => out.unknown(t.role, "the trust policy's conditions cannot be resolved"),
            }
        }
    }
}

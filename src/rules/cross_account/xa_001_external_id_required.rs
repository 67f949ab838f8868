//! FTR-XA-001: a role another account can assume must require an external ID.
use super::{external_id_conditions, trusts};
use crate::iam::Conditions;
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::value::Kind;

pub struct ExternalIdRequired;

impl Rule for ExternalIdRequired {
    fn id(&self) -> &'static str {
        "FTR-XA-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in trusts(model) {
            let Some((span, who)) = t.external.first() else {
                continue;
            };
            let s = t.statement;
            if matches!(s.conditions, Conditions::Unknown) {
                out.unknown(t.role, "the trust policy's conditions cannot be resolved");
                continue;
            }
            let has_external_id = !external_id_conditions(s).is_empty();
            let mfa = s
                .conditions
                .find("aws:MultiFactorAuthPresent", |op| {
                    op.eq_ignore_ascii_case("Bool") || op.eq_ignore_ascii_case("BoolIfExists")
                })
                .any(|c| {
                    c.values
                        .iter()
                        .any(|v| v.as_bool() == Some(true) || matches!(v.kind, Kind::Unknown(_)))
                });
            let org = s
                .conditions
                .find("aws:PrincipalOrgID", |_| true)
                .next()
                .is_some();
            if has_external_id || mfa || org {
                out.pass(t.role);
            } else {
                out.fail(
                    t.role,
                    *span,
                    format!(
                        "role `{}` can be assumed by {who} without an external ID: add {} with a unique, partner-generated value (confused deputy)",
                        model.resource(t.role).address,
                        spelled(
                            model,
                            t.role,
                            "a `StringEquals` condition on `sts:ExternalId`",
                            "`Condition: StringEquals: sts:ExternalId`"
                        )
                    ),
                );
            }
        }
    }
}

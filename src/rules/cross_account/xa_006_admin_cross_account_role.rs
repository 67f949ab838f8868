//! FTR-XA-006: a role other accounts can assume must not carry administrator power.
use super::trusts;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct AdminCrossAccountRole;

impl Rule for AdminCrossAccountRole {
    fn id(&self) -> &'static str {
        "FTR-XA-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let mut roles: Vec<usize> = trusts(model)
            .into_iter()
            .filter(|t| t.is_cross_account())
            .map(|t| t.role)
            .collect();
        roles.dedup();
        for role in roles {
            let iam = &model.iam;
            let managed_admin = iam
                .attachments
                .iter()
                .any(|a| a.is_administrator_access && a.principals.contains(&role));
            let admin_policy = iam
                .policies
                .iter()
                .filter(|p| p.principals.contains(&role))
                .find(|p| {
                    p.doc
                        .statements
                        .iter()
                        .any(|s| s.full_admin_action_span().is_some())
                });
            let r = model.resource(role);
            if managed_admin {
                out.fail(
                    role,
                    r.span,
                    format!("cross-account role `{}` has the AdministratorAccess policy: grant the partner only the permissions its product needs", r.address),
                );
            } else if let Some(p) = admin_policy {
                out.fail(
                    role,
                    r.span,
                    format!(
                        "cross-account role `{}` is given every action on every resource by `{}`: grant the partner only the permissions its product needs",
                        r.address,
                        model.resource(p.res).address
                    ),
                );
            } else {
                out.pass(role);
            }
        }
    }
}

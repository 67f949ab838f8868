//! FTR-IAM-001: no identity policy may allow `*` on `*` (CIS 1.22).
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct FullAdminStatement;

impl Rule for FullAdminStatement {
    fn id(&self) -> &'static str {
        "FTR-IAM-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in &model.iam.policies {
            let mut failed = false;
            for s in &p.doc.statements {
                if let Some(span) = s.full_admin_action_span() {
                    failed = true;
                    out.fail(
                        p.res,
                        span,
                        format!(
                            "the policy allows every action on every resource ({}): grant only the actions and resources needed",
                            spelled(
                                model,
                                p.res,
                                "action `*` on resource `*`",
                                "`Action: \"*\"` on `Resource: \"*\"`"
                            )
                        ),
                    );
                }
            }
            if !failed {
                // A statement that may allow (effect unknown, or Allow) an action that may be
                // `*` on a resource that may be `*` is not verified; one whose known parts rule
                // that out (`sqs:ReceiveMessage`, `arn:…/${P}/*`) passes.
                let undecided = p.doc.statements.iter().any(|s| s.may_be_full_admin());
                if p.doc.complete && !undecided {
                    out.pass(p.res);
                } else {
                    out.unknown(p.res, "parts of the policy document cannot be resolved");
                }
            }
        }
    }
}

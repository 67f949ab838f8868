//! FTR-IAM-003: identity policies must not allow a whole service (`s3:*`) or everything but
//! some actions (`Allow` + `NotAction`).
use crate::iam::{Effect, Statement};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::source::Span;

pub struct ServiceWildcard;

/// `service:*`: every action of one service (`ec2:Describe*` is a partial wildcard, fine).
fn is_service_wildcard(action: &str) -> bool {
    action.trim().split_once(':').is_some_and(|(svc, rest)| {
        rest == "*" && !svc.is_empty() && svc != "*" && !svc.contains('*')
    })
}

/// The defect of an `Allow` statement, if any: where, and what it allows.
fn defect(s: &Statement) -> Option<(Span, String)> {
    if s.effect != Effect::Allow || s.full_admin_action_span().is_some() {
        // `*` on `*` is FTR-IAM-001's (one defect, one finding).
        return None;
    }
    if let Some(a) = &s.action {
        let mut wild: Vec<&str> = a.strings().filter(|x| is_service_wildcard(x)).collect();
        wild.sort_unstable();
        wild.dedup();
        // `*` on a narrower resource: every action of every service on it.
        let all = a.strings().any(crate::iam::matching::is_full_wildcard_action);
        if all {
            return Some((a.span, "every action (`*`)".to_string()));
        }
        if !wild.is_empty() {
            return Some((
                a.span,
                format!("every action of a service (`{}`)", wild.join("`, `")),
            ));
        }
    }
    if let Some(n) = &s.not_action {
        return Some((n.span, "every action except those listed".to_string()));
    }
    None
}

impl Rule for ServiceWildcard {
    fn id(&self) -> &'static str {
        "FTR-IAM-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in &model.iam.policies {
            let mut failed = false;
            for s in &p.doc.statements {
                if let Some((span, what)) = defect(s) {
                    failed = true;
                    let not_action = spelled(model, p.res, "not_actions", "NotAction");
                    let fix = if what.starts_with("every action except") {
                        format!("allows {what} (`Allow` with `{not_action}`)")
                    } else {
                        format!("allows {what}")
                    };
                    out.fail(
                        p.res,
                        span,
                        format!("the policy {fix}: list only the actions needed"),
                    );
                }
            }
            if failed {
                continue;
            }
            // A statement that may allow with an unknown action list could hold a wildcard.
            let undecided = p.doc.statements.iter().any(|s| {
                s.effect != Effect::Deny
                    && (s.action.as_ref().is_some_and(|a| a.has_unknown())
                        || (s.effect == Effect::Unknown
                            && (s.not_action.is_some()
                                || s.action.as_ref().is_some_and(|a| {
                                    a.strings().any(|x| {
                                        is_service_wildcard(x)
                                            || crate::iam::matching::is_full_wildcard_action(x)
                                    })
                                }))))
            });
            if p.doc.complete && !undecided {
                out.pass(p.res);
            } else {
                out.unknown(p.res, "parts of the policy document cannot be resolved");
            }
        }
    }
}

//! FTR-IAM-012: policies are attached to groups or roles, not directly to IAM users.
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::value::{Kind, Value};

pub struct UserPolicy;

/// Whether a user list names at least one user: `Some(true)` yes, `Some(false)` no,
/// `None` unknown.
fn names_users(v: &Value) -> Option<bool> {
    match &v.kind {
        Kind::Null => Some(false),
        Kind::List(items) => Some(!items.is_empty()),
        Kind::String(s) => Some(!s.is_empty()),
        _ => None,
    }
}

impl Rule for UserPolicy {
    fn id(&self) -> &'static str {
        "FTR-IAM-012"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let message = |res| {
            format!(
                "a policy is attached directly to an IAM user: attach it to a group the user is in ({}), or to a role",
                spelled(model, res, "aws_iam_group_policy_attachment", "AWS::IAM::Group")
            )
        };
        // Resources that always attach to one user.
        for t in ["aws_iam_user_policy", "aws_iam_user_policy_attachment"] {
            for &i in model.of_type(t) {
                let r = model.resource(i);
                let span = r.body.entry("user").map_or(r.span, |e| e.key_span);
                out.fail(i, span, message(i));
            }
        }
        // Resources that attach to users among others, or carry a user's policies.
        // (A Terraform user holds no policy itself: examined, it passes.)
        let lists: [(&str, &[&str]); 5] = [
            ("aws_iam_user", &[]),
            ("aws_iam_policy_attachment", &["users"]),
            ("AWS::IAM::User", &["Policies", "ManagedPolicyArns"]),
            ("AWS::IAM::Policy", &["Users"]),
            ("AWS::IAM::ManagedPolicy", &["Users"]),
        ];
        for (t, keys) in lists {
            for &i in model.of_type(t) {
                let r = model.resource(i);
                let mut verdict = Some(false);
                for key in keys {
                    let Some(e) = r.body.entry(key) else {
                        continue;
                    };
                    match names_users(&e.value) {
                        Some(true) => {
                            verdict = Some(true);
                            out.fail(i, e.key_span, message(i));
                            break;
                        }
                        Some(false) => {}
                        None => verdict = None,
                    }
                }
                match verdict {
                    Some(true) => {}
                    Some(false) => out.pass(i),
                    None => out.unknown(i, "the attached users cannot be resolved"),
                }
            }
        }
    }
}

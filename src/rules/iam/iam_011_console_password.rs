//! FTR-IAM-011: no IAM user console passwords from code (CIS 1.2: MFA cannot be enforced
//! from code; prefer federation).
use crate::model::iam_user::ConsoleLogin;
use crate::model::{Attr, Model};
use crate::resource::Format;
use crate::rules::{Outcomes, Rule, Verdict};

pub struct ConsolePassword;

const MESSAGE: &str = "the IAM user gets a console password: MFA cannot be enforced from code; give people federated access (IAM Identity Center) instead";

impl Rule for ConsolePassword {
    fn id(&self) -> &'static str {
        "FTR-IAM-011"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for l in model.all::<ConsoleLogin>() {
            let r = model.resource(l.res);
            match r.rtype.as_str() {
                // The login profile resource is the console password itself.
                "aws_iam_user_login_profile" => {
                    out.fail(l.res, r.span, MESSAGE);
                    continue;
                }
                _ if r.format == Format::Terraform => {
                    out.pass(l.res);
                    continue;
                }
                _ => {}
            }
            out.judge(l.res, &l.login_profile, |a| match a {
                Attr::Known { span, .. } => Verdict::fail(*span, MESSAGE),
                Attr::Absent { .. } => Verdict::Pass,
                _ => Verdict::Unknown("the login profile cannot be resolved".into()),
            });
        }
    }
}

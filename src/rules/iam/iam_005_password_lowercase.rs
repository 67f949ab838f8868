//! FTR-IAM-005: the account password policy must require at least one lowercase letter (CIS).
use crate::model::password_policy::PasswordPolicy;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct RequireLowercase;

impl Rule for RequireLowercase {
    fn id(&self) -> &'static str {
        "FTR-IAM-005"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<PasswordPolicy>() {
            out.require_true(
                p.res,
                &p.require_lowercase,
                true,
                "the password policy does not require a lowercase letter",
                "the password policy does not require a lowercase letter (the default): set `require_lowercase_characters = true`",
            );
        }
    }
}

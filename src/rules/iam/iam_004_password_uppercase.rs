//! FTR-IAM-004: the account password policy must require at least one uppercase letter (CIS).
use crate::model::password_policy::PasswordPolicy;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct RequireUppercase;

impl Rule for RequireUppercase {
    fn id(&self) -> &'static str {
        "FTR-IAM-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<PasswordPolicy>() {
            out.require_true(
                p.res,
                &p.require_uppercase,
                true,
                "the password policy does not require an uppercase letter",
                "the password policy does not require an uppercase letter (the default): set `require_uppercase_characters = true`",
            );
        }
    }
}

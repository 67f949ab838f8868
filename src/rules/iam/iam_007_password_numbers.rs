//! FTR-IAM-007: the account password policy must require at least one number (CIS).
use crate::model::password_policy::PasswordPolicy;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct RequireNumbers;

impl Rule for RequireNumbers {
    fn id(&self) -> &'static str {
        "FTR-IAM-007"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<PasswordPolicy>() {
            out.require_true(
                p.res,
                &p.require_numbers,
                true,
                "the password policy does not require a number",
                "the password policy does not require a number (the default): set `require_numbers = true`",
            );
        }
    }
}

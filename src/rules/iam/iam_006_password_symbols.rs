//! FTR-IAM-006: the account password policy must require at least one symbol (CIS).
use crate::model::password_policy::PasswordPolicy;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct RequireSymbols;

impl Rule for RequireSymbols {
    fn id(&self) -> &'static str {
        "FTR-IAM-006"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for p in model.all::<PasswordPolicy>() {
            out.require_true(
                p.res,
                &p.require_symbols,
                true,
                "the password policy does not require a symbol",
                "the password policy does not require a symbol (the default): set `require_symbols = true`",
            );
        }
    }
}

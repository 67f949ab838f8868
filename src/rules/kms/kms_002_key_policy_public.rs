//! FTR-KMS-002: no key policy allows `kms:*` (or `*`) to anyone without a condition.
use crate::iam::matching::glob_match_ci;
use crate::iam::public::{anyone, describe_unrestricted, restriction, Anyone, Restriction};
use crate::iam::Effect;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct KeyPolicyPublic;

impl Rule for KeyPolicyPublic {
    fn id(&self) -> &'static str {
        "FTR-KMS-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for k in &model.kms {
            let mut open = None;
            let mut unknown = k.policy_incomplete;
            for s in k.policies.iter().flat_map(|d| &d.statements) {
                match s.effect {
                    Effect::Deny => continue,
                    Effect::Unknown => {
                        unknown = true;
                        continue;
                    }
                    Effect::Allow => {}
                }
                let Some(action) = &s.action else { continue };
                if !action.strings().any(|p| glob_match_ci(p.trim(), "kms:*")) {
                    unknown |= action.has_unknown();
                    continue;
                }
                match (anyone(s.principal.as_ref()), restriction(&s.conditions)) {
                    (Anyone::Yes(span), Restriction::None) => {
                        open.get_or_insert((span, describe_unrestricted(&s.conditions)));
                    }
                    (Anyone::No, _) | (Anyone::Yes(_), Restriction::Restricted) => {}
                    _ => unknown = true,
                }
            }
            match open {
                Some((span, how)) => out.fail(
                    k.res,
                    span,
                    format!("the key policy allows every KMS action to anyone (`*`) {how}: grant `kms:*` only to the account root (`arn:aws:iam::<account>:root`) and name the principals that use the key"),
                ),
                None if unknown => out.unknown(k.res, "the key policy cannot be fully resolved"),
                None => out.pass(k.res),
            }
        }
    }
}

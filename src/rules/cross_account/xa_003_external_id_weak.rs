//! FTR-XA-003: the external ID must be matched exactly, and must not be empty or short.
use super::{external_id_conditions, is_string_like, trusts, MIN_EXTERNAL_ID_LEN};
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct ExternalIdWeak;

impl Rule for ExternalIdWeak {
    fn id(&self) -> &'static str {
        "FTR-XA-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in trusts(model) {
            // Only cross-account trusts (the catalog's section 3): an external ID on a trust of
            // the same account guards nothing a partner could confuse.
            if t.external.is_empty() && t.wildcard.is_none() {
                continue;
            }
            let role = &model.resource(t.role).address;
            for c in external_id_conditions(t.statement) {
                let mut failed = false;
                for v in &c.values {
                    let Some(id) = v.as_str() else {
                        continue;
                    };
                    if is_string_like(&c.operator) && (id.contains('*') || id.contains('?')) {
                        failed = true;
                        out.fail(
                            t.role,
                            c.key_span,
                            format!("role `{role}` matches the external ID with `StringLike` and a wildcard (`{id}`): any value matching the pattern is accepted; use `StringEquals` with the exact ID"),
                        );
                    } else if id.chars().count() < MIN_EXTERNAL_ID_LEN {
                        failed = true;
                        let what = if id.is_empty() {
                            "empty".to_string()
                        } else {
                            format!("only {} characters long", id.chars().count())
                        };
                        out.fail(
                            t.role,
                            c.key_span,
                            format!("the external ID of role `{role}` is {what}: use a unique, random, partner-generated value (e.g. a UUID)"),
                        );
                    }
                }
                if !failed {
                    out.pass(t.role);
                }
            }
        }
    }
}

//! FTR-XA-002: the external ID must be supplied per customer, not written in the template.
use super::{external_id_conditions, is_string_equals, trusts, MIN_EXTERNAL_ID_LEN};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::value::Origin;

pub struct ExternalIdLiteral;

impl Rule for ExternalIdLiteral {
    fn id(&self) -> &'static str {
        "FTR-XA-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for t in trusts(model) {
            for c in external_id_conditions(t.statement) {
                if !is_string_equals(&c.operator) {
                    continue;
                }
                for v in &c.values {
                    let Some(id) = v.as_str() else {
                        out.pass(t.role);
                        continue;
                    };
                    // Short or empty literals are FTR-XA-003's (one defect, one finding).
                    if id.chars().count() < MIN_EXTERNAL_ID_LEN {
                        continue;
                    }
                    let source = match &*v.origin {
                        Origin::Cli(_) => {
                            out.pass(t.role);
                            continue;
                        }
                        Origin::Literal => "is a literal in the code".to_string(),
                        Origin::Condition(c) => {
                            format!("is a literal in the code ({})", c.describe())
                        }
                        Origin::Default(n) => format!("comes from the default of `{n}`"),
                        Origin::ValueFile(n) => {
                            format!("comes from a committed value file (`{n}`)")
                        }
                        Origin::Mapping => "comes from the template's Mappings".to_string(),
                    };
                    out.fail(
                        t.role,
                        c.key_span,
                        format!(
                            "the external ID of role `{}` {source}: every customer who deploys it gets the same value; take it from a {} filled with a unique partner-generated ID per customer",
                            model.resource(t.role).address,
                            spelled(model, t.role, "variable", "parameter")
                        ),
                    );
                }
            }
        }
    }
}

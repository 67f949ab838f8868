//! FTR-XA-004: the parameter/variable that carries the external ID should be constrained, so a
//! customer cannot deploy with an empty or guessable value.
use super::{external_id_conditions, trusts};
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};
use crate::value::{Kind, Origin, RefKind};

pub struct ExternalIdUnconstrained;

impl Rule for ExternalIdUnconstrained {
    fn id(&self) -> &'static str {
        "FTR-XA-004"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let mut reported: Vec<(u32, String)> = Vec::new();
        for t in trusts(model) {
            let Some(scope) = model.scope_of(t.role) else {
                continue;
            };
            for c in external_id_conditions(t.statement) {
                for v in &c.values {
                    let mut names: Vec<&str> = match &v.kind {
                        Kind::Unknown(u) => u
                            .refs
                            .iter()
                            .filter(|r| r.kind == RefKind::Input)
                            .map(|r| r.target.as_str())
                            .collect(),
                        _ => Vec::new(),
                    };
                    if let Origin::Default(n) | Origin::Cli(n) | Origin::ValueFile(n) = &*v.origin {
                        names.push(n);
                    }
                    for name in names {
                        let Some(input) = scope.input(name) else {
                            continue;
                        };
                        let key = (model.resource(t.role).scope.0, name.to_string());
                        if input.constrained {
                            out.pass(t.role);
                        } else if !reported.contains(&key) {
                            reported.push(key);
                            out.fail(
                                t.role,
                                input.span,
                                format!(
                                    "`{name}` feeds the external ID of role `{}` but accepts any value: add {} (e.g. a UUID pattern) so an empty or guessable ID is rejected",
                                    model.resource(t.role).address,
                                    spelled(model, t.role, "a `validation` block", "`AllowedPattern`")
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

//! FTR-NET-002: no ingress from the whole Internet to ports other than 80 and 443. A rule that
//! also opens 22 or 3389 is FTR-NET-001's (one defect, one finding).
use super::net_001_admin_ports_open::admin_ports;
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct PortsOpenToWorld;

impl Rule for PortsOpenToWorld {
    fn id(&self) -> &'static str {
        "FTR-NET-002"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for rule in &model.network.ingress {
            let Some(first) = rule.open.first() else {
                if rule.unknown_source {
                    out.unknown_at(rule.res, rule.span, "the source of the rule cannot be resolved statically");
                } else {
                    out.pass(rule.res);
                }
                continue;
            };
            match (admin_ports(rule), rule.ports.only_web()) {
                (None, _) | (_, None) => {
                    out.unknown_at(rule.res, rule.span, "the ports of the rule cannot be resolved statically")
                }
                // Reported by FTR-NET-001.
                (Some(admin), _) if !admin.is_empty() => {}
                (_, Some(true)) => out.pass(rule.res),
                (_, Some(false)) => out.fail(
                    rule.res,
                    first.span,
                    format!(
                        "ingress from {} (the whole Internet) to {}, not only 80 or 443{}",
                        rule.open_cidrs(),
                        rule.ports.describe(),
                        first.origin_note()
                    ),
                ),
            }
        }
    }
}

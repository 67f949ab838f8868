//! FTR-NET-001: no ingress from the whole Internet to SSH (22) or RDP (3389).
use crate::model::network::{Ingress, Ports};
use crate::model::Model;
use crate::rules::{Outcomes, Rule};

pub struct AdminPortsOpen;

/// The administration ports an ingress rule opens (`None`: the ports are unknown).
pub(crate) fn admin_ports(rule: &Ingress) -> Option<Vec<&'static str>> {
    let mut hit = Vec::new();
    for (port, name) in [(22, "22 (SSH)"), (3389, "3389 (RDP)")] {
        if rule.ports.includes(port)? {
            hit.push(name);
        }
    }
    Some(hit)
}

impl Rule for AdminPortsOpen {
    fn id(&self) -> &'static str {
        "FTR-NET-001"
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
            match admin_ports(rule) {
                None => out.unknown_at(rule.res, rule.span, "the ports of the rule cannot be resolved statically"),
                Some(hit) if hit.is_empty() => out.pass(rule.res),
                Some(hit) => out.fail(
                    rule.res,
                    first.span,
                    format!(
                        "ingress from {} (the whole Internet) to {}{}",
                        rule.open_cidrs(),
                        match rule.ports {
                            Ports::Range(a, b) if a == b => format!("port {}", hit.join(" and ")),
                            _ => format!(
                                "{}, including port {}",
                                rule.ports.describe(),
                                hit.join(" and ")
                            ),
                        },
                        first.origin_note()
                    ),
                ),
            }
        }
    }
}

//! FTR-NET-003: the default security group of a VPC must have no rules (CIS 5.4).
use crate::model::Model;
use crate::rules::{spelled, Outcomes, Rule};

pub struct DefaultSecurityGroupRules;

impl Rule for DefaultSecurityGroupRules {
    fn id(&self) -> &'static str {
        "FTR-NET-003"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        for g in &model.network.default_groups {
            match g.rules.first() {
                Some(first) => {
                    let n = g.rules.len();
                    let rules = if n == 1 {
                        "1 rule".to_string()
                    } else {
                        format!("{n} rules")
                    };
                    out.fail(
                        g.res,
                        *first,
                        format!(
                            "the VPC's default security group has {rules}: {}",
                            spelled(
                                model,
                                g.res,
                                "leave `aws_default_security_group` without `ingress` and `egress` so it allows no traffic, and attach dedicated groups",
                                "attach dedicated security groups instead of adding rules to `DefaultSecurityGroup`"
                            )
                        ),
                    );
                }
                None if g.unknown => {
                    out.unknown(g.res, "its rules cannot be resolved statically")
                }
                None => out.pass(g.res),
            }
        }
    }
}

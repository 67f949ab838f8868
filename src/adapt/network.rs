//! Network: security-group ingress in every form (inline blocks, rule resources, CloudFormation
//! properties and resources), default security groups with rules, VPCs and their flow logs.

use super::entry_span;
use crate::graph::ResIdx;
use crate::model::network::{DefaultGroup, FlowLogs, Ingress, Network, OpenSource, Ports, Vpc};
use crate::model::Model;
use crate::resource::{Format, Mode, Resource, ScopeId};
use crate::source::Span;
use crate::value::{Kind, RefKind, Value};
use std::collections::{HashMap, HashSet};

/// The keys of one rule form: protocol, from port, to port, and the CIDR attributes.
struct Keys {
    protocol: &'static str,
    from: &'static str,
    to: &'static str,
    cidrs: &'static [&'static str],
}

const TF_RULE: Keys = Keys {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    cidrs: &["cidr_blocks", "ipv6_cidr_blocks"],
};
const TF_VPC_RULE: Keys = Keys {
    protocol: "ip_protocol",
    from: "from_port",
    to: "to_port",
    cidrs: &["cidr_ipv4", "cidr_ipv6"],
};
const CFN_RULE: Keys = Keys {
    protocol: "IpProtocol",
    from: "FromPort",
    to: "ToPort",
    cidrs: &["CidrIp", "CidrIpv6"],
};

/// The Internet as a source.
fn is_world(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0")
}

fn port(v: Option<&Value>) -> Option<f64> {
    let v = v?;
    if v.contains_unknown() {
        return None;
    }
    v.as_f64()
}

/// Protocol and port bounds → the ports opened (an interval; `-1` / `all` is everything).
fn ports(rule: &Value, k: &Keys) -> Ports {
    let Some(p) = rule.get(k.protocol) else {
        return Ports::Unknown;
    };
    let proto = match &p.kind {
        Kind::String(s) => s.trim().to_ascii_lowercase(),
        Kind::Number(n) => n.to_string(),
        _ => return Ports::Unknown,
    };
    match proto.as_str() {
        "-1" | "all" => Ports::All,
        "tcp" | "udp" | "6" | "17" => {
            let (Some(from), Some(to)) = (port(rule.get(k.from)), port(rule.get(k.to))) else {
                return Ports::Unknown;
            };
            // `-1` bounds mean the whole range.
            let clamp = |n: f64, neg: u16| {
                if n < 0.0 {
                    neg
                } else {
                    n.min(65535.0) as u16
                }
            };
            let (a, b) = (clamp(from, 0), clamp(to, 65535));
            if a > b {
                Ports::Unknown
            } else {
                Ports::Range(a, b)
            }
        }
        _ => Ports::Portless,
    }
}

/// Reads the sources of one rule: CIDRs open to the world, and whether any is unknown.
fn sources(rule: &Value, k: &Keys, open: &mut Vec<OpenSource>, unknown: &mut bool) {
    for key in k.cidrs {
        let Some(e) = rule.entry(key) else {
            continue;
        };
        let span = entry_span(e);
        let items: Vec<&Value> = match &e.value.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Null => Vec::new(),
            _ => vec![&e.value],
        };
        for item in items {
            match &item.kind {
                Kind::String(s) if is_world(s) => open.push(OpenSource {
                    cidr: s.trim().to_string(),
                    span,
                    origin: (*item.origin).clone(),
                }),
                Kind::String(_) | Kind::Null => {}
                _ => *unknown = true,
            }
        }
    }
}

fn ingress(res: ResIdx, rule: &Value, span: Span, k: &Keys) -> Ingress {
    if rule.alternatives().is_some() || rule.as_map().is_none() {
        return unknown_ingress(res, span);
    }
    let mut open = Vec::new();
    let mut unknown_source = false;
    sources(rule, k, &mut open, &mut unknown_source);
    Ingress {
        res,
        span,
        ports: ports(rule, k),
        open,
        unknown_source,
    }
}

fn unknown_ingress(res: ResIdx, span: Span) -> Ingress {
    Ingress {
        res,
        span,
        ports: Ports::Unknown,
        open: Vec::new(),
        unknown_source: true,
    }
}

/// The rules of a list property or repeated block (`ingress`, `SecurityGroupIngress`): each
/// item with its span; an unresolvable list is one unknown item.
fn rule_items<'v>(body: &'v Value, key: &str) -> Vec<Result<&'v Value, Span>> {
    let Some(e) = body.entry(key) else {
        return Vec::new();
    };
    match &e.value.kind {
        Kind::List(items) => items.iter().map(Ok).collect(),
        Kind::Map(_) => vec![Ok(&e.value)],
        Kind::Null => Vec::new(),
        _ => vec![Err(entry_span(e))],
    }
}

fn inline(res: ResIdx, body: &Value, key: &str, k: &Keys, out: &mut Vec<Ingress>) {
    for item in rule_items(body, key) {
        out.push(match item {
            Ok(v) => ingress(res, v, v.span, k),
            Err(span) => unknown_ingress(res, span),
        });
    }
}

fn read_ingress(i: ResIdx, r: &Resource, out: &mut Vec<Ingress>) {
    let b = &r.body;
    match r.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            inline(i, b, "ingress", &TF_RULE, out)
        }
        "aws_security_group_rule" => match b.get("type").map(|t| &t.kind) {
            Some(Kind::String(t)) if t == "ingress" => out.push(ingress(i, b, r.span, &TF_RULE)),
            Some(Kind::String(_)) => {}
            _ => out.push(unknown_ingress(i, r.span)),
        },
        "aws_vpc_security_group_ingress_rule" => out.push(ingress(i, b, r.span, &TF_VPC_RULE)),
        "AWS::EC2::SecurityGroup" => inline(i, b, "SecurityGroupIngress", &CFN_RULE, out),
        "AWS::EC2::SecurityGroupIngress" => out.push(ingress(i, b, r.span, &CFN_RULE)),
        _ => {}
    }
}

/// Rule resources attached to a group by `security_group_id` / `GroupId`.
const TF_RULE_TYPES: &[&str] = &[
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

fn default_groups(model: &Model<'_>) -> Vec<DefaultGroup> {
    let mut out = Vec::new();
    for &i in model.of_type("aws_default_security_group") {
        let r = model.resource(i);
        let mut rules = Vec::new();
        let mut unknown = false;
        for key in ["ingress", "egress"] {
            for item in rule_items(&r.body, key) {
                match item {
                    Ok(v) => rules.push(v.span),
                    Err(_) => unknown = true,
                }
            }
        }
        for t in TF_RULE_TYPES {
            rules.extend(model.children(i, t).map(|(_, c)| c.span));
            unknown |= model.unresolved_children(r.scope, t);
        }
        out.push(DefaultGroup {
            res: i,
            rules,
            unknown,
        });
    }
    // CloudFormation: rules whose `GroupId` is `!GetAtt <Vpc>.DefaultSecurityGroup`.
    let mut by_vpc: HashMap<ResIdx, Vec<Span>> = HashMap::new();
    for t in [
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
    ] {
        for &i in model.of_type(t) {
            let r = model.resource(i);
            let Some(e) = r.body.entry("GroupId") else {
                continue;
            };
            for reference in e.value.references() {
                if reference.attr.as_deref() != Some("DefaultSecurityGroup") {
                    continue;
                }
                if let Some(vpc) = model.graph.resolve(r.scope, reference) {
                    by_vpc.entry(vpc).or_default().push(entry_span(e));
                }
            }
        }
    }
    // Every VPC of a template is examined: its default group has rules only if added here.
    for &vpc in model.of_type("AWS::EC2::VPC") {
        out.push(DefaultGroup {
            res: vpc,
            rules: by_vpc.remove(&vpc).unwrap_or_default(),
            unknown: false,
        });
    }
    out
}

/// The attribute of a flow log naming the VPC it logs.
fn flow_log_target(r: &Resource) -> Option<&Value> {
    match r.rtype.as_str() {
        "aws_flow_log" => r.body.get("vpc_id"),
        "AWS::EC2::FlowLog" => r.body.get("ResourceId"),
        _ => None,
    }
}

/// Whether an unresolved flow-log target may still be a VPC of the same configuration: it is
/// built from another resource or a module (maybe the VPC through an association or an
/// output). A root variable, a parameter, a data source or an import is never a VPC created by
/// the same configuration.
fn may_be_local_vpc(model: &Model<'_>, r: &Resource, v: &Value) -> bool {
    if v.alternatives().is_some() {
        return true;
    }
    let in_module = r.format == Format::Terraform
        && model
            .scopes
            .get(r.scope.0 as usize)
            .is_some_and(|s| !s.name.is_empty());
    v.references().iter().any(|rf| match rf.kind {
        RefKind::Resource | RefKind::Module | RefKind::Local => true,
        // A module's variable carries whatever its caller passes.
        RefKind::Input => in_module,
        RefKind::Data | RefKind::Pseudo | RefKind::External => false,
    }) || (v.contains_unknown() && v.references().is_empty() && in_module)
}

fn vpcs(model: &Model<'_>) -> Vec<Vpc> {
    let roots = crate::resource::tree_roots(model.scopes);
    let root = |s: ScopeId| roots.get(s.0 as usize).copied().unwrap_or(s);
    let mut joined: HashSet<ResIdx> = HashSet::new();
    let mut logged: HashSet<ResIdx> = HashSet::new();
    for t in ["aws_vpc", "AWS::EC2::VPC"] {
        for &v in model.of_type(t) {
            for child in ["aws_flow_log", "AWS::EC2::FlowLog"] {
                for (c, _) in model.children(v, child) {
                    joined.insert(c);
                    logged.insert(v);
                }
            }
        }
    }
    let mut unresolved_roots: HashSet<ScopeId> = HashSet::new();
    for t in ["aws_flow_log", "AWS::EC2::FlowLog"] {
        for &c in model.of_type(t) {
            let r = model.resource(c);
            if joined.contains(&c) {
                continue;
            }
            if let Some(v) = flow_log_target(r) {
                if v.contains_unknown() && may_be_local_vpc(model, r, v) {
                    unresolved_roots.insert(root(r.scope));
                }
            }
        }
    }
    let mut out = Vec::new();
    for t in ["aws_vpc", "AWS::EC2::VPC"] {
        for &v in model.of_type(t) {
            let flow_logs = if logged.contains(&v) {
                FlowLogs::Present
            } else if unresolved_roots.contains(&root(model.resource(v).scope)) {
                FlowLogs::Unknown
            } else {
                FlowLogs::Missing
            };
            out.push(Vpc { res: v, flow_logs });
        }
    }
    out.sort_by_key(|v| v.res);
    out
}

pub(super) fn adapt(model: &mut Model<'_>) {
    let mut ingress = Vec::new();
    for (i, r) in model.resources.iter().enumerate() {
        if r.mode == Mode::Managed {
            read_ingress(i, r, &mut ingress);
        }
    }
    model.network = Network {
        ingress,
        default_groups: default_groups(model),
        vpcs: vpcs(model),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::value::testing::{map, sp};
    fn num(n: f64) -> Value {
        Value::new(Kind::Number(n), sp(1))
    }
    fn rule(proto: Value, from: f64, to: f64) -> Value {
        map(vec![
            ("protocol", proto),
            ("from_port", num(from)),
            ("to_port", num(to)),
        ])
    }

    #[test]
    fn protocols_and_ranges() {
        let s = |x: &str| Value::string(x, sp(1));
        assert_eq!(ports(&rule(s("-1"), 0.0, 0.0), &TF_RULE), Ports::All);
        assert_eq!(ports(&rule(s("ALL"), 0.0, 0.0), &TF_RULE), Ports::All);
        assert_eq!(ports(&rule(num(-1.0), 0.0, 0.0), &TF_RULE), Ports::All);
        assert_eq!(
            ports(&rule(s("tcp"), 0.0, 65535.0), &TF_RULE),
            Ports::Range(0, 65535)
        );
        assert_eq!(
            ports(&rule(s("6"), 22.0, 22.0), &TF_RULE),
            Ports::Range(22, 22)
        );
        assert_eq!(
            ports(&rule(s("icmp"), -1.0, -1.0), &TF_RULE),
            Ports::Portless
        );
        assert_eq!(ports(&rule(s("tcp"), 90.0, 80.0), &TF_RULE), Ports::Unknown);
        let unknown = Value::unknown(sp(1), Vec::new(), None);
        assert_eq!(ports(&rule(unknown, 22.0, 22.0), &TF_RULE), Ports::Unknown);
        assert_eq!(Ports::Range(20, 25).includes(22), Some(true));
        assert_eq!(Ports::Range(23, 3388).includes(22), Some(false));
        assert_eq!(Ports::Range(80, 443).only_web(), Some(false));
        assert_eq!(Ports::Range(443, 443).only_web(), Some(true));
    }

    #[test]
    fn world_sources_only() {
        let list = |xs: &[&str]| {
            Value::new(
                Kind::List(xs.iter().map(|x| Value::string(*x, sp(2))).collect()),
                sp(2),
            )
        };
        let r = map(vec![
            ("cidr_blocks", list(&["10.0.0.0/8", "0.0.0.0/0"])),
            ("ipv6_cidr_blocks", list(&["::/0"])),
        ]);
        let (mut open, mut unknown) = (Vec::new(), false);
        sources(&r, &TF_RULE, &mut open, &mut unknown);
        assert_eq!(open.len(), 2);
        assert!(!unknown);
        let r = map(vec![("cidr_blocks", list(&["10.0.0.0/8", "0.0.0.0/1"]))]);
        let (mut open, mut unknown) = (Vec::new(), false);
        sources(&r, &TF_RULE, &mut open, &mut unknown);
        assert!(open.is_empty() && !unknown);
        let r = map(vec![(
            "cidr_blocks",
            Value::unknown(sp(3), Vec::new(), None),
        )]);
        let (mut open, mut unknown) = (Vec::new(), false);
        sources(&r, &TF_RULE, &mut open, &mut unknown);
        assert!(open.is_empty() && unknown);
    }
}

//! Network: security-group ingress rules in every form, default security groups with rules,
//! and VPCs with the flow logs that point at them.

use crate::graph::ResIdx;
use crate::source::Span;
use crate::value::Origin;

/// The ports an ingress rule opens, as an interval (never expanded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ports {
    /// Protocol `-1` / `all`: every protocol and port.
    All,
    /// TCP or UDP, `from..=to`.
    Range(u16, u16),
    /// A protocol without ports (ICMP, ESP, …): no port is opened.
    Portless,
    /// The protocol or a bound cannot be resolved statically.
    Unknown,
}

impl Ports {
    pub fn includes(&self, port: u16) -> Option<bool> {
        match self {
            Ports::All => Some(true),
            Ports::Range(a, b) => Some(*a <= port && port <= *b),
            Ports::Portless => Some(false),
            Ports::Unknown => None,
        }
    }
    /// Only 80 and/or 443 (the web ports the catalog allows from anywhere).
    pub fn only_web(&self) -> Option<bool> {
        match self {
            Ports::Range(a, b) => Some(a == b && (*a == 80 || *a == 443)),
            Ports::Portless => Some(true),
            Ports::All => Some(false),
            Ports::Unknown => None,
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Ports::All => "every port and protocol".into(),
            Ports::Range(a, b) if a == b => format!("port {a}"),
            Ports::Range(a, b) => format!("ports {a}-{b}"),
            Ports::Portless => "no port".into(),
            Ports::Unknown => "unknown ports".into(),
        }
    }
}

/// A source CIDR that is the whole Internet (`0.0.0.0/0`, `::/0`).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSource {
    pub cidr: String,
    pub span: Span,
    pub origin: Origin,
}

/// One ingress rule: an inline block of a group, or a rule resource.
#[derive(Debug, Clone)]
pub struct Ingress {
    /// The resource the rule is written in (the group for inline blocks).
    pub res: ResIdx,
    /// The rule (block, list item or resource header), where to report when no CIDR span fits.
    pub span: Span,
    pub ports: Ports,
    /// Sources open to the world; prefix lists and security groups are never open.
    pub open: Vec<OpenSource>,
    /// Some source (or the whole rule) cannot be resolved statically.
    pub unknown_source: bool,
}

/// A default security group that carries rules (FTR-NET-003).
#[derive(Debug, Clone)]
pub struct DefaultGroup {
    /// `aws_default_security_group`, or the CloudFormation VPC whose default group is targeted.
    pub res: ResIdx,
    /// Where each rule is written (inline block, or a rule resource attached to the group).
    pub rules: Vec<Span>,
    /// Some rule set cannot be resolved statically (a dynamic block over an unknown collection).
    pub unknown: bool,
}

/// Whether a VPC has a flow log in the same configuration (FTR-NET-004).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowLogs {
    Present,
    Missing,
    /// A flow log of the configuration points at a VPC that cannot be resolved: it may be this one.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Vpc {
    pub res: ResIdx,
    pub flow_logs: FlowLogs,
}

#[derive(Debug, Default)]
pub struct Network {
    pub ingress: Vec<Ingress>,
    pub default_groups: Vec<DefaultGroup>,
    pub vpcs: Vec<Vpc>,
}

crate::resource_model! {
    /// A database or data warehouse endpoint that can be made public (FTR-NET-005).
    pub struct PublicEndpoint {
        terraform: [
            "aws_db_instance",
            "aws_rds_cluster_instance",
            "aws_redshift_cluster",
            "aws_dms_replication_instance",
        ],
        cloudformation: [
            "AWS::RDS::DBInstance",
            "AWS::Redshift::Cluster",
            "AWS::DMS::ReplicationInstance",
        ],
        /// A public IP / DNS name reachable from the Internet.
        pub publicly_accessible: bool = ("publicly_accessible", "PubliclyAccessible"),
    }
}

impl OpenSource {
    /// Where the CIDR comes from, when not written in the rule itself: " (from the default of
    /// `x`)", for messages.
    pub fn origin_note(&self) -> String {
        match &self.origin {
            Origin::Default(n) => format!(" (`{}` comes from the default of `{n}`)", self.cidr),
            Origin::ValueFile(n) => format!(" (`{}` comes from the value file `{n}`)", self.cidr),
            Origin::Cli(n) => format!(" (`{}` is the value given for `{n}`)", self.cidr),
            Origin::Mapping => format!(" (`{}` comes from the template's Mappings)", self.cidr),
            Origin::Condition(c) => format!(" (`{}`: {})", self.cidr, c.describe()),
            Origin::Literal => String::new(),
        }
    }
}

impl Ingress {
    /// "0.0.0.0/0 and ::/0": the open sources, for messages.
    pub fn open_cidrs(&self) -> String {
        let mut v: Vec<&str> = self.open.iter().map(|o| o.cidr.as_str()).collect();
        v.dedup();
        v.join(" and ")
    }
}

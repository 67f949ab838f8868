//! What a scan adds when a readiness report or an architecture diagram is asked for
//! (`Config::detail`): every rule's per-resource outcomes that are not findings (pass, and
//! unknown with the value and where it comes from), and the resources with the references
//! between them.

use super::findings::caller_address;
use crate::graph::Graph;
use crate::resource::{Format, Mode, Resource, Scope};
use crate::rules::{Outcome, Status, Subject};
use crate::source::{SourceMap, Span};
use crate::value::{Kind, RefKind, Reference, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The outcome of one rule on one resource that is not a finding.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub rule_id: super::RuleId,
    /// Address as in findings (`aws_s3_bucket.logs`, a logical ID, `var.x`).
    pub resource: String,
    /// `aws_s3_bucket`, `AWS::S3::Bucket`; empty for a declaration that is not a resource.
    pub resource_type: String,
    pub file: String,
    pub line: u32,
    pub status: CheckStatus,
    /// Unknown: why the rule could not decide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Unknown: the value that was not resolved (`storage_encrypted` at `main.tf:12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Unknown: where the value comes from, other than deployment inputs (a computed
    /// attribute, a module not installed, ...).
    pub sources: Vec<String>,
    /// Unknown: the variables / parameters without a value that decide it (what the deployer
    /// or customer enters).
    pub inputs: Vec<InputNeed>,
    /// Unknown: `sources` and `inputs` are those of the very value the rule could not judge;
    /// otherwise the rule did not say which value, and they are every unresolved value of the
    /// resource.
    pub exact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Unknown,
}

/// A Terraform variable or CloudFormation parameter without a default or supplied value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct InputNeed {
    /// `parameter` (CloudFormation) or `variable` (Terraform).
    pub kind: &'static str,
    pub name: String,
    /// Where it is declared.
    pub file: String,
    pub line: u32,
}

/// A resource of the scan, for the architecture diagram.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Node {
    pub address: String,
    pub resource_type: String,
    /// `S3`, `IAM`, `EC2`, ... (see [`service_of`]).
    pub service: String,
    pub format: Format,
    pub file: String,
    pub line: u32,
    /// The VPC the resource is placed in (an index into the nodes), when the code says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<usize>,
    /// The one subnet the resource is placed in, when the code says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The attribute read (`arn`, `id`, `Arn`), for a reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attr: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A value of `from` refers to `to` (`!Ref`, `!GetAtt`, a Terraform reference).
    Reference,
    /// `from` configures or attaches to `to` (`aws_s3_bucket_versioning` → its bucket, a
    /// policy attachment → its role).
    Attachment,
    /// `depends_on` / `DependsOn`.
    DependsOn,
}

/// The resources of the scan and the references between them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Inventory {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Inventory {
    /// Adds another batch's inventory (its node indices follow this one's).
    pub fn append(&mut self, other: Inventory) {
        let offset = self.nodes.len();
        self.nodes.extend(other.nodes.into_iter().map(|mut n| {
            n.vpc = n.vpc.map(|i| i + offset);
            n.subnet = n.subnet.map(|i| i + offset);
            n
        }));
        self.edges.extend(other.edges.into_iter().map(|mut e| {
            e.from += offset;
            e.to += offset;
            e
        }));
    }
}

/// Pass and unknown outcomes as checks (failures are the report's findings).
pub(super) fn checks(
    outcomes: &[Outcome],
    (resources, scopes): (&[Resource], &[Scope]),
    sources: &SourceMap,
) -> Vec<Check> {
    let roots = crate::resource::tree_roots(scopes);
    let mut out: Vec<Check> = Vec::new();
    for o in outcomes {
        let status = match &o.status {
            Status::Pass => CheckStatus::Pass,
            Status::Unknown { .. } => CheckStatus::Unknown,
            Status::Fail { .. } => continue,
        };
        let reason = match &o.status {
            Status::Unknown { reason } => Some(reason.clone()),
            _ => None,
        };
        let mut check = match &o.subject {
            Subject::Resource(i) => {
                let Some(res) = resources.get(*i) else {
                    continue;
                };
                let (file, line) = position(sources, res.span);
                Check {
                    rule_id: o.rule.clone(),
                    resource: caller_address(res, &roots, scopes),
                    resource_type: res.rtype.clone(),
                    file,
                    line,
                    status,
                    reason,
                    value: None,
                    sources: Vec::new(),
                    inputs: Vec::new(),
                    exact: false,
                }
            }
            Subject::Other { address, .. } => {
                let (file, line) = o.at.map(|s| position(sources, s)).unwrap_or_default();
                Check {
                    rule_id: o.rule.clone(),
                    resource: address.clone(),
                    resource_type: String::new(),
                    file,
                    line,
                    status,
                    reason,
                    value: None,
                    sources: Vec::new(),
                    inputs: Vec::new(),
                    exact: false,
                }
            }
        };
        if let (CheckStatus::Unknown, Subject::Resource(i)) = (status, &o.subject) {
            if let Some(res) = resources.get(*i) {
                explain(&mut check, res, o.at, scopes, sources);
            }
        }
        out.push(check);
    }
    tidy(&mut out);
    out
}

/// Checks in report order, one per rule, resource and status (batches are checked apart, so
/// this runs again on the whole scan's checks).
pub(super) fn tidy(out: &mut Vec<Check>) {
    out.sort_by(|a, b| {
        (&a.rule_id, &a.file, a.line, &a.resource).cmp(&(&b.rule_id, &b.file, b.line, &b.resource))
    });
    out.dedup_by(|b, a| {
        a.rule_id == b.rule_id
            && a.resource == b.resource
            && a.file == b.file
            && a.status == b.status
    });
}

fn position(sources: &SourceMap, span: Span) -> (String, u32) {
    match sources.get(span.file) {
        Some(f) => (f.display.clone(), f.line_col(span.start).line),
        None => (String::new(), 0),
    }
}

/// Says which value of `res` was unknown (the one at `at`, else every unknown value of the
/// resource) and where it comes from.
fn explain(
    check: &mut Check,
    res: &Resource,
    at: Option<Span>,
    scopes: &[Scope],
    sources: &SourceMap,
) {
    let mut found: Vec<(String, &Value)> = Vec::new();
    let within = |v: &Value| match at {
        Some(a) => v.span.file == a.file && v.span.start >= a.start && v.span.end <= a.end,
        None => true,
    };
    unknowns(&res.body, String::new(), &within, &mut found);
    // The value the rule names is not in the body (a header, a value resolved elsewhere):
    // every unresolved value of the resource, said as such.
    let mut exact = at.is_some();
    if found.is_empty() && exact {
        exact = false;
        unknowns(&res.body, String::new(), &|_| true, &mut found);
    }
    if found.is_empty() {
        return;
    }
    let names: BTreeSet<&str> = found
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    if exact {
        let (file, line) = position(sources, found[0].1.span);
        check.value = Some(match names.iter().next() {
            Some(name) => format!("`{name}` at {file}:{line}"),
            None => format!("the value at {file}:{line}"),
        });
    }
    let scope = scopes.get(res.scope.0 as usize);
    let mut described: BTreeSet<String> = BTreeSet::new();
    let mut inputs: BTreeSet<InputNeed> = BTreeSet::new();
    for (_, v) in &found {
        let Some(u) = v.as_unknown() else { continue };
        if u.refs.is_empty() {
            if let Some(r) = &u.reason {
                described.insert(r.to_string());
            }
        }
        for r in &u.refs {
            match describe(r, res, scope, scopes, sources) {
                Source::Input(need) => {
                    inputs.insert(need);
                }
                Source::Text(t) => {
                    described.insert(t);
                }
            }
        }
    }
    check.sources = described.into_iter().collect();
    check.inputs = inputs.into_iter().collect();
    check.exact = exact;
}

/// Every unknown value inside `v`, with the path of map keys that leads to it.
fn unknowns<'v>(
    v: &'v Value,
    path: String,
    within: &dyn Fn(&Value) -> bool,
    out: &mut Vec<(String, &'v Value)>,
) {
    const MAX: usize = 32;
    if out.len() >= MAX {
        return;
    }
    match &v.kind {
        Kind::Unknown(_) if within(v) => out.push((path, v)),
        Kind::List(items) => {
            for item in items {
                unknowns(item, path.clone(), within, out);
            }
        }
        Kind::Map(entries) => {
            for e in entries {
                let p = if path.is_empty() {
                    e.key.to_string()
                } else {
                    format!("{path}.{}", e.key)
                };
                unknowns(&e.value, p, within, out);
            }
        }
        _ => {}
    }
}

enum Source {
    Input(InputNeed),
    Text(String),
}

fn describe(
    r: &Reference,
    res: &Resource,
    scope: Option<&Scope>,
    scopes: &[Scope],
    sources: &SourceMap,
) -> Source {
    let cfn = res.format == Format::CloudFormation;
    let attr = r
        .attr
        .as_deref()
        .map(|a| format!(".{a}"))
        .unwrap_or_default();
    match r.kind {
        RefKind::Input => {
            let kind = if cfn { "parameter" } else { "variable" };
            match scope.and_then(|s| s.input(&r.target)) {
                Some(i) if i.default.is_none() && i.value.is_none() => {
                    let (file, line) = position(sources, i.span);
                    Source::Input(InputNeed {
                        kind,
                        name: r.target.to_string(),
                        file,
                        line,
                    })
                }
                _ => Source::Text(format!("{kind} `{}`, not resolved", r.target)),
            }
        }
        RefKind::Module => {
            let own = scope.map(|s| s.name.as_str()).unwrap_or_default();
            let called = if own.is_empty() {
                format!("module.{}", r.target)
            } else {
                format!("{own}.module.{}", r.target)
            };
            let loaded = scopes.iter().any(|s| {
                s.format == Format::Terraform
                    && (s.name == called || s.name.starts_with(&format!("{called}[")))
            });
            if loaded {
                Source::Text(format!(
                    "output `{}{attr}` of module `{}`",
                    r.target, r.target
                ))
            } else {
                Source::Text(format!(
                    "module `{}`, not installed (run `terraform init`)",
                    r.target
                ))
            }
        }
        RefKind::Resource => {
            Source::Text(format!("`{}{attr}`, known only after deployment", r.target))
        }
        RefKind::Data => Source::Text(format!("data source `{}`, read at deployment", r.target)),
        RefKind::Local => Source::Text(format!("local `{}`, not resolved", r.target)),
        RefKind::Pseudo => Source::Text(format!(
            "pseudo parameter `{}`, known at deployment",
            r.target
        )),
        RefKind::External => {
            Source::Text(format!("`{}`, imported from outside the scan", r.target))
        }
    }
}

/// Managed resources as nodes, references between them as edges, VPC and subnet placement.
pub(super) fn inventory(
    (resources, scopes): (&[Resource], &[Scope]),
    graph: &Graph<'_>,
    sources: &SourceMap,
) -> Inventory {
    let roots = crate::resource::tree_roots(scopes);
    let mut index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        if r.mode != Mode::Managed {
            continue;
        }
        let (file, line) = position(sources, r.span);
        index.insert(i, nodes.len());
        nodes.push(Node {
            address: caller_address(r, &roots, scopes),
            resource_type: r.rtype.clone(),
            service: service_of(&r.rtype),
            format: r.format,
            file,
            line,
            vpc: None,
            subnet: None,
        });
    }
    let mut edges: BTreeSet<Edge> = BTreeSet::new();
    for (i, r) in resources.iter().enumerate() {
        let Some(&from) = index.get(&i) else { continue };
        let attaches = is_attachment(&r.rtype);
        for reference in r.body.references() {
            let Some(to) = graph
                .resolve(r.scope, reference)
                .and_then(|t| index.get(&t))
            else {
                continue;
            };
            if *to == from {
                continue;
            }
            edges.insert(Edge {
                from,
                to: *to,
                kind: if attaches {
                    EdgeKind::Attachment
                } else {
                    EdgeKind::Reference
                },
                attr: reference.attr.as_deref().map(str::to_string),
            });
        }
        for reference in &r.depends_on {
            if let Some(to) = graph
                .resolve(r.scope, reference)
                .and_then(|t| index.get(&t))
            {
                if *to != from {
                    edges.insert(Edge {
                        from,
                        to: *to,
                        kind: EdgeKind::DependsOn,
                        attr: None,
                    });
                }
            }
        }
    }
    let edges: Vec<Edge> = edges.into_iter().collect();
    place(&mut nodes, &edges);
    Inventory { nodes, edges }
}

/// A resource that exists to configure or attach to another one.
fn is_attachment(rtype: &str) -> bool {
    rtype.ends_with("_attachment")
        || rtype.ends_with("Attachment")
        || rtype.starts_with("aws_s3_bucket_")
        || matches!(
            rtype,
            "AWS::IAM::Policy" | "AWS::S3::BucketPolicy" | "aws_flow_log" | "AWS::EC2::FlowLog"
        )
}

fn is_vpc(t: &str) -> bool {
    matches!(t, "aws_vpc" | "aws_default_vpc" | "AWS::EC2::VPC")
}
fn is_subnet(t: &str) -> bool {
    matches!(t, "aws_subnet" | "aws_default_subnet" | "AWS::EC2::Subnet")
}
fn is_security_group(t: &str) -> bool {
    matches!(t, "aws_security_group" | "AWS::EC2::SecurityGroup")
}

/// VPC and subnet of each node, from the references it makes: a direct VPC reference, the
/// VPC of its subnets or security groups; a subnet only when it names exactly one.
fn place(nodes: &mut [Node], edges: &[Edge]) {
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for e in edges.iter().filter(|e| e.kind != EdgeKind::DependsOn) {
        out.entry(e.from).or_default().push(e.to);
    }
    let targets = |n: usize, pred: fn(&str) -> bool, nodes: &[Node]| -> BTreeSet<usize> {
        out.get(&n)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|t| nodes.get(*t).is_some_and(|x| pred(&x.resource_type)))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Subnets and security groups first: others are placed through them.
    let mut vpc_of: BTreeMap<usize, usize> = BTreeMap::new();
    for n in 0..nodes.len() {
        let t = nodes[n].resource_type.clone();
        if is_subnet(&t) || is_security_group(&t) {
            let v = targets(n, is_vpc, nodes);
            if v.len() == 1 {
                if let Some(&v) = v.iter().next() {
                    vpc_of.insert(n, v);
                }
            }
        }
    }
    for n in 0..nodes.len() {
        if is_vpc(&nodes[n].resource_type) {
            continue;
        }
        let subnets = targets(n, is_subnet, nodes);
        let mut vpcs = targets(n, is_vpc, nodes);
        for s in subnets
            .iter()
            .chain(targets(n, is_security_group, nodes).iter())
        {
            if let Some(v) = vpc_of.get(s) {
                vpcs.insert(*v);
            }
        }
        if is_subnet(&nodes[n].resource_type) || is_security_group(&nodes[n].resource_type) {
            nodes[n].vpc = vpc_of.get(&n).copied();
            continue;
        }
        if vpcs.len() == 1 {
            nodes[n].vpc = vpcs.iter().next().copied();
        }
        if subnets.len() == 1 {
            let s = subnets.iter().next().copied();
            if s.and_then(|s| vpc_of.get(&s)) == nodes[n].vpc.as_ref() {
                nodes[n].subnet = s;
            }
        }
    }
}

/// The AWS service of a resource type: `AWS::S3::Bucket` → `S3`; Terraform types by their
/// service prefix (`aws_db_instance` → `RDS`).
pub fn service_of(rtype: &str) -> String {
    if let Some(rest) = rtype.strip_prefix("AWS::") {
        return rest.split("::").next().unwrap_or(rest).to_string();
    }
    let Some(rest) = rtype.strip_prefix("aws_") else {
        return rtype.to_string();
    };
    // Longest prefix first where two share a start.
    const PREFIXES: &[(&str, &str)] = &[
        ("s3control", "S3"),
        ("s3", "S3"),
        ("iam", "IAM"),
        ("kms", "KMS"),
        ("cloudtrail", "CloudTrail"),
        ("cloudwatch_log", "Logs"),
        ("cloudwatch", "CloudWatch"),
        ("cloudfront", "CloudFront"),
        ("db", "RDS"),
        ("rds", "RDS"),
        ("docdb", "DocDB"),
        ("neptune", "Neptune"),
        ("redshift", "Redshift"),
        ("dynamodb", "DynamoDB"),
        ("elasticache", "ElastiCache"),
        ("elasticsearch", "OpenSearch"),
        ("opensearch", "OpenSearch"),
        ("efs", "EFS"),
        ("ebs", "EC2"),
        ("instance", "EC2"),
        ("launch_template", "EC2"),
        ("launch_configuration", "AutoScaling"),
        ("autoscaling", "AutoScaling"),
        ("vpc", "EC2"),
        ("default_vpc", "EC2"),
        ("subnet", "EC2"),
        ("default_subnet", "EC2"),
        ("security_group", "EC2"),
        ("default_security_group", "EC2"),
        ("network", "EC2"),
        ("route", "EC2"),
        ("internet_gateway", "EC2"),
        ("nat_gateway", "EC2"),
        ("eip", "EC2"),
        ("flow_log", "EC2"),
        ("ec2", "EC2"),
        ("ecs", "ECS"),
        ("ecr", "ECR"),
        ("eks", "EKS"),
        ("lambda", "Lambda"),
        ("lb", "ElasticLoadBalancingV2"),
        ("alb", "ElasticLoadBalancingV2"),
        ("elb", "ElasticLoadBalancing"),
        ("api_gateway", "ApiGateway"),
        ("apigatewayv2", "ApiGatewayV2"),
        ("sns", "SNS"),
        ("sqs", "SQS"),
        ("kinesis_firehose", "KinesisFirehose"),
        ("kinesis", "Kinesis"),
        ("secretsmanager", "SecretsManager"),
        ("ssm", "SSM"),
        ("backup", "Backup"),
        ("route53", "Route53"),
        ("acm", "CertificateManager"),
        ("wafv2", "WAFv2"),
        ("guardduty", "GuardDuty"),
        ("config", "Config"),
        ("accessanalyzer", "AccessAnalyzer"),
        ("macie2", "Macie"),
        ("organizations", "Organizations"),
        ("sfn", "StepFunctions"),
        ("cognito", "Cognito"),
    ];
    let mut best: Option<(&str, &str)> = None;
    for (p, s) in PREFIXES {
        let matches = rest == *p || rest.starts_with(&format!("{p}_"));
        if matches && best.is_none_or(|(b, _)| p.len() > b.len()) {
            best = Some((p, s));
        }
    }
    match best {
        Some((_, s)) => s.to_string(),
        None => rest.split('_').next().unwrap_or(rest).to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::service_of;

    #[test]
    fn services() {
        assert_eq!(service_of("AWS::S3::Bucket"), "S3");
        assert_eq!(service_of("aws_s3_bucket_versioning"), "S3");
        assert_eq!(service_of("aws_db_instance"), "RDS");
        assert_eq!(service_of("aws_default_security_group"), "EC2");
        assert_eq!(
            service_of("aws_kinesis_firehose_delivery_stream"),
            "KinesisFirehose"
        );
        assert_eq!(service_of("aws_lb_listener"), "ElasticLoadBalancingV2");
        assert_eq!(service_of("aws_foo_bar"), "FOO");
        assert_eq!(service_of("random_id"), "random_id");
    }
}

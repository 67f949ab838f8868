//! The architecture diagram (`ftrlint graph`): the scan's resources grouped by service, the
//! references between them, VPC and subnet clusters where the code places resources, and the
//! findings marked on the resources they are about. Renderers: [`dot`], [`mermaid`], JSON.

pub mod dot;
pub mod mermaid;

use crate::rules::meta::Severity;
use crate::scan::detail::{Edge, Node};
use crate::scan::Report;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Nodes, edges and findings as JSON.
    Json,
}

/// A resource with its findings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiagramNode {
    #[serde(flatten)]
    pub node: Node,
    /// Rules with a finding on this resource, in ID order.
    pub findings: Vec<String>,
    /// The most severe of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagram {
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// From a scan run with `Config::detail`. A finding marks the resource with its address
    /// in its file (findings on declarations, such as a variable, mark no node).
    pub fn from_report(report: &Report) -> Self {
        let mut by_place: BTreeMap<(&str, &str), Vec<(&str, Severity)>> = BTreeMap::new();
        for f in &report.findings {
            by_place
                .entry((f.file.as_str(), f.resource.as_str()))
                .or_default()
                .push((f.rule_id.as_ref(), f.severity));
        }
        let nodes = report
            .inventory
            .nodes
            .iter()
            .map(|n| {
                let found = by_place
                    .get(&(n.file.as_str(), n.address.as_str()))
                    .cloned()
                    .unwrap_or_default();
                let mut findings: Vec<String> = found.iter().map(|(r, _)| r.to_string()).collect();
                findings.sort_unstable();
                findings.dedup();
                DiagramNode {
                    node: n.clone(),
                    severity: found.iter().map(|(_, s)| *s).min(),
                    findings,
                }
            })
            .collect();
        Diagram {
            nodes,
            edges: report.inventory.edges.clone(),
        }
    }

    /// Nodes outside any VPC, grouped by service (in name order).
    pub fn by_service(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.node.vpc.is_none() && !self.is_vpc(i) {
                out.entry(n.node.service.as_str()).or_default().push(i);
            }
        }
        out
    }

    /// VPC node → (subnet node → nodes in it, nodes in the VPC outside one subnet).
    #[allow(clippy::type_complexity)]
    pub fn by_vpc(&self) -> BTreeMap<usize, (BTreeMap<usize, Vec<usize>>, Vec<usize>)> {
        let mut out: BTreeMap<usize, (BTreeMap<usize, Vec<usize>>, Vec<usize>)> = BTreeMap::new();
        for i in 0..self.nodes.len() {
            if self.is_vpc(i) {
                out.entry(i).or_default();
            }
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let Some(v) = n.node.vpc else { continue };
            let entry = out.entry(v).or_default();
            if is_subnet(&n.node.resource_type) {
                entry.0.entry(i).or_default();
            } else if let Some(s) = n.node.subnet {
                entry.0.entry(s).or_default().push(i);
            } else {
                entry.1.push(i);
            }
        }
        out
    }

    fn is_vpc(&self, i: usize) -> bool {
        self.nodes.get(i).is_some_and(|n| {
            matches!(
                n.node.resource_type.as_str(),
                "aws_vpc" | "aws_default_vpc" | "AWS::EC2::VPC"
            )
        })
    }

    /// The label of a node: address, type, and the rules with findings.
    pub fn label(&self, i: usize) -> Vec<String> {
        let Some(n) = self.nodes.get(i) else {
            return Vec::new();
        };
        let mut lines = vec![n.node.address.clone(), n.node.resource_type.clone()];
        if !n.findings.is_empty() {
            lines.push(n.findings.join(", "));
        }
        lines
    }

    /// Fill colour of a node: by its most severe finding, white without one.
    pub fn colour(&self, i: usize) -> &'static str {
        match self.nodes.get(i).and_then(|n| n.severity) {
            Some(Severity::Critical) => "#e1bee7",
            Some(Severity::High) => "#ffcdd2",
            Some(Severity::Medium) => "#ffe0b2",
            Some(Severity::Low) => "#f0f4c3",
            None => "#ffffff",
        }
    }
}

fn is_subnet(t: &str) -> bool {
    matches!(t, "aws_subnet" | "aws_default_subnet" | "AWS::EC2::Subnet")
}

pub fn render(d: &Diagram, format: Format) -> String {
    match format {
        Format::Dot => dot::render(d),
        Format::Mermaid => mermaid::render(d),
        Format::Json => serde_json::to_string_pretty(d).unwrap_or_default() + "\n",
    }
}

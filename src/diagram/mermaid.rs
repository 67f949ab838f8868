//! The architecture diagram as a Mermaid flowchart.

use super::Diagram;
use crate::scan::detail::EdgeKind;
use std::fmt::Write as _;

/// Text inside a Mermaid `"..."` label: `"` and markup characters as entity codes
/// (`#quot;`), which Mermaid decodes; `#` itself is coded so no text forms an entity.
pub fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn node(out: &mut String, d: &Diagram, i: usize, indent: &str) {
    let text = d
        .label(i)
        .iter()
        .map(|l| label(l))
        .collect::<Vec<_>>()
        .join("<br/>");
    let class = match d.nodes.get(i).and_then(|n| n.severity) {
        Some(s) => format!(":::{}", s.as_str()),
        None => String::new(),
    };
    let _ = writeln!(out, "{indent}n{i}[\"{text}\"]{class}");
}

pub fn render(d: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut cluster = 0usize;
    for (service, members) in d.by_service() {
        let _ = writeln!(out, "  subgraph c{cluster}[\"{}\"]", label(service));
        cluster += 1;
        for i in members {
            node(&mut out, d, i, "    ");
        }
        out.push_str("  end\n");
    }
    for (vpc, (subnets, rest)) in d.by_vpc() {
        let _ = writeln!(
            out,
            "  subgraph c{cluster}[\"{}\"]",
            label(&format!("VPC {}", d.nodes[vpc].node.address))
        );
        cluster += 1;
        node(&mut out, d, vpc, "    ");
        for (subnet, members) in subnets {
            let _ = writeln!(
                out,
                "    subgraph c{cluster}[\"{}\"]",
                label(&format!("subnet {}", d.nodes[subnet].node.address))
            );
            cluster += 1;
            node(&mut out, d, subnet, "      ");
            for i in members {
                node(&mut out, d, i, "      ");
            }
            out.push_str("    end\n");
        }
        for i in rest {
            node(&mut out, d, i, "    ");
        }
        out.push_str("  end\n");
    }
    for e in &d.edges {
        let arrow = match e.kind {
            EdgeKind::Reference => "-->",
            EdgeKind::Attachment => "==>",
            EdgeKind::DependsOn => "-.->",
        };
        match (&e.kind, &e.attr) {
            (EdgeKind::DependsOn, _) | (_, None) => {
                let _ = writeln!(out, "  n{} {arrow} n{}", e.from, e.to);
            }
            (_, Some(a)) => {
                let _ = writeln!(out, "  n{} {arrow}|\"{}\"| n{}", e.from, label(a), e.to);
            }
        }
    }
    out.push_str("  classDef critical fill:#e1bee7,stroke:#c62828,stroke-width:2px\n");
    out.push_str("  classDef high fill:#ffcdd2,stroke:#c62828,stroke-width:2px\n");
    out.push_str("  classDef medium fill:#ffe0b2,stroke:#c62828,stroke-width:2px\n");
    out.push_str("  classDef low fill:#f0f4c3,stroke:#c62828,stroke-width:2px\n");
    out
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels() {
        assert_eq!(label("a\"<b>#x`"), "a#quot;#lt;b#gt;#35;x#96;");
    }
}

//! The architecture diagram in Graphviz's dot language.

use super::Diagram;
use crate::scan::detail::EdgeKind;
use std::fmt::Write as _;

/// A dot string literal: `"` and `\` escaped, line breaks as `\n`, no other escape sequence
/// (`\l`, `\N`, ...) can be formed from the text.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node(out: &mut String, d: &Diagram, i: usize, indent: &str) {
    let label = d.label(i).join("\n");
    let marked = d.nodes.get(i).is_some_and(|n| !n.findings.is_empty());
    let _ = writeln!(
        out,
        "{indent}n{i} [label={}, fillcolor={}{}];",
        quote(&label),
        quote(d.colour(i)),
        if marked {
            ", color=\"#c62828\", penwidth=2"
        } else {
            ""
        }
    );
}

pub fn render(d: &Diagram) -> String {
    let mut out = String::from(
        "digraph architecture {\n  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n",
    );
    let mut cluster = 0usize;
    for (service, members) in d.by_service() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{cluster} {{\n    label={};\n    style=\"rounded\";\n    color=\"#90a4ae\";",
            quote(service)
        );
        cluster += 1;
        for i in members {
            node(&mut out, d, i, "    ");
        }
        out.push_str("  }\n");
    }
    for (vpc, (subnets, rest)) in d.by_vpc() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{cluster} {{\n    label={};\n    style=\"dashed\";\n    color=\"#1565c0\";",
            quote(&format!("VPC {}", d.nodes[vpc].node.address))
        );
        cluster += 1;
        node(&mut out, d, vpc, "    ");
        for (subnet, members) in subnets {
            let _ = writeln!(
                out,
                "    subgraph cluster_{cluster} {{\n      label={};\n      style=\"dotted\";\n      color=\"#42a5f5\";",
                quote(&format!("subnet {}", d.nodes[subnet].node.address))
            );
            cluster += 1;
            node(&mut out, d, subnet, "      ");
            for i in members {
                node(&mut out, d, i, "      ");
            }
            out.push_str("    }\n");
        }
        for i in rest {
            node(&mut out, d, i, "    ");
        }
        out.push_str("  }\n");
    }
    for e in &d.edges {
        let style = match e.kind {
            EdgeKind::Reference => String::new(),
            EdgeKind::Attachment => ", style=bold".to_string(),
            EdgeKind::DependsOn => ", style=dashed".to_string(),
        };
        let label = match (&e.kind, &e.attr) {
            (EdgeKind::DependsOn, _) => "depends_on".to_string(),
            (_, Some(a)) => a.clone(),
            (_, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}{style}];",
            e.from,
            e.to,
            quote(&label)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(quote("x\\l"), "\"x\\\\l\"");
    }
}

//! `ftrlint graph`: the architecture diagram as Graphviz dot (rendered to SVG by Graphviz),
//! Mermaid (checked structurally) and JSON (snapshot).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CASES: &str = "tests/cases/readiness";

fn graph(dir: &str, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES))
        .args(["graph", dir, "--format", format])
        .output()
        .expect("run ftrlint");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Graphviz's `dot`, or `None` (reason printed) when absent and `FTRLINT_REQUIRE_TOOLS` is
/// unset; CI sets it.
fn dot_tool() -> Option<PathBuf> {
    for p in ["/usr/bin/dot", "/usr/local/bin/dot"] {
        if Path::new(p).is_file() {
            return Some(PathBuf::from(p));
        }
    }
    if std::env::var_os("FTRLINT_REQUIRE_TOOLS").is_some() {
        panic!("Graphviz `dot` is required (FTRLINT_REQUIRE_TOOLS is set) but missing");
    }
    eprintln!("skipped: Graphviz `dot` is not installed (apt-get install graphviz)");
    None
}

fn to_svg(dot: &Path, source: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(dot)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dot");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(source.as_bytes())
        .expect("write dot");
    let out = child.wait_with_output().expect("dot output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.is_empty(),
        "dot: {err}\n{source}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The SVG's text elements, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.to_string()))
        .collect()
}

#[test]
fn dot_renders_with_graphviz_clusters_and_findings() {
    let Some(dot) = dot_tool() else {
        return;
    };
    let svg = to_svg(&dot, &graph("network", "dot"));
    assert_eq!(
        texts(&svg),
        [
            "S3",
            "VPC aws_vpc.main",
            "subnet aws_subnet.app",
            "aws_s3_bucket.assets",
            "aws_s3_bucket",
            "FTR&#45;S3&#45;001, FTR&#45;S3&#45;004, FTR&#45;S3&#45;005, FTR&#45;S3&#45;007",
            "aws_s3_bucket_versioning.assets",
            "aws_s3_bucket_versioning",
            "id",
            "aws_vpc.main",
            "aws_vpc",
            "FTR&#45;NET&#45;004",
            "aws_subnet.app",
            "aws_subnet",
            "id",
            "aws_instance.web",
            "aws_instance",
            "id",
            "aws_security_group.web",
            "aws_security_group",
            "FTR&#45;NET&#45;001",
            "id",
            "id",
        ]
    );
}

#[test]
fn dot_labels_are_escaped() {
    let source = graph("labels", "dot");
    assert!(source.contains(r#"n0 [label="Queue\"Quoted\\Back\\lslash\nAWS::SQS::Queue""#));
    let Some(dot) = dot_tool() else {
        return;
    };
    let t = texts(&to_svg(&dot, &source));
    assert!(
        t.contains(&r"Queue&quot;Quoted\Back\lslash".to_string()),
        "{t:?}"
    );
    assert!(t.contains(&"Topic#35;&lt;b&gt;|end".to_string()), "{t:?}");
}

/// A Mermaid flowchart, checked line by line: balanced subgraphs, quoted labels without a
/// raw quote or markup, edges only between declared nodes.
fn check_mermaid(text: &str) -> (BTreeSet<String>, usize) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut depth = 0usize;
    let mut nodes: BTreeSet<String> = BTreeSet::new();
    let mut edges: Vec<(String, String)> = Vec::new();
    let quoted = |s: &str| -> bool {
        s.len() >= 2
            && s.starts_with('"')
            && s.ends_with('"')
            && !s[1..s.len() - 1]
                .replace("<br/>", "")
                .contains(['"', '<', '>'].as_slice())
    };
    for line in lines {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("subgraph ") {
            let (id, label) = rest.split_once('[').expect("subgraph id[label]");
            assert!(id.starts_with('c'), "{l}");
            let label = label.strip_suffix(']').expect("closing ]");
            assert!(quoted(label), "{l}");
            depth += 1;
        } else if l == "end" {
            assert!(depth > 0, "unbalanced end");
            depth -= 1;
        } else if l.starts_with("classDef ") {
            continue;
        } else if let Some((id, rest)) = l.split_once('[') {
            assert!(
                id.starts_with('n') && id[1..].bytes().all(|b| b.is_ascii_digit()),
                "{l}"
            );
            let (label, class) = rest.split_once(']').expect("closing ]");
            assert!(quoted(label), "{l}");
            assert!(
                class.is_empty()
                    || [":::critical", ":::high", ":::medium", ":::low"].contains(&class),
                "{l}"
            );
            assert!(nodes.insert(id.to_string()), "node declared twice: {l}");
        } else {
            let parts: Vec<&str> = l.split(' ').collect();
            assert!(parts.len() == 3, "{l}");
            let arrow = parts[1];
            let base = arrow.split('|').next().unwrap_or_default();
            assert!(["-->", "==>", "-.->"].contains(&base), "{l}");
            if let Some(label) = arrow.strip_prefix(base) {
                if !label.is_empty() {
                    let inner = label
                        .strip_prefix('|')
                        .and_then(|x| x.strip_suffix('|'))
                        .expect("|label|");
                    assert!(quoted(inner), "{l}");
                }
            }
            edges.push((parts[0].to_string(), parts[2].to_string()));
        }
    }
    assert_eq!(depth, 0, "unclosed subgraph");
    for (a, b) in &edges {
        assert!(nodes.contains(a) && nodes.contains(b), "edge {a} -> {b}");
    }
    (nodes, edges.len())
}

#[test]
fn mermaid_is_well_formed() {
    let text = graph("network", "mermaid");
    let (nodes, edges) = check_mermaid(&text);
    assert_eq!(nodes.len(), 6);
    assert_eq!(edges, 5);
    assert!(text.contains(
        "  subgraph c1[\"VPC aws_vpc.main\"]\n    n0[\"aws_vpc.main<br/>aws_vpc<br/>FTR-NET-004\"]:::medium\n    subgraph c2[\"subnet aws_subnet.app\"]\n      n1[\"aws_subnet.app<br/>aws_subnet\"]\n      n3[\"aws_instance.web<br/>aws_instance\"]\n    end\n"
    ));
    let odd = graph("labels", "mermaid");
    check_mermaid(&odd);
    assert!(odd.contains("n0[\"Queue#quot;Quoted\\Back\\lslash<br/>AWS::SQS::Queue\"]"));
    assert!(odd.contains(
        "n1[\"Topic#35;35;#lt;b#gt;|end<br/>AWS::SNS::Topic<br/>FTR-ENC-005\"]:::medium"
    ));
}

#[test]
fn json_shape() {
    let json: serde_json::Value = serde_json::from_str(&graph("network", "json")).expect("json");
    insta::assert_json_snapshot!(json);
}

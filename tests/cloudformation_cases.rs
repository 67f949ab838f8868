//! CloudFormation resolution cases (`tests/cases/cloudformation/<case>/`): the binary scans each
//! case directory once per `expected*.txt` and the findings (`path:line RULE-ID`) and input
//! errors (`error path:line`) must match exactly. `args: ...` lines add command-line arguments
//! (`--parameter`, `--parameters-file`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

type Located = BTreeSet<(String, u32, String)>;

struct Expected {
    args: Vec<String>,
    findings: Located,
    errors: BTreeSet<(String, u32)>,
}

fn parse_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Expected {
        args: Vec::new(),
        findings: BTreeSet::new(),
        errors: BTreeSet::new(),
    };
    let loc = |s: &str, n: usize| -> (String, u32) {
        let (file, l) = s
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{}:{}: expected `path:line`", path.display(), n + 1));
        let l = l
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad line number", path.display(), n + 1));
        (file.to_string(), l)
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(a) = line.strip_prefix("args:") {
            out.args.extend(a.split_whitespace().map(str::to_string));
        } else if let Some(e) = line.strip_prefix("error ") {
            out.errors.insert(loc(e.trim(), n));
        } else {
            let (l, rule) = line.split_once(char::is_whitespace).unwrap_or_else(|| {
                panic!("{}:{}: expected `path:line RULE-ID`", path.display(), n + 1)
            });
            let (file, l) = loc(l, n);
            out.findings.insert((file, l, rule.trim().to_string()));
        }
    }
    out
}

fn run_json(args: &[String]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}) from {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir("tests/cases/cloudformation")
        .expect("tests/cases/cloudformation/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
    {
        for f in std::fs::read_dir(&dir).expect("case dir").flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name.starts_with("expected") && name.ends_with(".txt") {
                out.push((dir.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_case_reports_exactly_the_expected_findings_and_errors() {
    let cases = cases();
    assert!(cases.len() >= 10, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    for (dir, expected_file) in &cases {
        let expected = parse_expected(expected_file);
        let dir_s = dir.to_string_lossy().to_string();
        let mut args: Vec<String> = vec![
            "scan".into(),
            dir_s.clone(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(expected.args.iter().cloned());
        let (code, json) = run_json(&args);
        let prefix = format!("{dir_s}/");
        let rel = |f: &serde_json::Value| {
            let file = f["file"].as_str().unwrap_or_default();
            file.strip_prefix(&prefix).unwrap_or(file).to_string()
        };
        let actual: Located = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    rel(f),
                    f["line"].as_u64().unwrap_or(0) as u32,
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let errors: BTreeSet<(String, u32)> = json["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| (rel(e), e["line"].as_u64().unwrap_or(0) as u32))
            .collect();
        let name = expected_file.display();
        let missing: Vec<_> = expected.findings.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected.findings).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{name}:\n  missing: {missing:?}\n  unexpected: {extra:?}"
            ));
        }
        if errors != expected.errors {
            failures.push(format!(
                "{name}: errors {:?}, expected {:?} ({})",
                errors, expected.errors, json["errors"]
            ));
        }
        let want = if !expected.errors.is_empty() {
            2
        } else if expected.findings.is_empty() {
            0
        } else {
            1
        };
        if code != want {
            failures.push(format!("{name}: exit code {code}, expected {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn undecided_branches_are_named_in_the_message() {
    let (_, json) = run_json(&[
        "scan".into(),
        "tests/cases/cloudformation/if_every_branch_insecure".into(),
        "--format".into(),
        "json".into(),
    ]);
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("in every branch of `Fn::If`")
                && m.contains("when `IsProd` is true and `HasReplica` is false")
                && m.contains("when `IsProd` is false")),
        "{messages:#?}"
    );
}

#[test]
fn cdk_findings_carry_the_construct_path() {
    let (_, json) = run_json(&[
        "scan".into(),
        "tests/cases/cloudformation/cdk_app".into(),
        "--format".into(),
        "json".into(),
    ]);
    let paths: BTreeSet<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["construct_path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("FTR-IAM-002", "DataStack/Operator/Resource"),
        ("FTR-S3-004", "DataStack/RawData/Resource"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(paths, want);
}

/// The condition-explosion case (40 conditions, a 1024-leaf `Fn::If` tree) is linear work.
#[test]
fn many_conditions_scan_in_milliseconds() {
    let config = ftrlint::Config {
        paths: vec![PathBuf::from("tests/cases/cloudformation/many_conditions")],
        threads: Some(1),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let report = ftrlint::scan(&config);
    let took = started.elapsed();
    assert_eq!(report.findings.len(), 2);
    // Generous for unoptimised test builds; a release build takes ~10 ms.
    assert!(took.as_millis() < 1500, "took {took:?}");
}

#[test]
fn a_nested_stack_cycle_is_an_error() {
    let dir = std::env::temp_dir().join(format!("ftrlint-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let stack = |child: &str| {
        format!(
            "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: {child}\n"
        )
    };
    std::fs::write(dir.join("a.yaml"), stack("b.yaml")).expect("write");
    std::fs::write(dir.join("b.yaml"), stack("a.yaml")).expect("write");
    let (code, json) = run_json(&[
        "scan".into(),
        dir.to_string_lossy().to_string(),
        "--format".into(),
        "json".into(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2, "{json}");
    let errors = json["errors"].to_string();
    assert!(errors.contains("nested stack cycle"), "{errors}");
}

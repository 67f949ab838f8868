//! CloudFormation resolution cases (`tests/cases/cloudformation/<case>/`): the binary scans each
//! case directory once per `expected*.txt` and the findings (`path:line RULE-ID`) and input
//! errors (`error path:line`) must match exactly. `args: ...` lines add command-line arguments
//! (`--parameter`, `--parameters-file`).

mod common;

use common::run_json;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn every_case_reports_exactly_the_expected_findings_and_errors() {
    common::check_cases("tests/cases/cloudformation", 10);
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
    // The rules the case is about, so that adding rules does not change it.
    let (_, json) = run_json(&[
        "scan".into(),
        "tests/cases/cloudformation/cdk_app".into(),
        "--select".into(),
        "FTR-IAM-002,FTR-S3-004".into(),
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

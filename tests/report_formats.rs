//! The machine formats (SARIF, JUnit, GitHub annotations, Markdown, CSV, concise), several
//! reports from one scan, and the exit-code gates (`--fail-on`, `--min-severity`,
//! `--exit-zero`, `--errors`, nothing to scan).
//!
//! Real consumers, when present: `SARIF_MULTITOOL` (path to Microsoft's SARIF Multitool, which
//! `.ci/run` installs from npm) validates the SARIF with GitHub's ingestion rules, and Python's
//! `junitparser` (which `.ci/run` installs from PyPI) reads the JUnit XML.

use std::path::Path;
use std::process::{Command, Output};

fn ftrlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const SMALL: &[&str] = &["scan", "fixtures/FTR-CT-002", "--select", "FTR-CT-002"];

fn small(format: &str) -> String {
    let mut args = SMALL.to_vec();
    args.extend(["--format", format]);
    let out = ftrlint(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

#[test]
fn sarif_snapshot_and_shape() {
    let text = small("sarif");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    assert_eq!(json["version"], "2.1.0");
    let run = &json["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["id"], "FTR-CT-002");
    assert!(rules[0]["properties"]["security-severity"].is_string());
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(uri.starts_with("fixtures/FTR-CT-002/"), "{uri}");
        assert!(r["partialFingerprints"]["ftrlint/v1"].is_string());
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
    json["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    json["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    insta::assert_json_snapshot!(json);
}

/// Microsoft's SARIF Multitool with GitHub's ingestion rules: no error and no warning.
#[test]
fn sarif_of_all_fixtures_passes_the_multitool() {
    let Some(tool) = std::env::var_os("SARIF_MULTITOOL") else {
        eprintln!("skipped: set SARIF_MULTITOOL to Microsoft's SARIF Multitool (.ci/run does)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let sarif = dir.path().join("fixtures.sarif");
    let out = ftrlint(&[
        "scan",
        "fixtures",
        "--format",
        "sarif",
        "--output",
        &sarif.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let log = dir.path().join("validation.sarif");
    let status = Command::new(tool)
        .args(["validate", "--rule-kind", "Gh;Sarif", "--output"])
        .arg(&log)
        .arg(&sarif)
        .output()
        .expect("run the SARIF Multitool");
    assert!(status.status.success(), "{}", stdout(&status));
    let text = std::fs::read_to_string(&log).expect("validation log");
    let json: serde_json::Value = serde_json::from_str(&text).expect("validation log is JSON");
    let problems: Vec<String> = json["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| matches!(r["level"].as_str(), Some("error") | Some("warning") | None))
        .map(|r| format!("{} {}", r["ruleId"], r["message"]))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(small("junit"));
}

/// Python's `junitparser` reads the JUnit XML (skipped when it is not installed).
#[test]
fn junit_parses_with_junitparser() {
    let probe = Command::new("python3")
        .args(["-c", "import junitparser"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 -m pip install junitparser (.ci/run does)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = dir.path().join("ftrlint.xml");
    let out = ftrlint(&[
        "scan",
        "fixtures",
        "--format",
        "junit",
        "-o",
        &xml.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let script = r#"
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
cases = failures = 0
for suite in xml:
    for case in suite:
        cases += 1
        if any(isinstance(r, Failure) for r in case.result):
            failures += 1
            assert ":" in case.result[0].message, case.result[0].message
print(cases, failures)
"#;
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(&xml)
        .output()
        .expect("python3");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let counts = stdout(&run);
    let mut it = counts
        .split_whitespace()
        .map(|n| n.parse::<usize>().unwrap_or(0));
    let (cases, failures) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
    let json = ftrlint(&["scan", "fixtures", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let findings = v["findings"].as_array().map_or(0, Vec::len);
    assert_eq!(failures, findings, "one failing case per finding");
    assert!(cases >= failures);
}

#[test]
fn github_markdown_csv_concise_snapshots() {
    insta::assert_snapshot!("github", small("github"));
    insta::assert_snapshot!("markdown", small("markdown"));
    insta::assert_snapshot!("concise", small("concise"));
    let csv_text = small("csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.records().count(), 5);
    insta::assert_snapshot!("csv", csv_text);
}

#[test]
fn several_reports_from_one_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sarif = dir.path().join("a.sarif");
    let json = dir.path().join("b.json");
    let out = ftrlint(&[
        "scan",
        "fixtures/FTR-CT-002",
        "--format",
        "sarif",
        "-o",
        &sarif.to_string_lossy(),
        "--format",
        "json",
        "--output",
        &json.to_string_lossy(),
        "--format",
        "concise",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::read_to_string(&sarif).is_ok_and(|t| t.contains("\"2.1.0\"")));
    assert!(std::fs::read_to_string(&json).is_ok_and(|t| t.contains("\"findings\"")));
    assert!(
        stdout(&out).contains("FTR-CT-002"),
        "the concise report goes to stdout"
    );
    // Two formats for stdout is a usage error.
    let out = ftrlint(&[
        "scan",
        "fixtures/FTR-CT-002",
        "--format",
        "json",
        "--format",
        "sarif",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fail_on_min_severity_and_exit_zero() {
    // FTR-CT-006 findings are medium.
    let base = ["scan", "fixtures/FTR-CT-006", "--select", "FTR-CT-006"];
    let code = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(extra);
        ftrlint(&a).status.code()
    };
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--fail-on", "medium"]), Some(1));
    assert_eq!(code(&["--fail-on", "high"]), Some(0));
    assert_eq!(code(&["--exit-zero"]), Some(0));
    let mut a = base.to_vec();
    a.extend(["--min-severity", "high", "--format", "json"]);
    let out = ftrlint(&a);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn input_errors_can_warn_and_nothing_to_scan_is_never_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("broken.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: [\n",
    )
    .expect("write");
    let d = dir.path().to_string_lossy().to_string();
    assert_eq!(ftrlint(&["scan", &d]).status.code(), Some(2));
    let out = ftrlint(&["scan", &d, "--errors", "warn"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("input error"));

    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(empty.path().join("README.md"), "no IaC here\n").expect("write");
    let e = empty.path().to_string_lossy().to_string();
    let out = ftrlint(&["scan", &e]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Terraform or CloudFormation file"),
        "a warning, not a silent pass"
    );
    assert_eq!(
        ftrlint(&["scan", &e, "--fail-on", "low"]).status.code(),
        Some(2)
    );
    assert!(Path::new(&e).exists());
}

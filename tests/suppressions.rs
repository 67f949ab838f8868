//! Every suppression form: a suppressed finding is reported as suppressed (JSON `suppressed`,
//! SARIF `suppressions`), not counted, and never fails the run; a missing reason is a note;
//! an expired one no longer applies; another tool's suppression applies only to the
//! equivalent rule.

use std::process::Command;

fn scan(dir: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .arg("scan")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .env("NO_COLOR", "1")
        .env("FTRLINT_TODAY", "2026-12-03")
        .output()
        .expect("run ftrlint");
    let json = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code().unwrap_or(-1), json)
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn ids(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}:{}", f["rule_id"].as_str().unwrap_or(""), f["line"]))
        .collect()
}

fn notes(v: &serde_json::Value) -> String {
    v["notes"].to_string()
}

const TRAIL_TF: &str = r#"resource "aws_cloudtrail" "main" {
  name                  = "org"
  s3_bucket_name        = "central-log-archive"
  is_multi_region_trail = true
  kms_key_id            = "alias/cloudtrail"
  REPLACE
}
"#;

fn trail(comment_above: &str, inline: &str) -> String {
    format!(
        "{comment_above}{}",
        TRAIL_TF.replace(
            "REPLACE",
            &format!("enable_log_file_validation = false{inline}")
        )
    )
}

#[test]
fn ftrlint_comment_above_the_resource_with_reason() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &trail(
            "# ftrlint:ignore FTR-CT-002 validated by the log-archive account's own trail\n",
            "",
        ),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-CT-002"]);
    assert_eq!(ids(&v, "findings"), Vec::<String>::new());
    assert_eq!(ids(&v, "suppressed"), ["FTR-CT-002:7"]);
    assert_eq!(v["suppressed"][0]["suppression"]["by"], "ftrlint");
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(code, 0, "a suppressed finding never fails the run");
    assert!(!notes(&v).contains("no reason"));
}

#[test]
fn inline_comment_without_reason_is_a_warning() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &trail("", " # ftrlint:ignore FTR-CT-002"),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-CT-002"]);
    assert_eq!(ids(&v, "suppressed"), ["FTR-CT-002:6"]);
    assert!(notes(&v).contains("has no reason"), "{}", notes(&v));
    assert_eq!(code, 0);
}

#[test]
fn expired_suppression_no_longer_applies() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &trail(
            "",
            " # ftrlint:ignore FTR-CT-002 until=2026-01-31 migration",
        ),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-CT-002"]);
    assert_eq!(ids(&v, "findings"), ["FTR-CT-002:6"]);
    assert!(notes(&v).contains("expired on 2026-01-31"), "{}", notes(&v));
    assert_eq!(code, 1);
    // Not yet expired: applies.
    write(
        d.path(),
        "main.tf",
        &trail(
            "",
            " # ftrlint:ignore FTR-CT-002 until=2027-01-31 migration",
        ),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-CT-002"]);
    assert_eq!(ids(&v, "suppressed"), ["FTR-CT-002:6"]);
    assert_eq!(code, 0);
}

#[test]
fn another_rules_suppression_does_not_apply() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &trail("# ftrlint:ignore FTR-CT-001 not this rule\n", ""),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-CT-002"]);
    assert_eq!(ids(&v, "findings"), ["FTR-CT-002:7"]);
    assert_eq!(code, 1);
}

const BUCKET: &str = r#"resource "aws_s3_bucket" "data" {
  bucket = "example-data"
  COMMENT
}
"#;

#[test]
fn checkov_tfsec_and_trivy_suppressions_of_equivalent_checks() {
    for (comment, above, by) in [
        (
            "#checkov:skip=CKV_AWS_19:encrypted by default since 2023",
            false,
            "checkov",
        ),
        (
            "#tfsec:ignore:aws-s3-enable-bucket-encryption",
            true,
            "tfsec",
        ),
        ("#trivy:ignore:AVD-AWS-0088", true, "trivy"),
        // Trivy's current ID and its long ID name the same check.
        ("#trivy:ignore:AWS-0088", true, "trivy"),
        (
            "#trivy:ignore:aws-s3-enable-bucket-encryption",
            true,
            "trivy",
        ),
    ] {
        let d = tempfile::tempdir().expect("tempdir");
        let text = if above {
            format!("{comment}\n{}", BUCKET.replace("COMMENT", ""))
        } else {
            BUCKET.replace("COMMENT", comment)
        };
        write(d.path(), "main.tf", &text);
        let (code, v) = scan(d.path(), &["--select", "FTR-S3-004"]);
        assert_eq!(
            v["suppressed"][0]["suppression"]["by"], by,
            "{comment}: {v}"
        );
        assert_eq!(code, 0, "{comment}");
    }
    // A Checkov check that is not equivalent does not suppress.
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &BUCKET.replace("COMMENT", "#checkov:skip=CKV_AWS_18:no access logs"),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-S3-004"]);
    assert_eq!(ids(&v, "findings"), ["FTR-S3-004:1"]);
    assert_eq!(code, 1);
}

const EFS_CFN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Files:
    Type: AWS::EFS::FileSystem
    METADATA
    Properties:
      Encrypted: false
"#;

#[test]
fn cloudformation_metadata_and_yaml_comments() {
    let cases = [
        (
            "Metadata:\n      ftrlint:\n        ignore:\n          - id: FTR-ENC-003\n            reason: scratch space, no customer data",
            "ftrlint",
        ),
        (
            "Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: F32\n            reason: scratch space",
            "cfn_nag",
        ),
    ];
    for (metadata, by) in cases {
        let d = tempfile::tempdir().expect("tempdir");
        write(
            d.path(),
            "template.yaml",
            &EFS_CFN.replace("METADATA", metadata),
        );
        let (code, v) = scan(d.path(), &["--select", "FTR-ENC-003"]);
        assert_eq!(v["suppressed"][0]["suppression"]["by"], by, "{v}");
        assert_eq!(code, 0);
    }
    // cfn-lint's checks are not equivalent to any rule: no suppression.
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "template.yaml",
        &EFS_CFN.replace(
            "METADATA",
            "Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [E3012]",
        ),
    );
    let (code, _) = scan(d.path(), &["--select", "FTR-ENC-003"]);
    assert_eq!(code, 1);
    // A YAML comment above the logical ID.
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "template.yaml",
        &EFS_CFN.replace("    METADATA\n", "").replace(
            "  Files:",
            "  # ftrlint:ignore FTR-ENC-003 scratch space\n  Files:",
        ),
    );
    let (code, v) = scan(d.path(), &["--select", "FTR-ENC-003"]);
    assert_eq!(ids(&v, "suppressed"), ["FTR-ENC-003:7"], "{v}");
    assert_eq!(code, 0);
}

#[test]
fn sarif_shows_suppressions() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "main.tf",
        &trail("# ftrlint:ignore FTR-CT-002 accepted risk\n", ""),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .arg("scan")
        .arg(d.path())
        .args(["--select", "FTR-CT-002", "--format", "sarif"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
    assert!(r["suppressions"][0]["justification"]
        .as_str()
        .is_some_and(|j| j.contains("accepted risk")));
}

/// The mapping is read with a fallback to "no equivalents": a file that does not parse, or that
/// names a rule that does not exist, would silently drop every other tool's suppression.
#[test]
fn equivalents_file_parses_and_names_existing_rules() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("policies/equivalents/other-tools.toml"))
        .expect("read other-tools.toml");
    let tables: std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, Vec<String>>,
    > = toml::from_str(&text).expect("other-tools.toml parses");
    for tool in ["checkov", "tfsec", "trivy", "cfn_nag", "cfn-lint"] {
        assert!(tables.contains_key(tool), "missing table [{tool}]");
    }
    for (tool, map) in &tables {
        let mut seen = std::collections::BTreeSet::new();
        for (id, rules) in map {
            assert!(
                seen.insert(id.to_ascii_lowercase()),
                "[{tool}] {id} is listed twice (IDs match case-insensitively)"
            );
            assert!(!rules.is_empty(), "[{tool}] {id} maps to no rule");
            for rule in rules {
                assert!(
                    root.join("policies").join(format!("{rule}.toml")).is_file(),
                    "[{tool}] {id} maps to unknown rule {rule}"
                );
            }
        }
    }
}

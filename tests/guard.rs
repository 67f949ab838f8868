//! Guard policies (`--policy`, `policies` in `.ftrlint.toml`): the cases of `tests/cases/guard/`
//! (exact rule, file, line and resource), broken policy files, configuration, and Guard
//! findings going through suppressions, baselines, selection and the report formats.

mod common;

use common::run_json;
use std::path::Path;
use std::process::Command;

#[test]
fn every_case_reports_exactly_the_expected_findings() {
    common::check_cases("tests/cases/guard", 3);
}

fn ftrlint(args: &[&str], cwd: Option<&Path>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ftrlint"));
    cmd.args(args).env("NO_COLOR", "1");
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let out = cmd.output().expect("run ftrlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BUCKET_TF: &str =
    "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags = {\n    Owner = \"x\"\n  }\n}\n";

const POLICY: &str = "# severity: critical\nrule bucket_classified {\n  Resources.*[ Type == 'aws_s3_bucket' ] {\n    Properties.tags_all.DataClassification exists <<Classify the bucket>>\n  }\n}\n";

fn project(policy: &str, tf: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(d.path().join("infra")).expect("mkdir");
    std::fs::create_dir_all(d.path().join("rules")).expect("mkdir");
    std::fs::write(d.path().join("infra/main.tf"), tf).expect("write");
    std::fs::write(d.path().join("rules/org.guard"), policy).expect("write");
    d
}

#[test]
fn a_broken_policy_file_is_an_error_with_its_line() {
    let d = project(
        "rule ok {\n  Resources.* !empty\n}\n\nrule broken {\n  Properties.X ==\n}\n",
        BUCKET_TF,
    );
    let (code, out, err) = ftrlint(
        &[
            "scan",
            "infra",
            "--policy",
            "rules/org.guard",
            "--format",
            "json",
        ],
        Some(d.path()),
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.starts_with("error: rules/org.guard:6: Guard syntax error: "),
        "{err}"
    );
    // A path that does not exist, and a directory without any policy.
    let (code, _, err) = ftrlint(&["scan", "infra", "--policy", "nope.guard"], Some(d.path()));
    assert_eq!(code, 2);
    assert!(err.starts_with("error: --policy nope.guard: "), "{err}");
    // Two files of one name would give the same rule IDs.
    std::fs::create_dir_all(d.path().join("rules/team")).expect("mkdir");
    std::fs::write(d.path().join("rules/org.guard"), POLICY).expect("write");
    std::fs::write(d.path().join("rules/team/org.guard"), POLICY).expect("write");
    let (code, _, err) = ftrlint(&["scan", "infra", "--policy", "rules"], Some(d.path()));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: rules/org.guard and rules/team/org.guard have the same name"),
        "{err}"
    );
    let (code, _, err) = ftrlint(&["scan", "infra", "--policy", "infra"], Some(d.path()));
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "error: --policy infra: no `.guard` file in this directory"
    );
}

#[test]
fn severity_comment_message_and_the_formats() {
    let d = project(POLICY, BUCKET_TF);
    let (code, json) = run_json(&[
        "scan".into(),
        d.path().join("infra").display().to_string(),
        "--policy".into(),
        d.path().join("rules").display().to_string(),
        "--select".into(),
        "GUARD".into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(code, 1);
    let f = &json["findings"][0];
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));
    assert_eq!(f["rule_id"], "GUARD:org:bucket_classified");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["message"], "Classify the bucket");
    assert_eq!(f["line"], 3);
    assert_eq!(f["resource"], "aws_s3_bucket.b");
    assert_eq!(f["title"], "Guard policy org: rule bucket_classified");
    // The directory and a file in it: loaded once (no duplicate-name error, one finding).
    let (code, json) = run_json(&[
        "scan".into(),
        d.path().join("infra").display().to_string(),
        "--policy".into(),
        d.path().join("rules").display().to_string(),
        "--policy".into(),
        d.path().join("rules/org.guard").display().to_string(),
        "--select".into(),
        "GUARD".into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));
    // Per-rule counts: the one bucket failed.
    let r = json["rules"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["rule_id"] == "GUARD:org:bucket_classified")
        })
        .expect("rule counts");
    assert_eq!(
        (&r["pass"], &r["fail"], &r["unknown"]),
        (&0.into(), &1.into(), &0.into())
    );

    // SARIF: a rule entry with the message as help and where the rule is written.
    let infra = d.path().join("infra").display().to_string();
    let rules = d.path().join("rules").display().to_string();
    let (_, sarif, _) = ftrlint(
        &[
            "scan", &infra, "--policy", &rules, "--select", "GUARD:*", "--format", "sarif",
        ],
        None,
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "GUARD:org:bucket_classified");
    let help = rule["help"]["text"].as_str().unwrap_or_default();
    assert!(
        help.starts_with("Classify the bucket (Guard rule `bucket_classified`"),
        "{help}"
    );
    assert!(help.contains("org.guard:2"), "{help}");
    assert!(rule.get("helpUri").is_none(), "{rule}");
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "GUARD:org:bucket_classified"
    );
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );

    // Concise and JUnit name the rule too.
    let (_, concise, _) = ftrlint(
        &[
            "scan", &infra, "--policy", &rules, "--select", "GUARD", "--format", "concise",
        ],
        None,
    );
    assert!(
        concise.contains("main.tf:3:3: GUARD:org:bucket_classified [critical] Classify the bucket"),
        "{concise}"
    );
    let (_, junit, _) = ftrlint(
        &[
            "scan", &infra, "--policy", &rules, "--select", "GUARD", "--format", "junit",
        ],
        None,
    );
    assert!(junit.contains("GUARD:org:bucket_classified"), "{junit}");
}

#[test]
fn config_file_policies_severity_and_selection() {
    let d = project(POLICY, BUCKET_TF);
    std::fs::create_dir(d.path().join(".git")).expect("git dir");
    std::fs::write(
        d.path().join(".ftrlint.toml"),
        "policies = [\"rules\"]\n[severity]\n\"GUARD:org:bucket_classified\" = \"low\"\n",
    )
    .expect("write");
    let (code, json) = run_json(&[
        "scan".into(),
        d.path().join("infra").display().to_string(),
        "--select".into(),
        "GUARD:org".into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        json["findings"][0]["rule_id"],
        "GUARD:org:bucket_classified"
    );
    assert_eq!(json["findings"][0]["severity"], "low");
    // `--ignore` wins; an unknown Guard selector is a usage error.
    let infra = d.path().join("infra").display().to_string();
    let (code, out, _) = ftrlint(
        &["scan", &infra, "--ignore", "GUARD", "--format", "concise"],
        None,
    );
    assert!(!out.contains("GUARD"), "{out}");
    assert_ne!(code, 2);
    let (code, _, err) = ftrlint(&["scan", &infra, "--select", "GUARD:nope"], None);
    assert_eq!(code, 2);
    assert!(err.contains("no rule matches `GUARD:nope`"), "{err}");
    // A [severity] entry for a Guard rule that does not exist.
    std::fs::write(
        d.path().join(".ftrlint.toml"),
        "policies = [\"rules\"]\n[severity]\n\"GUARD:org:nope\" = \"low\"\n",
    )
    .expect("write");
    let (code, _, err) = ftrlint(&["scan", &infra], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("[severity] names unknown rule `GUARD:org:nope`"),
        "{err}"
    );
}

#[test]
fn suppressions_and_baselines_apply_to_guard_findings() {
    let suppressed = "# ftrlint:ignore GUARD:org:bucket_classified public website assets\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n";
    let d = project(POLICY, suppressed);
    let infra = d.path().join("infra").display().to_string();
    let rules = d.path().join("rules").display().to_string();
    let (code, json) = run_json(&[
        "scan".into(),
        infra.clone(),
        "--policy".into(),
        rules.clone(),
        "--select".into(),
        "GUARD".into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        json["suppressed"][0]["rule_id"],
        "GUARD:org:bucket_classified"
    );
    assert_eq!(
        json["suppressed"][0]["suppression"]["reason"],
        "public website assets"
    );

    let d = project(POLICY, BUCKET_TF);
    let infra = d.path().join("infra").display().to_string();
    let rules = d.path().join("rules").display().to_string();
    let baseline = d.path().join("baseline.json").display().to_string();
    let (code, _, err) = ftrlint(
        &[
            "baseline", "create", &infra, "--policy", &rules, "--select", "GUARD", "-o", &baseline,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = ftrlint(
        &[
            "scan",
            &infra,
            "--policy",
            &rules,
            "--select",
            "GUARD",
            "--baseline",
            &baseline,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("baseline: 1 known finding hidden"), "{err}");
}

#[test]
fn the_readme_example_policy_is_the_tested_one() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    let policy =
        std::fs::read_to_string("tests/cases/guard/readme_example/bucket.guard").expect("policy");
    // The README indents its code blocks by two spaces inside a list item.
    let indented: String = policy
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            }
        })
        .collect();
    assert!(
        readme.contains(&indented),
        "README's Guard example differs from tests/cases/guard/readme_example/bucket.guard"
    );
}

#[test]
fn unknown_values_never_make_a_finding() {
    // cfn-guard fails `in` on the `{"Ref": "Engine"}` object it is shown: an unknown value, so
    // no finding (counted unknown); the known engine fails at its line.
    let policy = "rule approved_engines {\n  Resources.*[ Type == 'AWS::RDS::DBInstance' ] {\n    Properties.Engine in ['mysql', 'postgres'] <<Engine not approved>>\n  }\n}\n";
    let template = "Parameters:\n  Engine:\n    Type: String\nResources:\n  Unknown:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: !Ref Engine\n      StorageEncrypted: false\n  Known:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: false\n      Engine: oracle-ee\n";
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("db.guard"), policy).expect("write");
    std::fs::write(d.path().join("template.yaml"), template).expect("write");
    let (code, json) = run_json(&[
        "scan".into(),
        d.path().join("template.yaml").display().to_string(),
        "--policy".into(),
        d.path().join("db.guard").display().to_string(),
        "--select".into(),
        "GUARD".into(),
        "--format".into(),
        "json".into(),
    ]);
    assert_eq!(code, 1);
    let found: Vec<(String, u64)> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["resource"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(found, vec![("Known".to_string(), 14)]);
    assert_eq!(json["rules"][0]["unknown"], 1);
}

#[test]
fn secrets_stay_masked_in_guard_findings() {
    // A Guard finding on a line holding an access key: no format prints the key.
    let tf = "resource \"aws_instance\" \"i\" {\n  ami           = \"ami-1\"\n  instance_type = \"m4.large\" # AKIAW5N8PQ2RT6YV3ZXC\n}\n";
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("main.tf"), tf).expect("write");
    let dir = d.path().display().to_string();
    for format in [
        "human", "json", "sarif", "concise", "markdown", "csv", "junit", "github",
    ] {
        let (code, out, _) = ftrlint(
            &[
                "scan",
                &dir,
                "--policy",
                "policies/examples/allowed-instance-types.guard",
                "--select",
                "GUARD",
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(code, 1, "{format}: {out}");
        // (GitHub annotations escape `:` in titles.)
        assert!(out.contains("approved_instance_types"), "{format}: {out}");
        assert!(!out.contains("AKIAW5N8PQ2RT6YV3ZXC"), "{format}: {out}");
    }
}

/// A custom message is written by the policy author and may start like a spreadsheet formula:
/// the findings CSV never lets it be one.
#[test]
fn a_formula_like_message_is_not_a_formula_in_csv() {
    let policy = POLICY.replace("<<Classify the bucket>>", "<<=HYPERLINK(\"x\")>>");
    let d = project(&policy, BUCKET_TF);
    let (code, out, err) = ftrlint(
        &[
            "scan", "infra", "--policy", "rules", "--select", "GUARD", "--format", "csv",
        ],
        Some(d.path()),
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("'=HYPERLINK"), "{out}");
    assert!(
        !out.contains(",=HYPERLINK") && !out.contains(",\"=HYPERLINK"),
        "{out}"
    );
}

//! Baselines: `baseline create` records today's findings; `scan --baseline` reports only new
//! ones, survives line shifts from unrelated edits, and counts fixed entries.

use std::process::Command;

fn ftrlint(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const TRAIL: &str = r#"resource "aws_cloudtrail" "main" {
  name                  = "org"
  s3_bucket_name        = "central-log-archive"
  is_multi_region_trail = true
  kms_key_id            = "alias/cloudtrail"
}
"#;

#[test]
fn only_new_findings_after_a_baseline() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(d.path().join("infra")).expect("mkdir");
    std::fs::write(d.path().join("infra/main.tf"), TRAIL).expect("write");
    let sel = ["--select", "FTR-CT-002,FTR-CT-006"];
    let mut create = vec!["baseline", "create", "infra", "-o", "base.json"];
    create.extend(sel);
    let (code, _, err) = ftrlint(d.path(), &create);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 finding recorded"), "{err}");

    // Unrelated edits above the finding: still known.
    std::fs::write(
        d.path().join("infra/main.tf"),
        format!("# audit trail of the organisation\n\n{TRAIL}"),
    )
    .expect("write");
    let mut scan = vec![
        "scan",
        "infra",
        "--baseline",
        "base.json",
        "--format",
        "json",
    ];
    scan.extend(sel);
    let (code, out, err) = ftrlint(d.path(), &scan);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{out}");
    assert_eq!(v["summary"]["baseline"]["known"], 1);
    assert_eq!(code, 0, "{err}");

    // A new defect is reported; the old one is fixed.
    std::fs::write(
        d.path().join("infra/main.tf"),
        TRAIL
            .replace("  kms_key_id            = \"alias/cloudtrail\"\n", "")
            .replace("  name ", "  enable_log_file_validation = true\n  name "),
    )
    .expect("write");
    let (code, out, _) = ftrlint(d.path(), &scan);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(rules, ["FTR-CT-006"]);
    assert_eq!(v["summary"]["baseline"]["fixed"], 1);
    assert_eq!(code, 1);

    // A missing or invalid baseline is an error.
    std::fs::write(d.path().join("bad.json"), "{}").expect("write");
    let (code, _, err) = ftrlint(d.path(), &["scan", "infra", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an ftrlint baseline"), "{err}");
}

//! Command-line behaviour: exit codes, JSON shape, human output, pre-commit mode, bad input.

use std::path::Path;
use std::process::{Command, Output};

fn ftrlint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn write(dir: &Path, rel: &str, text: &[u8]) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

const BAD_TRAIL_TF: &str = r#"resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "central-log-archive"
  is_multi_region_trail         = true
  enable_log_file_validation    = var.validate
  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:key/abc"
}
"#;

#[test]
fn exit_codes_and_json_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "bad/main.tf", BAD_TRAIL_TF.as_bytes());
    write(
        dir.path(),
        "bad/variables.tf",
        b"variable \"validate\" {\n  type    = bool\n  default = false\n}\n",
    );
    write(
        dir.path(),
        "good/main.tf",
        BAD_TRAIL_TF.replace("var.validate", "true").as_bytes(),
    );

    let out = ftrlint(&["scan", "good", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = ftrlint(&["scan", "bad", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["tool"]["name"], "ftrlint");
    let f = &j["findings"][0];
    assert_eq!(f["rule_id"], "FTR-CT-002");
    assert_eq!(f["file"], "bad/main.tf");
    assert_eq!(f["line"], 5);
    assert_eq!(f["column"], 3);
    assert_eq!(f["resource"], "aws_cloudtrail.main");
    assert_eq!(f["severity"], "high");
    for key in ["title", "message", "end_line", "end_column", "fingerprint"] {
        assert!(!f[key].is_null(), "missing {key}");
    }
    assert_eq!(j["summary"]["findings"], 1);
    assert_eq!(j["summary"]["files_scanned"], 2);
    assert_eq!(j["summary"]["resources"], 1);

    // Overriding the variable on the command line removes the finding.
    let out = ftrlint(
        &["scan", "bad", "--format", "json", "--var", "validate=true"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = ftrlint(&["scan", "--format", "nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn precommit_mode_reports_only_named_files_but_evaluates_the_module() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "m/trail.tf", BAD_TRAIL_TF.as_bytes());
    write(
        dir.path(),
        "m/variables.tf",
        b"variable \"validate\" {\n  type    = bool\n  default = false\n}\n",
    );
    write(
        dir.path(),
        "m/other.tf",
        b"resource \"aws_efs_file_system\" \"fs\" {\n  encrypted = false\n}\n",
    );
    // The default in the sibling file is seen: the finding is not missed.
    let out = ftrlint(&["scan", "m/trail.tf", "--format", "json"], dir.path());
    let j = json(&out);
    let rules: Vec<&str> = j["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(rules, ["FTR-CT-002"], "{j}");
    // Only the named file is reported: the EFS finding in other.tf is not.
    let out = ftrlint(&["scan", "m/other.tf", "--format", "json"], dir.path());
    let j = json(&out);
    assert_eq!(j["findings"][0]["rule_id"], "FTR-ENC-003");
    assert_eq!(j["findings"].as_array().map(Vec::len), Some(1));
}

#[test]
fn human_output_shows_the_source_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        BAD_TRAIL_TF.replace("var.validate", "false").as_bytes(),
    );
    let out = ftrlint(&["scan", "."], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("main.tf:5:3"), "{text}");
    assert!(text.contains("FTR-CT-002"), "{text}");
    assert!(
        text.contains("enable_log_file_validation    = false"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "colour without a terminal: {text}"
    );
}

#[test]
fn human_output_keeps_findings_on_stdout_and_errors_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        BAD_TRAIL_TF.replace("var.validate", "false").as_bytes(),
    );
    write(
        dir.path(),
        "broken/main.tf",
        b"resource \"aws_s3_bucket\" {\n",
    );
    let out = ftrlint(&["scan", "."], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("FTR-CT-002"), "{stdout}");
    assert!(stdout.contains("1 finding (1 high), 1 error"), "{stdout}");
    assert!(!stdout.contains("error: broken"), "{stdout}");
    assert!(stderr.contains("error: broken/main.tf:"), "{stderr}");
    // In a file, one document with everything.
    let out = ftrlint(&["scan", ".", "--output", "r.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let file = std::fs::read_to_string(dir.path().join("r.txt")).expect("report");
    assert!(
        file.contains("FTR-CT-002") && file.contains("error: broken/main.tf:"),
        "{file}"
    );
}

#[test]
fn bad_input_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "binary/main.tf", b"\x00\x01\x02resource");
    write(d, "latin1/main.tf", b"# caf\xe9\nresource \"x\" \"y\" {}\n");
    write(
        d,
        "broken/main.tf",
        b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n",
    );
    write(
        d,
        "truncated.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: [\n",
    );
    let deep = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write(d, "deep.json", deep.as_bytes());
    let deep_tf = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    write(d, "deeptf/main.tf", deep_tf.as_bytes());
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    write(d, "bomb.yaml", bomb.as_bytes());
    write(d, "notcfn.yaml", b"name: ci\non: [push]\n");
    write(
        d,
        "ok/main.tf",
        b"resource \"aws_efs_file_system\" \"fs\" {\n}\n",
    );

    let started = std::time::Instant::now();
    let out = ftrlint(&["scan", ".", "--format", "json"], d);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let j = json(&out);
    let errors = j["errors"].as_array().expect("errors");
    let files: Vec<&str> = errors.iter().filter_map(|e| e["file"].as_str()).collect();
    for f in [
        "binary/main.tf",
        "latin1/main.tf",
        "broken/main.tf",
        "truncated.yaml",
        "deep.json",
        "deeptf/main.tf",
        "bomb.yaml",
    ] {
        assert!(files.contains(&f), "no error for {f}: {errors:#?}");
    }
    assert!(!files.contains(&"notcfn.yaml"), "{errors:#?}");
    for e in errors {
        assert!(
            !e["message"]
                .as_str()
                .unwrap_or("")
                .contains("internal error"),
            "{e}"
        );
    }
    // Parse errors carry a line.
    let broken = errors
        .iter()
        .find(|e| e["file"] == "broken/main.tf")
        .expect("broken");
    assert!(broken["line"].as_u64().is_some(), "{broken}");
    // The good file is still checked.
    assert!(
        j["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule_id"] == "FTR-ENC-003" && f["file"] == "ok/main.tf"),
        "{j}"
    );
}

#[test]
fn counts_too_large_to_expand_are_noted_not_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "main.tf",
        b"resource \"aws_efs_file_system\" \"fs\" {\n  count = 100000000\n}\n",
    );
    let out = ftrlint(&["scan", ".", "--format", "json"], dir.path());
    let j = json(&out);
    let notes = j["notes"].to_string();
    assert!(notes.contains("count = 100000000"), "{j}");
    // Checked once: the literal body still fails.
    assert_eq!(j["findings"][0]["rule_id"], "FTR-ENC-003", "{j}");
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let one = ftrlint(
        &[
            "scan",
            "fixtures",
            "tests/cases",
            "--format",
            "json",
            "--threads",
            "1",
        ],
        root,
    );
    let two = ftrlint(
        &[
            "scan",
            "fixtures",
            "tests/cases",
            "--format",
            "json",
            "--threads",
            "2",
        ],
        root,
    );
    assert!(!one.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&one.stdout),
        String::from_utf8_lossy(&two.stdout)
    );
}

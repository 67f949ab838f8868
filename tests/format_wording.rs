//! A finding is worded for the format of the file it is in: a CloudFormation finding names
//! CloudFormation properties and parameters, a Terraform finding Terraform attributes and
//! variables, in its message and its remediation (`help`).

use ftrlint::resource::Format;
use ftrlint::rules::meta;
use std::process::Command;

/// The words of the other format: what a message of `format` must not contain.
fn foreign_marks(format: Format, text: &str) -> Vec<String> {
    let mut marks = Vec::new();
    let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'));
    match format {
        Format::CloudFormation => {
            // `aws_ebs_encryption_by_default`, `kms_key_id`, `x = true`, "variable".
            for w in words {
                // A name starts with a letter (`2_2021` of `TLSv1.2_2021` is a version).
                let name = w.starts_with(|c: char| c.is_ascii_alphabetic());
                if w.starts_with("aws_") || (name && w.contains('_') && w == w.to_ascii_lowercase())
                {
                    marks.push(format!("Terraform name `{w}`"));
                }
                if w == "variable" || w == "tfvars" {
                    marks.push(format!("Terraform word `{w}`"));
                }
            }
            if text.contains(" = ") {
                marks.push("Terraform assignment ` = `".into());
            }
        }
        Format::Terraform => {
            // `AWS::EC2::Volume`, `Encrypted: true`, `AllowedPattern`, "parameter".
            if text.contains("AWS::") {
                marks.push("CloudFormation type `AWS::…`".into());
            }
            for w in words {
                let key = w.trim_end_matches(':');
                if w.ends_with(':')
                    && key.len() > 1
                    && key.chars().all(|c| c.is_ascii_alphanumeric())
                    && key.starts_with(|c: char| c.is_ascii_uppercase())
                    && key.chars().any(|c| c.is_ascii_lowercase())
                {
                    marks.push(format!("CloudFormation property `{w}`"));
                }
                if w == "parameter" || w == "AllowedPattern" {
                    marks.push(format!("CloudFormation word `{w}`"));
                }
            }
        }
    }
    marks
}

fn scan(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

#[test]
fn every_fixture_finding_is_worded_for_its_format() {
    let mut problems = Vec::new();
    let mut seen = [0usize; 2];
    for profile in ["partner-hosted", "customer-deployed"] {
        let json = scan(&["scan", "fixtures", "--format", "json", "--profile", profile]);
        for f in json["findings"].as_array().into_iter().flatten() {
            let rule = f["rule_id"].as_str().unwrap_or_default();
            let resource = f["resource"].as_str().unwrap_or_default();
            // Terraform addresses have a dot (`aws_s3_bucket.logs`), CloudFormation logical
            // IDs are alphanumeric.
            let format = if resource.contains('.') {
                Format::Terraform
            } else {
                Format::CloudFormation
            };
            seen[format as usize] += 1;
            let Some(m) = meta::get(rule) else {
                problems.push(format!("{rule}: no metadata"));
                continue;
            };
            let remediation = f["remediation"].as_str().unwrap_or_default();
            if remediation != m.remediation(format) {
                problems.push(format!(
                    "{rule} in {}: remediation `{remediation}` is not the {format:?} one",
                    f["file"]
                ));
            }
            for field in ["message", "remediation"] {
                let text = f[field].as_str().unwrap_or_default();
                for mark in foreign_marks(format, text) {
                    problems.push(format!(
                        "{rule} at {}:{} ({format:?}): {field} has {mark}: {text}",
                        f["file"], f["line"]
                    ));
                }
            }
        }
    }
    assert!(
        seen.iter().all(|&n| n > 10),
        "too few findings per format: {seen:?}"
    );
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_wording_check_can_fail() {
    assert!(!foreign_marks(
        Format::CloudFormation,
        "set `encrypted = true`, or enable `aws_ebs_encryption_by_default`"
    )
    .is_empty());
    assert!(!foreign_marks(Format::Terraform, "set `Encrypted: true`").is_empty());
    assert!(!foreign_marks(Format::Terraform, "add `AllowedPattern` to the parameter").is_empty());
    assert!(foreign_marks(Format::Terraform, "set `encrypted = true`").is_empty());
    assert!(foreign_marks(Format::CloudFormation, "set `Encrypted: true`").is_empty());
    assert!(foreign_marks(Format::CloudFormation, "`TLSv1.2_2021`").is_empty());
}

//! `.ftrlint.toml`: found upward from the scanned path to the git root, applied, overridden by
//! the command line; unknown keys are errors with the file and line.

use std::process::Command;

fn ftrlint(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const TRAIL: &str = r#"resource "aws_cloudtrail" "main" {
  name                  = "org"
  s3_bucket_name        = "central-log-archive"
  is_multi_region_trail = true
}
"#;

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{} {}",
                f["rule_id"].as_str().unwrap_or(""),
                f["severity"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn project_settings_apply_and_the_command_line_wins() {
    let d = tempfile::tempdir().expect("tempdir");
    let repo = d.path();
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    std::fs::create_dir_all(repo.join("infra/examples/demo")).expect("mkdir");
    std::fs::write(repo.join("infra/main.tf"), TRAIL).expect("write");
    std::fs::write(repo.join("infra/examples/demo/main.tf"), TRAIL).expect("write");
    std::fs::write(
        repo.join(".ftrlint.toml"),
        "select = [\"FTR-CT-002\", \"FTR-CT-006\"]\nexclude = [\"infra/examples/\"]\nfail-on = \"high\"\n\n[severity]\n\"FTR-CT-002\" = \"low\"\n",
    )
    .expect("write");
    // From a subdirectory: the file above is found.
    let (code, v, err) = ftrlint(&repo.join("infra"), &["scan", ".", "--format", "json"]);
    assert_eq!(rules(&v), ["FTR-CT-002 low", "FTR-CT-006 medium"], "{err}");
    assert_eq!(v["summary"]["files_scanned"], 1, "examples/ is excluded");
    assert_eq!(code, 0, "fail-on high: nothing that severe");
    // The command line wins.
    let (code, v, _) = ftrlint(
        repo,
        &[
            "scan",
            "infra",
            "--format",
            "json",
            "--select",
            "FTR-CT-006",
            "--fail-on",
            "medium",
        ],
    );
    assert_eq!(rules(&v), ["FTR-CT-006 medium"]);
    assert_eq!(code, 1);
    // --no-config ignores it.
    let (_, v, _) = ftrlint(
        repo,
        &[
            "scan",
            "infra",
            "--format",
            "json",
            "--no-config",
            "--select",
            "FTR-CT-002",
        ],
    );
    assert_eq!(rules(&v), ["FTR-CT-002 high", "FTR-CT-002 high"]);
}

#[test]
fn unknown_keys_are_errors_with_file_and_line() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(d.path().join(".git")).expect("mkdir");
    std::fs::write(d.path().join("main.tf"), TRAIL).expect("write");
    std::fs::write(
        d.path().join(".ftrlint.toml"),
        "profile = \"partner-hosted\"\nfail_on = \"high\"\n",
    )
    .expect("write");
    let (code, _, err) = ftrlint(d.path(), &["scan", "."]);
    assert_eq!(code, 2);
    assert!(err.contains(".ftrlint.toml:2"), "{err}");
}

/// `--var DIR:NAME=VALUE` and `[terraform.roots."DIR"]` set a variable for one root module
/// only; an unscoped `--var` that a root does not declare is an error for that root.
#[test]
fn variables_scoped_to_one_root_module() {
    let d = tempfile::tempdir().expect("tempdir");
    let repo = d.path();
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    for env in ["prod", "dev"] {
        std::fs::create_dir_all(repo.join("envs").join(env)).expect("mkdir");
    }
    let trail = |var: &str| {
        format!(
            "variable \"{var}\" {{\n  type    = bool\n  default = true\n}}\n\nresource \"aws_cloudtrail\" \"main\" {{\n  name                       = \"org\"\n  s3_bucket_name             = \"central-log-archive\"\n  is_multi_region_trail      = true\n  kms_key_id                 = \"alias/cloudtrail\"\n  enable_log_file_validation = var.{var}\n}}\n"
        )
    };
    std::fs::write(repo.join("envs/prod/main.tf"), trail("validate")).expect("write");
    std::fs::write(repo.join("envs/dev/main.tf"), trail("validation_on")).expect("write");
    let sel = ["--format", "json", "--select", "FTR-CT-002", "--no-config"];
    // Unscoped: dev does not declare `validate`, an error.
    let mut a = vec!["scan", "envs", "--var", "validate=false"];
    a.extend(sel);
    let (code, v, _) = ftrlint(repo, &a);
    assert_eq!(code, 2, "{v}");
    // Scoped to prod: one finding, in prod, no error.
    let mut a = vec!["scan", "envs", "--var", "envs/prod:validate=false"];
    a.extend(sel);
    let (code, v, _) = ftrlint(repo, &a);
    let files: Vec<&str> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(files, ["envs/prod/main.tf"], "{v}");
    assert_eq!(code, 1);
    // The same from .ftrlint.toml.
    std::fs::write(
        repo.join(".ftrlint.toml"),
        "[terraform.roots.\"envs/prod\"]\nvars = { validate = \"false\" }\n",
    )
    .expect("write");
    let (code, v, err) = ftrlint(
        repo,
        &["scan", "envs", "--format", "json", "--select", "FTR-CT-002"],
    );
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(1), "{v} {err}");
    assert_eq!(code, 1);
    // A variable file for one root: dev does not declare `validate`, and is not given the file.
    std::fs::write(repo.join("prod.tfvars"), "validate = false\n").expect("write");
    std::fs::write(
        repo.join(".ftrlint.toml"),
        "[terraform.roots.\"envs/prod\"]\nvar-files = [\"prod.tfvars\"]\n",
    )
    .expect("write");
    let (code, v, err) = ftrlint(
        repo,
        &["scan", "envs", "--format", "json", "--select", "FTR-CT-002"],
    );
    let lines: Vec<String> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}:{}", f["file"], f["line"]))
        .collect();
    assert_eq!(lines, [r#""envs/prod/main.tf":11"#], "{v} {err}");
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0), "{v}");
    assert_eq!(code, 1);
}

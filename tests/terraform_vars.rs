//! Variable precedence (`TF_VAR_name` < tfvars < `--var-file` / `--var` in order) and module
//! recursion, through the binary.

use std::process::Command;

fn scan(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(["scan", ".", "--format", "json"])
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    serde_json::from_slice(&out.stdout).expect("json")
}

fn rules(j: &serde_json::Value) -> Vec<String> {
    j["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

const EFS: &str = "variable \"encrypted\" {\n  type = bool\n}\nresource \"aws_efs_file_system\" \"fs\" {\n  encrypted = var.encrypted\n}\n";

#[test]
fn precedence_of_variable_sources() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("main.tf"), EFS).expect("write");
    std::fs::write(d.path().join("off.tfvars"), "encrypted = false\n").expect("write");
    std::fs::write(d.path().join("on.tfvars"), "encrypted = true\n").expect("write");
    // Nothing given: unknown, no finding.
    assert!(rules(&scan(d.path(), &[], &[])).is_empty());
    // The environment.
    let j = scan(d.path(), &[], &[("TF_VAR_encrypted", "false")]);
    assert_eq!(rules(&j), ["FTR-ENC-003"]);
    // terraform.tfvars beats the environment.
    std::fs::write(d.path().join("terraform.tfvars"), "encrypted = true\n").expect("write");
    assert!(rules(&scan(d.path(), &[], &[("TF_VAR_encrypted", "false")])).is_empty());
    // --var-file beats terraform.tfvars; later command-line arguments win.
    assert_eq!(
        rules(&scan(d.path(), &["--var-file", "off.tfvars"], &[])),
        ["FTR-ENC-003"]
    );
    assert!(rules(&scan(
        d.path(),
        &["--var-file", "off.tfvars", "--var", "encrypted=true"],
        &[]
    ))
    .is_empty());
    assert_eq!(
        rules(&scan(
            d.path(),
            &["--var", "encrypted=true", "--var-file", "off.tfvars"],
            &[]
        )),
        ["FTR-ENC-003"]
    );
    // A missing var file is an error.
    let j = scan(d.path(), &["--var-file", "nope.tfvars"], &[]);
    assert!(!j["errors"].as_array().expect("errors").is_empty());
}

#[test]
fn recursive_modules_are_an_error_not_a_hang() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        d.path().join("main.tf"),
        "module \"me\" {\n  source = \"./\"\n}\nresource \"aws_efs_file_system\" \"fs\" {}\n",
    )
    .expect("write");
    std::fs::create_dir_all(d.path().join("a")).expect("mkdir");
    std::fs::create_dir_all(d.path().join("b")).expect("mkdir");
    std::fs::write(
        d.path().join("a/main.tf"),
        "module \"b\" {\n  source = \"../b\"\n}\n",
    )
    .expect("write");
    std::fs::write(
        d.path().join("b/main.tf"),
        "module \"a\" {\n  source = \"../a\"\n}\n",
    )
    .expect("write");
    let j = scan(d.path(), &[], &[]);
    let errors: Vec<String> = j["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        errors.iter().filter(|m| m.contains("recursively")).count(),
        2,
        "{errors:?}"
    );
    // The root's own resource is still checked, once.
    assert_eq!(rules(&j), ["FTR-ENC-003"]);
}

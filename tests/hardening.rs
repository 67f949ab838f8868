//! Issue 10: never crash, never hang, never read outside the scan. Each test builds its hostile
//! input in a temporary directory and runs the command line with a time limit.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs ftrlint; a run longer than `limit` is killed and fails the test (a hang).
fn run(args: &[&str], cwd: &Path, limit: Duration) -> Output {
    common::run_within(
        Command::new(env!("CARGO_BIN_EXE_ftrlint")).args(args),
        args,
        cwd,
        limit,
    )
}

/// Like [`run`], with the address space limited to `mb` MiB (a runaway allocation then fails
/// the run instead of exhausting the machine).
#[cfg(unix)]
fn run_limited(args: &[&str], cwd: &Path, limit: Duration, mb: u64) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mb * 1024))
        .arg(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args);
    common::run_within(&mut cmd, args, cwd, limit)
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

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

const SECS: Duration = Duration::from_secs(60);

fn messages(j: &serde_json::Value, key: &str) -> Vec<String> {
    j[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e["file"].as_str().unwrap_or(""),
                        e["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scan_json(dir: &Path, extra: &[&str]) -> (Output, serde_json::Value) {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args, dir, SECS);
    let j = json(&out);
    (out, j)
}

// ----- 1. sizes checked before allocation ---------------------------------------------------

#[test]
fn format_width_and_precision_do_not_abort() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_s3_bucket" "a" {
  bucket = format("%099999999999d", 1)
}
resource "aws_s3_bucket" "b" {
  bucket = format("%.65536f", 1)
}
resource "aws_s3_bucket" "c" {
  bucket = format("%999999999999999999999999999d", 1)
}
resource "aws_s3_bucket" "d" {
  bucket = format("%05d-%.2f", 7, 1.5)
}
output "x" {
  value = range(1e20, 1e20 + 10000, 1)
}
"#,
    );
    let (out, j) = scan_json(d.path(), &[]);
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
    let errors = messages(&j, "errors");
    assert!(
        !errors.iter().any(|e| e.contains("internal error")),
        "{errors:?}"
    );
    assert_eq!(j["summary"]["resources"], 4, "{j}");
}

// ----- 2. no reads outside the scan ---------------------------------------------------------

#[cfg(unix)]
#[test]
fn module_source_outside_the_scan_is_not_read() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "outside/secret/main.tf",
        "resource \"aws_s3_bucket\" \"outside\" {\n  bucket = \"outside\"\n}\n",
    );
    write(d.path(), "outside/secret/token.txt", "TOPSECRET");
    write(
        d.path(),
        "scan/root/main.tf",
        r#"module "m" {
  source = "../../outside/secret"
}
module "devices" {
  source = "../../../../../../../../dev"
}
locals {
  z = file("/dev/zero")
  t = file("../../outside/secret/token.txt")
}
resource "aws_s3_bucket" "b" {
  bucket = local.t
}
"#,
    );
    let (_, j) = scan_json(&d.path().join("scan"), &[]);
    let notes = messages(&j, "notes");
    let text = j.to_string();
    assert!(!text.contains("TOPSECRET"), "{text}");
    assert!(!text.contains("aws_s3_bucket.outside"), "{text}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("outside the scanned directories") && n.contains("outside/secret")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("token.txt") && n.contains("outside the scanned directories")),
        "file() refusal is a note naming the path: {notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("/dev/zero")), "{notes:?}");
}

#[cfg(unix)]
#[test]
fn modules_json_dir_outside_is_not_read() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "outside/main.tf",
        "resource \"aws_s3_bucket\" \"outside\" {\n  bucket = \"outside\"\n}\n",
    );
    write(
        d.path(),
        "scan/main.tf",
        "module \"m\" {\n  source = \"registry.example/x/y/aws\"\n}\n",
    );
    write(
        d.path(),
        "scan/.terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"m","Source":"registry.example/x/y/aws","Dir":"../outside"}]}"#,
    );
    let (_, j) = scan_json(&d.path().join("scan"), &[]);
    assert!(!j.to_string().contains("aws_s3_bucket.outside"), "{j}");
    assert_eq!(j["summary"]["resources"], 0, "{j}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "outside/evil.tf",
        "resource \"aws_s3_bucket\" \"outside\" {\n  bucket = \"SECRET-TEXT\"\n}\n",
    );
    write(
        d.path(),
        "outside/cdk.template.json",
        r#"{"Resources":{"Outside":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"SECRET-CDK"}}}}"#,
    );
    write(d.path(), "scan/main.tf", "locals {\n  a = 1\n}\n");
    std::os::unix::fs::symlink(
        d.path().join("outside/evil.tf"),
        d.path().join("scan/evil.tf"),
    )
    .expect("symlink");
    write(
        d.path(),
        "scan/cdk.out/manifest.json",
        r#"{"artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}"#,
    );
    std::os::unix::fs::symlink(
        d.path().join("outside/cdk.template.json"),
        d.path().join("scan/cdk.out/S.template.json"),
    )
    .expect("symlink");
    // Walked directory, named file (its siblings), and the human report.
    for args in [
        vec!["scan", ".", "--format", "json"],
        vec!["scan", "main.tf", "--format", "json"],
        vec!["scan", "."],
    ] {
        let out = run(&args, &d.path().join("scan"), SECS);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("SECRET"), "{args:?}: {text}");
        assert!(!text.contains("aws_s3_bucket.outside"), "{args:?}: {text}");
    }
    let (_, j) = scan_json(&d.path().join("scan"), &[]);
    assert!(
        messages(&j, "notes")
            .iter()
            .any(|n| n.contains("evil.tf") && n.contains("symbolic link")),
        "{j}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_file_inside_the_root_is_scanned_once() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "shared/bucket.tf.txt",
        "resource \"aws_s3_bucket\" \"linked\" {\n  bucket = \"linked\"\n}\n",
    );
    write(d.path(), "app/main.tf", "locals {\n  a = 1\n}\n");
    std::os::unix::fs::symlink("../shared/bucket.tf.txt", d.path().join("app/bucket.tf"))
        .expect("symlink");
    let (_, j) = scan_json(d.path(), &[]);
    assert_eq!(j["summary"]["resources"], 1, "{j}");
}

#[cfg(unix)]
#[test]
fn fileexists_reveals_nothing_outside() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "scan/main.tf",
        r#"resource "aws_s3_bucket" "a" {
  bucket = fileexists("/etc/passwd") ? "yes" : "no"
}
resource "aws_s3_bucket" "b" {
  bucket = fileexists("/no/such/path/anywhere") ? "yes" : "no"
}
resource "aws_s3_bucket" "c" {
  bucket = fileexists("../nope.txt") ? "yes" : "no"
}
resource "aws_s3_bucket" "d" {
  bucket = fileexists("missing.txt") ? "yes" : "no"
}
"#,
    );
    let out = run(
        &[
            "scan", ".", "--format", "json", "--select", "FTR-S3-*", "--stats",
        ],
        &d.path().join("scan"),
        SECS,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // a, b, c unknown (outside, whether or not the path exists); d known (inside, missing).
    assert!(stderr.contains("3 unknown"), "{stderr}");
}

#[test]
fn ignore_files_above_the_root_do_not_apply_outside_git() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), ".gitignore", "*\n");
    write(d.path(), ".ignore", "*.tf\n");
    write(
        d.path(),
        "proj/main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
    );
    write(d.path(), "proj/.gitignore", "skipped/\n");
    write(
        d.path(),
        "proj/skipped/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    );
    let (_, j) = scan_json(&d.path().join("proj"), &[]);
    assert_eq!(j["summary"]["files_scanned"], 1, "{j}");
    assert_eq!(j["summary"]["ignored_files"], 1, "{j}");
    let human = run(&["scan", "."], &d.path().join("proj"), SECS);
    assert!(
        String::from_utf8_lossy(&human.stdout)
            .contains("1 file excluded by .gitignore/.ignore rules"),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
}

#[test]
fn ignore_files_of_the_enclosing_work_tree_apply() {
    let d = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(d.path().join("repo/.git")).expect("mkdir");
    write(d.path(), "repo/.gitignore", "generated/\n");
    write(
        d.path(),
        "repo/infra/main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
    );
    write(
        d.path(),
        "repo/infra/generated/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    );
    let (_, j) = scan_json(&d.path().join("repo/infra"), &[]);
    assert_eq!(j["summary"]["files_scanned"], 1, "{j}");
    assert_eq!(j["summary"]["ignored_files"], 1, "{j}");
}

// ----- 3. only regular files, with a byte limit ---------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn devices_and_fifos_are_refused_not_read() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "main.tf", "locals {\n  a = 1\n}\n");
    let fifo = d.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.map(|s| s.success()).unwrap_or(false), "mkfifo");
    // As a scan path, a --var-file and a --parameters-file: refused, exit 2, no hang.
    for args in [
        vec!["scan", "/dev/zero", "--format", "json"],
        vec!["scan", "pipe.yaml", "--format", "json"],
        vec!["scan", ".", "--format", "json", "--var-file", "/dev/zero"],
        vec!["scan", ".", "--format", "json", "--var-file", "pipe.yaml"],
        vec![
            "scan",
            ".",
            "--format",
            "json",
            "--parameters-file",
            "/dev/zero",
        ],
        vec![
            "scan",
            ".",
            "--format",
            "json",
            "--parameters-file",
            "pipe.yaml",
        ],
    ] {
        let out = run(&args, d.path(), Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let j = json(&out);
        let errors = messages(&j, "errors");
        assert!(
            errors.iter().any(|e| e.contains("regular file")),
            "{args:?}: {errors:?}"
        );
    }
    // A FIFO in a walked directory is not a file to read.
    let out = run(
        &["scan", ".", "--format", "json"],
        d.path(),
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn file_function_on_a_fifo_inside_the_root_does_not_hang() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = file(\"${path.module}/pipe\")\n}\n",
    );
    let made = Command::new("mkfifo").arg(d.path().join("pipe")).status();
    assert!(made.map(|s| s.success()).unwrap_or(false), "mkfifo");
    let out = run(
        &["scan", ".", "--format", "json"],
        d.path(),
        Duration::from_secs(20),
    );
    let j = json(&out);
    assert!(
        messages(&j, "errors")
            .iter()
            .any(|e| e.contains("regular file")),
        "{j}"
    );
}

// ----- 4. evaluation budget -----------------------------------------------------------------

#[cfg(unix)]
#[test]
fn evaluation_budget_bounds_hostile_expressions() {
    let d = tempfile::tempdir().expect("tmp");
    let mut tf = String::from(
        r#"locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]
  m0   = { a = "xxxxxxxxxxxxxxxx", b = "yyyyyyyyyyyyyyyy" }
"#,
    );
    for i in 1..=60 {
        tf.push_str(&format!(
            "  m{i} = {{ l = local.m{}, r = local.m{} }}\n",
            i - 1,
            i - 1
        ));
    }
    tf.push_str("  big = jsonencode(local.m60)\n}\n");
    tf.push_str("resource \"aws_s3_bucket\" \"a\" {\n  bucket = local.big\n  tags = { n = length(local.cube) }\n}\n");
    write(d.path(), "main.tf", &tf);
    // A chain of 40k locals, each appending a character to the previous one (800 MB in all).
    let mut chain = String::from("locals {\n  c0 = \"x\"\n");
    for i in 1..40_000 {
        chain.push_str(&format!("  c{i} = \"${{local.c{}}}x\"\n", i - 1));
    }
    chain.push_str("}\nresource \"aws_s3_bucket\" \"c\" {\n  bucket = local.c39999\n}\n");
    write(d.path(), "chain/main.tf", &chain);
    let out = run_limited(
        &["scan", ".", "--format", "json", "--threads", "1"],
        d.path(),
        Duration::from_secs(180),
        3072,
    );
    assert!(out.status.code().is_some(), "{out:?}");
    let j = json(&out);
    let notes = messages(&j, "notes");
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("evaluation budget"))
            .count(),
        2,
        "one note per root module: {notes:?}"
    );
}

#[test]
fn for_each_over_the_instance_limit_gets_a_note() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_s3_bucket" "a" {
  for_each = toset([for i in range(15000) : tostring(i)])
  bucket   = each.key
}
"#,
    );
    let (_, j) = scan_json(d.path(), &[]);
    let notes = messages(&j, "notes");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("for_each") && n.contains("checked once")),
        "{notes:?}"
    );
}

// ----- 5. position lookup on one long line --------------------------------------------------

#[test]
fn minified_json_template_is_linear() {
    // The same template minified (one line) and pretty-printed (a resource a line) must take
    // about the same time; a quadratic position lookup makes the minified one far slower.
    let n = 20_000;
    let resource = |i: usize| {
        format!(r#""B{i}":{{"Type":"AWS::S3::Bucket","Properties":{{"BucketName":"b-{i}-é"}}}}"#)
    };
    let head = r#"{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"#;
    let items: Vec<String> = (0..n).map(resource).collect();
    let minified = format!("{head}{}}}}}", items.join(","));
    let pretty = format!("{head}\n{}\n}}}}\n", items.join(",\n"));
    let time = |text: &str| {
        let d = tempfile::tempdir().expect("tmp");
        write(d.path(), "template.json", text);
        let started = Instant::now();
        let (out, j) = scan_json(d.path(), &["--threads", "1"]);
        assert!(out.status.code().is_some());
        assert_eq!(j["summary"]["resources"], n, "{}", j["summary"]);
        (started.elapsed(), j)
    };
    let (t_pretty, _) = time(&pretty);
    let (t_min, j) = time(&minified);
    assert!(
        t_min < t_pretty * 2 + Duration::from_secs(1),
        "minified {t_min:?}, pretty-printed {t_pretty:?}"
    );
    // Columns are still counted in characters on the long line.
    let cols: Vec<u64> = j["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["resource"] == "B1")
        .filter_map(|f| f["column"].as_u64())
        .collect();
    let expected = minified
        .find(r#""B1":"#)
        .map(|i| minified[..i].chars().count() as u64 + 1);
    assert!(!cols.is_empty());
    assert!(
        cols.iter().all(|c| Some(*c) == expected),
        "{cols:?} vs {expected:?}"
    );
}

// ----- 6. nothing silently left out ---------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_scanned() {
    use std::os::unix::ffi::OsStrExt;
    let d = tempfile::tempdir().expect("tmp");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
    std::fs::write(
        d.path().join(name),
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
    )
    .expect("write");
    let (_, j) = scan_json(d.path(), &[]);
    assert_eq!(j["summary"]["files_scanned"], 1, "{j}");
    assert_eq!(j["summary"]["resources"], 1, "{j}");
}

#[test]
fn raw_control_characters_in_json_strings_are_errors() {
    let d = tempfile::tempdir().expect("tmp");
    write(
        d.path(),
        "template.json",
        "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"a\tb\"}}\n  }\n}\n",
    );
    let (out, j) = scan_json(d.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{j}");
    let e = &j["errors"][0];
    assert_eq!(e["line"], 4, "{j}");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("control character"),
        "{j}"
    );
}

// ----- 7. command-line edges ----------------------------------------------------------------

#[test]
fn threads_are_bounded() {
    let d = tempfile::tempdir().expect("tmp");
    for n in ["0", "257", "100000000000"] {
        let out = run(&["scan", ".", "--threads", n], d.path(), SECS);
        assert_eq!(out.status.code(), Some(2), "{n}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("from 1 to 256"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = run(&["scan", ".", "--threads", "256"], d.path(), SECS);
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
fn write_errors_on_stdout_exit_2() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "main.tf", "locals {\n  a = 1\n}\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(["scan", "."])
        .current_dir(d.path())
        .stdout(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

#[test]
fn parameters_file_error_is_in_the_json_report() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "params.json", "{not json");
    let (out, j) = scan_json(d.path(), &["--parameters-file", "params.json"]);
    assert_eq!(out.status.code(), Some(2));
    let errors = messages(&j, "errors");
    assert!(
        errors.iter().any(|e| e.contains("params.json")),
        "{errors:?}"
    );
}

#[test]
fn missing_var_file_is_reported_once_before_the_scan() {
    let d = tempfile::tempdir().expect("tmp");
    for m in ["a", "b", "c"] {
        write(d.path(), &format!("{m}/main.tf"), "variable \"x\" {}\n");
    }
    let (out, j) = scan_json(d.path(), &["--var-file", "missing.tfvars"]);
    assert_eq!(out.status.code(), Some(2));
    let errors = messages(&j, "errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("missing.tfvars"), "{errors:?}");
    assert_eq!(j["summary"]["files_scanned"], 0, "not scanned: {j}");
}

#[cfg(unix)]
#[test]
fn unreadable_subdirectory_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "ok/main.tf", "locals {\n  a = 1\n}\n");
    write(d.path(), "locked/main.tf", "locals {\n  a = 1\n}\n");
    let locked = d.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // root reads every directory: then scan as the unprivileged `nobody` (setpriv, util-linux),
    // as CI runs as root.
    let as_root = std::fs::read_dir(&locked).is_ok();
    let j = if as_root {
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_ftrlint"))
            .args(["scan", ".", "--format", "json"])
            .current_dir(d.path())
            .output();
        match out {
            Ok(o) if !o.stdout.is_empty() => json(&o),
            _ => {
                std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755))
                    .expect("chmod");
                eprintln!("skipped: running as root without setpriv");
                return;
            }
        }
    } else {
        scan_json(d.path(), &[]).1
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let errors = messages(&j, "errors");
    assert!(errors.iter().any(|e| e.starts_with("locked")), "{errors:?}");
    let scanned = j["summary"]["files_scanned"].as_u64();
    assert_eq!(
        scanned,
        Some(1),
        "the readable directory is still scanned: {j}"
    );
}

//! Issue 17 (and issue 10 items 5 and 6): work and memory that must grow linearly with the
//! input. Each test generates its input and bounds a count (output bytes, allocated bytes), not
//! wall time alone, so that it holds on a busy machine and fails on a quadratic path.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// Runs ftrlint in `cwd`; a run longer than `limit` is killed and fails the test.
fn run(args: &[&str], cwd: &Path, limit: Duration) -> Output {
    common::run_within(
        Command::new(env!("CARGO_BIN_EXE_ftrlint")).args(args),
        args,
        cwd,
        limit,
    )
}

/// A CloudFormation template of `n` buckets on one line (minified JSON), with a multi-byte
/// character in every name so that columns (characters) differ from byte offsets.
fn minified_buckets(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#""B{i}":{{"Type":"AWS::S3::Bucket","Properties":{{"BucketName":"b-{i}-é"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"AWSTemplateFormatVersion":"2010-09-09","Resources":{{{}}}}}"#,
        items.join(",")
    )
}

/// The human report (the default format) on one long line: every finding shows a window of
/// the line, not the whole line. Printing the line per finding made the output (and time)
/// quadratic — 4,000 buckets gave gigabytes — and miette panicked past column 65,535.
#[test]
fn human_report_on_minified_json_is_linear() {
    let n = 4_000;
    let text = minified_buckets(n);
    assert!(
        text.len() > 250_000,
        "one line far longer than 65,535 columns"
    );
    let d = tempfile::tempdir().expect("tmp");
    std::fs::write(d.path().join("template.json"), &text).expect("write");
    let out = run(
        &["scan", "template.json", "--select", "FTR-S3-005"],
        d.path(),
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // One finding per bucket, each a bounded block of text.
    let headers: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("template.json:1:"))
        .collect();
    assert_eq!(headers.len(), n);
    assert!(
        stdout.len() < n * 2_000,
        "{} bytes for {n} findings",
        stdout.len()
    );
    // The finding on bucket B3999 (near the end of the line) points at its logical ID, in
    // characters, and its snippet shows that part of the line.
    let at = text.find(r#""B3999":"#).expect("B3999");
    let column = text[..at].chars().count() + 1;
    assert!(
        headers.contains(&format!("template.json:1:{column}").as_str()),
        "no header at column {column}"
    );
    let header = format!("template.json:1:{column}\n");
    let from = stdout.find(&header).expect("block of B3999") + header.len();
    let block = stdout[from..]
        .split("\ntemplate.json:1:")
        .next()
        .expect("block");
    assert!(block.contains(r#" 1 │ "#), "{block}");
    assert!(
        block.contains(r#""B3999":{"Type":"AWS::S3::Bucket""#),
        "{block}"
    );
    assert!(!block.contains(r#""B3990":"#), "window too wide: {block}");
}

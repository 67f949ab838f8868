//! Snapshots of the exact reports (human with source context, and JSON) for a small fixture,
//! with one rule selected so that the reports do not change when rules are added.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn human_report() {
    insta::assert_snapshot!(run(&[
        "scan",
        "fixtures/FTR-CT-002",
        "--select",
        "FTR-CT-002"
    ]));
}

#[test]
fn json_report() {
    let text = run(&[
        "scan",
        "fixtures/FTR-XA-002",
        "--select",
        "FTR-XA-002",
        "--format",
        "json",
    ]);
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!(json);
}

//! `ftrlint rules` and `ftrlint explain`: every implemented rule is listed and explained, from
//! the embedded `policies/`.

use ftrlint::rules::meta;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn rules_json_lists_exactly_the_implemented_rules() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let entries = json.as_array().expect("an array");
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["rule_id"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<&str> = meta::all().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, expected);
    for (e, m) in entries.iter().zip(meta::all()) {
        let keys: Vec<&str> = e
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "rule_id",
                "title",
                "severity",
                "profiles",
                "formats",
                "ftr_requirement",
                "ftr_references"
            ],
            "{}",
            m.id
        );
        assert_eq!(e["title"], m.title.as_str());
        assert_eq!(e["severity"], m.severity.as_str());
        let profiles: Vec<&str> = m.profiles.iter().map(|p| p.as_str()).collect();
        assert_eq!(e["profiles"], serde_json::json!(profiles));
        assert_eq!(e["ftr_requirement"], m.ftr.requirement.trim());
        // Formats follow the resource types: `AWS::…` is CloudFormation, the rest Terraform.
        let mut formats = Vec::new();
        if m.resources.iter().any(|r| !r.starts_with("AWS::")) {
            formats.push("terraform");
        }
        if m.resources.iter().any(|r| r.starts_with("AWS::")) {
            formats.push("cloudformation");
        }
        assert_eq!(e["formats"], serde_json::json!(formats), "{}", m.id);
    }
}

#[test]
fn rules_human_lists_every_rule() {
    let out = run(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for m in meta::all() {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{} ", m.id)) && l.ends_with(&m.title)),
            "{} missing:\n{text}",
            m.id
        );
    }
}

#[test]
fn explain_works_for_every_rule() {
    for m in meta::all() {
        // Case-insensitive.
        let out = run(&["explain", &m.id.to_ascii_lowercase()]);
        assert_eq!(out.status.code(), Some(0), "{}", m.id);
        let text = stdout(&out);
        assert!(
            text.starts_with(&format!("{}: {}\n", m.id, m.title)),
            "{text}"
        );
        for section in [
            "FTR requirement",
            "What it checks",
            "Why",
            "How to fix",
            "FTR references",
        ] {
            assert!(
                text.contains(&format!("\n{section}\n")),
                "{}: no {section}",
                m.id
            );
        }
        for f in m.formats() {
            let fix = m.remediation(f);
            let first_word = fix.split_whitespace().next().unwrap_or_default();
            assert!(
                text.contains(&format!("{f:?}: {first_word}")),
                "{}: no {f:?} fix",
                m.id
            );
        }
        // The examples, line by line (indented).
        for example in [&m.docs.terraform, &m.docs.cloudformation] {
            for line in example.lines().filter(|l| !l.trim().is_empty()) {
                assert!(
                    text.contains(&format!("    {line}\n")),
                    "{}: example line `{line}` missing",
                    m.id
                );
            }
        }
        for r in &m.ftr.references {
            let first = r.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            assert!(text.contains(&first), "{}: reference `{r}` missing", m.id);
        }
    }
}

#[test]
fn explain_an_unknown_rule_lists_close_ids_and_exits_2() {
    let out = run(&["explain", "FTR-XA-02"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown rule `FTR-XA-02`"), "{err}");
    assert!(err.contains("FTR-XA-002"), "{err}");

    let out = run(&["explain", "NOPE"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ftrlint rules"), "{err}");
}

#[test]
fn explain_ct_002() {
    let out = run(&["explain", "FTR-CT-002"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

//! Runs the binary on every `fixtures/<RULE-ID>/` directory with that rule alone
//! (`--select <RULE-ID>`), so adding a rule never changes another rule's fixtures:
//! - the findings (rule, file, line) must be exactly those of the directory's `expected.txt`;
//! - the findings with their exact messages and the rule's pass/fail/unknown counts must match
//!   the insta snapshot `tests/snapshots/fixtures__<RULE-ID>.snap`, so a reworded message or a
//!   fixture that silently stops being examined is a reviewed diff.
//!
//! New or changed snapshots: run `cargo test --test fixtures`, review the `.snap.new` files and
//! rename them (or `cargo insta review` when cargo-insta is installed).

mod common;

use std::path::{Path, PathBuf};

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.join("expected.txt").exists())
        .collect();
    dirs.sort();
    dirs
}

fn rule_id(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_fixture_directory_reports_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    let dirs = rule_dirs();
    assert!(!dirs.is_empty(), "no fixtures found");
    for dir in &dirs {
        let id = rule_id(dir);
        let mut expected = common::parse_expected(&dir.join("expected.txt"));
        if !expected.rules.is_empty() {
            failures.push(format!(
                "{}: `rules:` is implied (the directory's rule)",
                dir.display()
            ));
        }
        expected.rules = vec![id.clone()];
        let (mut f, json) = common::check_json(dir, &expected, &dir.display().to_string());
        failures.append(&mut f);
        for (file, line, rule, _) in &expected.findings {
            if file.split('/').any(|part| part.starts_with("pass")) {
                failures.push(format!(
                    "{}: expected.txt lists a finding in a pass fixture: {file}",
                    dir.display()
                ));
            }
            if *rule != id {
                failures.push(format!(
                    "{}: expected.txt lists {rule} at {file}:{line}; only {id} runs here",
                    dir.display()
                ));
            }
        }
        let text = common::findings_text(dir, &json);
        let snapshot = std::panic::catch_unwind(|| {
            insta::with_settings!({ prepend_module_to_snapshot => true, omit_expression => true }, {
                insta::assert_snapshot!(id.clone(), text);
            });
        });
        if snapshot.is_err() {
            failures.push(format!(
                "{}: findings differ from tests/snapshots/fixtures__{id}.snap (see the .snap.new)",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule has failing and passing fixtures in both formats, and fires on its own fixtures.
#[test]
fn every_rule_has_fixtures_in_both_formats() {
    let mut problems = Vec::new();
    for m in ftrlint::rules::meta::all() {
        let dir = Path::new("fixtures").join(&m.id);
        if !dir.join("expected.txt").exists() {
            problems.push(format!("{}: no fixtures/{}/expected.txt", m.id, m.id));
            continue;
        }
        // A rule covers the formats of its resource types (`AWS::…` is CloudFormation).
        let formats: Vec<&str> = [
            (
                "terraform",
                m.resources.iter().any(|t| !t.starts_with("AWS::")),
            ),
            (
                "cloudformation",
                m.resources.iter().any(|t| t.starts_with("AWS::")),
            ),
        ]
        .into_iter()
        .filter_map(|(f, covered)| covered.then_some(f))
        .collect();
        for sub in &formats {
            for pattern in ["fail", "pass"] {
                let has = std::fs::read_dir(dir.join(sub))
                    .map(|rd| {
                        rd.flatten()
                            .any(|e| e.file_name().to_string_lossy().starts_with(pattern))
                    })
                    .unwrap_or(false);
                if !has {
                    problems.push(format!("{}: no {sub}/{pattern}_* fixture", m.id));
                }
            }
        }
        let expected = common::parse_expected(&dir.join("expected.txt"));
        for fmt in &formats {
            if !expected
                .findings
                .iter()
                .any(|(f, _, r, _)| r == &m.id && f.starts_with(&format!("{fmt}/")))
            {
                problems.push(format!(
                    "{}: expected.txt has no {} finding of the rule itself in {fmt}/",
                    m.id, m.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

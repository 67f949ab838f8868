//! Runs the binary on every `fixtures/<RULE-ID>/` directory and compares the findings (rule,
//! file, line) with that directory's `expected.txt`, exactly: a missing finding, an extra one,
//! or one on another line fails.

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

#[test]
fn every_fixture_directory_reports_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    let dirs = rule_dirs();
    assert!(!dirs.is_empty(), "no fixtures found");
    for dir in &dirs {
        let expected = common::parse_expected(&dir.join("expected.txt"));
        failures.extend(common::check(dir, &expected, &dir.display().to_string()));
        for (file, _, _, _) in &expected.findings {
            if file.split('/').any(|part| part.starts_with("pass")) {
                failures.push(format!(
                    "{}: expected.txt lists a finding in a pass fixture: {file}",
                    dir.display()
                ));
            }
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
        for (sub, pattern) in [
            ("terraform", "fail"),
            ("terraform", "pass"),
            ("cloudformation", "fail"),
            ("cloudformation", "pass"),
        ] {
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
        let expected = common::parse_expected(&dir.join("expected.txt"));
        for fmt in ["terraform/", "cloudformation/"] {
            if !expected
                .findings
                .iter()
                .any(|(f, _, r, _)| r == &m.id && f.starts_with(fmt))
            {
                problems.push(format!(
                    "{}: expected.txt has no {} finding of the rule itself in {fmt}",
                    m.id, m.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! Runs the binary on every `fixtures/<RULE-ID>/` directory and compares the findings (rule,
//! file, line) with that directory's `expected.txt`, exactly: a missing finding, an extra one,
//! or one on another line fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
struct Expected {
    profile: Option<String>,
    findings: BTreeSet<(String, u32, String)>,
}

fn parse_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Expected {
        profile: None,
        findings: BTreeSet::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(p) = line.strip_prefix("profile:") {
            out.profile = Some(p.trim().to_string());
            continue;
        }
        let (loc, rule) = line.split_once(char::is_whitespace).unwrap_or_else(|| {
            panic!("{}:{}: expected `path:line RULE-ID`", path.display(), n + 1)
        });
        let (file, l) = loc
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{}:{}: expected `path:line`", path.display(), n + 1));
        let l: u32 = l
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad line number", path.display(), n + 1));
        out.findings
            .insert((file.to_string(), l, rule.trim().to_string()));
    }
    out
}

pub fn run_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}) from {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

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
        let expected = parse_expected(&dir.join("expected.txt"));
        let dir_s = dir.to_string_lossy().to_string();
        let mut args = vec!["scan", dir_s.as_str(), "--format", "json"];
        if let Some(p) = &expected.profile {
            args.extend(["--profile", p.as_str()]);
        }
        let (code, json) = run_json(&args);
        let prefix = format!("{dir_s}/");
        let actual: BTreeSet<(String, u32, String)> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let file = f["file"].as_str().unwrap_or_default();
                (
                    file.strip_prefix(&prefix).unwrap_or(file).to_string(),
                    f["line"].as_u64().unwrap_or(0) as u32,
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let errors = json["errors"].as_array().map(Vec::len).unwrap_or(0);
        if errors > 0 {
            failures.push(format!("{dir_s}: input errors: {}", json["errors"]));
        }
        let missing: Vec<_> = expected.findings.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected.findings).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{dir_s}:\n  missing: {missing:?}\n  unexpected: {extra:?}"
            ));
        }
        let want_code = if expected.findings.is_empty() { 0 } else { 1 };
        if errors == 0 && code != want_code {
            failures.push(format!("{dir_s}: exit code {code}, expected {want_code}"));
        }
        for (file, _, _) in &expected.findings {
            if file.split('/').any(|part| part.starts_with("pass")) {
                failures.push(format!(
                    "{dir_s}: expected.txt lists a finding in a pass fixture: {file}"
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
        let expected = parse_expected(&dir.join("expected.txt"));
        for fmt in ["terraform/", "cloudformation/"] {
            if !expected
                .findings
                .iter()
                .any(|(f, _, r)| r == &m.id && f.starts_with(fmt))
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

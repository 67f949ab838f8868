//! Runs the binary on every `tests/cases/terraform/<case>/` directory and compares the findings
//! with that directory's `expected.txt` exactly: `path:line RULE-ID [resource address]` (the
//! address, when given, must match too). Also checks that every case is valid Terraform when
//! the offline oracle is available (`terraform-offline`, skipped when it exits 3).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

type Finding = (String, u32, String, Option<String>);

fn parse_expected(path: &Path) -> BTreeSet<Finding> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let loc = parts.next().unwrap_or_default();
        let rule = parts.next().unwrap_or_else(|| {
            panic!("{}:{}: expected `path:line RULE-ID`", path.display(), n + 1)
        });
        let resource = parts.next().map(|s| s.trim().to_string());
        let (file, l) = loc
            .rsplit_once(':')
            .unwrap_or_else(|| panic!("{}:{}: expected `path:line`", path.display(), n + 1));
        let l: u32 = l
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad line number", path.display(), n + 1));
        out.insert((file.to_string(), l, rule.to_string(), resource));
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/cases/terraform")
        .expect("tests/cases/terraform")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_case_reports_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for dir in cases() {
        let dir_s = dir.to_string_lossy().to_string();
        let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
            .args(["scan", dir_s.as_str(), "--format", "json"])
            .env("NO_COLOR", "1")
            .output()
            .expect("run ftrlint");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let prefix = format!("{dir_s}/");
        let expected = parse_expected(&dir.join("expected.txt"));
        let with_res: BTreeSet<Finding> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let file = f["file"].as_str().unwrap_or_default();
                (
                    file.strip_prefix(&prefix).unwrap_or(file).to_string(),
                    f["line"].as_u64().unwrap_or(0) as u32,
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                    f["resource"].as_str().map(str::to_string),
                )
            })
            .collect();
        // Compare the address only where expected.txt gives one.
        let actual: BTreeSet<Finding> = with_res
            .iter()
            .map(|(f, l, r, res)| {
                let wants = expected
                    .iter()
                    .any(|(ef, el, er, eres)| ef == f && el == l && er == r && eres.is_some());
                (
                    f.clone(),
                    *l,
                    r.clone(),
                    if wants { res.clone() } else { None },
                )
            })
            .collect();
        if let Some(errs) = json["errors"].as_array().filter(|e| !e.is_empty()) {
            failures.push(format!("{dir_s}: input errors: {errs:?}"));
        }
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{dir_s}:\n  missing: {missing:?}\n  unexpected: {extra:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each case is valid for `terraform validate` (the oracle), when it is installed.
#[test]
fn every_case_is_valid_terraform() {
    let tool = Path::new("/work/shared/tools/terraform-offline");
    if !tool.exists() {
        return;
    }
    for dir in cases() {
        let mut targets: Vec<(PathBuf, Option<String>)> = Vec::new();
        let has_tf = |d: &Path| {
            std::fs::read_dir(d)
                .map(|rd| {
                    rd.flatten()
                        .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
                })
                .unwrap_or(false)
        };
        if !has_tf(&dir) {
            continue;
        }
        targets.push((dir.clone(), None));
        let examples = dir.join("examples");
        if let Ok(rd) = std::fs::read_dir(&examples) {
            for e in rd.flatten() {
                let rel = format!("examples/{}", e.file_name().to_string_lossy());
                targets.push((dir.clone(), Some(rel)));
            }
        }
        for (root, rel) in targets {
            let mut cmd = Command::new(tool);
            match &rel {
                Some(r) => cmd.arg("--root").arg(&root).arg("validate").arg(r),
                None => cmd.arg("validate").arg(&root),
            };
            let out = cmd.output().expect("terraform-offline");
            match out.status.code() {
                Some(3) => return, // terraform or the provider mirror is missing: skip
                Some(0) => {}
                _ => panic!(
                    "{} {:?}: terraform validate failed:\n{}{}",
                    root.display(),
                    rel,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            }
        }
    }
}

//! Runs the binary on every `tests/cases/terraform/<case>/` directory and compares the findings
//! with that directory's `expected.txt` exactly: `path:line RULE-ID [resource address]` (the
//! address, when given, must match too). Also checks that every case is valid Terraform when
//! the offline oracle is available (`terraform-offline`, skipped when it exits 3).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

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
        let expected = common::parse_expected(&dir.join("expected.txt"));
        failures.extend(common::check(&dir, &expected, &dir.display().to_string()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each case (and, with `FTRLINT_VALIDATE_FIXTURES=1`, each Terraform fixture directory) is
/// valid for `terraform validate` (the oracle), when it is installed. Slow (about 3.5 s a
/// directory): runs only with `FTRLINT_SLOW_TESTS=1`, which `.ci/run` sets.
#[test]
fn every_case_is_valid_terraform() {
    if std::env::var_os("FTRLINT_SLOW_TESTS").is_none() {
        eprintln!("skipped: set FTRLINT_SLOW_TESTS=1 to run terraform validate on every case");
        return;
    }
    let tool = Path::new("../shared/tools/terraform-offline");
    if !tool.exists() {
        eprintln!("skipped: {} is not here", tool.display());
        return;
    }
    let mut dirs = cases();
    if std::env::var_os("FTRLINT_VALIDATE_FIXTURES").is_some() {
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir("fixtures")
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|rule| {
                std::fs::read_dir(rule.path().join("terraform"))
                    .into_iter()
                    .flatten()
            })
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        fixtures.sort();
        dirs.extend(fixtures);
    }
    for dir in dirs {
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
                Some(3) => {
                    eprintln!("skipped: terraform or its provider mirror is missing");
                    return;
                }
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

//! The generated documentation (`docs/rules/<ID>.md`, the README rules table) is fresh, the
//! references name their documents, and every compliant example in `policies/` passes its own
//! rule.
//!
//! Regenerate the docs after changing `policies/`: `UPDATE_DOCS=1 cargo test --test docs`.

use ftrlint::docs;
use ftrlint::resource::Format;
use ftrlint::rules::meta::{self, Profile, RuleMeta};
use std::path::Path;
use std::process::Command;

const README: &str = "README.md";
const RULE_DOCS: &str = "docs/rules";

fn update() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn generated_docs_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale: Vec<String> = Vec::new();
    let pages = docs::rule_pages();
    for (rel, text) in &pages {
        let path = root.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if update() {
                std::fs::create_dir_all(root.join(RULE_DOCS)).expect("create docs/rules");
                std::fs::write(&path, text).expect("write a rule page");
            }
            stale.push(rel.clone());
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(rd) = std::fs::read_dir(root.join(RULE_DOCS)) {
        for e in rd.flatten() {
            let rel = format!("{RULE_DOCS}/{}", e.file_name().to_string_lossy());
            if rel.ends_with(".md") && !pages.iter().any(|(p, _)| *p == rel) {
                if update() {
                    std::fs::remove_file(e.path()).expect("remove a stale rule page");
                }
                stale.push(format!("{rel} (no such rule)"));
            }
        }
    }
    let readme = std::fs::read_to_string(root.join(README)).expect("read README.md");
    let Some(fresh) = docs::update_readme(&readme) else {
        panic!(
            "README.md lacks the markers `{}` … `{}` around the rules table",
            docs::TABLE_START,
            docs::TABLE_END
        );
    };
    if fresh != readme {
        if update() {
            std::fs::write(root.join(README), &fresh).expect("write README.md");
        }
        stale.push(format!("{README} (rules table)"));
    }
    if update() {
        if !stale.is_empty() {
            eprintln!("regenerated: {}", stale.join(", "));
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "generated docs are stale (policies/ changed): {}\nregenerate them with `{}` and commit the result",
        stale.join(", "),
        docs::REGENERATE
    );
}

#[test]
fn every_reference_names_its_document() {
    for m in meta::all() {
        for r in &m.ftr.references {
            assert!(
                docs::DOCUMENTS.iter().any(|(name, _)| r.starts_with(name)),
                "{}: reference `{r}` does not start with a document name of docs::DOCUMENTS",
                m.id
            );
            assert!(!r.contains("seed"), "{}: `{r}` cites a seed number", m.id);
        }
    }
}

/// Examples that by design give their rule nothing to examine (the test still requires no
/// finding and no error): FTR-CT-004 follows a trail to its bucket, and its examples show the
/// bucket alone, in the log-archive account, apart from any trail (FTR-CT-005); FTR-IAM-009
/// examines access keys, and its examples show the alternative, a role.
const EXAMPLES_NOT_EXAMINED: &[&str] = &["FTR-CT-004", "FTR-IAM-009"];

fn scan_json(dir: &Path, profile: Profile) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--profile", profile.as_str()])
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Scans `example` (written as `file_name` in a fresh directory) and returns the problems: input
/// errors, findings of `m`'s rule, or a rule that examined nothing (the example would not show
/// anything then).
fn example_problems(m: &RuleMeta, format: Format, example: &str, file_name: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(file_name), example).expect("write the example");
    let profile = if m.profiles.contains(&Profile::PartnerHosted) {
        Profile::PartnerHosted
    } else {
        Profile::CustomerDeployed
    };
    let json = scan_json(dir.path(), profile);
    let mut problems = Vec::new();
    let what = format!("{} {format:?} example", m.id);
    for e in json["errors"].as_array().into_iter().flatten() {
        problems.push(format!("{what}: input error {e}"));
    }
    for f in json["findings"].as_array().into_iter().flatten() {
        if f["rule_id"] == m.id.as_str() {
            problems.push(format!(
                "{what}: finding at line {}: {}",
                f["line"], f["message"]
            ));
        }
    }
    let passes = json["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["rule_id"] == m.id.as_str())
        .and_then(|r| r["pass"].as_u64())
        .unwrap_or(0);
    let examined = passes > 0;
    if examined == EXAMPLES_NOT_EXAMINED.contains(&m.id.as_str()) {
        problems.push(if examined {
            format!(
                "{what}: the rule examines the example now: remove it from EXAMPLES_NOT_EXAMINED"
            )
        } else {
            format!("{what}: the rule passed no resource of the example (it checks nothing there)")
        });
    }
    problems
}

#[test]
fn every_compliant_example_passes_its_own_rule() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for m in meta::all() {
        // A format the rule does not cover has an empty example (tests/rules_registry.rs).
        for (format, example, file_name) in [
            (Format::Terraform, &m.docs.terraform, "main.tf"),
            (
                Format::CloudFormation,
                &m.docs.cloudformation,
                "template.yaml",
            ),
        ] {
            if example.trim().is_empty() {
                continue;
            }
            checked += 1;
            problems.extend(example_problems(m, format, example, file_name));
        }
    }
    assert!(checked >= meta::all().len(), "only {checked} examples");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_example_check_can_fail() {
    // A failing example must be caught: FTR-CT-002's Terraform example with validation off.
    let m = meta::get("FTR-CT-002").expect("FTR-CT-002");
    let bad = m.docs.terraform.replace(
        "enable_log_file_validation    = true",
        "enable_log_file_validation    = false",
    );
    assert_ne!(
        bad, m.docs.terraform,
        "the example changed: update this test"
    );
    let problems = example_problems(m, Format::Terraform, &bad, "main.tf");
    assert!(
        problems.iter().any(|p| p.contains("finding at line")),
        "{problems:?}"
    );
}

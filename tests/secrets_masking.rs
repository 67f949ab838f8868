//! A detected secret is never printed in full: every output format of a scan of the secrets
//! fixtures (all rules, so other rules' snippets show the same lines) must not contain the full
//! text of any secret written in them; the masked form (at most 4 characters, then `****`)
//! shows instead.

use std::path::Path;
use std::process::Command;

/// Every secret written in `fixtures/FTR-SEC-*/` (fake values of real shapes).
const SECRETS: &[&str] = &[
    "AKIAZ7Q3HMDKQ2XW4P5N",
    "ASIAY4T6RW2ZK8LM3QPD",
    "AKIAW5N8PQ2RT6YV3ZXC",
    "q8Xv2Lm9Tr4Kp7Wz1Bn6Hd3Fs5Gj0Ya8Ce2Ru9Ni",
    "Zt7Pq/3Wm8Rk2Vx+9Lb4Nc6Hj1Gd5Fs0Ya7Ue2Qo",
    "Kd8Wq2Zx5Vb7Nm3Lp9Rt4Yh6Gf1Js0Ac2Eu8Io5P",
    "Sup3rS3cretDbPass",
    "Adm1nPa55word2024",
    "CacheAuthT0kenValue1234",
    "ProdCacheAuthToken123",
    "DevCacheAuthToken4567",
    "tok-9f8e7d6c5b4a3210",
    "GhS3cretValue2024xyz",
    "LambdaDbPassw0rd!",
    "sk_live_51Habc123def456",
    "Us3rD4taPassw0rd",
    "SG.abcdefghij1234567890",
    "B00tAdminPassw0rd",
    "xoxb-1234567890-abcdefghij",
    "ghp_Fixture0123456789abcdefABCDEF",
    "ClientS3cretDefault",
];

const FORMATS: &[&str] = &[
    "human", "concise", "json", "sarif", "junit", "github", "markdown", "csv",
];

fn fixture_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.to_string_lossy().contains("FTR-SEC-"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

fn all_text(dir: &Path, out: &mut String) {
    for e in std::fs::read_dir(dir).expect("read fixture dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            all_text(&p, out);
        } else {
            out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

fn scan(dir: &str, format: &str, select: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ftrlint"));
    cmd.args(["scan", dir, "--format", format])
        .env("NO_COLOR", "1");
    if let Some(s) = select {
        cmd.args(["--select", s]);
    }
    let out = cmd.output().expect("run ftrlint");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

/// Full secrets found in `output`.
fn leaks(output: &str) -> Vec<&'static str> {
    SECRETS
        .iter()
        .copied()
        .filter(|s| output.contains(s))
        .collect()
}

#[test]
fn the_fixtures_hold_every_secret_so_the_check_can_fail() {
    let mut text = String::new();
    for d in fixture_dirs() {
        all_text(Path::new(&d), &mut text);
    }
    let missing: Vec<&&str> = SECRETS.iter().filter(|s| !text.contains(**s)).collect();
    assert!(missing.is_empty(), "not in fixtures/FTR-SEC-*: {missing:?}");
    // And the check sees a secret in unmasked text.
    assert_eq!(leaks(&text).len(), SECRETS.len());
}

#[test]
fn no_output_format_prints_a_secret_in_full() {
    let mut problems = Vec::new();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 6, "secrets fixtures: {dirs:?}");
    for dir in &dirs {
        for format in FORMATS {
            // All rules (other rules' snippets show the same lines), and a rule that knows
            // nothing of secrets (AWS keys are masked whatever runs).
            for select in [None, Some("FTR-IAM-001")] {
                let out = scan(dir, format, select);
                for s in leaks(&out) {
                    problems.push(format!("{dir} --format {format} {select:?}: prints `{s}`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_human_snippet_shows_the_masked_secret() {
    let out = scan("fixtures/FTR-SEC-001", "human", Some("FTR-SEC-001"));
    assert!(out.contains("AKIA****"), "{out}");
    assert!(
        out.contains("access_key = \"AKIA****************\""),
        "{out}"
    );
    let out = scan("fixtures/FTR-SEC-002", "human", Some("FTR-SEC-002"));
    assert!(out.contains("password          = \"Sup3****"), "{out}");
}

/// The readiness report (`ftrlint report`) and the diagram (`ftrlint graph`) in every format,
/// in both profiles.
#[test]
fn readiness_reports_and_diagrams_print_no_secret_in_full() {
    let mut problems = Vec::new();
    let mut runs = 0;
    for dir in fixture_dirs() {
        for (command, formats) in [
            ("report", &["html", "md", "csv"][..]),
            ("graph", &["dot", "mermaid", "json"][..]),
        ] {
            for format in formats {
                for profile in ["partner-hosted", "customer-deployed"] {
                    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
                        .args([command, &dir, "--format", format, "--profile", profile])
                        .output()
                        .expect("run ftrlint");
                    assert_eq!(out.status.code(), Some(0), "{command} {dir} {format}");
                    runs += 1;
                    let text = String::from_utf8_lossy(&out.stdout);
                    assert!(
                        !text.is_empty(),
                        "{command} {dir} --format {format}: no output"
                    );
                    for s in leaks(&text) {
                        problems.push(format!(
                            "{command} {dir} --format {format} --profile {profile}: prints `{s}`"
                        ));
                    }
                }
            }
        }
    }
    assert!(runs >= 72, "{runs} runs");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! The case harness shared by `fixtures.rs`, `terraform_cases.rs` and `cloudformation_cases.rs`:
//! run the binary on a directory and compare its findings and input errors with an
//! `expected*.txt`, exactly.
//!
//! `expected.txt` lines (`#` starts a comment):
//! - `path:line RULE-ID [resource address]` — a finding (the address is compared when given);
//! - `error path:line` — an input error;
//! - `profile: customer-deployed` / `args: --parameter X=Y ...` — how to scan;
//! - `rules: FTR-X FTR-Y` — the rules the case is about, run alone (`--select`);
//! - `outcomes: RULE-ID pass=N fail=N unknown=N` — that rule's outcome counts in the report;
//! - `message: path:line RULE-ID text` — the finding there has a message containing `text`;
//! - `related: path:line RULE-ID path:line text` — a finding there has a related location
//!   (where the deciding value is written) at the second place, its message containing `text`.
//!
//! Paths are relative to the scanned directory.
#![allow(dead_code)] // each test binary uses part of it

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub type Found = (String, u32, String, Option<String>);

#[derive(Debug, Default)]
pub struct Expected {
    pub profile: Option<String>,
    /// The rules the case checks (`rules: FTR-X FTR-Y`), run alone with `--select`, so a case
    /// does not change when another rule is added.
    pub rules: Vec<String>,
    pub args: Vec<String>,
    pub findings: BTreeSet<Found>,
    pub errors: BTreeSet<(String, u32)>,
    /// `outcomes:` lines: rule, pass, fail, unknown.
    pub outcomes: Vec<(String, u64, u64, u64)>,
    /// `message:` lines: file, line, rule, expected part of the message.
    pub messages: Vec<(String, u32, String, String)>,
    /// `related:` lines: finding file, line, rule; related file, line; expected text.
    pub related: Vec<(String, u32, String, String, u32, String)>,
}

fn location(path: &Path, n: usize, s: &str) -> (String, u32) {
    let (file, line) = s
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("{}:{}: expected `path:line`", path.display(), n + 1));
    let line = line
        .parse()
        .unwrap_or_else(|_| panic!("{}:{}: bad line number", path.display(), n + 1));
    (file.to_string(), line)
}

pub fn parse_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Expected::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(p) = line.strip_prefix("profile:") {
            out.profile = Some(p.trim().to_string());
        } else if let Some(r) = line.strip_prefix("rules:") {
            out.rules.extend(r.split_whitespace().map(str::to_string));
        } else if let Some(o) = line.strip_prefix("outcomes:") {
            let mut parts = o.split_whitespace();
            let rule = parts.next().unwrap_or_default().to_string();
            let mut counts = [0u64; 3];
            for p in parts {
                let (k, v) = p
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{}:{}: expected `key=N`", path.display(), n + 1));
                let v = v
                    .parse()
                    .unwrap_or_else(|_| panic!("{}:{}: bad count", path.display(), n + 1));
                match k {
                    "pass" => counts[0] = v,
                    "fail" => counts[1] = v,
                    "unknown" => counts[2] = v,
                    _ => panic!("{}:{}: unknown count `{k}`", path.display(), n + 1),
                }
            }
            out.outcomes.push((rule, counts[0], counts[1], counts[2]));
        } else if let Some(m) = line.strip_prefix("message:") {
            let mut parts = m.trim().splitn(3, char::is_whitespace);
            let loc = parts.next().unwrap_or_default();
            let rule = parts.next().unwrap_or_default().to_string();
            let text = parts.next().unwrap_or_default().trim().to_string();
            let (file, l) = location(path, n, loc);
            out.messages.push((file, l, rule, text));
        } else if let Some(m) = line.strip_prefix("related:") {
            let mut parts = m.trim().splitn(4, char::is_whitespace);
            let (file, l) = location(path, n, parts.next().unwrap_or_default());
            let rule = parts.next().unwrap_or_default().to_string();
            let (rfile, rl) = location(path, n, parts.next().unwrap_or_default());
            let text = parts.next().unwrap_or_default().trim().to_string();
            out.related.push((file, l, rule, rfile, rl, text));
        } else if let Some(a) = line.strip_prefix("args:") {
            out.args.extend(a.split_whitespace().map(str::to_string));
        } else if let Some(e) = line.strip_prefix("error ") {
            out.errors.insert(location(path, n, e.trim()));
        } else {
            let mut parts = line.splitn(3, char::is_whitespace);
            let loc = parts.next().unwrap_or_default();
            let rule = parts.next().unwrap_or_else(|| {
                panic!("{}:{}: expected `path:line RULE-ID`", path.display(), n + 1)
            });
            let address = parts.next().map(|s| s.trim().to_string());
            let (file, l) = location(path, n, loc);
            out.findings.insert((file, l, rule.to_string(), address));
        }
    }
    out
}

/// The cases under `root` (`tests/cases/<kind>`): each case directory with each of its
/// `expected*.txt` files, in path order.
pub fn cases(root: &str) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{root}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
    {
        for f in std::fs::read_dir(&dir).expect("case dir").flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name.starts_with("expected") && name.ends_with(".txt") {
                out.push((dir.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

/// Checks every case under `root` (at least `min` of them); the differences, all at once.
pub fn check_cases(root: &str, min: usize) {
    let cases = cases(root);
    assert!(cases.len() >= min, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    for (dir, expected_file) in &cases {
        let expected = parse_expected(expected_file);
        failures.extend(check(dir, &expected, &expected_file.display().to_string()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `cmd` in `cwd` (stdin closed, pipes drained while waiting so a large report cannot
/// block it); a run longer than `limit` is killed and fails the test.
pub fn run_within(cmd: &mut Command, args: &[&str], cwd: &Path, limit: Duration) -> Output {
    let mut child = cmd
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ftrlint");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let t_err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ftrlint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: t_out.join().expect("stdout thread"),
        stderr: t_err.join().expect("stderr thread"),
    }
}

/// Runs `ftrlint` with `args`; exit code and parsed JSON output.
pub fn run_json(args: &[String]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}) from {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// Scans `dir` as `expected` says and returns every difference (empty when all matches):
/// findings, input errors and the exit code.
/// A case must say which rules it is about (`rules:`), so adding a rule does not change it.
pub fn check(dir: &Path, expected: &Expected, name: &str) -> Vec<String> {
    if expected.rules.is_empty() {
        return vec![format!(
            "{name}: no `rules:` line (the rules this case checks, run alone)"
        )];
    }
    check_json(dir, expected, name).0
}

/// [`check`], also returning the JSON report.
pub fn check_json(dir: &Path, expected: &Expected, name: &str) -> (Vec<String>, serde_json::Value) {
    let dir_s = dir.to_string_lossy().to_string();
    let mut args: Vec<String> = vec![
        "scan".into(),
        dir_s.clone(),
        "--format".into(),
        "json".into(),
    ];
    if let Some(p) = &expected.profile {
        args.extend(["--profile".to_string(), p.clone()]);
    }
    if !expected.rules.is_empty() {
        args.extend(["--select".to_string(), expected.rules.join(",")]);
    }
    args.extend(expected.args.iter().cloned());
    let (code, json) = run_json(&args);
    let prefix = format!("{dir_s}/");
    let rel = |v: &serde_json::Value| {
        let file = v["file"].as_str().unwrap_or_default();
        file.strip_prefix(&prefix).unwrap_or(file).to_string()
    };
    let actual: BTreeSet<Found> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let key = (
                rel(f),
                f["line"].as_u64().unwrap_or(0) as u32,
                f["rule_id"].as_str().unwrap_or_default().to_string(),
            );
            // The address is compared only where expected.txt gives one.
            let wants_address = expected
                .findings
                .iter()
                .any(|(ef, el, er, ea)| (ef, el, er) == (&key.0, &key.1, &key.2) && ea.is_some());
            let address = f["resource"]
                .as_str()
                .filter(|_| wants_address)
                .map(|a| relative_address(&dir_s, a));
            (key.0, key.1, key.2, address)
        })
        .collect();
    let errors: BTreeSet<(String, u32)> = json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (rel(e), e["line"].as_u64().unwrap_or(0) as u32))
        .collect();
    let mut failures = Vec::new();
    let missing: Vec<_> = expected.findings.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&expected.findings).collect();
    if !missing.is_empty() || !extra.is_empty() {
        failures.push(format!(
            "{name}:\n  missing: {missing:?}\n  unexpected: {extra:?}"
        ));
    }
    if errors != expected.errors {
        failures.push(format!(
            "{name}: errors {errors:?}, expected {:?} ({})",
            expected.errors, json["errors"]
        ));
    }
    let want = if !expected.errors.is_empty() {
        2
    } else if expected.findings.is_empty() {
        0
    } else {
        1
    };
    if code != want {
        failures.push(format!("{name}: exit code {code}, expected {want}"));
    }
    for (rule, pass, fail, unknown) in &expected.outcomes {
        let got = json["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule_id"].as_str() == Some(rule.as_str()))
            .map(|r| {
                (
                    r["pass"].as_u64().unwrap_or(0),
                    r["fail"].as_u64().unwrap_or(0),
                    r["unknown"].as_u64().unwrap_or(0),
                )
            });
        if got != Some((*pass, *fail, *unknown)) {
            failures.push(format!(
                "{name}: {rule} outcomes (pass, fail, unknown) {got:?}, expected {:?}",
                (pass, fail, unknown)
            ));
        }
    }
    for (file, line, rule, text) in &expected.messages {
        let found = json["findings"].as_array().into_iter().flatten().find(|f| {
            rel(f) == *file
                && f["line"].as_u64() == Some(u64::from(*line))
                && f["rule_id"].as_str() == Some(rule.as_str())
        });
        let message = found
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default();
        if !message.contains(text.as_str()) {
            failures.push(format!(
                "{name}: {file}:{line} {rule}: message {message:?} does not contain {text:?}"
            ));
        }
    }
    for (file, line, rule, rfile, rline, text) in &expected.related {
        let found = json["findings"].as_array().into_iter().flatten().any(|f| {
            rel(f) == *file
                && f["line"].as_u64() == Some(u64::from(*line))
                && f["rule_id"].as_str() == Some(rule.as_str())
                && f["related"].as_array().into_iter().flatten().any(|r| {
                    rel(r) == *rfile
                        && r["line"].as_u64() == Some(u64::from(*rline))
                        && r["message"]
                            .as_str()
                            .is_some_and(|m| m.contains(text.as_str()))
                })
        });
        if !found {
            failures.push(format!(
                "{name}: no {rule} finding at {file}:{line} with a related location {rfile}:{rline} saying {text:?}"
            ));
        }
    }
    (failures, json)
}

/// A module resource's address is prefixed by its calling root's directory
/// (`DIR/examples/x:module.m.…`, `DIR:module.m.…`): relative to the scanned `dir`.
pub fn relative_address(dir: &str, address: &str) -> String {
    address
        .strip_prefix(&format!("{dir}/"))
        .or_else(|| address.strip_prefix(&format!("{dir}:")))
        .unwrap_or(address)
        .to_string()
}

/// The findings of a JSON report as reviewable text (for insta snapshots): one block per
/// finding with its place, rule, resource and exact message, then each rule's outcome counts
/// (so a passing fixture that silently stops being examined shows up too). Paths are relative
/// to `dir`.
pub fn findings_text(dir: &Path, json: &serde_json::Value) -> String {
    let prefix = format!("{}/", dir.to_string_lossy());
    let mut out = String::new();
    for f in json["findings"].as_array().into_iter().flatten() {
        let file = f["file"].as_str().unwrap_or_default();
        out.push_str(&format!(
            "{}:{}:{} {} {}\n    {}\n",
            file.strip_prefix(&prefix).unwrap_or(file),
            f["line"],
            f["column"],
            f["rule_id"].as_str().unwrap_or_default(),
            relative_address(
                &dir.to_string_lossy(),
                f["resource"].as_str().unwrap_or_default()
            ),
            f["message"].as_str().unwrap_or_default(),
        ));
    }
    for r in json["rules"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "outcomes {}: pass {}, fail {}, unknown {}\n",
            r["rule_id"].as_str().unwrap_or_default(),
            r["pass"],
            r["fail"],
            r["unknown"]
        ));
    }
    out
}

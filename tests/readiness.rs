//! The FTR readiness report (`ftrlint report`): the requirements table as data and its mapping
//! to the rules, statuses and evidence per requirement, the customer-deployed audit, escaping,
//! and the HTML page as Chromium renders it.

use ftrlint::readiness::requirements::{self, Requirement};
use ftrlint::rules::meta::{self, Profile};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Scanned from `tests/cases/readiness`, so evidence paths read `template/…`.
const TEMPLATE: &str = "template";
const TERRAFORM: &str = "terraform";
const CASES: &str = "tests/cases/readiness";

fn ftrlint(args: &[&str]) -> (i32, String, String) {
    ftrlint_in(".", args)
}

fn ftrlint_in(dir: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ftrlint"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftrlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let dir = if args
        .first()
        .is_some_and(|a| [TEMPLATE, TERRAFORM].contains(a))
    {
        CASES
    } else {
        "."
    };
    let (code, out, err) = ftrlint_in(dir, &all);
    assert_eq!(code, 0, "ftrlint {all:?}: {err}");
    out
}

/// The CSV rows: requirement id → (status, evidence, remediation), in file order.
fn csv_rows(text: &str) -> Vec<(String, String, String, String)> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "requirement id",
            "requirement",
            "status",
            "evidence",
            "remediation"
        ]
    );
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            (
                rec[0].to_string(),
                rec[2].to_string(),
                rec[3].to_string(),
                rec[4].to_string(),
            )
        })
        .collect()
}

fn ids(profile: Profile) -> Vec<String> {
    requirements::for_profile(profile)
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn requirements_file_parses_with_unique_ids() {
    assert_eq!(requirements::parse_error(), None);
    let all = requirements::all();
    assert_eq!(all.len(), 53);
    let unique: BTreeSet<&str> = all.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(unique.len(), all.len(), "duplicate requirement IDs");
    for r in all {
        assert!(!r.profiles.is_empty(), "{}: no profile", r.id);
        assert!(!r.text.trim().is_empty(), "{}: no text", r.id);
        assert!(!r.sources.is_empty(), "{}: no source", r.id);
    }
    assert_eq!(ids(Profile::PartnerHosted).len(), 53);
    assert_eq!(ids(Profile::CustomerDeployed).len(), 24);
}

/// Each listed rule exists and cites the requirement in its own metadata; every rule of a
/// profile evidences at least one requirement of that profile (no orphan rule).
#[test]
fn requirements_map_to_rules_both_ways() {
    let cites = |req: &Requirement, rule: &str| -> bool {
        let Some(m) = meta::get(rule) else {
            return false;
        };
        m.ftr
            .references
            .iter()
            .any(|r| req.sources.iter().any(|s| r.starts_with(s.as_str())))
    };
    for req in requirements::all() {
        for rule in &req.rules {
            assert!(
                meta::get(rule).is_some(),
                "{} names a missing rule {rule}",
                req.id
            );
            assert!(
                cites(req, rule),
                "{rule} does not cite {} ({:?}) in its [ftr].references",
                req.id,
                req.sources
            );
        }
    }
    for profile in [Profile::PartnerHosted, Profile::CustomerDeployed] {
        let covered: BTreeSet<&str> = requirements::for_profile(profile)
            .iter()
            .flat_map(|r| r.rules.iter().map(String::as_str))
            .collect();
        let orphans: Vec<&str> = meta::all()
            .iter()
            .filter(|m| m.profiles.contains(&profile))
            .map(|m| m.id.as_str())
            .filter(|id| !covered.contains(id))
            .collect();
        assert!(
            orphans.is_empty(),
            "{profile:?}: rules evidencing no requirement: {orphans:?}"
        );
    }
}

#[test]
fn csv_of_fixtures_lists_every_requirement_of_the_profile_once() {
    for (profile, name) in [
        (Profile::PartnerHosted, "partner-hosted"),
        (Profile::CustomerDeployed, "customer-deployed"),
    ] {
        let text = report(&["fixtures", "--profile", name, "--format", "csv"]);
        let got: Vec<String> = csv_rows(&text).into_iter().map(|r| r.0).collect();
        assert_eq!(got, ids(profile), "{name}");
    }
}

/// Statuses and evidence of a single template, audited before publication.
#[test]
fn customer_deployed_audit_of_a_template() {
    let text = report(&[
        TEMPLATE,
        "--profile",
        "customer-deployed",
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&text);
    let status: BTreeMap<&str, &str> = rows
        .iter()
        .map(|(id, s, _, _)| (id.as_str(), s.as_str()))
        .collect();
    let expected: BTreeMap<&str, &str> = [
        ("REQ-07.6", "verified"),
        ("REQ-07.9", "verified"),
        ("REQ-07.10", "verified"),
        ("REQ-07.11", "attest manually"),
        ("REQ-08.1", "violations"),
        ("REQ-09.1", "attest manually"),
        ("REQ-10.1", "verified"),
        ("REQ-10.2", "violations"),
        ("REQ-11.1", "verified"),
        ("REQ-11.2", "verified"),
        ("REQ-11.3", "verified"),
        ("REQ-11.4", "violations"),
        ("REQ-11.5", "violations"),
        ("REQ-11.6", "no resources"),
        ("REQ-12.1", "attest manually"),
        ("REQ-12.2", "violations"),
        ("REQ-12.3", "violations"),
        ("REQ-13.1", "attest manually"),
        ("REQ-13.2", "attest manually"),
        ("REQ-14.1", "attest manually"),
        ("REQ-DCX-1.12", "no resources"),
        ("REQ-DCX-1.16", "verified"),
        ("REQ-DCX-1.23", "no resources"),
        ("REQ-DCX-2.8", "verified"),
    ]
    .into_iter()
    .collect();
    assert_eq!(status, expected);
    let evidence: BTreeMap<&str, &str> = rows
        .iter()
        .map(|(id, _, e, _)| (id.as_str(), e.as_str()))
        .collect();
    // A literal external ID blocks publication (the FTR-XA-002 finding, not a second one).
    assert_eq!(
        evidence["REQ-11.4"],
        "PUBLICATION BLOCKER template/partner-role.yaml:23 FTR-XA-002 [high] PartnerRole: the external ID of role `PartnerRole` is a literal in the code: every customer who deploys it gets the same value; take it from a parameter filled with a unique partner-generated ID per customer"
    );
    // A parameter without default is what the customer enters.
    assert!(
        evidence["REQ-12.2"].contains(
            "unverified template/partner-role.yaml:24 FTR-ENC-001 Database: the value cannot be resolved statically (`StorageEncrypted` at template/partner-role.yaml:33); depends on customer input (parameter `EncryptDatabase`)"
        ),
        "{}",
        evidence["REQ-12.2"]
    );
    assert_eq!(
        evidence["REQ-DCX-2.8"],
        "1 resource checked and passed: Database (template/partner-role.yaml:24)\nattest: Code shows Multi-AZ databases; attest that every tier runs in more than one Availability Zone."
    );
    let md = report(&[TEMPLATE, "--profile", "customer-deployed", "--format", "md"]);
    assert!(md.contains("> **1 publication blocker**"), "{md}");
}

/// For a partner-hosted scan the same unknown asks for the deployed value.
#[test]
fn partner_hosted_unknown_names_the_input_and_how_to_give_it() {
    let text = report(&[TEMPLATE, "--format", "csv"]);
    let rows = csv_rows(&text);
    let row = rows.iter().find(|r| r.0 == "REQ-12.2").expect("REQ-12.2");
    assert!(row.2.contains(
        "depends on parameter `EncryptDatabase` without a default or a value (declared at template/partner-role.yaml:7): give the deployed value with --parameter / --parameters-file to verify"
    ), "{}", row.2);
    assert!(!text.contains("PUBLICATION BLOCKER"));
    // With the value given, the database is decided.
    let text = report(&[
        TEMPLATE,
        "--parameter",
        "EncryptDatabase=true",
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&text);
    let row = rows.iter().find(|r| r.0 == "REQ-12.2").expect("REQ-12.2");
    assert!(!row.2.contains("unverified"), "{}", row.2);
}

/// Deselected rules leave their requirement unverified, never verified.
#[test]
fn a_requirement_whose_rules_did_not_run_is_unverified() {
    let text = report(&[TEMPLATE, "--ignore", "FTR-BAK-003", "--format", "csv"]);
    let rows = csv_rows(&text);
    let row = rows.iter().find(|r| r.0 == "REQ-DCX-2.8").expect("row");
    assert_eq!(row.1, "unverified");
    assert_eq!(row.2, "not run: FTR-BAK-003\nattest: Code shows Multi-AZ databases; attest that every tier runs in more than one Availability Zone.");
}

#[test]
fn html_escapes_every_text() {
    let html = report(&[TEMPLATE, "--format", "html"]);
    assert!(html.contains("<code>Bucket&lt;script&gt;alert(1)&lt;/script&gt;</code>"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    // Self-contained: nothing is loaded from anywhere.
    for needle in ["src=", "<link", "@import", "url(", "href=\"http", "<script"] {
        assert!(!html.contains(needle), "{needle} in the page");
    }
    // Markdown: markup only inside code spans (shown literally), escaped everywhere else.
    let md = report(&[TEMPLATE, "--format", "md"]);
    assert!(md.contains("`Bucket<script>alert(1)</script>`"));
    for line in md.lines() {
        let outside: String = line.split('`').step_by(2).collect();
        assert!(!outside.contains('<'), "markup outside a code span: {line}");
    }
}

/// A tool the test needs: its path, or `None` (with the reason printed) when it is absent and
/// `FTRLINT_REQUIRE_TOOLS` is unset; CI sets it, so CI never skips silently.
fn tool(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(path);
    if p.is_file() {
        return Some(p);
    }
    if std::env::var_os("FTRLINT_REQUIRE_TOOLS").is_some() {
        panic!("{path} is required (FTRLINT_REQUIRE_TOOLS is set) but missing");
    }
    eprintln!("skipped: {path} is not installed (apt-get install chromium)");
    None
}

fn chromium(chrome: &Path, profile_dir: &Path, extra: &[String], url: &str) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile_dir.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The HTML report of `fixtures/` as Chromium renders it: the summary and every requirement
/// of the profile are on the page; a screenshot is left in /tmp/readiness.png.
#[test]
fn html_report_renders_in_chromium() {
    let Some(chrome) = tool("/usr/bin/chromium") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("readiness.html");
    let (code, _, err) = ftrlint(&[
        "report",
        "fixtures",
        "--format",
        "html",
        "-o",
        page.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let url = format!("file://{}", page.display());
    let dom = chromium(
        &chrome,
        &dir.path().join("profile-dom"),
        &["--dump-dom".to_string()],
        &url,
    );
    assert!(
        dom.contains("<h2 id=\"summary\">Summary</h2>"),
        "no summary"
    );
    assert!(dom.contains("<figcaption>Requirements per status</figcaption>"));
    assert!(dom.contains("<figcaption>Findings per severity</figcaption>"));
    for id in ids(Profile::PartnerHosted) {
        assert!(
            dom.contains(&format!("id=\"{id}\"")),
            "requirement {id} is not on the page"
        );
    }
    let shot = dir.path().join("readiness.png");
    chromium(
        &chrome,
        &dir.path().join("profile-shot"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".to_string(),
            "--hide-scrollbars".to_string(),
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 20_000,
        "a near-empty screenshot ({} bytes)",
        png.len()
    );
    let _ = std::fs::copy(&shot, "/tmp/readiness.png");
}

/// Where an unknown value comes from: a variable without default, a module that is not
/// installed, an attribute known only after apply; each said of the value the rule judged.
#[test]
fn unverified_says_which_value_and_where_it_comes_from() {
    let rows = csv_rows(&report(&[TERRAFORM, "--format", "csv"]));
    let row = rows.iter().find(|r| r.0 == "REQ-12.2").expect("REQ-12.2");
    assert_eq!(row.1, "unverified");
    assert_eq!(
        row.2,
        "unverified terraform/main.tf:16 FTR-ENC-002 aws_ebs_volume.data: the value cannot be resolved statically (`encrypted` at terraform/main.tf:19); depends on variable `encrypt_volumes` without a default or a value (declared at terraform/main.tf:7): give the deployed value with --var / --var-file to verify\n\
         unverified terraform/main.tf:31 FTR-ENC-002 aws_ebs_volume.scratch: the value cannot be resolved statically (`encrypted` at terraform/main.tf:34); comes from: module `keys`, not installed (run `terraform init`)\n\
         unverified terraform/main.tf:37 FTR-ENC-002 aws_ebs_volume.cache: the value cannot be resolved statically (`encrypted` at terraform/main.tf:40); comes from: `aws_kms_key.logs.is_enabled`, known only after deployment\n\
         2 resources checked and passed: aws_cloudwatch_log_group.app (terraform/main.tf:26), aws_sns_topic.events (terraform/main.tf:11)"
    );
    assert_eq!(
        row.3,
        "Scan with the deployed values (--var / --var-file, --parameter / --parameters-file) to decide the unverified resources."
    );
    let rows = csv_rows(&report(&[
        TERRAFORM,
        "--profile",
        "customer-deployed",
        "--format",
        "csv",
    ]));
    let row = rows.iter().find(|r| r.0 == "REQ-12.2").expect("REQ-12.2");
    assert!(row.2.starts_with(
        "unverified terraform/main.tf:16 FTR-ENC-002 aws_ebs_volume.data: the value cannot be resolved statically (`encrypted` at terraform/main.tf:19); depends on customer input (variable `encrypt_volumes`)\n"
    ), "{}", row.2);
    // A rule that names the block it could not judge: the value inside it.
    let row = rows
        .iter()
        .find(|r| r.0 == "REQ-DCX-1.16")
        .expect("REQ-DCX-1.16");
    assert_eq!(
        row.2,
        "unverified terraform/main.tf:47 FTR-NET-001 aws_security_group.admin: the source of the rule cannot be resolved statically (`ingress.cidr_blocks` at terraform/main.tf:55); depends on customer input (variable `admin_cidr`)\n\
         unverified terraform/main.tf:47 FTR-NET-002 aws_security_group.admin: the source of the rule cannot be resolved statically (`ingress.cidr_blocks` at terraform/main.tf:55); depends on customer input (variable `admin_cidr`)"
    );
    // Given the value, the volume is decided (and passes).
    let rows = csv_rows(&report(&[
        TERRAFORM,
        "--var",
        "encrypt_volumes=true",
        "--format",
        "csv",
    ]));
    let row = rows.iter().find(|r| r.0 == "REQ-12.2").expect("REQ-12.2");
    assert!(!row.2.contains("aws_ebs_volume.data:"), "{}", row.2);
    assert!(
        row.2.contains("aws_ebs_volume.data (terraform/main.tf:16)"),
        "{}",
        row.2
    );
}

/// The whole Markdown report of the template, audited for publication.
#[test]
fn markdown_report_snapshot() {
    let md = report(&[TEMPLATE, "--profile", "customer-deployed", "--format", "md"]);
    insta::assert_snapshot!(md.replace(env!("CARGO_PKG_VERSION"), "[version]"));
}

/// A mistyped path scans nothing: the output is written (it shows the input error) and the
/// exit code says so.
#[test]
fn nothing_scanned_exits_2() {
    let (code, out, err) = ftrlint(&["report", "no-such-dir", "--format", "csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("warning: no Terraform or CloudFormation file found in no-such-dir"));
    assert_eq!(csv_rows(&out).len(), ids(Profile::PartnerHosted).len());
    let (code, out, _) = ftrlint(&["graph", "no-such-dir", "--format", "json"]);
    assert_eq!(code, 2);
    assert_eq!(out, "{\n  \"nodes\": [],\n  \"edges\": []\n}\n");
    let (code, _, _) = ftrlint(&["graph", CASES, "--format", "json"]);
    assert_eq!(code, 0);
}

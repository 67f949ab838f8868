//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, GitLab), built with
//! the `serde-sarif` types.
//!
//! - one `reportingDescriptor` per rule that ran, with its help (what, why, FTR requirement and
//!   references), its default level and a GitHub `security-severity`;
//! - one result per finding, located relative to the scan root (`%SRCROOT%`), with
//!   `partialFingerprints` from the finding's fingerprint (rule, file, resource, occurrence:
//!   no line numbers, so unrelated edits do not reopen alerts);
//! - input errors as tool execution notifications (the run is then not successful).

use crate::scan::{Finding, InputError, Report, RuleInfo};
use crate::severity::Severity;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};
use std::collections::BTreeMap;

const INFORMATION_URI: &str = "https://github.com/ftrlint/ftrlint";

/// SARIF `level` of a severity: critical/high are errors, medium a warning, low a note.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub code scanning's `security-severity` (a CVSS-like score: critical ≥ 9, high ≥ 7,
/// medium ≥ 4, low below).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// A SARIF message ends with a period (SARIF2001).
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// A relative URI for a displayed path (forward slashes, no `./`, spaces escaped).
fn uri(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn text_message(text: String) -> Message {
    Message::builder().text(text).build()
}

fn descriptor(r: &RuleInfo) -> ReportingDescriptor {
    if let Some(policy) = &r.guard_policy {
        return guard_descriptor(r, policy);
    }
    let help_text = format!(
        "{}\n\nWhy: {}\n\nFTR requirement: {}\nReferences: {}\n\nDetails and fixes: `ftrlint explain {}`.",
        r.what,
        r.why,
        r.ftr_requirement,
        r.ftr_references.join("; "),
        r.rule_id
    );
    let help_markdown = format!(
        "{}\n\n**Why**: {}\n\n**FTR requirement**: {}\n\n**References**:\n{}\n\nRun `ftrlint explain {}` for compliant Terraform and CloudFormation examples.",
        r.what,
        r.why,
        r.ftr_requirement,
        r.ftr_references
            .iter()
            .map(|x| format!("- {x}"))
            .collect::<Vec<_>>()
            .join("\n"),
        r.rule_id
    );
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        serde_json::Value::from(security_severity(r.severity)),
    );
    props.insert(
        "problem.severity".to_string(),
        serde_json::Value::from(match r.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "recommendation",
        }),
    );
    props.insert("precision".to_string(), serde_json::Value::from("high"));
    ReportingDescriptor::builder()
        .id(r.rule_id.as_ref())
        .name(pascal_name(&r.title))
        .short_description(
            MultiformatMessageString::builder()
                .text(sentence(&r.title))
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(sentence(&r.what))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .help_uri(format!(
            "{INFORMATION_URI}/blob/main/docs/rules/{}.md",
            r.rule_id
        ))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from(level(r.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![
                    "security".to_string(),
                    "ftr".to_string(),
                    format!("severity:{}", r.severity.as_str()),
                ])
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// A Guard rule's entry: its message as help, where it is defined; no FTR text, no rule page.
fn guard_descriptor(r: &RuleInfo, policy: &str) -> ReportingDescriptor {
    let help_text = format!(
        "{}\n\nGuard rule `{}`, defined in {policy}.",
        r.what, r.rule_id
    );
    let help_markdown = format!(
        "{}\n\nGuard rule `{}`, defined in `{policy}`.",
        r.what, r.rule_id
    );
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        serde_json::Value::from(security_severity(r.severity)),
    );
    props.insert("precision".to_string(), serde_json::Value::from("high"));
    ReportingDescriptor::builder()
        .id(r.rule_id.as_ref())
        .name(pascal_name(&r.title))
        .short_description(
            MultiformatMessageString::builder()
                .text(sentence(&r.title))
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(sentence(&r.what))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from(level(r.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![
                    "guard".to_string(),
                    format!("severity:{}", r.severity.as_str()),
                ])
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// `RdsStorageIsNotEncrypted` from a title (SARIF rule names are identifiers).
fn pascal_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn location(file: &str, region: Option<Region>) -> Location {
    let artifact = ArtifactLocation::builder()
        .uri(uri(file))
        .uri_base_id("%SRCROOT%")
        .build();
    let physical = match region {
        Some(r) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(r)
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    Location::builder().physical_location(physical).build()
}

fn result(f: &Finding, rule_index: Option<usize>) -> SarifResult {
    let region = Region::builder()
        .start_line(i64::from(f.line.max(1)))
        .start_column(i64::from(f.column.max(1)))
        .end_line(i64::from(f.end_line.max(f.line).max(1)))
        .end_column(i64::from(f.end_column.max(1)))
        .build();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("ftrlint/v1".to_string(), f.fingerprint.clone());
    let mut props = BTreeMap::new();
    props.insert(
        "resource".to_string(),
        serde_json::Value::from(f.resource.clone()),
    );
    props.insert(
        "ftrRequirement".to_string(),
        serde_json::Value::from(&*f.ftr_requirement),
    );
    props.insert(
        "remediation".to_string(),
        serde_json::Value::from(&*f.remediation),
    );
    if let Some(c) = &f.construct_path {
        props.insert(
            "constructPath".to_string(),
            serde_json::Value::from(c.clone()),
        );
    }
    let level = match f.severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    };
    let base = SarifResult::builder()
        .rule_id(f.rule_id.as_ref())
        .level(level)
        .message(text_message(sentence(&format!(
            "{} ({}): {}",
            f.title, f.resource, f.message
        ))))
        .locations(vec![location(&f.file, Some(region))])
        .partial_fingerprints(fingerprints)
        .properties(PropertyBag::builder().additional_properties(props).build());
    let mut result = match rule_index {
        Some(i) => base.rule_index(i as i64).build(),
        None => base.build(),
    };
    // Where the deciding value is written (a module caller's input, a default).
    if !f.related.is_empty() {
        result.related_locations = Some(
            f.related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let region = Region::builder()
                        .start_line(i64::from(r.line.max(1)))
                        .start_column(i64::from(r.column.max(1)))
                        .build();
                    let mut loc = location(&r.file, Some(region));
                    loc.id = Some(i as i64);
                    loc.message = Some(text_message(sentence(&r.message)));
                    loc
                })
                .collect(),
        );
    }
    result
}

fn notification(e: &InputError, level: &str) -> Notification {
    let region = e.line.map(|l| {
        Region::builder()
            .start_line(i64::from(l.max(1)))
            .start_column(i64::from(e.column.unwrap_or(1).max(1)))
            .build()
    });
    let mut n = Notification::builder()
        .message(text_message(sentence(&e.message)))
        .level(serde_json::Value::from(level))
        .build();
    if !e.file.is_empty() {
        n.locations = Some(vec![location(&e.file, region)]);
    }
    n
}

pub fn render(report: &Report) -> String {
    let rules: Vec<ReportingDescriptor> = report.rules.iter().map(descriptor).collect();
    let index: BTreeMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rule_id.as_ref(), i))
        .collect();
    let mut results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| result(f, index.get(f.rule_id.as_ref()).copied()))
        .collect();
    // Suppressed findings are results with an in-source suppression (code scanning shows
    // them as dismissed, not as open alerts).
    for f in &report.suppressed {
        let mut r = result(f, index.get(f.rule_id.as_ref()).copied());
        if let Some(s) = &f.suppression {
            let justification = match &s.reason {
                Some(reason) => format!("{} `{}`: {reason}", s.by, s.id),
                None => format!("{} `{}` (no reason given)", s.by, s.id),
            };
            r.suppressions = Some(vec![Suppression::builder()
                .kind(serde_json::Value::from("inSource"))
                .justification(justification)
                .build()]);
        }
        results.push(r);
    }
    let mut notifications: Vec<Notification> = report
        .errors
        .iter()
        .map(|e| notification(e, "error"))
        .collect();
    notifications.extend(report.notes.iter().map(|n| notification(n, "note")));
    let invocation = Invocation::builder()
        .execution_successful(report.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let driver = ToolComponent::builder()
        .name("ftrlint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_escaped() {
        assert_eq!(uri("./a b/c.tf"), "a%20b/c.tf");
        assert_eq!(uri("x\\y.yaml"), "x/y.yaml");
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(
            pascal_name("RDS storage is not encrypted"),
            "RDSStorageIsNotEncrypted"
        );
        assert_eq!(sentence("a finding"), "a finding.");
        assert_eq!(sentence("done."), "done.");
    }
}

//! The FTR readiness report: a scan's findings and per-resource outcomes turned into one row
//! per FTR requirement of the profile, each with a status and its evidence. Renderers
//! (`html`, `markdown`, `csv`) only format a [`Readiness`]; they never look at rules.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod requirements;

use crate::rules::meta::{self, Profile, Severity};
use crate::scan::detail::{CheckStatus, InputNeed};
use crate::scan::Report;
use std::collections::{BTreeMap, BTreeSet};

pub use requirements::Requirement;

/// Output formats of `ftrlint report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained, printable HTML page.
    Html,
    /// Markdown, for a pull request or a wiki.
    Md,
    /// The self-assessment worksheet's columns.
    Csv,
}

/// Rules whose findings block publishing a customer-deployed template: a literal external ID
/// is shared by every customer who deploys it.
const PUBLICATION_BLOCKERS: &[&str] = &["FTR-XA-002", "FTR-XA-003"];

/// Most severe first.
pub const SEVERITIES: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

/// A requirement's status. Where several rules give evidence: violations > unverified >
/// verified > no resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Violations,
    Unverified,
    Verified,
    NoResources,
    AttestManually,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Violations,
        Status::Unverified,
        Status::Verified,
        Status::NoResources,
        Status::AttestManually,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Status::Violations => "violations",
            Status::Unverified => "unverified",
            Status::Verified => "verified",
            Status::NoResources => "no resources",
            Status::AttestManually => "attest manually",
        }
    }
    /// What the status means, for the report's legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Violations => "the code breaks the requirement: fix every finding listed",
            Status::Unverified => {
                "resources exist but a value was unknown: supply it, or show it in another way"
            }
            Status::Verified => "every resource of the relevant kinds was checked and passed",
            Status::NoResources => "nothing in the code falls under the requirement",
            Status::AttestManually => {
                "code cannot show it: answer it in the self-assessment with your own evidence"
            }
        }
    }
}

/// A finding as evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Violation {
    pub rule_id: crate::scan::RuleId,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub resource: String,
    pub message: String,
    /// Customer-deployed audit: publishing the template as it is breaks the requirement for
    /// every customer.
    pub blocker: bool,
    /// A suppression in the code accepts it: the reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// A resource some rule could not decide.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Undecided {
    pub rule_id: crate::scan::RuleId,
    pub resource: String,
    pub file: String,
    pub line: u32,
    /// What was unknown and where it comes from, in one sentence.
    pub why: String,
    pub inputs: Vec<InputNeed>,
    /// `inputs` decide the very value the rule could not judge (else: they are inputs the
    /// resource uses, one of which may be the cause).
    pub exact: bool,
}

/// A resource every applicable rule checked and passed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Passed {
    pub resource: String,
    pub resource_type: String,
    pub file: String,
    pub line: u32,
    pub rules: Vec<&'static str>,
}

/// One row of the worksheet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub id: String,
    pub section: String,
    pub requirement: String,
    pub status: Status,
    /// The rules of the profile that give evidence (empty: attest manually).
    pub rules: Vec<&'static str>,
    pub violations: Vec<Violation>,
    pub accepted: Vec<Violation>,
    pub undecided: Vec<Undecided>,
    pub passed: Vec<Passed>,
    /// Rules of the requirement that did not run (`--select` / `--ignore`).
    pub not_run: Vec<&'static str>,
    /// What to attest by hand (the whole requirement, or the part code cannot show).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attest: Option<String>,
    /// Resources in the code that are partial evidence of a manual requirement.
    pub present: Vec<String>,
    /// How to fix the violations (one entry per rule and format).
    pub remediation: Vec<String>,
}

impl Row {
    /// Evidence lines: `file:line` findings, undecided and passed resources, notes.
    pub fn evidence(&self, profile: Profile) -> Vec<String> {
        let mut out = Vec::new();
        for v in &self.violations {
            out.push(format!(
                "{}{}:{} {} [{}] {}: {}",
                if v.blocker {
                    "PUBLICATION BLOCKER "
                } else {
                    ""
                },
                v.file,
                v.line,
                v.rule_id,
                v.severity.as_str(),
                v.resource,
                v.message
            ));
        }
        for v in &self.accepted {
            out.push(format!(
                "accepted {}:{} {} {}: {}",
                v.file,
                v.line,
                v.rule_id,
                v.resource,
                v.accepted
                    .as_deref()
                    .unwrap_or("suppressed without a reason")
            ));
        }
        for u in &self.undecided {
            out.push(format!(
                "unverified {}:{} {} {}: {}",
                u.file,
                u.line,
                u.rule_id,
                u.resource,
                undecided_text(u, profile)
            ));
        }
        if !self.not_run.is_empty() {
            out.push(format!("not run: {}", self.not_run.join(", ")));
        }
        if !self.passed.is_empty() {
            out.push(format!(
                "{} resource{} checked and passed: {}",
                self.passed.len(),
                plural(self.passed.len()),
                self.passed
                    .iter()
                    .map(|p| match location(&p.file, p.line) {
                        at if at.is_empty() => p.resource.clone(),
                        at => format!("{} ({at})", p.resource),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.present.is_empty() {
            out.push(format!("in the code: {}", self.present.join(", ")));
        }
        if let Some(a) = &self.attest {
            out.push(format!("attest: {a}"));
        }
        out
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The sentence for an undecided resource; in a customer-deployed audit, inputs without a
/// value are what the customer will enter.
pub fn undecided_text(u: &Undecided, profile: Profile) -> String {
    let mut text = u.why.clone();
    if !u.inputs.is_empty() {
        let names: Vec<String> = u
            .inputs
            .iter()
            .map(|i| format!("{} `{}`", i.kind, i.name))
            .collect();
        // Declarations grouped by file: `a.yaml:7, 9`.
        let mut by_file: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for i in &u.inputs {
            by_file
                .entry(i.file.as_str())
                .or_default()
                .push(i.line.to_string());
        }
        let declared = by_file
            .iter()
            .map(|(f, lines)| format!("{f}:{}", lines.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        let how = if u.inputs.iter().all(|i| i.kind == "parameter") {
            "--parameter / --parameters-file"
        } else {
            "--var / --var-file"
        };
        let tail = match (profile, u.exact) {
            (Profile::CustomerDeployed, true) => {
                format!("depends on customer input ({})", names.join(", "))
            }
            (Profile::CustomerDeployed, false) => {
                format!("may depend on customer input ({})", names.join(", "))
            }
            (Profile::PartnerHosted, exact) => format!(
                "{} {} without a default or a value (declared at {declared}): give the deployed value with {how} to verify",
                if exact { "depends on" } else { "may depend on" },
                names.join(", "),
            ),
        };
        if text.is_empty() {
            text = tail;
        } else {
            text = format!("{text}; {tail}");
        }
    }
    text
}

/// The report: every requirement of the profile once, in worksheet order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Readiness {
    pub profile: Profile,
    pub rows: Vec<Row>,
    pub by_status: BTreeMap<Status, usize>,
    /// Findings (not suppressed) per severity, most severe first.
    pub by_severity: Vec<(Severity, usize)>,
    pub files_scanned: usize,
    pub resources: usize,
    /// Input errors: files that could not be read; the report is incomplete for them.
    pub errors: Vec<String>,
    /// Customer-deployed audit: findings that block publishing.
    pub blockers: usize,
    pub version: &'static str,
}

/// Builds the readiness report of a scan run with `Config::detail`.
pub fn build(report: &Report, profile: Profile) -> Readiness {
    let ran: BTreeSet<&str> = report.rules.iter().map(|r| r.rule_id.as_ref()).collect();
    let mut rows = Vec::new();
    for req in requirements::for_profile(profile) {
        rows.push(row(req, report, profile, &ran));
    }
    let mut by_status: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for r in &rows {
        *by_status.entry(r.status).or_insert(0) += 1;
    }
    let by_severity = SEVERITIES
        .iter()
        .map(|s| {
            (
                *s,
                report.findings.iter().filter(|f| f.severity == *s).count(),
            )
        })
        .collect();
    let blockers = if profile == Profile::CustomerDeployed {
        report
            .findings
            .iter()
            .filter(|f| PUBLICATION_BLOCKERS.contains(&f.rule_id.as_ref()))
            .count()
    } else {
        0
    };
    Readiness {
        profile,
        rows,
        by_status,
        by_severity,
        files_scanned: report.summary.files_scanned,
        resources: report.summary.resources,
        errors: report
            .errors
            .iter()
            .map(|e| match e.line {
                Some(l) => format!("{}:{l}: {}", e.file, e.message),
                None => format!("{}: {}", e.file, e.message),
            })
            .collect(),
        blockers,
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn row(req: &Requirement, report: &Report, profile: Profile, ran: &BTreeSet<&str>) -> Row {
    let applicable: Vec<&'static str> = req
        .rules
        .iter()
        .filter_map(|id| meta::get(id))
        .filter(|m| m.profiles.contains(&profile))
        .map(|m| m.id.as_str())
        .collect();
    let rules: Vec<&'static str> = applicable
        .iter()
        .copied()
        .filter(|id| ran.contains(id))
        .collect();
    let not_run: Vec<&'static str> = applicable
        .iter()
        .copied()
        .filter(|id| !ran.contains(id))
        .collect();
    let mut row = Row {
        id: req.id.clone(),
        section: req.section.clone(),
        requirement: req.text.clone(),
        status: Status::AttestManually,
        rules: rules.clone(),
        violations: Vec::new(),
        accepted: Vec::new(),
        undecided: Vec::new(),
        passed: Vec::new(),
        not_run,
        attest: req.attest.clone(),
        present: Vec::new(),
        remediation: Vec::new(),
    };
    if applicable.is_empty() {
        row.attest = Some(req.text.clone());
        row.present = report
            .inventory
            .nodes
            .iter()
            .filter(|n| req.present.contains(&n.resource_type))
            .map(|n| format!("{} ({}:{})", n.address, n.file, n.line))
            .collect();
        return row;
    }
    let blocker =
        |id: &str| profile == Profile::CustomerDeployed && PUBLICATION_BLOCKERS.contains(&id);
    let mut remediation: BTreeSet<String> = BTreeSet::new();
    for f in report
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule_id.as_ref()))
    {
        row.violations.push(Violation {
            rule_id: f.rule_id.clone(),
            severity: f.severity,
            file: f.file.clone(),
            line: f.line,
            resource: f.resource.clone(),
            message: f.message.clone(),
            blocker: blocker(&f.rule_id),
            accepted: None,
        });
        if !f.remediation.is_empty() {
            remediation.insert(format!("{}: {}", f.rule_id, f.remediation));
        }
    }
    for f in report
        .suppressed
        .iter()
        .filter(|f| rules.contains(&f.rule_id.as_ref()))
    {
        row.accepted.push(Violation {
            rule_id: f.rule_id.clone(),
            severity: f.severity,
            file: f.file.clone(),
            line: f.line,
            resource: f.resource.clone(),
            message: f.message.clone(),
            blocker: blocker(&f.rule_id),
            accepted: Some(
                f.suppression
                    .as_ref()
                    .and_then(|s| s.reason.clone())
                    .unwrap_or_else(|| "suppressed without a reason".to_string()),
            ),
        });
    }
    // Per resource: the rules that passed it; undecided resources are listed as such.
    let mut passed: BTreeMap<(String, String), Passed> = BTreeMap::new();
    for c in report
        .checks
        .iter()
        .filter(|c| rules.contains(&c.rule_id.as_ref()))
    {
        match c.status {
            CheckStatus::Pass => {
                let p = passed
                    .entry((c.file.clone(), c.resource.clone()))
                    .or_insert_with(|| Passed {
                        resource: c.resource.clone(),
                        resource_type: c.resource_type.clone(),
                        file: c.file.clone(),
                        line: c.line,
                        rules: Vec::new(),
                    });
                // The requirement's own (static) spelling of the rule ID.
                if let Some(id) = rules.iter().find(|r| **r == c.rule_id) {
                    if !p.rules.contains(id) {
                        p.rules.push(id);
                    }
                }
            }
            CheckStatus::Unknown => {
                let mut why = c.reason.clone().unwrap_or_default();
                if let Some(v) = &c.value {
                    why = format!("{why} ({v})");
                }
                if !c.sources.is_empty() {
                    let lead = if c.exact {
                        "comes from"
                    } else {
                        "unresolved in the resource"
                    };
                    why = format!("{why}; {lead}: {}", c.sources.join("; "));
                }
                row.undecided.push(Undecided {
                    rule_id: c.rule_id.clone(),
                    resource: c.resource.clone(),
                    file: c.file.clone(),
                    line: c.line,
                    why,
                    inputs: c.inputs.clone(),
                    exact: c.exact,
                });
            }
        }
    }
    // A resource that failed or was undecided under one rule is not "passed" overall.
    let open: BTreeSet<(&str, &str)> = row
        .violations
        .iter()
        .chain(&row.accepted)
        .map(|v| (v.file.as_str(), v.resource.as_str()))
        .chain(
            row.undecided
                .iter()
                .map(|u| (u.file.as_str(), u.resource.as_str())),
        )
        .collect();
    row.passed = passed
        .into_values()
        .filter(|p| !open.contains(&(p.file.as_str(), p.resource.as_str())))
        .collect();
    row.status = if !row.violations.is_empty() {
        Status::Violations
    } else if !row.undecided.is_empty() || !row.accepted.is_empty() || !row.not_run.is_empty() {
        Status::Unverified
    } else if !row.passed.is_empty() {
        Status::Verified
    } else {
        Status::NoResources
    };
    if row.status == Status::Unverified {
        if row.undecided.iter().any(|u| !u.inputs.is_empty()) {
            remediation.insert(match profile {
                Profile::CustomerDeployed => "Document the values customers must enter (constrain the parameters with AllowedPattern / AllowedValues or a validation block) so that every input keeps the requirement.".to_string(),
                Profile::PartnerHosted => "Scan with the deployed values (--var / --var-file, --parameter / --parameters-file) to decide the unverified resources.".to_string(),
            });
        }
        if !row.accepted.is_empty() {
            remediation.insert(
                "Explain each accepted finding (its suppression reason) in the self-assessment."
                    .to_string(),
            );
        }
        if !row.not_run.is_empty() {
            remediation.insert(format!(
                "Run {} (left out by --select / --ignore).",
                row.not_run.join(", ")
            ));
        }
    }
    row.remediation = remediation.into_iter().collect();
    row
}

/// `file:line`, `file` without a line, empty without a file.
pub fn location(file: &str, line: u32) -> String {
    if line == 0 {
        file.to_string()
    } else {
        format!("{file}:{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::{undecided_text, Profile, Undecided};
    use crate::scan::detail::InputNeed;

    fn undecided(exact: bool) -> Undecided {
        Undecided {
            rule_id: "FTR-IAM-002".into(),
            resource: "aws_iam_role_policy_attachment.x".into(),
            file: "main.tf".into(),
            line: 9,
            why: "the attached policy ARN cannot be resolved".into(),
            inputs: vec![
                InputNeed {
                    kind: "variable",
                    name: "policy_arn".into(),
                    file: "variables.tf".into(),
                    line: 1,
                },
                InputNeed {
                    kind: "variable",
                    name: "prefix".into(),
                    file: "variables.tf".into(),
                    line: 5,
                },
            ],
            exact,
        }
    }

    #[test]
    fn inputs_are_customer_input_only_in_a_customer_deployed_audit() {
        assert_eq!(
            undecided_text(&undecided(true), Profile::CustomerDeployed),
            "the attached policy ARN cannot be resolved; depends on customer input (variable `policy_arn`, variable `prefix`)"
        );
        // The rule did not say which value: the inputs are the resource's, maybe not the cause.
        assert_eq!(
            undecided_text(&undecided(false), Profile::CustomerDeployed),
            "the attached policy ARN cannot be resolved; may depend on customer input (variable `policy_arn`, variable `prefix`)"
        );
        assert_eq!(
            undecided_text(&undecided(false), Profile::PartnerHosted),
            "the attached policy ARN cannot be resolved; may depend on variable `policy_arn`, variable `prefix` without a default or a value (declared at variables.tf:1, 5): give the deployed value with --var / --var-file to verify"
        );
    }
}

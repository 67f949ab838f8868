//! One scan, end to end: discover and read → group into units and load (in parallel) →
//! model → rules → findings. Each step is its own function (and file) below.

mod check;
pub mod detail;
mod findings;
mod read;
mod related;
pub mod suppress;
mod units;

pub use read::MAX_FILE_SIZE;

use crate::cloudformation::CfnOptions;
use crate::discover;
use crate::guard::PolicySet;
use crate::resource::{Diagnostic, EvalStats, Severity as DiagSeverity};
use crate::rules::meta::{self, Profile, Severity};
use crate::rules::select::Selection;
use crate::rules::{registry, Rule};
use crate::source::{SourceMap, Span};
use crate::terraform::TfOptions;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Vec<PathBuf>,
    pub profile: Profile,
    pub terraform: TfOptions,
    pub cloudformation: CfnOptions,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Which rules run (`--select` / `--ignore`), within the profile.
    pub rules: Selection,
    /// Files left out (`--exclude`, `exclude` in `.ftrlint.toml`): gitignore-style patterns,
    /// each with the directory it is relative to.
    pub exclude: Vec<(PathBuf, String)>,
    /// Also keep the per-resource outcomes and the resource graph (`Report::checks`,
    /// `Report::inventory`) for the readiness report and the architecture diagram.
    pub detail: bool,
    /// Guard policies (`--policy`, `policies` in `.ftrlint.toml`), parsed once for the run.
    pub policies: Option<Arc<PolicySet>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            paths: vec![PathBuf::from(".")],
            profile: Profile::PartnerHosted,
            terraform: TfOptions::default(),
            cloudformation: CfnOptions::default(),
            threads: None,
            rules: Selection::all(),
            exclude: Vec::new(),
            detail: false,
            policies: None,
        }
    }
}

/// A rule's ID: borrowed for the built-in rules, owned for the Guard rules loaded at run time
/// (`GUARD:<file>:<rule>`).
pub type RuleId = std::borrow::Cow<'static, str>;

/// A violation, ready for any report format.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub rule_id: RuleId,
    pub severity: Severity,
    /// The rule's texts (title, requirement, references, remediation) are shared by all its
    /// findings.
    pub title: Arc<str>,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub resource: String,
    /// The CDK construct path (`aws:cdk:path` metadata of the CloudFormation resource), when
    /// the template was synthesised by the CDK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construct_path: Option<String>,
    /// Stable across edits above the finding: rule, file, resource and occurrence, no lines.
    pub fingerprint: String,
    /// The FTR requirement the finding breaks, and where the FTR documents say so.
    pub ftr_requirement: Arc<str>,
    pub ftr_references: Arc<[String]>,
    /// How to fix it.
    pub remediation: Arc<str>,
    /// Set when the finding is suppressed in the code (then it is in `Report::suppressed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<suppress::Suppression>,
    /// Other places that explain the finding: where the deciding value is written when not
    /// at the reported attribute (a module caller's input, a variable or parameter default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLocation>,
    #[serde(skip)]
    pub span: Span,
    /// Hard-coded secrets the finding is about (masked in every output, see `crate::mask`).
    #[serde(skip)]
    pub secrets: Vec<Span>,
}

/// A second location of a finding.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RelatedLocation {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip)]
    pub span: Span,
}

/// An input problem (file unreadable, parse error, ...).
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputError {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    #[serde(skip)]
    pub span: Option<Span>,
    #[serde(skip)]
    pub severity: DiagSeverity,
}

/// What the report formats may say about a rule that ran (its metadata as data).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleInfo {
    pub rule_id: RuleId,
    pub title: String,
    pub severity: Severity,
    /// What the rule checks, why it matters, and the FTR requirement with its references.
    pub what: String,
    pub why: String,
    pub ftr_requirement: String,
    pub ftr_references: Vec<String>,
    /// For a Guard rule: the policy file and line that define it (`policies/tags.guard:4`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard_policy: Option<String>,
}

/// Outcome counts of one rule ("verified in N resources").
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RuleOutcomes {
    pub rule_id: RuleId,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub resources: usize,
    pub findings: usize,
    /// Findings suppressed in the code (not counted in `findings`, never failing the run).
    pub suppressed: usize,
    pub errors: usize,
    /// Candidate files excluded by `.gitignore` / `.ignore` rules.
    pub ignored_files: usize,
    pub profile: &'static str,
    pub rules_run: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    /// With `--baseline`: findings hidden as known, baseline entries fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::Applied>,
}

#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    /// Findings suppressed in the code, with their suppression; shown, never failing the run.
    pub suppressed: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub notes: Vec<InputError>,
    pub outcomes: Vec<RuleOutcomes>,
    pub summary: Summary,
    pub stats: EvalStats,
    pub graph_edges: usize,
    /// Display paths of the files read as Terraform or CloudFormation (or tried and failed).
    pub scanned_files: std::collections::BTreeSet<String>,
    /// The rules that ran, in ID order (the catalog's, then the Guard rules).
    pub rules: Vec<RuleInfo>,
    /// With `Config::detail`: each rule's pass and unknown outcomes per resource.
    pub checks: Vec<detail::Check>,
    /// With `Config::detail`: the resources and the references between them.
    pub inventory: detail::Inventory,
}

/// What makes a run fail (the exit code), for CI gates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gates {
    /// Findings at least this severe fail the run (exit 1).
    pub fail_on: Severity,
    /// Input errors (unreadable or invalid files) fail the run (exit 2); otherwise they are
    /// reported as warnings only.
    pub errors_fail: bool,
    /// Findings never fail the run (exit 0), whatever their severity.
    pub exit_zero: bool,
    /// A scan that found no Terraform or CloudFormation file at all fails (exit 2) instead of
    /// passing with a warning (set when the user asked for a gate explicitly).
    pub require_files: bool,
}

impl Default for Gates {
    fn default() -> Self {
        Gates {
            fail_on: Severity::Low,
            errors_fail: true,
            exit_zero: false,
            require_files: false,
        }
    }
}

impl Report {
    /// The exit code under the default gates: 2 input errors, 1 findings, else 0.
    pub fn exit_code(&self) -> i32 {
        self.exit_code_with(&Gates::default())
    }

    /// The exit code under `gates`: 2 for input errors (when they fail) or nothing to scan
    /// (when required), 1 for a finding at least as severe as `fail_on`, else 0.
    pub fn exit_code_with(&self, gates: &Gates) -> i32 {
        let input_failed = gates.errors_fail && !self.errors.is_empty();
        if input_failed || (gates.require_files && self.nothing_scanned()) {
            2
        } else if !gates.exit_zero
            && self
                .findings
                .iter()
                .any(|f| f.severity.at_least(gates.fail_on))
        {
            1
        } else {
            0
        }
    }

    /// No Terraform or CloudFormation file was found in the scanned paths.
    pub fn nothing_scanned(&self) -> bool {
        self.summary.files_scanned == 0 && self.errors.is_empty()
    }

    /// Drops findings less severe than `min` from every report (`--min-severity`).
    pub fn hide_below(&mut self, min: Severity) {
        self.findings.retain(|f| f.severity.at_least(min));
        self.recount();
    }

    /// Gives rules the severity a project chose (`[severity]` in `.ftrlint.toml`).
    pub fn regrade(&mut self, severities: &std::collections::BTreeMap<String, Severity>) {
        for f in self.findings.iter_mut().chain(self.suppressed.iter_mut()) {
            if let Some(s) = severities.get(f.rule_id.as_ref()) {
                f.severity = *s;
            }
        }
        for r in &mut self.rules {
            if let Some(s) = severities.get(r.rule_id.as_ref()) {
                r.severity = *s;
            }
        }
        self.recount();
    }

    /// Recomputes the summary's finding counts after findings were hidden.
    pub fn recount(&mut self) {
        self.summary.findings = self.findings.len();
        self.summary.by_severity.clear();
        for f in &self.findings {
            *self
                .summary
                .by_severity
                .entry(f.severity.as_str())
                .or_insert(0) += 1;
        }
    }
}

/// Largest `--threads` accepted.
pub const MAX_THREADS: usize = 256;

/// The report of a scan that could not start: an input named on the command line (a value or
/// parameters file) is unusable. Each `(file, message)` is an error; nothing is scanned.
pub fn input_failure(config: &Config, problems: &[(String, String)]) -> Report {
    let errors: Vec<InputError> = problems
        .iter()
        .map(|(file, message)| InputError {
            file: file.clone(),
            line: None,
            column: None,
            message: message.clone(),
            span: None,
            severity: DiagSeverity::Error,
        })
        .collect();
    Report {
        sources: SourceMap::default(),
        findings: Vec::new(),
        suppressed: Vec::new(),
        notes: Vec::new(),
        outcomes: Vec::new(),
        rules: Vec::new(),
        summary: Summary {
            errors: errors.len(),
            profile: config.profile.as_str(),
            ..Summary::default()
        },
        errors,
        stats: EvalStats::default(),
        graph_edges: 0,
        scanned_files: Default::default(),
        checks: Vec::new(),
        inventory: detail::Inventory::default(),
    }
}

pub fn scan(config: &Config) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        // Deep but legal inputs must not overflow a worker's stack.
        .stack_size(16 * 1024 * 1024)
        .build();
    match pool {
        Ok(pool) => pool.install(|| scan_inner(config)),
        Err(_) => scan_inner(config),
    }
}

fn scan_inner(config: &Config) -> Report {
    let cwd = std::env::current_dir().ok();
    let read = read::discover_and_read(&config.paths, &config.exclude, cwd.as_deref());
    let units = units::plan_units(&read);
    let read::ReadFiles {
        found,
        sources,
        ids,
        readable,
        mut diagnostics,
    } = read;
    for (p, msg) in &found.refused {
        let id = sources.add(
            p.clone(),
            discover::display_path(p, cwd.as_deref()),
            Arc::from(""),
        );
        diagnostics.push(Diagnostic::note(id, None, msg.clone()));
    }
    for (p, msg) in &found.missing {
        let id = sources.add(
            p.clone(),
            discover::display_path(p, cwd.as_deref()),
            Arc::from(""),
        );
        diagnostics.push(Diagnostic::error(id, None, format!("cannot scan: {msg}")));
    }

    let rules = selected_rules(config);
    let checker = check::Checker {
        rules: &rules,
        config,
        report_only: found.report_only.as_ref(),
    };
    let units::Loaded {
        checked,
        mut sources,
        scanned,
    } = units::load_and_check(
        units,
        (sources, ids, readable),
        config,
        cwd.clone(),
        &|loaded, sources| checker.check(loaded, sources),
    );
    let scanned_files = scanned
        .iter()
        .filter_map(|id| sources.get(*id).map(|f| f.display.clone()))
        .collect();

    let mut rule_ids: Vec<RuleId> = rules.iter().map(|r| Cow::Borrowed(r.id())).collect();
    let mut rule_infos: Vec<RuleInfo> = rules
        .iter()
        .filter_map(|r| {
            let id = r.id();
            let m = meta::get(id)?;
            Some(RuleInfo {
                rule_id: Cow::Borrowed(id),
                title: m.title.clone(),
                severity: m.severity,
                what: m.docs.what.trim().to_string(),
                why: m.docs.why.trim().to_string(),
                ftr_requirement: m.ftr.requirement.trim().to_string(),
                ftr_references: m.ftr.references.clone(),
                guard_policy: None,
            })
        })
        .collect();
    if let Some(policies) = &config.policies {
        let selected = |id: &str| config.rules.includes(id);
        for f in &policies.files {
            for r in f.rules.iter().filter(|r| selected(&r.id)) {
                rule_ids.push(Cow::Owned(r.id.clone()));
                rule_infos.push(RuleInfo {
                    rule_id: Cow::Owned(r.id.clone()),
                    title: crate::guard::title(f, r),
                    severity: r.severity,
                    what: crate::guard::remediation(f, r),
                    why: String::new(),
                    ftr_requirement: String::new(),
                    ftr_references: Vec::new(),
                    guard_policy: Some(format!("{}:{}", f.display, r.line)),
                });
            }
        }
    }
    let check::Checked {
        collected,
        diagnostics: mut load_diagnostics,
        mut checks,
        inventory,
        resources,
        graph_edges,
        stats,
    } = checked;
    diagnostics.append(&mut load_diagnostics);
    let findings::Found {
        findings,
        suppressed,
        counts: outcomes,
        notes: mut suppression_notes,
    } = findings::finish(collected, &rule_ids);
    diagnostics.append(&mut suppression_notes);
    let (mut errors, mut notes) = findings::input_errors(diagnostics, &sources);
    detail::tidy(&mut checks);

    let mut by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &findings {
        *by_severity.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    let summary = Summary {
        files_scanned: scanned.len(),
        resources,
        findings: findings.len(),
        suppressed: suppressed.len(),
        errors: errors.len(),
        ignored_files: found.ignored,
        profile: config.profile.as_str(),
        rules_run: rules.len(),
        by_severity,
        baseline: None,
    };
    // Last step before any output exists: no report format can print a detected secret
    // (suppressed findings included).
    let mut all: Vec<Finding> = findings.into_iter().chain(suppressed).collect();
    crate::mask::mask_secrets(
        &mut all,
        (&mut errors, &mut notes),
        &mut checks,
        &mut sources,
    );
    let (suppressed, findings): (Vec<Finding>, Vec<Finding>) =
        all.into_iter().partition(|f| f.suppression.is_some());
    Report {
        sources,
        findings,
        suppressed,
        errors,
        notes,
        outcomes,
        summary,
        stats,
        graph_edges,
        scanned_files,
        rules: rule_infos,
        checks,
        inventory,
    }
}

/// The rules that run: selected (`--select`/`--ignore`) and of the profile.
fn selected_rules(config: &Config) -> Vec<Box<dyn Rule>> {
    registry()
        .into_iter()
        .filter(|r| config.rules.includes(r.id()))
        .filter(|r| meta::get(r.id()).is_some_and(|m| m.profiles.contains(&config.profile)))
        .collect()
}

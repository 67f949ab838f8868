//! One scan, end to end: discover and read → group into units and load (in parallel) →
//! model → rules → findings. Each step is its own function (and file) below.

mod findings;
mod read;
mod units;

pub use read::MAX_FILE_SIZE;

use crate::adapt::build_model;
use crate::cloudformation::CfnOptions;
use crate::discover;
use crate::resource::{Diagnostic, EvalStats, LoadOutput, Mode, Severity as DiagSeverity};
use crate::rules::meta::{self, Profile, Severity};
use crate::rules::select::Selection;
use crate::rules::{registry, Outcome, Outcomes, Rule};
use crate::source::{SourceMap, Span};
use crate::terraform::TfOptions;
use rayon::prelude::*;
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
        }
    }
}

/// A violation, ready for any report format.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub rule_id: &'static str,
    pub severity: Severity,
    pub title: String,
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
    pub ftr_requirement: String,
    pub ftr_references: Vec<String>,
    /// How to fix it.
    pub remediation: String,
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

/// Outcome counts of one rule ("verified in N resources").
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RuleOutcomes {
    pub rule_id: &'static str,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub resources: usize,
    pub findings: usize,
    pub errors: usize,
    /// Candidate files excluded by `.gitignore` / `.ignore` rules.
    pub ignored_files: usize,
    pub profile: &'static str,
    pub rules_run: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
}

#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub notes: Vec<InputError>,
    pub outcomes: Vec<RuleOutcomes>,
    pub summary: Summary,
    pub stats: EvalStats,
    pub graph_edges: usize,
    /// Display paths of the files read as Terraform or CloudFormation (or tried and failed).
    pub scanned_files: std::collections::BTreeSet<String>,
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            2
        } else if !self.findings.is_empty() {
            1
        } else {
            0
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
        notes: Vec::new(),
        outcomes: Vec::new(),
        summary: Summary {
            errors: errors.len(),
            profile: config.profile.as_str(),
            ..Summary::default()
        },
        errors,
        stats: EvalStats::default(),
        graph_edges: 0,
        scanned_files: Default::default(),
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
    let read = read::discover_and_read(&config.paths, cwd.as_deref());
    let units = units::plan_units(&read);
    let read::ReadFiles {
        found,
        sources,
        ids,
        readable,
        mut diagnostics,
    } = read;
    let units::Loaded {
        loaded,
        mut sources,
        scanned,
    } = units::load_all(
        &units,
        (sources, ids, readable),
        config,
        cwd.clone(),
        &mut diagnostics,
    );
    let scanned_files = scanned
        .iter()
        .filter_map(|id| sources.get(*id).map(|f| f.display.clone()))
        .collect();
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

    let model = build_model(&loaded.resources, &loaded.scopes, &sources);
    let rules = selected_rules(config);
    let outcomes = run_rules(&rules, &model);
    let rule_ids: Vec<&'static str> = rules.iter().map(|r| r.id()).collect();
    let (findings, outcomes) = findings::findings(
        &outcomes,
        &rule_ids,
        &loaded.resources,
        &sources,
        found.report_only.as_ref(),
    );
    let (errors, notes) = findings::input_errors(diagnostics, &sources);

    let mut by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &findings {
        *by_severity.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    let summary = Summary {
        files_scanned: scanned.len(),
        resources: loaded
            .resources
            .iter()
            .filter(|r| r.mode == Mode::Managed)
            .count(),
        findings: findings.len(),
        errors: errors.len(),
        ignored_files: found.ignored,
        profile: config.profile.as_str(),
        rules_run: rules.len(),
        by_severity,
    };
    let graph_edges = model.graph.edge_count();
    drop(model);
    let stats = loaded.stats;
    // Freeing every evaluated body takes ~10 % of a large scan: do it off the critical path.
    // (Should no thread be available, the closure and `loaded` are simply dropped here.)
    let _ = std::thread::Builder::new().spawn(move || drop::<LoadOutput>(loaded));
    Report {
        sources,
        findings,
        errors,
        notes,
        outcomes,
        summary,
        stats,
        graph_edges,
        scanned_files,
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

/// Every rule on the model, in parallel.
fn run_rules(rules: &[Box<dyn Rule>], model: &crate::model::Model<'_>) -> Vec<Outcome> {
    rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut out = Outcomes::new(rule.id());
            rule.check(model, &mut out);
            out.items
        })
        .collect()
}

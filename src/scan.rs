//! One scan, end to end: discover → read → load (in parallel) → model → rules → findings.

use crate::adapt::build_model;
use crate::cloudformation::{self, CfnOptions};
use crate::discover::{self, Discovered};
use crate::resource::{Diagnostic, EvalStats, LoadOutput, Mode, Severity as DiagSeverity};
use crate::rules::meta::{self, Profile, Severity};
use crate::rules::select::Selection;
use crate::rules::{registry, Outcome, Outcomes, Status};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::terraform::{self, TfOptions};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files larger than this are reported as errors instead of being parsed.
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

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

/// Reads one file as text; errors say why in words a user understands.
fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!(
            "file is too large to scan ({} MiB; the limit is {} MiB)",
            meta.len() / (1024 * 1024),
            MAX_FILE_SIZE / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(
            "binary file (contains NUL bytes), not a Terraform or CloudFormation text file".into(),
        );
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

enum Unit {
    Terraform { dir: PathBuf, files: Vec<FileId> },
    Structured(FileId),
}

fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
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
    let mut found: Discovered = discover::discover(&config.paths);
    // CDK assemblies (`cdk.out/`, usually git-ignored) of the scanned directories.
    found
        .structured
        .extend(cloudformation::cdk::assembly_templates(&config.paths));

    // Every file, in a deterministic order, read in parallel.
    let mut paths: Vec<PathBuf> = found
        .terraform_dirs
        .values()
        .flatten()
        .cloned()
        .chain(found.structured.iter().cloned())
        .collect();
    paths.sort();
    paths.dedup();
    let texts: Vec<Result<String, String>> = paths.par_iter().map(|p| read_text(p)).collect();
    let mut sources = SourceMap::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut ids: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    let mut readable: BTreeMap<FileId, bool> = BTreeMap::new();
    for (path, text) in paths.iter().zip(texts) {
        let display = discover::display_path(path, cwd.as_deref());
        let (text, ok) = match text {
            Ok(t) => (t, true),
            Err(msg) => {
                let id = FileId(sources.files().len() as u32);
                diagnostics.push(Diagnostic::error(id, None, msg));
                (String::new(), false)
            }
        };
        let id = sources.add(path.clone(), display, Arc::from(text));
        ids.insert(path.clone(), id);
        readable.insert(id, ok);
    }

    // Terraform roots: a directory called as a module by another directory of the scan is
    // loaded through its callers, not on its own (see the README, "Root modules").
    let tf_files = |dir: &PathBuf| -> Vec<FileId> {
        found
            .terraform_dirs
            .get(dir)
            .map_or_else(Vec::new, |files| {
                files
                    .iter()
                    .filter_map(|f| ids.get(f).copied())
                    .filter(|id| readable.get(id).copied().unwrap_or(false))
                    .collect()
            })
    };
    let dirs: Vec<&PathBuf> = found.terraform_dirs.keys().collect();
    // Walked paths may start with `./`; calls are compared lexically normalised.
    let by_norm: BTreeMap<PathBuf, &PathBuf> = dirs
        .iter()
        .map(|d| (crate::paths::normalize(d), *d))
        .collect();
    let calls: Vec<Vec<PathBuf>> = dirs
        .par_iter()
        .map(|dir| {
            let files: Vec<Arc<SourceFile>> = tf_files(dir)
                .iter()
                .filter_map(|id| sources.get(*id).cloned())
                .collect();
            terraform::module_sources(&files)
                .into_iter()
                .filter(|s| terraform::is_local_source(s))
                .filter_map(|s| by_norm.get(&crate::paths::normalize(&dir.join(s))))
                .filter(|t| ***t != **dir)
                .map(|t| (*t).clone())
                .collect()
        })
        .collect();
    let roots = root_dirs(&dirs, &calls);

    let mut units: Vec<Unit> = Vec::new();
    for dir in &roots {
        let files = tf_files(dir);
        if !files.is_empty() {
            units.push(Unit::Terraform {
                dir: dir.clone(),
                files,
            });
        }
    }
    for f in &found.structured {
        if let Some(&id) = ids.get(f) {
            if readable.get(&id).copied().unwrap_or(false) {
                units.push(Unit::Structured(id));
            }
        }
    }

    let shared = SharedSources::new(sources, ids, &config.paths, cwd.clone());
    let outputs: Vec<(LoadOutput, Vec<FileId>, bool)> = units
        .par_iter()
        .map(|unit| load_unit(unit, &shared, config))
        .collect();
    let (sources, mut shared_diags) = shared.into_inner();
    diagnostics.append(&mut shared_diags);
    let (plan_outputs, outputs): (Vec<_>, Vec<_>) =
        outputs.into_iter().partition(|(_, _, is_plan)| *is_plan);
    // CloudFormation nested stacks with a local `TemplateURL`: children as their parents pass.
    let outputs = cloudformation::link_nested_stacks(
        outputs.into_iter().map(|(o, f, _)| (o, f)).collect(),
        &sources,
        &config.cloudformation,
    );
    let mut loaded = LoadOutput::default();
    let mut plans: Vec<LoadOutput> = Vec::new();
    let mut scanned: std::collections::BTreeSet<FileId> = Default::default();
    for (out, files) in outputs {
        scanned.extend(files);
        loaded.merge(out);
    }
    for (out, files, _) in plan_outputs {
        scanned.extend(files);
        plans.push(out);
    }
    for mut plan in plans {
        terraform::plan::remap(&mut plan.resources, &loaded.resources, &sources);
        loaded.merge(plan);
    }
    // Unreadable candidate files count as scanned: they were meant to be.
    scanned.extend(readable.iter().filter(|(_, ok)| !**ok).map(|(id, _)| *id));
    let files_scanned = scanned.len();
    let scanned_files = scanned
        .iter()
        .filter_map(|id| sources.get(*id).map(|f| f.display.clone()))
        .collect();
    let mut sources = sources;
    diagnostics.append(&mut loaded.diagnostics);
    for (p, msg) in &found.missing {
        let id = sources.add(
            p.clone(),
            discover::display_path(p, cwd.as_deref()),
            Arc::from(""),
        );
        diagnostics.push(Diagnostic::error(id, None, format!("cannot scan: {msg}")));
    }

    // Rules.
    let model = build_model(&loaded.resources, &loaded.scopes, &sources);
    let rules: Vec<_> = registry()
        .into_iter()
        .filter(|r| config.rules.includes(r.id()))
        .filter(|r| meta::get(r.id()).is_some_and(|m| m.profiles.contains(&config.profile)))
        .collect();
    let outcomes: Vec<Outcome> = rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut out = Outcomes::new(rule.id());
            rule.check(&model, &mut out);
            out.items
        })
        .collect();

    let reported = |file: FileId| -> bool {
        match &found.report_only {
            None => true,
            Some(set) => sources.get(file).is_some_and(|f| set.contains(&f.path)),
        }
    };

    let mut counts: BTreeMap<&'static str, RuleOutcomes> = BTreeMap::new();
    for r in &rules {
        counts.insert(
            r.id(),
            RuleOutcomes {
                rule_id: r.id(),
                ..Default::default()
            },
        );
    }
    let mut findings: Vec<Finding> = Vec::new();
    for o in &outcomes {
        let res = &loaded.resources[o.resource];
        let entry = counts.entry(o.rule).or_default();
        match &o.status {
            Status::Pass => entry.pass += 1,
            Status::Unknown { .. } => entry.unknown += 1,
            Status::Fail { span, message } => {
                if !reported(span.file) {
                    continue;
                }
                entry.fail += 1;
                let Some(m) = meta::get(o.rule) else {
                    continue;
                };
                let Some(file) = sources.get(span.file) else {
                    continue;
                };
                let start = file.line_col(span.start);
                // One line is enough to point at; a multi-line span ends at its first line.
                let end = {
                    let e = file.line_col(span.end);
                    if e.line == start.line {
                        e
                    } else {
                        let line_len = file.line_text(start.line).chars().count() as u32;
                        crate::source::LineCol {
                            line: start.line,
                            column: line_len + 1,
                        }
                    }
                };
                findings.push(Finding {
                    rule_id: o.rule,
                    severity: m.severity,
                    title: m.title.clone(),
                    message: message.clone(),
                    file: file.display.clone(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    resource: res.address.clone(),
                    construct_path: cloudformation::construct_path(res),
                    fingerprint: String::new(),
                    ftr_requirement: m.ftr.requirement.trim().to_string(),
                    ftr_references: m.ftr.references.clone(),
                    remediation: m.remediation(res.format).to_string(),
                    span: *span,
                });
            }
        }
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.rule_id, a.column, &a.resource).cmp(&(
            &b.file,
            b.line,
            b.rule_id,
            b.column,
            &b.resource,
        ))
    });
    // One defect, one finding: the same rule at the same place is reported once.
    // (Instances of one block — count, for_each, module calls — are distinct resources.)
    findings
        .dedup_by(|b, a| a.rule_id == b.rule_id && a.span == b.span && a.resource == b.resource);
    let mut seen: BTreeMap<(String, &'static str, String), usize> = BTreeMap::new();
    for f in &mut findings {
        let n = seen
            .entry((f.file.clone(), f.rule_id, f.resource.clone()))
            .or_insert(0);
        f.fingerprint = fnv1a(&[f.rule_id, &f.file, &f.resource, &n.to_string()]);
        *n += 1;
    }

    let mut errors = Vec::new();
    let mut notes = Vec::new();
    for d in diagnostics {
        let file = sources.get(d.file);
        let pos = d.span.and_then(|s| file.map(|f| f.line_col(s.start)));
        let e = InputError {
            file: file.map(|f| f.display.clone()).unwrap_or_default(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            message: d.message,
            span: d.span,
            severity: d.severity,
        };
        match d.severity {
            DiagSeverity::Error => errors.push(e),
            DiagSeverity::Note => notes.push(e),
        }
    }
    let key = |e: &InputError| (e.file.clone(), e.line, e.column, e.message.clone());
    errors.sort_by_key(key);
    errors.dedup_by_key(|e| key(e));
    notes.sort_by_key(key);

    let mut by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &findings {
        *by_severity.entry(f.severity.as_str()).or_insert(0) += 1;
    }
    let summary = Summary {
        files_scanned,
        resources: loaded
            .resources
            .iter()
            .filter(|r| r.mode == Mode::Managed)
            .count(),
        findings: findings.len(),
        errors: errors.len(),
        profile: config.profile.as_str(),
        rules_run: rules.len(),
        by_severity,
    };
    let graph_edges = model.graph.edge_count();
    drop(model);
    let stats = loaded.stats;
    // Freeing every evaluated body takes ~10 % of a large scan: do it off the critical path.
    // (Should no thread be available, the closure and `loaded` are simply dropped here.)
    let _ = std::thread::Builder::new().spawn(move || drop(loaded));
    Report {
        sources,
        findings,
        errors,
        notes,
        outcomes: counts.into_values().collect(),
        summary,
        stats,
        graph_edges,
        scanned_files,
    }
}

/// The root module directories: those no other scanned directory calls as a local module,
/// plus, for call cycles that no root reaches, the first directory of each cycle (so that the
/// recursion is reported).
fn root_dirs(dirs: &[&PathBuf], calls: &[Vec<PathBuf>]) -> Vec<PathBuf> {
    let called: std::collections::BTreeSet<&PathBuf> = calls.iter().flatten().collect();
    let index: HashMap<&PathBuf, usize> = dirs.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut reached = vec![false; dirs.len()];
    let visit = |start: usize, reached: &mut Vec<bool>| {
        let mut todo = vec![start];
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            for t in &calls[i] {
                if let Some(&j) = index.get(t) {
                    todo.push(j);
                }
            }
        }
    };
    for (i, d) in dirs.iter().enumerate() {
        if !called.contains(d) {
            roots.push((*d).clone());
            visit(i, &mut reached);
        }
    }
    for i in 0..dirs.len() {
        if !reached[i] {
            roots.push(dirs[i].clone());
            visit(i, &mut reached);
        }
    }
    roots.sort();
    roots
}

/// The scan's source map while units load in parallel: Terraform loaders read module
/// directories and `file()` targets through it, each file registered once (by path).
struct SharedSources {
    inner: Mutex<(SourceMap, BTreeMap<PathBuf, FileId>, Vec<Diagnostic>)>,
    /// Canonical scanned directories (and the directories of named files): `file()` may read
    /// only below them or below a loaded module directory.
    roots: Mutex<Vec<PathBuf>>,
    cwd: Option<PathBuf>,
}

impl SharedSources {
    fn new(
        sources: SourceMap,
        ids: BTreeMap<PathBuf, FileId>,
        paths: &[PathBuf],
        cwd: Option<PathBuf>,
    ) -> Self {
        let roots = paths
            .iter()
            .filter_map(|p| {
                let dir = if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                std::fs::canonicalize(dir).ok()
            })
            .collect();
        // Keyed by the lexically normalised path (walked paths may start with `./`).
        let ids = ids
            .into_iter()
            .map(|(p, id)| (crate::paths::normalize(&p), id))
            .collect();
        SharedSources {
            inner: Mutex::new((sources, ids, Vec::new())),
            roots: Mutex::new(roots),
            cwd,
        }
    }
    fn into_inner(self) -> (SourceMap, Vec<Diagnostic>) {
        let (map, _, diags) = self.inner.into_inner().unwrap_or_else(|e| e.into_inner());
        (map, diags)
    }
    fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.0.get(id).cloned()
    }
    /// Reads and registers a file (once); an unreadable file is registered empty with an error.
    fn add(&self, path: &Path) -> Result<Arc<SourceFile>, String> {
        let path = &crate::paths::normalize(path);
        {
            let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(id) = g.1.get(path) {
                return g
                    .0
                    .get(*id)
                    .cloned()
                    .ok_or_else(|| "not available".to_string());
            }
        }
        let text = read_text(path);
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = g.1.get(path) {
            return g
                .0
                .get(*id)
                .cloned()
                .ok_or_else(|| "not available".to_string());
        }
        let display = discover::display_path(path, self.cwd.as_deref());
        let (t, err) = match text {
            Ok(t) => (t, None),
            Err(e) => (String::new(), Some(e)),
        };
        let id = g.0.add(path.to_path_buf(), display, Arc::from(t));
        g.1.insert(path.to_path_buf(), id);
        if let Some(e) = err {
            g.2.push(Diagnostic::error(id, None, e.clone()));
            return Err(e);
        }
        g.0.get(id)
            .cloned()
            .ok_or_else(|| "not available".to_string())
    }
}

impl terraform::ModuleSource for SharedSources {
    fn module_files(&self, dir: &Path) -> Result<Vec<Arc<SourceFile>>, String> {
        let rd =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file() && discover::classify(p) == Some(discover::Candidate::Terraform)
            })
            .map(|p| crate::paths::normalize(&p))
            .collect();
        paths.sort();
        if let Ok(c) = std::fs::canonicalize(dir) {
            let mut roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
            if !roots.contains(&c) {
                roots.push(c);
            }
        }
        Ok(paths.iter().filter_map(|p| self.add(p).ok()).collect())
    }
    fn read(&self, path: &Path) -> Result<Arc<SourceFile>, String> {
        self.add(&crate::paths::normalize(path))
    }
    fn allowed(&self, canonical: &Path) -> bool {
        let roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
        roots.iter().any(|r| canonical.starts_with(r))
    }
}

/// Loads one unit, turning a panic (a bug) into an error for that unit so the scan goes on.
/// The flag says the output is a Terraform plan (its spans are remapped later).
fn load_unit(
    unit: &Unit,
    shared: &SharedSources,
    config: &Config,
) -> (LoadOutput, Vec<FileId>, bool) {
    let first_file = match unit {
        Unit::Terraform { files, .. } => files.first().copied().unwrap_or_default(),
        Unit::Structured(id) => *id,
    };
    let run = || -> (LoadOutput, Vec<FileId>, bool) {
        match unit {
            Unit::Terraform { dir, files: ids } => {
                let files: Vec<Arc<SourceFile>> =
                    ids.iter().filter_map(|id| shared.get(*id)).collect();
                let (out, used) = terraform::load_root(dir, &files, &config.terraform, shared);
                (out, used, false)
            }
            Unit::Structured(id) => match shared.get(*id) {
                Some(file) => {
                    if let Some(out) = terraform::plan::load(&file) {
                        return (out, vec![*id], true);
                    }
                    match cloudformation::load(&file, &config.cloudformation) {
                        Some(out) => (out, vec![*id], false),
                        None => (LoadOutput::default(), Vec::new(), false),
                    }
                }
                None => (LoadOutput::default(), Vec::new(), false),
            },
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => {
            let mut out = LoadOutput::default();
            out.diagnostics.push(Diagnostic::error(
                first_file,
                None,
                "internal error while loading this file (a bug in ftrlint; please report it)",
            ));
            (out, vec![first_file], false)
        }
    }
}

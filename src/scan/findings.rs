//! Steps 5 and 6: rule outcomes become findings (positions, metadata, fingerprints, one
//! defect one finding) and diagnostics become input errors and notes.

use super::{suppress, Finding, InputError, RuleId, RuleOutcomes};
use crate::cloudformation;
use crate::guard::PolicySet;
use crate::resource::{Diagnostic, Format, Resource, Scope, ScopeId, Severity as DiagSeverity};
use crate::rules::{meta, Outcome, Status, Subject};
use crate::severity::Severity;
use crate::source::{FileId, SourceMap};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// What the outcomes become.
pub(super) struct Found {
    /// Findings, ordered by file, line, rule.
    pub findings: Vec<Finding>,
    /// Findings suppressed in the code (with their suppression), same order.
    pub suppressed: Vec<Finding>,
    pub counts: Vec<RuleOutcomes>,
    /// Suppressions without a reason, or expired.
    pub notes: Vec<Diagnostic>,
}

/// Findings and per-rule outcome counts. `rule_ids`: the rules that ran; `report_only`:
/// pre-commit mode's named files (findings elsewhere are dropped).
/// What a finding takes from its rule: the catalog's metadata, or a Guard rule's.
/// Shared by every finding of the rule (a large scan reports hundreds of thousands).
struct RuleText {
    severity: Severity,
    title: Arc<str>,
    requirement: Arc<str>,
    references: Arc<[String]>,
    remediation: Arc<str>,
}

fn rule_text(id: &str, format: Format, policies: Option<&PolicySet>) -> Option<RuleText> {
    if let Some(m) = meta::get(id) {
        return Some(RuleText {
            severity: m.severity,
            title: Arc::from(m.title.as_str()),
            requirement: Arc::from(m.ftr.requirement.trim()),
            references: Arc::from(m.ftr.references.as_slice()),
            remediation: Arc::from(m.remediation(format)),
        });
    }
    let (file, rule) = policies?
        .files
        .iter()
        .find_map(|f| f.rules.iter().find(|r| r.id == id).map(|r| (f, r)))?;
    Some(RuleText {
        severity: rule.severity,
        title: Arc::from(crate::guard::title(file, rule)),
        requirement: Arc::from(""),
        references: Arc::from(Vec::new()),
        remediation: Arc::from(crate::guard::remediation(file, rule)),
    })
}

/// What one batch's outcomes become: findings not yet sorted, deduplicated or fingerprinted
/// (that needs the whole scan, see [`finish`]), outcome counts, suppression notes.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub findings: Vec<Finding>,
    /// Outcomes about resources, counted.
    pub counts: BTreeMap<RuleId, RuleOutcomes>,
    /// Outcomes about something else (a variable, a parameter, a file), by identity: every
    /// batch that loads a module file meets its declarations, counted once per scan.
    pub others: BTreeSet<OtherKey>,
    pub notes: Vec<Diagnostic>,
}

/// Rule, subject address, status (0 pass, 1 unknown, 2 fail) and the place it is about.
pub(super) type OtherKey = (RuleId, String, u8, Option<(u32, u32, u32)>);

impl Collected {
    pub fn append(&mut self, other: Collected) {
        self.findings.extend(other.findings);
        self.notes.extend(other.notes);
        self.others.extend(other.others);
        for (id, c) in other.counts {
            let e = self.counts.entry(id).or_insert_with(|| RuleOutcomes {
                rule_id: c.rule_id.clone(),
                ..Default::default()
            });
            e.pass += c.pass;
            e.fail += c.fail;
            e.unknown += c.unknown;
        }
    }
}

/// The findings of one batch of loaded units (positions, metadata, suppressions).
pub(super) fn collect(
    outcomes: &[Outcome],
    (resources, scopes): (&[Resource], &[Scope]),
    sources: &SourceMap,
    report_only: Option<&BTreeSet<PathBuf>>,
    policies: Option<&PolicySet>,
) -> Collected {
    let roots = crate::resource::tree_roots(scopes);
    let today = suppress::today();
    let mut notes: Vec<Diagnostic> = Vec::new();
    let reported = |file: FileId| -> bool {
        match report_only {
            None => true,
            Some(set) => sources.get(file).is_some_and(|f| set.contains(&f.path)),
        }
    };

    let mut counts: BTreeMap<RuleId, RuleOutcomes> = BTreeMap::new();
    let mut others: BTreeSet<OtherKey> = BTreeSet::new();
    let mut texts: BTreeMap<(RuleId, Format), Option<RuleText>> = BTreeMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    for o in outcomes {
        let (address, format, construct_path, res) = match &o.subject {
            Subject::Resource(i) => {
                let Some(res) = resources.get(*i) else {
                    continue;
                };
                (
                    caller_address(res, &roots, scopes),
                    res.format,
                    cloudformation::construct_path(res),
                    Some(res),
                )
            }
            Subject::Other { address, format } => (address.clone(), *format, None, None),
        };
        let entry = counts
            .entry(o.rule.clone())
            .or_insert_with(|| RuleOutcomes {
                rule_id: o.rule.clone(),
                ..Default::default()
            });
        if let Subject::Other { address, .. } = &o.subject {
            let (status, at) = match &o.status {
                Status::Pass => (0, o.at),
                Status::Unknown { .. } => (1, o.at),
                Status::Fail { span, .. } => (2, Some(*span)),
            };
            if status != 2 || at.is_some_and(|s| reported(s.file)) {
                let at = at.map(|s| (s.file.0, s.start, s.end));
                others.insert((o.rule.clone(), address.clone(), status, at));
            }
        }
        let counted = matches!(o.subject, Subject::Resource(_));
        match &o.status {
            Status::Pass => entry.pass += usize::from(counted),
            Status::Unknown { .. } => entry.unknown += usize::from(counted),
            Status::Fail { span, message } => {
                if !reported(span.file) {
                    continue;
                }
                entry.fail += usize::from(counted);
                let Some(m) = texts
                    .entry((o.rule.clone(), format))
                    .or_insert_with(|| rule_text(&o.rule, format, policies))
                    .as_ref()
                else {
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
                        file.line_end(start.line)
                    }
                };
                // A finding about a declaration (no resource) is suppressed on its own lines.
                let same_file = res.is_some_and(|r| r.span.file == span.file);
                let place = suppress::Place {
                    line: start.line,
                    header_line: match res {
                        Some(r) if same_file => file.line_col(r.span.start).line,
                        _ => start.line,
                    },
                    block_end_line: match res {
                        Some(r) if same_file && r.body.span.file == span.file => {
                            file.line_col(r.body.span.end).line
                        }
                        _ => start.line,
                    },
                };
                let suppression = match suppress::lookup(
                    &o.rule,
                    file,
                    place,
                    res.and_then(|r| r.metadata.as_deref()),
                    &today,
                ) {
                    suppress::Lookup::None => None,
                    suppress::Lookup::Active(s) => {
                        if s.reason.is_none() {
                            notes.push(Diagnostic::note(
                                span.file,
                                Some(*span),
                                format!(
                                    "suppression of {} ({} `{}`) has no reason: say why the finding is accepted",
                                    o.rule, s.by, s.id
                                ),
                            ));
                        }
                        Some(s)
                    }
                    suppress::Lookup::Expired(s) => {
                        notes.push(Diagnostic::note(
                            span.file,
                            Some(*span),
                            format!(
                                "suppression of {} expired on {}: the finding is reported again",
                                o.rule,
                                s.until.as_deref().unwrap_or_default()
                            ),
                        ));
                        None
                    }
                };
                findings.push(Finding {
                    rule_id: o.rule.clone(),
                    severity: m.severity,
                    title: m.title.clone(),
                    message: message.clone(),
                    file: file.display.clone(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    resource: address,
                    construct_path,
                    fingerprint: String::new(),
                    ftr_requirement: m.requirement.clone(),
                    ftr_references: m.references.clone(),
                    remediation: m.remediation.clone(),
                    suppression,
                    related: res
                        .and_then(|r| super::related::value_source(r, scopes, sources, *span))
                        .into_iter()
                        .collect(),
                    span: *span,
                    secrets: o.secrets.clone(),
                });
            }
        }
    }
    Collected {
        findings,
        counts,
        others,
        notes,
    }
}

/// The scan's findings in order, one per defect, with fingerprints; counts for every rule
/// that ran (zero when it met nothing).
pub(super) fn finish(collected: Collected, rule_ids: &[RuleId]) -> Found {
    let Collected {
        mut findings,
        mut counts,
        others,
        notes,
    } = collected;
    for (rule, _, status, _) in others {
        let entry = counts.entry(rule.clone()).or_insert_with(|| RuleOutcomes {
            rule_id: rule,
            ..Default::default()
        });
        match status {
            0 => entry.pass += 1,
            1 => entry.unknown += 1,
            _ => entry.fail += 1,
        }
    }
    for id in rule_ids {
        counts.entry(id.clone()).or_insert_with(|| RuleOutcomes {
            rule_id: id.clone(),
            ..Default::default()
        });
    }
    // Batches are checked in parallel: the order is total (span and message last), so the
    // report does not depend on which batch finished first.
    findings.sort_by(|a, b| {
        (
            &a.file,
            a.line,
            &a.rule_id,
            a.column,
            &a.resource,
            a.span.start,
            a.span.end,
            &a.message,
        )
            .cmp(&(
                &b.file,
                b.line,
                &b.rule_id,
                b.column,
                &b.resource,
                b.span.start,
                b.span.end,
                &b.message,
            ))
    });
    // One defect, one finding: the same rule at the same place is reported once.
    // (Instances of one block — count, for_each, module calls — are distinct resources.)
    findings
        .dedup_by(|b, a| a.rule_id == b.rule_id && a.span == b.span && a.resource == b.resource);
    let mut seen: BTreeMap<(String, RuleId, String), usize> = BTreeMap::new();
    for f in &mut findings {
        let n = seen
            .entry((f.file.clone(), f.rule_id.clone(), f.resource.clone()))
            .or_insert(0);
        f.fingerprint = fnv1a(&[&f.rule_id, &f.file, &f.resource, &n.to_string()]);
        *n += 1;
    }
    let (suppressed, findings): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| f.suppression.is_some());
    Found {
        findings,
        suppressed,
        counts: counts.into_values().collect(),
        notes,
    }
}

/// A resource of a called module is evaluated once per calling root (two examples calling
/// one module): its address is prefixed by the root's directory (`examples/complete:module.x.…`)
/// so that each caller keeps its own finding. Not for a root scanned as `.`.
pub(super) fn caller_address(res: &Resource, roots: &[ScopeId], scopes: &[Scope]) -> String {
    if res.format != Format::Terraform || !res.address.starts_with("module.") {
        return res.address.clone();
    }
    let root = roots
        .get(res.scope.0 as usize)
        .copied()
        .unwrap_or(res.scope);
    match scopes.get(root.0 as usize).map(|s| s.location.as_str()) {
        Some(dir) if !dir.is_empty() && dir != "." => format!("{dir}:{}", res.address),
        _ => res.address.clone(),
    }
}

/// Fingerprints: rule, file, resource and occurrence, never line numbers.
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

/// Diagnostics as sorted input errors (deduplicated) and notes.
pub(super) fn input_errors(
    diagnostics: Vec<Diagnostic>,
    sources: &SourceMap,
) -> (Vec<InputError>, Vec<InputError>) {
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
    (errors, notes)
}

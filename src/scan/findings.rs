//! Steps 5 and 6: rule outcomes become findings (positions, metadata, fingerprints, one
//! defect one finding) and diagnostics become input errors and notes.

use super::{Finding, InputError, RuleOutcomes};
use crate::cloudformation;
use crate::resource::{Diagnostic, Resource, Severity as DiagSeverity};
use crate::rules::{meta, Outcome, Status};
use crate::source::{FileId, SourceMap};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Findings (ordered by file, line, rule) and per-rule outcome counts. `rule_ids`: the rules
/// that ran; `report_only`: pre-commit mode's named files (findings elsewhere are dropped).
pub(super) fn findings(
    outcomes: &[Outcome],
    rule_ids: &[&'static str],
    resources: &[Resource],
    sources: &SourceMap,
    report_only: Option<&BTreeSet<PathBuf>>,
) -> (Vec<Finding>, Vec<RuleOutcomes>) {
    let reported = |file: FileId| -> bool {
        match report_only {
            None => true,
            Some(set) => sources.get(file).is_some_and(|f| set.contains(&f.path)),
        }
    };

    let mut counts: BTreeMap<&'static str, RuleOutcomes> = BTreeMap::new();
    for id in rule_ids {
        counts.insert(
            id,
            RuleOutcomes {
                rule_id: id,
                ..Default::default()
            },
        );
    }
    let mut findings: Vec<Finding> = Vec::new();
    for o in outcomes {
        let res = &resources[o.resource];
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
                        file.line_end(start.line)
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
    (findings, counts.into_values().collect())
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

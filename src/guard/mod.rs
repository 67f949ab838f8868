//! Custom policies in the Guard language (cfn-guard), run over CloudFormation and Terraform
//! alike: each template or Terraform root module becomes one document (see [`document`]), each
//! failing Guard rule an outcome of rule `GUARD:<file>:<rule>` at the failing property's span.
//!
//! An unknown value never produces a finding by itself: a rule that fails on a resource where
//! a value its queries name is unknown counts as unknown for that resource (see [`undecided`]).

mod document;
mod eval;
pub mod policy;

pub use policy::{PolicyFile, PolicyRule, PolicySet};

use crate::resource::{Diagnostic, Format, Resource, Scope};
use crate::rules::{Outcome, Status, Subject};
use crate::source::Span;
use crate::value::{Kind, Value};
use document::{Document, Located};
use policy::Keys;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Guard's verdicts on a scan.
#[derive(Debug, Default)]
pub struct GuardRun {
    pub outcomes: Vec<Outcome>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Size of a batch of documents given to cfn-guard at once (bytes of JSON; a batch ends with
/// the document that reaches it), so that memory stays bounded on large scans. Each batch
/// parses the rules once (about a millisecond for the example policies). Measured on the corpus:
/// 512 KiB instead of 2 MiB lowers peak memory from 568 to 430 MB at the same CPU time.
const MAX_BATCH_BYTES: usize = 512 * 1024;

/// Runs the policy rules that `selected` accepts on the scan's resources.
pub fn run(
    set: &PolicySet,
    selected: &(dyn Fn(&str) -> bool + Sync),
    resources: &[Resource],
    scopes: &[Scope],
) -> GuardRun {
    let files: Vec<&PolicyFile> = set
        .files
        .iter()
        .filter(|f| f.rules.iter().any(|r| selected(&r.id)))
        .collect();
    if files.is_empty() {
        return GuardRun::default();
    }
    let planned = document::plan(resources, scopes);
    let groups = name_disjoint_groups(&files);
    // One share of documents per worker thread; each builds and evaluates its documents in
    // batches of at most MAX_BATCH_BYTES of JSON.
    let per_share: Vec<GuardRun> = shares(&planned)
        .par_iter()
        .map(|range| {
            let mut out = GuardRun::default();
            let mut batch: Vec<Document> = Vec::new();
            let mut bytes = 0;
            for p in &planned[range.clone()] {
                let doc = p.build(resources, scopes);
                bytes += doc.json.len();
                batch.push(doc);
                if bytes >= MAX_BATCH_BYTES {
                    evaluate_all(&groups, &batch, selected, resources, scopes, &mut out);
                    batch.clear();
                    bytes = 0;
                }
            }
            evaluate_all(&groups, &batch, selected, resources, scopes, &mut out);
            out
        })
        .collect();
    let mut run = GuardRun::default();
    for mut r in per_share {
        run.outcomes.append(&mut r.outcomes);
        run.diagnostics.append(&mut r.diagnostics);
    }
    run
}

/// Every group of policy files on a batch of documents.
fn evaluate_all(
    groups: &[Vec<&PolicyFile>],
    batch: &[Document],
    selected: &(dyn Fn(&str) -> bool + Sync),
    resources: &[Resource],
    scopes: &[Scope],
    out: &mut GuardRun,
) {
    if batch.is_empty() {
        return;
    }
    for group in groups {
        let texts: Vec<&str> = group.iter().map(|f| f.text.as_str()).collect();
        let reports = evaluate_batch(&texts, batch);
        for (doc, report) in batch.iter().zip(reports) {
            match report {
                Ok(report) => judge(doc, &report, group, selected, resources, scopes, out),
                Err(e) => out.diagnostics.push(Diagnostic::error(
                    doc.file,
                    None,
                    format!(
                        "Guard policies ({}) could not be evaluated on this {}: {e}",
                        group
                            .iter()
                            .map(|f| f.display.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        match doc.format {
                            Format::CloudFormation => "template",
                            Format::Terraform => "module",
                        }
                    ),
                )),
            }
        }
    }
}

/// One batch; when cfn-guard rejects it, each document alone (so that one document it cannot
/// read does not cost the others their verdicts).
fn evaluate_batch(texts: &[&str], batch: &[Document]) -> Vec<Result<eval::DocReport, String>> {
    let jsons: Vec<&str> = batch.iter().map(|d| d.json.as_str()).collect();
    match eval::evaluate(texts, &jsons) {
        Ok(reports) => reports.into_iter().map(Ok).collect(),
        Err(_) if batch.len() > 1 => jsons
            .iter()
            .map(|j| {
                eval::evaluate(texts, &[j]).and_then(|mut r| {
                    r.pop()
                        .ok_or_else(|| "no report from cfn-guard".to_string())
                })
            })
            .collect(),
        Err(e) => vec![Err(e)],
    }
}

/// Contiguous ranges of documents, one per worker thread, of about as many resources each.
fn shares(planned: &[document::Planned]) -> Vec<std::ops::Range<usize>> {
    let total: usize = planned.iter().map(document::Planned::size).sum();
    let threads = rayon::current_num_threads().max(1);
    let target = total / threads + 1;
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, p) in planned.iter().enumerate() {
        if i > start && size + p.size() > target {
            out.push(start..i);
            start = i;
            size = 0;
        }
        size += p.size();
    }
    if start < planned.len() {
        out.push(start..planned.len());
    }
    out
}

/// Policy files in groups where no rule name repeats (cfn-guard reports rules by name only).
fn name_disjoint_groups<'a>(files: &[&'a PolicyFile]) -> Vec<Vec<&'a PolicyFile>> {
    let mut groups: Vec<Vec<&PolicyFile>> = Vec::new();
    for f in files {
        let clash = |g: &Vec<&PolicyFile>| {
            g.iter().any(|o| {
                o.rules
                    .iter()
                    .any(|a| f.rules.iter().any(|b| a.name == b.name))
            })
        };
        match groups.iter_mut().find(|g| !clash(g)) {
            Some(g) => g.push(f),
            None => groups.push(vec![f]),
        }
    }
    groups
}

/// Turns one document's report into outcomes: a failing rule fails once per resource (or
/// declaration) it failed on, at its first failing check there.
fn judge(
    doc: &Document,
    report: &eval::DocReport,
    group: &[&PolicyFile],
    selected: &dyn Fn(&str) -> bool,
    resources: &[Resource],
    scopes: &[Scope],
    out: &mut GuardRun,
) {
    let find = |name: &str| -> Option<(&PolicyFile, &PolicyRule)> {
        group
            .iter()
            .find_map(|f| f.rules.iter().find(|r| r.name == name).map(|r| (*f, r)))
    };
    let document_subject = || Subject::Other {
        address: doc.name.clone(),
        format: doc.format,
    };
    for name in &report.compliant {
        if let Some((_, rule)) = find(name).filter(|(_, r)| selected(&r.id)) {
            out.outcomes
                .push(outcome(&rule.id, document_subject(), Status::Pass));
        }
    }
    for failure in &report.failed {
        let Some((file, rule)) = find(&failure.rule).filter(|(_, r)| selected(&r.id)) else {
            continue;
        };
        // Per place, in report order: the first check, and the first custom message.
        let mut places: Vec<(Located, &eval::FailedCheck, Option<&str>)> = Vec::new();
        for check in &failure.checks {
            let located = match &check.path {
                Some(p) => document::locate(doc, p, check.missing.is_some(), resources, scopes),
                None => Located::Document,
            };
            let key = |l: &Located| match l {
                Located::Resource(i, _) => (0, *i, String::new()),
                Located::Declaration(n, _) => (1, 0, n.clone()),
                Located::Document => (2, 0, String::new()),
            };
            match places.iter_mut().find(|(l, _, _)| key(l) == key(&located)) {
                Some(p) => {
                    if p.2.is_none() {
                        p.2 = check.custom_message.as_deref();
                    }
                }
                None => places.push((located, check, check.custom_message.as_deref())),
            }
        }
        if places.is_empty() {
            places.push((Located::Document, &EMPTY_CHECK, None));
        }
        for (located, check, custom) in places {
            let message = custom
                .map(str::to_string)
                .unwrap_or_else(|| describe(rule, check));
            let (subject, span) = match located {
                Located::Resource(i, span) => {
                    let Some(r) = resources.get(i) else { continue };
                    if undecided(r, &file.keys, doc.default_tags_unknown) {
                        out.outcomes.push(outcome(
                            &rule.id,
                            Subject::Resource(i),
                            Status::Unknown {
                                reason: "a value the rule reads is unknown statically".into(),
                            },
                        ));
                        continue;
                    }
                    (Subject::Resource(i), span)
                }
                Located::Declaration(name, span) => (
                    Subject::Other {
                        address: name,
                        format: doc.format,
                    },
                    span,
                ),
                Located::Document => (document_subject(), Span::new(doc.file, 0, 0)),
            };
            out.outcomes
                .push(outcome(&rule.id, subject, Status::Fail { span, message }));
        }
    }
}

static EMPTY_CHECK: eval::FailedCheck = eval::FailedCheck::EMPTY;

fn outcome(id: &str, subject: Subject, status: Status) -> Outcome {
    Outcome {
        rule: Cow::Owned(id.to_string()),
        subject,
        status,
        secrets: Vec::new(),
        at: None,
    }
}

/// A message for a failed check without a custom one.
fn describe(rule: &PolicyRule, check: &eval::FailedCheck) -> String {
    match (&check.missing, check.context.is_empty()) {
        (Some(m), _) => format!("Guard rule `{}`: `{m}` is missing", rule.name),
        (None, false) => format!("Guard rule `{}`: `{}` is not met", rule.name, check.context),
        (None, true) => format!("Guard rule `{}` failed", rule.name),
    }
}

/// Whether an unknown value could have decided the rule on this resource: a value the policy's
/// queries name (by key, at any depth below `Properties` / `Metadata`) is unknown. Rules are
/// judged per resource, so `some Tags[*].Key == 'x'`, an `or`, or a `when Engine != 'aurora'`
/// over an unknown is never a finding.
///
/// Terraform's `tags_all` is computed from `tags` and the provider's `default_tags`: a rule
/// reading it is undecided when either is unknown.
fn undecided(r: &Resource, keys: &Keys, default_tags_unknown: bool) -> bool {
    if r.format == Format::Terraform && keys.touches("tags_all") {
        let tags_unknown = r.body.get("tags").is_some_and(Value::contains_unknown);
        if default_tags_unknown || tags_unknown {
            return true;
        }
    }
    (keys.touches("Properties") && touches_unknown(&r.body, keys, 0))
        || (keys.touches("Metadata")
            && r.metadata
                .as_ref()
                .is_some_and(|m| touches_unknown(m, keys, 0)))
}

fn touches_unknown(v: &Value, keys: &Keys, depth: usize) -> bool {
    if depth > 256 {
        return true;
    }
    match &v.kind {
        Kind::Unknown(_) => true,
        Kind::List(items) => items.iter().any(|i| touches_unknown(i, keys, depth + 1)),
        Kind::Map(entries) => entries
            .iter()
            .any(|e| keys.touches(&e.key) && touches_unknown(&e.value, keys, depth + 1)),
        _ => false,
    }
}

/// The rules of the policy files, by ID.
pub fn rules_by_id(set: &PolicySet) -> BTreeMap<&str, (&PolicyFile, &PolicyRule)> {
    set.files
        .iter()
        .flat_map(|f| f.rules.iter().map(move |r| (r.id.as_str(), (f, r))))
        .collect()
}

/// The title of a Guard rule's findings.
pub fn title(file: &PolicyFile, rule: &PolicyRule) -> String {
    format!("Guard policy {}: rule {}", file.stem, rule.name)
}

/// What to do about a Guard rule's finding: its message, and where the rule is written.
pub fn remediation(file: &PolicyFile, rule: &PolicyRule) -> String {
    match &rule.message {
        Some(m) => format!(
            "{m} (Guard rule `{}`, {}:{})",
            rule.name, file.display, rule.line
        ),
        None => format!(
            "Make the resource satisfy Guard rule `{}` ({}:{}).",
            rule.name, file.display, rule.line
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::testing::{map, sp};

    fn file(stem: &str, rules: &[&str]) -> PolicyFile {
        PolicyFile {
            path: format!("{stem}.guard").into(),
            display: format!("{stem}.guard"),
            stem: stem.into(),
            text: String::new(),
            rules: rules
                .iter()
                .map(|n| PolicyRule {
                    id: format!("GUARD:{stem}:{n}"),
                    name: n.to_string(),
                    severity: policy::DEFAULT_SEVERITY,
                    line: 1,
                    message: None,
                })
                .collect(),
            keys: Keys::default(),
        }
    }

    #[test]
    fn files_sharing_a_rule_name_are_evaluated_apart() {
        let (a, b, c) = (file("a", &["x", "y"]), file("b", &["z"]), file("c", &["x"]));
        let groups = name_disjoint_groups(&[&a, &b, &c]);
        let stems: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|f| f.stem.as_str()).collect())
            .collect();
        assert_eq!(stems, vec![vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn unknown_values_are_judged_by_the_keys_the_policy_names() {
        let unknown = || Value::unknown(sp(0), Vec::new(), None);
        let body = map(vec![
            ("BucketName", unknown()),
            (
                "Tags",
                Value::new(
                    Kind::List(
                        vec![map(vec![
                            ("Key", Value::string("Owner", sp(1))),
                            ("Value", unknown()),
                        ])]
                        .into(),
                    ),
                    sp(2),
                ),
            ),
        ]);
        let keys = |names: &[&str], any: bool| Keys {
            names: names.iter().map(|s| s.to_string()).collect(),
            any,
        };
        // `Tags[*].Key`: known; the unknown `Value` and `BucketName` are not read.
        assert!(!touches_unknown(
            &body,
            &keys(&["Properties", "Tags", "Key"], false),
            0
        ));
        assert!(touches_unknown(
            &body,
            &keys(&["Properties", "Tags", "Value"], false),
            0
        ));
        assert!(touches_unknown(&body, &keys(&["BucketName"], false), 0));
        assert!(touches_unknown(&body, &keys(&[], true), 0));
    }
}

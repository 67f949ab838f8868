//! FTR-SEC-001: no AWS access keys in code, anywhere in a file (provider blocks, user data,
//! environment variables, defaults, comments).
use crate::graph::ResIdx;
use crate::model::Model;
use crate::resource::{Format, Mode};
use crate::rules::{spelled, Outcomes, Rule, Subject};
use crate::secrets::{aws_keys, masked, KeyKind};
use crate::source::{FileId, Span};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub struct AwsAccessKeys;

/// Files the scan read as Terraform or CloudFormation, or read for them (`file()`, value
/// files): every file a value or a declaration comes from.
fn iac_files(model: &Model<'_>) -> BTreeSet<FileId> {
    // Every value is visited; nearly all come from their parent's file, so the set is only
    // touched when the file changes (`last`).
    fn walk(v: &Value, last: FileId, out: &mut BTreeSet<FileId>) {
        let file = v.span.file;
        if file != last {
            out.insert(file);
        }
        if let Some(l) = v.as_list() {
            l.iter().for_each(|i| walk(i, file, out));
        } else if let Some(m) = v.as_map() {
            m.iter().for_each(|e| walk(&e.value, file, out));
        }
    }
    let mut out = BTreeSet::new();
    for r in model.resources {
        out.insert(r.span.file);
        walk(&r.body, r.span.file, &mut out);
    }
    for s in model.scopes {
        for i in &s.inputs {
            out.insert(i.span.file);
            i.value
                .iter()
                .chain(&i.default)
                .for_each(|v| walk(v, i.span.file, &mut out));
        }
        for o in &s.outputs {
            out.insert(o.span.file);
        }
    }
    out
}

/// The innermost resource (or provider block) whose body contains `at`.
fn enclosing(model: &Model<'_>, by_file: &HashMap<FileId, Vec<ResIdx>>, at: Span) -> Option<ResIdx> {
    by_file
        .get(&at.file)?
        .iter()
        .copied()
        .filter(|&i| {
            let r = model.resource(i);
            let b = r.body.span;
            let from = r.span.start.min(b.start);
            b.file == at.file && from <= at.start && at.end <= b.end
        })
        .min_by_key(|&i| {
            let r = model.resource(i);
            r.body.span.end - r.span.start.min(r.body.span.start)
        })
}

/// The variable or parameter whose declaration holds `at` (`var.x`; a CloudFormation parameter by its logical ID).
fn declaration(model: &Model<'_>, at: Option<Span>) -> Option<String> {
    let at = at?;
    model.scopes.iter().find_map(|s| {
        s.inputs.iter().find_map(|i| {
            let d = i.decl.span;
            let from = d.start.min(i.span.start);
            (d.file == at.file && from <= at.start && at.end <= d.end).then(|| match s.format {
                Format::Terraform => format!("var.{}", i.name),
                Format::CloudFormation => i.name.clone(),
            })
        })
    })
}

/// A file outside any resource or declaration is named by its file name.
fn file_name(display: &str) -> String {
    display.rsplit(['/', '\\']).next().unwrap_or(display).to_string()
}

impl Rule for AwsAccessKeys {
    fn id(&self) -> &'static str {
        "FTR-SEC-001"
    }
    fn check(&self, model: &Model<'_>, out: &mut Outcomes) {
        let mut by_file: HashMap<FileId, Vec<ResIdx>> = HashMap::new();
        for (i, r) in model.resources.iter().enumerate() {
            by_file.entry(r.file()).or_default().push(i);
        }
        for id in iac_files(model) {
            let Some(file) = model.sources.get(id) else {
                continue;
            };
            // Per subject (resource, or the file outside any), its key ids and secret keys.
            let mut found: BTreeMap<Option<ResIdx>, (Vec<Span>, Vec<Span>)> = BTreeMap::new();
            for hit in aws_keys(&file.text) {
                let span = Span::new(id, hit.start, hit.end);
                let holder = enclosing(model, &by_file, span);
                let in_provider =
                    holder.is_some_and(|h| model.resource(h).mode == Mode::Provider);
                // AWS's documentation keys are examples, except where they would be used.
                if hit.example && !in_provider {
                    continue;
                }
                let slot = found.entry(holder).or_default();
                match hit.kind {
                    KeyKind::AccessKeyId => slot.0.push(span),
                    KeyKind::SecretAccessKey => slot.1.push(span),
                }
            }
            let format = if file.display.ends_with(".tf")
                || file.display.ends_with(".tf.json")
                || file.display.contains(".tfvars")
            {
                Format::Terraform
            } else {
                Format::CloudFormation
            };
            if found.is_empty() {
                out.pass(Subject::Other {
                    address: file.display.clone(),
                    format,
                });
            }
            for (holder, (ids, secrets)) in found {
                let subject = match holder {
                    Some(h) => Subject::Resource(h),
                    None => Subject::Other {
                        address: declaration(model, ids.first().or(secrets.first()).copied())
                            .unwrap_or_else(|| file_name(&file.display)),
                        format,
                    },
                };
                let fix = match holder {
                    Some(h) => spelled(
                        model,
                        h,
                        "remove it, rotate the key, and let the provider use the default credential chain (an IAM role, SSO, environment)",
                        "remove it, rotate the key, and give the resource an IAM role (instance profile, execution role)",
                    ),
                    None => "remove it and rotate the key",
                };
                // A key id and its secret key are one credential: one finding (at the id).
                let pairs = ids.len().max(secrets.len());
                for n in 0..pairs {
                    let (span, mut spans) = match (ids.get(n), secrets.get(n)) {
                        (Some(&i), s) => (i, std::iter::once(i).chain(s.copied()).collect()),
                        (None, Some(&s)) => (s, vec![s]),
                        (None, None) => continue,
                    };
                    spans.sort_by_key(|s: &Span| s.start);
                    let text = file.text.get(span.start as usize..span.end as usize).unwrap_or("");
                    let what = match (ids.get(n), secrets.get(n)) {
                        (Some(_), Some(_)) => format!("an AWS access key (`{}`) and its secret key are", masked(text)),
                        (Some(_), None) if text.starts_with("ASIA") => format!("a temporary AWS access key id (`{}`) is", masked(text)),
                        (Some(_), None) => format!("an AWS access key id (`{}`) is", masked(text)),
                        _ => "an AWS secret access key is".to_string(),
                    };
                    out.fail_secret(
                        subject.clone(),
                        span,
                        format!("{what} hard-coded: {fix}"),
                        spans,
                    );
                }
            }
        }
    }
}

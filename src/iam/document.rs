//! Building [`PolicyDocument`]s from every form a policy is written in.

use super::{
    Condition, Conditions, Effect, Element, PolicyDocument, PrincipalEntry, Principals, Statement,
};
use crate::resource::Resource;
use crate::source::{SourceMap, Span};
use crate::value::{Entry, Kind, Value};

/// A policy given as a value: a structure (CloudFormation object, Terraform `jsonencode`) or a
/// JSON string (heredoc, literal, CloudFormation string). `None` when unknown or not a policy.
pub fn from_value(v: &Value, sources: &SourceMap) -> Option<PolicyDocument> {
    match &v.kind {
        Kind::Map(_) => Some(from_structure(v)),
        Kind::String(text) => {
            let parsed = parse_json_string(v, text, sources)?;
            Some(from_structure(&parsed))
        }
        _ => None,
    }
}

/// Parses a JSON string value. When the text appears verbatim in the file (heredocs, plain
/// strings without escapes) spans point inside it; otherwise every span is the string's own.
fn parse_json_string(v: &Value, text: &str, sources: &SourceMap) -> Option<Value> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    let base = sources.get(v.span.file).and_then(|f| {
        let region = f.text.get(v.span.start as usize..v.span.end as usize)?;
        region.find(text).map(|i| v.span.start as usize + i)
    });
    match base {
        Some(base) => crate::json_value::parse(text, v.span.file, base).ok(),
        None => crate::json_value::parse(text, v.span.file, 0)
            .ok()
            .map(|parsed| respan(parsed, v.span)),
    }
}

fn respan(mut v: Value, span: Span) -> Value {
    v.span = span;
    v.kind = match v.kind {
        Kind::List(items) => Kind::List(
            items
                .into_vec()
                .into_iter()
                .map(|i| respan(i, span))
                .collect(),
        ),
        Kind::Map(entries) => Kind::Map(
            entries
                .into_vec()
                .into_iter()
                .map(|e| Entry {
                    key: e.key,
                    key_span: span,
                    value: respan(e.value, span),
                })
                .collect(),
        ),
        other => other,
    };
    v
}

fn from_structure(doc: &Value) -> PolicyDocument {
    let mut out = PolicyDocument {
        span: doc.span,
        statements: Vec::new(),
        complete: true,
    };
    let Some(stmts) = doc.entry_ci("Statement") else {
        return out;
    };
    for s in stmts.value.one_or_many() {
        if s.as_map().is_some() {
            out.statements.push(statement(s));
        } else {
            out.complete = false;
        }
    }
    out
}

fn element(entry: Option<&Entry>) -> Option<Element> {
    let e = entry?;
    Some(Element {
        span: e.key_span,
        values: e.value.one_or_many().into_iter().cloned().collect(),
        unknown: e.value.is_unknown(),
    })
}

fn effect_of(v: Option<&Value>, default: Effect) -> Effect {
    match v {
        None => default,
        Some(v) => match v.as_str() {
            Some(s) if s.eq_ignore_ascii_case("allow") => Effect::Allow,
            Some(s) if s.eq_ignore_ascii_case("deny") => Effect::Deny,
            _ => Effect::Unknown,
        },
    }
}

fn principals(e: &Entry) -> Principals {
    match &e.value.kind {
        Kind::String(s) if s.trim() == "*" => Principals::Wildcard(e.key_span),
        Kind::Map(entries) => Principals::Entries(
            entries
                .iter()
                .map(|pe| PrincipalEntry {
                    kind: pe.key.to_string(),
                    span: pe.key_span,
                    values: pe.value.one_or_many().into_iter().cloned().collect(),
                    unknown: pe.value.is_unknown(),
                })
                .collect(),
        ),
        _ => Principals::Unknown(e.key_span),
    }
}

fn conditions(e: Option<&Entry>) -> Conditions {
    let Some(e) = e else {
        return Conditions::None;
    };
    let Some(ops) = e.value.as_map() else {
        return Conditions::Unknown;
    };
    let mut out = Vec::new();
    for op in ops {
        let Some(keys) = op.value.as_map() else {
            return Conditions::Unknown;
        };
        for k in keys {
            out.push(Condition {
                operator: op.key.to_string(),
                key: k.key.to_string(),
                key_span: k.key_span,
                values: k.value.one_or_many().into_iter().cloned().collect(),
                unknown: k.value.is_unknown(),
            });
        }
    }
    Conditions::Known(out)
}

fn statement(s: &Value) -> Statement {
    Statement {
        span: s.span,
        effect: effect_of(s.entry_ci("Effect").map(|e| &e.value), Effect::Unknown),
        action: element(s.entry_ci("Action")),
        not_action: element(s.entry_ci("NotAction")),
        resource: element(s.entry_ci("Resource")),
        not_resource: element(s.entry_ci("NotResource")),
        principal: s.entry_ci("Principal").map(principals),
        not_principal: s.entry_ci("NotPrincipal").map(principals),
        conditions: conditions(s.entry_ci("Condition")),
    }
}

/// A Terraform `data "aws_iam_policy_document"`: `statement` blocks with `actions`,
/// `resources`, `principals { type identifiers }`, `condition { test variable values }`.
pub fn from_policy_document_data(res: &Resource) -> PolicyDocument {
    let body = &res.body;
    let mut doc = PolicyDocument {
        span: res.span,
        statements: Vec::new(),
        complete: true,
    };
    // Merged-in documents are not resolved here: the result is incomplete.
    for k in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if body.get(k).is_some_and(|v| !matches!(v.kind, Kind::Null)) {
            doc.complete = false;
        }
    }
    let Some(stmts) = body.entry("statement") else {
        return doc;
    };
    // Blocks are a list of maps; a single map is one block (Terraform JSON syntax).
    let Some(blocks) = block_list(&stmts.value) else {
        doc.complete = false;
        return doc;
    };
    for b in blocks {
        if b.as_map().is_none() {
            doc.complete = false;
            continue;
        }
        doc.statements.push(Statement {
            span: b.span,
            effect: effect_of(b.get("effect"), Effect::Allow),
            action: element(b.entry("actions")),
            not_action: element(b.entry("not_actions")),
            resource: element(b.entry("resources")),
            not_resource: element(b.entry("not_resources")),
            principal: principal_blocks(b.get("principals")),
            not_principal: principal_blocks(b.get("not_principals")),
            conditions: condition_blocks(b.get("condition")),
        });
    }
    doc
}

/// Nested blocks: a list of maps, or one map (an object in Terraform's JSON syntax).
fn block_list(v: &Value) -> Option<Vec<&Value>> {
    match &v.kind {
        Kind::List(items) => Some(items.iter().collect()),
        Kind::Map(_) => Some(vec![v]),
        _ => None,
    }
}

fn principal_blocks(v: Option<&Value>) -> Option<Principals> {
    let v = v?;
    let Some(blocks) = block_list(v) else {
        return Some(Principals::Unknown(v.span));
    };
    let mut entries = Vec::new();
    for b in blocks {
        let kind = b.get("type").and_then(Value::as_str);
        let ids = b.entry("identifiers");
        match (kind, ids) {
            (Some(kind), Some(ids)) => {
                if kind == "*" {
                    return Some(Principals::Wildcard(ids.key_span));
                }
                entries.push(PrincipalEntry {
                    kind: kind.to_string(),
                    span: ids.key_span,
                    values: ids.value.one_or_many().into_iter().cloned().collect(),
                    unknown: ids.value.is_unknown(),
                })
            }
            _ => return Some(Principals::Unknown(b.span)),
        }
    }
    Some(Principals::Entries(entries))
}

fn condition_blocks(v: Option<&Value>) -> Conditions {
    let Some(v) = v else {
        return Conditions::None;
    };
    let Some(blocks) = block_list(v) else {
        return Conditions::Unknown;
    };
    let mut out = Vec::new();
    for b in blocks {
        let test = b.get("test").and_then(Value::as_str);
        let var = b.entry("variable");
        let key = var.and_then(|e| e.value.as_str());
        let (Some(test), Some(var), Some(key)) = (test, var, key) else {
            return Conditions::Unknown;
        };
        let values = b.get("values");
        out.push(Condition {
            operator: test.to_string(),
            key: key.to_string(),
            key_span: var.key_span,
            values: values
                .map(|v| v.one_or_many().into_iter().cloned().collect())
                .unwrap_or_default(),
            unknown: values.is_none_or(Value::is_unknown),
        });
    }
    Conditions::Known(out)
}

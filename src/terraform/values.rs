//! Evaluation limits and value helpers shared by the evaluator and the built-in functions
//! (kept apart so that `functions` does not depend on `eval`).

use crate::source::Span;
use crate::value::{Kind, Origin, Reference, Value};

/// Maximum expression nesting the evaluator follows (including through locals).
pub const MAX_DEPTH: usize = 256;
/// Largest string a function or template may produce; larger results are Unknown.
pub const MAX_STRING: usize = 16 << 20;
/// Largest list/map a function or for-expression may produce; larger results are Unknown.
pub const MAX_ITEMS: usize = 100_000;

/// Every reference inside the given values.
pub fn collect_refs(vals: &[&Value]) -> Vec<Reference> {
    let mut out = Vec::new();
    for v in vals {
        collect_refs_into(v, &mut out);
    }
    out
}

pub(super) fn collect_refs_into(v: &Value, out: &mut Vec<Reference>) {
    for r in v.references() {
        if !out.contains(r) {
            out.push(r.clone());
        }
    }
}

/// An Unknown at `span` carrying every reference of `vals`.
pub fn unknown_of(span: Span, vals: &[&Value], reason: &str) -> Value {
    let refs = collect_refs(vals);
    let origin = merge_origin_iter(vals.iter().copied());
    Value::unknown(span, refs, Some(reason.to_string())).with_origin(origin)
}

/// The origin of a value computed from two others: the more deployment-specific one
/// (CLI > value file > default > mapping > literal).
pub fn merge_origin(a: &Origin, b: &Origin) -> Origin {
    if b.deployment_rank() > a.deployment_rank() {
        b.clone()
    } else {
        a.clone()
    }
}

pub fn merge_origins(vals: &[Value]) -> Origin {
    merge_origin_iter(vals.iter())
}

pub fn merge_origin_iter<'v>(vals: impl Iterator<Item = &'v Value>) -> Origin {
    vals.fold(Origin::Literal, |acc, v| merge_origin(&acc, &v.origin))
}

/// Sets `origin` on a value and everything inside it.
pub fn set_origin_deep(v: &mut Value, origin: &Origin) {
    v.origin = origin.clone();
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| set_origin_deep(i, origin)),
        Kind::Map(entries) => entries
            .iter_mut()
            .for_each(|e| set_origin_deep(&mut e.value, origin)),
        _ => {}
    }
}

/// A bool in a condition (Terraform converts `"true"`/`"false"`).
pub fn truthy(v: &Value) -> Option<bool> {
    v.as_bool()
}

/// A number operand (Terraform converts numeric strings).
pub fn num(v: &Value) -> Option<f64> {
    match &v.kind {
        Kind::Number(n) => Some(*n),
        Kind::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// Terraform's text for a number.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// The string form of a string, number or bool.
pub fn scalar_to_string(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::String(s) => Some(s.clone()),
        Kind::Number(n) => Some(number_text(*n)),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Equality of two known values (Terraform: no conversion between types; maps compare by
/// key). `None` when either contains an unknown.
pub fn values_equal(a: &Value, b: &Value) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (Kind::Unknown(_), _) | (_, Kind::Unknown(_)) => None,
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x == y),
        (Kind::Number(x), Kind::Number(y)) => Some(x == y),
        (Kind::String(x), Kind::String(y)) => Some(x == y),
        (Kind::List(x), Kind::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (p, q) in x.iter().zip(y) {
                match values_equal(p, q) {
                    Some(true) => {}
                    Some(false) => all = false,
                    None => return None,
                }
            }
            Some(all)
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for e in x {
                let Some(f) = y.iter().find(|f| f.key == e.key) else {
                    return Some(false);
                };
                match values_equal(&e.value, &f.value) {
                    Some(true) => {}
                    Some(false) => all = false,
                    None => return None,
                }
            }
            Some(all)
        }
        _ => Some(false),
    }
}

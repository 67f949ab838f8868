//! Evaluation limits and value helpers shared by the evaluator and the built-in functions
//! (kept apart so that `functions` does not depend on `eval`).

use crate::source::Span;
use crate::value::{Kind, Origin, OriginRef, Reference, Value};

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
    // One shared origin for the whole tree.
    set_shared_origin(v, &OriginRef::from(origin));
}

fn set_shared_origin(v: &mut Value, origin: &OriginRef) {
    v.origin = origin.clone();
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| set_shared_origin(i, origin)),
        Kind::Map(entries) => entries
            .iter_mut()
            .for_each(|e| set_shared_origin(&mut e.value, origin)),
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
        Kind::String(s) => Some(s.to_string()),
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

/// Evaluation steps one root module may take (expressions evaluated, plus values copied, in
/// items): generous for real configurations, and a bound on hostile ones (a 1000³ nested
/// `for`, a map doubled 60 times).
pub const MAX_STEPS: u64 = 4_000_000;
/// Bytes one root module may produce in total: strings, and values copied (a 100k-local chain
/// appending a character each step would produce 5 GB).
pub const MAX_BYTES: u64 = 256 << 20;

/// The evaluation budget of one root module and every module instance it calls. When spent,
/// the module's remaining values are unknown (and one note says so).
#[derive(Debug, Default)]
pub struct Budget {
    steps: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
    noted: std::sync::atomic::AtomicBool,
}

impl Budget {
    /// Spends `steps` and `bytes`; false once the budget is exhausted.
    pub fn charge(&self, steps: u64, bytes: u64) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let s = self.steps.fetch_add(steps, Relaxed).saturating_add(steps);
        let b = self.bytes.fetch_add(bytes, Relaxed).saturating_add(bytes);
        s <= MAX_STEPS && b <= MAX_BYTES
    }
    /// True the first time it is asked after exhaustion (for a single note).
    pub fn first_exhaustion(&self) -> bool {
        !self.noted.swap(true, std::sync::atomic::Ordering::Relaxed)
    }
}

/// The cost of copying a value: items, and bytes (of its strings and of the items themselves;
/// stops counting past the budget).
pub fn weight(v: &Value) -> (u64, u64) {
    let mut todo = vec![v];
    let (mut items, mut bytes) = (0u64, 0u64);
    while let Some(v) = todo.pop() {
        items += 1;
        if items > MAX_STEPS {
            break;
        }
        match &v.kind {
            Kind::String(s) => bytes += s.len() as u64,
            Kind::List(l) => todo.extend(l.iter()),
            Kind::Map(m) => todo.extend(m.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    (items, bytes + items * std::mem::size_of::<Value>() as u64)
}

/// How a refused `file()` path is worded (the evaluator turns it into a note).
pub const OUTSIDE_SCAN: &str = "outside the scanned directories";

//! Terraform plan JSON (`terraform show -json plan.out`): detected by content
//! (`format_version` and `planned_values` or `resource_changes`), turned into resources whose
//! bodies are the planned values (nested blocks are lists of maps, as the HCL loader makes
//! them). Values known only after apply (`after_unknown`) are Unknown. Every value has the
//! origin `Cli("plan")`: a plan holds one deployment's values, not what the code fixes.
//!
//! [`remap`] moves the spans of plan resources onto the `.tf` resource with the same address
//! when the scan loaded one, so findings point at the source line (the plan JSON line else).

use crate::resource::{Format, LoadOutput, Mode, Resource, Scope, ScopeId};
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Kind, Origin, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Deepest module nesting followed in `child_modules`.
const MAX_DEPTH: usize = 64;

/// Cheap content check before parsing.
pub fn looks_like_plan(text: &str) -> bool {
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    let has =
        |t: &str, needle: &str| memchr::memmem::find(t.as_bytes(), needle.as_bytes()).is_some();
    has(head, "\"format_version\"")
        && (has(text, "\"planned_values\"") || has(text, "\"resource_changes\""))
}

/// Loads a plan JSON file; `None` when the file is not a plan.
pub fn load(file: &SourceFile) -> Option<LoadOutput> {
    if !looks_like_plan(&file.text) {
        return None;
    }
    let doc = crate::json_value::parse(&file.text, file.id, 0).ok()?;
    doc.get("format_version")?;
    if doc.get("planned_values").is_none() && doc.get("resource_changes").is_none() {
        return None;
    }
    let mut out = LoadOutput::default();
    // after_unknown by address.
    let mut unknown: HashMap<String, &Value> = HashMap::new();
    if let Some(changes) = doc.get("resource_changes").and_then(Value::as_list) {
        for c in changes {
            if let (Some(a), Some(u)) = (
                c.get("address").and_then(Value::as_str),
                c.path(&["change", "after_unknown"]),
            ) {
                unknown.insert(a.to_string(), u);
            }
        }
    }
    let mut config: HashMap<String, &Value> = HashMap::new();
    if let Some(root) = doc.path(&["configuration", "root_module"]) {
        config_module(root, "", &mut config, 0);
    }
    let ctx = Ctx {
        unknown: &unknown,
        config: &config,
    };
    if let Some(root) = doc.path(&["planned_values", "root_module"]) {
        walk_module(root, &ctx, &mut out, 0);
    }
    out.scopes.push(Scope {
        format: Format::Terraform,
        name: String::new(),
        location: file.display.clone(),
        inputs: Vec::new(),
        outputs: Vec::new(),
    });
    Some(out)
}

struct Ctx<'d> {
    unknown: &'d HashMap<String, &'d Value>,
    /// `configuration` resources by module path (no instance keys) + `type.name`: their
    /// `expressions`.
    config: &'d HashMap<String, &'d Value>,
}

fn config_module<'d>(
    m: &'d Value,
    prefix: &str,
    out: &mut HashMap<String, &'d Value>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for r in m.get("resources").and_then(Value::as_list).unwrap_or(&[]) {
        if let (Some(a), Some(e)) = (
            r.get("address").and_then(Value::as_str),
            r.get("expressions"),
        ) {
            out.insert(format!("{prefix}{a}"), e);
        }
    }
    for e in m.get("module_calls").and_then(Value::as_map).unwrap_or(&[]) {
        if let Some(child) = e.value.get("module") {
            config_module(child, &format!("{prefix}module.{}.", e.key), out, depth + 1);
        }
    }
}

/// `module.a["x"].aws_b.c[0]` → `module.a.aws_b.c` (configuration addresses have no keys).
fn strip_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_str = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The module part (`module.a["x"].`) of an absolute resource address.
fn module_prefix(address: &str, rtype: &str) -> String {
    let data = format!("data.{rtype}.");
    let managed = format!("{rtype}.");
    let at = address
        .rfind(&data)
        .filter(|&i| i == 0 || address[..i].ends_with('.'))
        .or_else(|| {
            address
                .rfind(&managed)
                .filter(|&i| i == 0 || address[..i].ends_with('.'))
        })
        .unwrap_or(0);
    address[..at].to_string()
}

/// References of an unknown attribute, from the configuration's `references`, with
/// `each.key` / `count.index` replaced by the instance's key.
fn config_refs(
    exprs: &Value,
    key: &str,
    prefix: &str,
    index: Option<&Value>,
    span: Span,
) -> Vec<crate::value::Reference> {
    let Some(list) = exprs.path(&[key, "references"]).and_then(Value::as_list) else {
        return Vec::new();
    };
    let idx = index.and_then(|i| match &i.kind {
        Kind::String(s) => Some(format!("[{}]", super::functions::json_quote(s, false))),
        Kind::Number(n) => Some(format!("[{}]", super::values::number_text(*n))),
        _ => None,
    });
    let strs: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
    // Terraform lists `aws_x.y[each.key].id` as `aws_x.y` and `each.key`: when the instance
    // key is the only per-instance value used, the reference is to the same key.
    let keyed = idx.is_some()
        && (strs.contains(&"each.key") || strs.contains(&"count.index"))
        && !strs.iter().any(|s| s.starts_with("each.value"));
    let mut out: Vec<crate::value::Reference> = Vec::new();
    for r in strs {
        let mut r = r.to_string();
        if let Some(i) = &idx {
            r = r.replace("[each.key]", i).replace("[count.index]", i);
            if keyed && !r.contains('[') && r.split('.').count() == 2 {
                r.push_str(i);
            }
        }
        let root = r.split(['.', '[']).next().unwrap_or("");
        if matches!(
            root,
            "each" | "count" | "var" | "local" | "path" | "module" | "self" | "terraform"
        ) || r.contains("each.")
            || r.contains("count.")
        {
            continue;
        }
        let data = root == "data";
        let parts = if data { 3 } else { 2 };
        // The target: `parts` dotted names, then an optional `[key]`.
        let mut end = 0;
        let mut seen = 0;
        let bytes = r.as_bytes();
        while end < bytes.len() && seen < parts {
            if bytes[end] == b'.' {
                seen += 1;
                if seen == parts {
                    break;
                }
            }
            if bytes[end] == b'[' {
                break;
            }
            end += 1;
        }
        if seen + 1 < parts {
            continue;
        }
        if r[end..].starts_with('[') {
            if let Some(close) = r[end..].find(']') {
                end += close + 1;
            }
        }
        let target = format!("{prefix}{}", &r[..end]);
        let attr = r[end..]
            .strip_prefix('.')
            .map(|a| a.to_string())
            .filter(|a| !a.is_empty());
        let reference = crate::value::Reference {
            kind: if data {
                crate::value::RefKind::Data
            } else {
                crate::value::RefKind::Resource
            },
            target: target.into(),
            attr: attr.map(Into::into),
            span,
        };
        if !out.iter().any(|o| o.target == reference.target) {
            out.push(reference);
        }
    }
    out
}

fn walk_module(m: &Value, ctx: &Ctx, out: &mut LoadOutput, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let unknown = ctx.unknown;
    for r in m.get("resources").and_then(Value::as_list).unwrap_or(&[]) {
        let (Some(address), Some(rtype), Some(name)) = (
            r.get("address").and_then(Value::as_str),
            r.get("type").and_then(Value::as_str),
            r.get("name").and_then(Value::as_str),
        ) else {
            continue;
        };
        let mode = match r.get("mode").and_then(Value::as_str) {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let span = r
            .entry("address")
            .map(|e| e.key_span.to(e.value.span))
            .unwrap_or(r.span);
        let mut body = r
            .get("values")
            .cloned()
            .unwrap_or_else(|| Value::map(Vec::new(), span));
        if let Some(u) = unknown.get(address) {
            apply_unknown(&mut body, u, 0);
        }
        // Unknown attributes keep the references the configuration gives for them.
        if let Some(exprs) = ctx.config.get(&strip_keys(address)) {
            let prefix = module_prefix(address, rtype);
            let index = r.get("index");
            if let Kind::Map(entries) = &mut body.kind {
                for e in entries.iter_mut() {
                    if let Kind::Unknown(u) = &mut e.value.kind {
                        u.refs = config_refs(exprs, &e.key, &prefix, index, e.value.span).into();
                    }
                }
            }
        }
        set_origin(&mut body);
        out.stats.expressions += 1;
        if body.contains_unknown() {
            out.stats.unknown += 1;
        }
        out.resources.push(Resource {
            address: address.to_string(),
            rtype: rtype.to_string(),
            name: name.to_string(),
            format: Format::Terraform,
            mode,
            span,
            body,
            depends_on: Vec::new().into(),
            metadata: None,
            scope: ScopeId(0),
        });
    }
    for c in m
        .get("child_modules")
        .and_then(Value::as_list)
        .unwrap_or(&[])
    {
        walk_module(c, ctx, out, depth + 1);
    }
}

/// Marks the parts `after_unknown` says are unknown (`true`), mirroring its structure.
fn apply_unknown(v: &mut Value, u: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match (&mut v.kind, &u.kind) {
        (_, Kind::Bool(true)) => {
            *v = Value::unknown(v.span, Vec::new(), Some("known only after apply".into()));
        }
        (Kind::Map(entries), Kind::Map(ue)) => {
            let mut added = Vec::new();
            for e in ue.iter() {
                match entries.iter_mut().find(|x| x.key == e.key) {
                    Some(x) => apply_unknown(&mut x.value, &e.value, depth + 1),
                    None if e.value.as_bool() == Some(true) => added.push(Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: Value::unknown(
                            e.value.span,
                            Vec::new(),
                            Some("known only after apply".into()),
                        ),
                    }),
                    None => {}
                }
            }
            if !added.is_empty() {
                let mut all = std::mem::take(entries).into_vec();
                all.extend(added);
                *entries = all.into_boxed_slice();
            }
        }
        (Kind::List(items), Kind::List(ui)) => {
            for (x, y) in items.iter_mut().zip(ui) {
                apply_unknown(x, y, depth + 1);
            }
        }
        (Kind::Null, _) if u.contains_unknown_marker() => {
            *v = Value::unknown(v.span, Vec::new(), Some("known only after apply".into()));
        }
        _ => {}
    }
}

trait Marker {
    fn contains_unknown_marker(&self) -> bool;
}

impl Marker for Value {
    fn contains_unknown_marker(&self) -> bool {
        match &self.kind {
            Kind::Bool(true) => true,
            Kind::List(i) => i.iter().any(|x| x.contains_unknown_marker()),
            Kind::Map(e) => e.iter().any(|x| x.value.contains_unknown_marker()),
            _ => false,
        }
    }
}

fn set_origin(v: &mut Value) {
    v.origin = Origin::Cli(Arc::from("plan")).into();
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(set_origin),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| set_origin(&mut e.value)),
        _ => {}
    }
}

/// Points plan resources at the `.tf` resources of the same address in `hcl` (the closest by
/// path to the plan file when several roots have it): matching attributes take the `.tf`
/// spans (and origins of known values), others the resource header.
pub fn remap(plan: &mut [Resource], hcl: &[Resource], sources: &crate::source::SourceMap) {
    let mut by_addr: HashMap<&str, Vec<&Resource>> = HashMap::new();
    for r in hcl {
        by_addr.entry(r.address.as_str()).or_default().push(r);
    }
    for p in plan.iter_mut() {
        let Some(cands) = by_addr.get(p.address.as_str()) else {
            continue;
        };
        let plan_path = sources.get(p.span.file).map(|f| f.path.clone());
        let best = cands.iter().max_by_key(|c| {
            let cp = sources.get(c.span.file).map(|f| f.path.clone());
            match (&plan_path, cp) {
                (Some(a), Some(b)) => a
                    .components()
                    .zip(b.components())
                    .take_while(|(x, y)| x == y)
                    .count(),
                _ => 0,
            }
        });
        let Some(h) = best else {
            continue;
        };
        p.span = h.span;
        let header = h.span;
        remap_value(&mut p.body, Some(&h.body), header, 0);
    }
}

fn remap_value(v: &mut Value, h: Option<&Value>, header: Span, depth: usize) {
    let Some(h) = h.filter(|_| depth <= MAX_DEPTH) else {
        respan_deep(v, header);
        return;
    };
    v.span = h.span;
    if !h.contains_unknown() && !v.is_unknown() {
        v.origin = h.origin.clone();
    }
    match (&mut v.kind, &h.kind) {
        (Kind::Map(entries), Kind::Map(he)) => {
            for e in entries.iter_mut() {
                match he.iter().find(|x| x.key == e.key) {
                    Some(x) => {
                        e.key_span = x.key_span;
                        remap_value(&mut e.value, Some(&x.value), header, depth + 1);
                    }
                    None => {
                        e.key_span = header;
                        respan_deep(&mut e.value, header);
                    }
                }
            }
        }
        (Kind::List(items), Kind::List(hi)) => {
            for (i, x) in items.iter_mut().enumerate() {
                remap_value(x, hi.get(i), h.span, depth + 1);
            }
        }
        (Kind::Map(_) | Kind::List(_), _) => {
            let s = h.span;
            respan_deep_keep(v, s);
        }
        _ => {}
    }
}

fn respan_deep_keep(v: &mut Value, span: Span) {
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| respan_deep(i, span)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            respan_deep(&mut e.value, span);
        }),
        _ => {}
    }
}

fn respan_deep(v: &mut Value, span: Span) {
    v.span = span;
    respan_deep_keep(v, span);
}

//! Module assembly: variables and their values (tfvars, `--var`), locals, outputs, and the
//! resource/data/provider blocks evaluated into a [`LoadOutput`].
//!
//! Values in effect follow Terraform's precedence: `--var` > `*.auto.tfvars` (lexical order,
//! later files win) > `terraform.tfvars` > the variable's default.

use super::eval::{set_origin_deep, span_in, Evaluator, LocalDef};
use super::parse::{header_span, parse_file};
use super::TfOptions;
use crate::resource::{
    Diagnostic, Format, Input, LoadOutput, Mode, Output, Resource, Scope, ScopeId,
};
use crate::source::{FileId, SourceFile, Span};
use crate::value::{Entry, Kind, Origin, RefKind, Reference, Value};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::sync::Arc;

/// Meta-arguments left out of a resource body.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

enum FileKind {
    Config,
    /// `terraform.tfvars` (rank 0) or `*.auto.tfvars` (rank 1), with the file name.
    Values(u8, String),
    Other,
}

fn file_kind(f: &SourceFile) -> FileKind {
    let name = f
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(f.display.as_str())
        .to_string();
    if name == "terraform.tfvars" {
        FileKind::Values(0, name)
    } else if name.ends_with(".auto.tfvars") {
        FileKind::Values(1, name)
    } else if name.ends_with(".tf") {
        FileKind::Config
    } else {
        FileKind::Other
    }
}

struct VarDecl<'a> {
    name: String,
    block: &'a Block,
    file: Arc<SourceFile>,
    span: Span,
}

pub fn load(dir_display: &str, files: &[Arc<SourceFile>], opts: &TfOptions) -> LoadOutput {
    let mut out = LoadOutput::default();
    let first_file = files.first().map(|f| f.id).unwrap_or_default();

    // Parse everything first; bodies must outlive the evaluator that borrows them.
    let mut configs: Vec<(Arc<SourceFile>, Body)> = Vec::new();
    let mut value_files: Vec<(u8, String, Arc<SourceFile>, Body)> = Vec::new();
    for f in files {
        match file_kind(f) {
            FileKind::Config => {
                if let Some(b) = parse_file(f, &mut out.diagnostics) {
                    configs.push((f.clone(), b));
                }
            }
            FileKind::Values(rank, name) => {
                if let Some(b) = parse_file(f, &mut out.diagnostics) {
                    value_files.push((rank, name, f.clone(), b));
                }
            }
            FileKind::Other => {}
        }
    }
    value_files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    // ----- variables ----------------------------------------------------------------------
    let mut decls: Vec<VarDecl> = Vec::new();
    for (file, body) in &configs {
        for block in body.blocks() {
            if block.ident.as_str() != "variable" {
                continue;
            }
            let span = header_span(file, block);
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                out.diagnostics.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    "variable block needs a name",
                ));
                continue;
            };
            if decls.iter().any(|d| d.name == name) {
                out.diagnostics.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    format!("duplicate variable `{name}`"),
                ));
                continue;
            }
            decls.push(VarDecl {
                name,
                block,
                file: file.clone(),
                span,
            });
        }
    }

    // Values from value files and the CLI, by precedence (later wins).
    let mut supplied: HashMap<String, Value> = HashMap::new();
    for (_, fname, file, body) in &value_files {
        let mut ev = Evaluator::literal(file.id);
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str().to_string();
                    let mut v = ev.eval(&a.value);
                    let Some(decl) = decls.iter().find(|d| d.name == key) else {
                        out.diagnostics.push(Diagnostic::note(
                            file.id,
                            Some(span_in(file.id, &a.key)),
                            format!("value for undeclared variable `{key}` in {fname}"),
                        ));
                        continue;
                    };
                    v = convert_to_type(v, type_text(decl));
                    set_origin_deep(&mut v, &Origin::ValueFile(Arc::from(key.as_str())));
                    supplied.insert(key, v);
                }
                Structure::Block(b) => out.diagnostics.push(Diagnostic::error(
                    file.id,
                    Some(header_span(file, b)),
                    format!("blocks are not allowed in {fname}"),
                )),
            }
        }
        out.diagnostics.append(&mut ev.diags);
    }
    for (name, raw) in &opts.vars {
        let Some(decl) = decls.iter().find(|d| &d.name == name) else {
            out.diagnostics.push(Diagnostic::error(
                first_file,
                None,
                format!("--var for undeclared variable `{name}`"),
            ));
            continue;
        };
        match cli_value(raw, type_text(decl), decl.file.id) {
            Ok(mut v) => {
                set_origin_deep(&mut v, &Origin::Cli(Arc::from(name.as_str())));
                supplied.insert(name.clone(), v);
            }
            Err(msg) => out.diagnostics.push(Diagnostic::error(
                decl.file.id,
                None,
                format!("invalid --var {name}: {msg}"),
            )),
        }
    }

    let mut inputs = Vec::new();
    let mut vars: HashMap<String, Option<Value>> = HashMap::new();
    for d in &decls {
        let mut ev = Evaluator::literal(d.file.id);
        let mut default = d.block.body.get_attribute("default").map(|a| {
            let v = ev.eval(&a.value);
            let mut v = convert_to_type(v, type_text(d));
            set_origin_deep(&mut v, &Origin::Default(Arc::from(d.name.as_str())));
            v
        });
        if let Some(Value {
            kind: Kind::Null, ..
        }) = &default
        {
            // `default = null` makes the variable optional with a null value.
            default = default.map(|v| v.with_origin(Origin::Default(Arc::from(d.name.as_str()))));
        }
        let mut decl_ev = Evaluator::literal(d.file.id);
        let decl = decl_value(&mut decl_ev, &d.file, d.block);
        out.diagnostics.append(&mut ev.diags);
        let sensitive = d
            .block
            .body
            .get_attribute("sensitive")
            .and_then(|a| a.value.as_bool())
            .unwrap_or(false);
        let constrained = d.block.body.get_blocks("validation").next().is_some();
        let value = supplied.remove(&d.name);
        vars.insert(d.name.clone(), value.clone().or_else(|| default.clone()));
        inputs.push(Input {
            name: d.name.clone(),
            span: d.span,
            default,
            value,
            constrained,
            sensitive,
            decl,
        });
    }

    // ----- locals -------------------------------------------------------------------------
    let mut locals: HashMap<String, LocalDef> = HashMap::new();
    let mut local_order: Vec<String> = Vec::new();
    for (file, body) in &configs {
        for block in body.blocks().filter(|b| b.ident.as_str() == "locals") {
            for a in block.body.attributes() {
                let name = a.key.as_str().to_string();
                let key_span = span_in(file.id, &a.key);
                if locals.contains_key(&name) {
                    out.diagnostics.push(Diagnostic::error(
                        file.id,
                        Some(key_span),
                        format!("duplicate local value `{name}`"),
                    ));
                    continue;
                }
                local_order.push(name.clone());
                locals.insert(
                    name,
                    LocalDef {
                        expr: &a.value,
                        file: file.id,
                        key_span,
                    },
                );
            }
        }
    }
    let deps = local_deps(&locals);

    let mut ev = Evaluator::new(first_file);
    ev.set_vars(vars);
    ev.set_locals(locals);
    // Evaluate locals in dependency order (deepest first) so that lazily resolved chains stay
    // shallow; cycles are reported by the evaluator when it meets one.
    let (cycle_roots, order) = topo_order(&local_order, &deps);
    for name in cycle_roots.iter().chain(&order) {
        ev.eval_local_attr(name);
    }

    // ----- outputs, resources -------------------------------------------------------------
    let mut outputs = Vec::new();
    for (file, body) in &configs {
        ev.set_file(file.id);
        for block in body.blocks() {
            let span = header_span(file, block);
            match block.ident.as_str() {
                "output" => {
                    let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                        continue;
                    };
                    let value = match block.body.get_attribute("value") {
                        Some(a) => ev.eval_attr(&a.value),
                        None => Value::null(span),
                    };
                    outputs.push(Output { name, span, value });
                }
                "resource" | "data" => {
                    let (Some(t), Some(n)) = (block.labels.first(), block.labels.get(1)) else {
                        out.diagnostics.push(Diagnostic::error(
                            file.id,
                            Some(span),
                            format!("{} block needs a type and a name", block.ident.as_str()),
                        ));
                        continue;
                    };
                    let (rtype, name) = (t.as_str().to_string(), n.as_str().to_string());
                    let data = block.ident.as_str() == "data";
                    let address = if data {
                        format!("data.{rtype}.{name}")
                    } else {
                        format!("{rtype}.{name}")
                    };
                    if out.resources.iter().any(|r| r.address == address) {
                        out.diagnostics.push(Diagnostic::error(
                            file.id,
                            Some(span),
                            format!("duplicate {} `{address}`", block.ident.as_str()),
                        ));
                        continue;
                    }
                    let body = eval_body(&mut ev, file, block, &["provider", "depends_on"]);
                    if instances_known_empty(&body) {
                        continue;
                    }
                    let depends_on = depends_on(file.id, &block.body);
                    out.resources.push(Resource {
                        address,
                        rtype,
                        name,
                        format: Format::Terraform,
                        mode: if data { Mode::Data } else { Mode::Managed },
                        span,
                        body,
                        depends_on,
                        metadata: None,
                        scope: ScopeId(0),
                    });
                }
                "provider" => {
                    let Some(rtype) = block.labels.first().map(|l| l.as_str().to_string()) else {
                        continue;
                    };
                    let body = eval_body(&mut ev, file, block, &["depends_on"]);
                    let address = match body.get("alias").and_then(Value::as_str) {
                        Some(alias) => format!("provider.{rtype}.{alias}"),
                        None => format!("provider.{rtype}"),
                    };
                    out.resources.push(Resource {
                        address,
                        name: rtype.clone(),
                        rtype,
                        format: Format::Terraform,
                        mode: Mode::Provider,
                        span,
                        body,
                        depends_on: Vec::new(),
                        metadata: None,
                        scope: ScopeId(0),
                    });
                }
                _ => {}
            }
        }
    }
    out.diagnostics.append(&mut ev.diags);
    out.stats.add(ev.stats);
    out.scopes.push(Scope {
        format: Format::Terraform,
        name: String::new(),
        location: dir_display.to_string(),
        inputs,
        outputs,
    });
    out
}

/// `count` known 0 or `for_each` known empty.
fn instances_known_empty(body: &Value) -> bool {
    if let Some(c) = body.get("count") {
        if !c.is_unknown() && c.as_f64() == Some(0.0) {
            return true;
        }
    }
    if let Some(f) = body.get("for_each") {
        match &f.kind {
            Kind::List(items) => return items.is_empty(),
            Kind::Map(entries) => return entries.is_empty(),
            _ => {}
        }
    }
    false
}

/// A block body as a Map: attributes evaluated, nested blocks grouped by type.
fn eval_body(ev: &mut Evaluator, file: &SourceFile, block: &Block, skip_attrs: &[&str]) -> Value {
    let span = span_in(file.id, block);
    let mut entries: Vec<Entry> = Vec::new();
    for s in block.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if skip_attrs.contains(&key) {
                    continue;
                }
                let value = ev.eval_attr(&a.value);
                entries.push(Entry {
                    key: key.to_string(),
                    key_span: span_in(file.id, &a.key),
                    value,
                });
            }
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                if META_BLOCKS.contains(&ident) {
                    continue;
                }
                let (key, key_span, value) = if ident == "dynamic" {
                    let Some(label) = b.labels.first() else {
                        continue;
                    };
                    (
                        label.as_str().to_string(),
                        span_in(file.id, &b.ident),
                        dynamic_block(ev, file, b),
                    )
                } else {
                    (
                        ident.to_string(),
                        span_in(file.id, &b.ident),
                        eval_body(ev, file, b, &[]),
                    )
                };
                match entries.iter_mut().find(|e| e.key == key) {
                    Some(Entry {
                        value:
                            Value {
                                kind: Kind::List(items),
                                ..
                            },
                        ..
                    }) => items.push(value),
                    _ => entries.push(Entry {
                        key,
                        key_span,
                        value: Value::new(Kind::List(vec![value]), span_in(file.id, b)),
                    }),
                }
            }
        }
    }
    Value::new(Kind::Map(entries), span)
}

/// `dynamic "x"`: not expanded yet; an Unknown carrying the references of its `for_each`.
fn dynamic_block(ev: &mut Evaluator, file: &SourceFile, b: &Block) -> Value {
    let span = span_in(file.id, b);
    let refs = match b.body.get_attribute("for_each") {
        Some(a) => {
            let v = ev.eval_attr(&a.value);
            v.references().into_iter().cloned().collect()
        }
        None => Vec::new(),
    };
    Value::unknown(span, refs, Some("dynamic block is not expanded".into()))
}

/// `depends_on = [aws_s3_bucket.x, module.m]` as references (not evaluated).
fn depends_on(file: FileId, body: &Body) -> Vec<Reference> {
    let Some(a) = body.get_attribute("depends_on") else {
        return Vec::new();
    };
    let Some(arr) = a.value.as_array() else {
        return Vec::new();
    };
    arr.iter().filter_map(|e| traversal_ref(file, e)).collect()
}

fn traversal_ref(file: FileId, e: &Expression) -> Option<Reference> {
    let t = e.as_traversal()?;
    let root = t.expr.as_variable()?.as_str();
    let attrs: Vec<&str> = t
        .operators
        .iter()
        .map_while(|o| match o.value() {
            TraversalOperator::GetAttr(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    let span = span_in(file, e);
    let (kind, target, attr) = match root {
        "data" => (
            RefKind::Data,
            format!("data.{}.{}", attrs.first()?, attrs.get(1)?),
            attrs.get(2),
        ),
        "module" => (RefKind::Module, (*attrs.first()?).to_string(), attrs.get(1)),
        "var" => (RefKind::Input, (*attrs.first()?).to_string(), None),
        "local" => (RefKind::Local, (*attrs.first()?).to_string(), None),
        _ => (
            RefKind::Resource,
            format!("{root}.{}", attrs.first()?),
            attrs.get(1),
        ),
    };
    Some(Reference {
        kind,
        target,
        attr: attr.map(|a| (*a).to_string()),
        span,
    })
}

/// The `type = ...` of a variable as source text.
fn type_text<'f>(d: &'f VarDecl) -> Option<&'f str> {
    let a = d.block.body.get_attribute("type")?;
    let r = a.value.span()?;
    d.file.text.get(r)
}

/// A variable declaration as a Map; `type` is kept as its source text.
fn decl_value(ev: &mut Evaluator, file: &SourceFile, block: &Block) -> Value {
    let mut v = eval_body(ev, file, block, &["type"]);
    if let (Some(a), Kind::Map(entries)) = (block.body.get_attribute("type"), &mut v.kind) {
        let text = a
            .value
            .span()
            .and_then(|r| file.text.get(r))
            .unwrap_or("")
            .to_string();
        entries.insert(
            0,
            Entry {
                key: "type".into(),
                key_span: span_in(file.id, &a.key),
                value: Value::string(text, span_in(file.id, &a.value)),
            },
        );
    }
    v
}

/// Converts a value to a primitive type constraint as Terraform does (`"5"` → 5 for
/// `number`, 5 → `"5"` for `string`); other types are left alone.
fn convert_to_type(v: Value, ty: Option<&str>) -> Value {
    let Some(ty) = ty.map(str::trim) else {
        return v;
    };
    let span = v.span;
    let origin = v.origin.clone();
    let kind = match (ty, &v.kind) {
        ("string", Kind::Number(_) | Kind::Bool(_)) => match super::eval::scalar_to_string(&v) {
            Some(s) => Kind::String(s),
            None => return v,
        },
        ("number", Kind::String(s)) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Kind::Number(n),
            _ => return v,
        },
        ("bool", Kind::String(s)) if s == "true" || s == "false" => Kind::Bool(s == "true"),
        _ => return v,
    };
    Value::new(kind, span).with_origin(origin)
}

/// A `--var` value: a literal string for untyped and primitive-typed variables (converted to
/// the type), an HCL expression otherwise — as Terraform reads `-var`.
fn cli_value(raw: &str, ty: Option<&str>, file: FileId) -> Result<Value, String> {
    let span = Span::new(file, 0, 0);
    let primitive = match ty.map(str::trim) {
        None => true,
        Some(t) => matches!(t, "string" | "number" | "bool"),
    };
    if primitive {
        let v = convert_to_type(Value::string(raw, span), ty);
        if ty.map(str::trim) == Some("number") && !matches!(v.kind, Kind::Number(_)) {
            return Err(format!("`{raw}` is not a number"));
        }
        if ty.map(str::trim) == Some("bool") && !matches!(v.kind, Kind::Bool(_)) {
            return Err(format!("`{raw}` is not a bool"));
        }
        return Ok(v);
    }
    if super::parse::too_deep(raw, super::parse::MAX_NESTING).is_some() {
        return Err("nested too deeply".into());
    }
    let expr = hcl_edit::parser::parse_expr(raw).map_err(|e| e.message().to_string())?;
    let mut ev = Evaluator::literal(file);
    let mut v = ev.eval(&expr);
    if v.contains_unknown() {
        return Err("not a literal value".into());
    }
    strip_spans(&mut v, span);
    Ok(v)
}

/// CLI values have no place in a file: every span becomes `span`.
fn strip_spans(v: &mut Value, span: Span) {
    v.span = span;
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| strip_spans(i, span)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            strip_spans(&mut e.value, span);
        }),
        _ => {}
    }
}

/// The locals each local refers to (syntactically).
fn local_deps(locals: &HashMap<String, LocalDef>) -> HashMap<String, Vec<String>> {
    struct V(Vec<String>);
    impl hcl_edit::visit::Visit for V {
        fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
            if t.expr.as_variable().map(|v| v.as_str()) == Some("local") {
                if let Some(TraversalOperator::GetAttr(a)) = t.operators.first().map(|o| o.value())
                {
                    self.0.push(a.as_str().to_string());
                }
            }
            hcl_edit::visit::visit_traversal(self, t);
        }
    }
    locals
        .iter()
        .map(|(k, d)| {
            let mut v = V(Vec::new());
            hcl_edit::visit::Visit::visit_expr(&mut v, d.expr);
            (k.clone(), v.0)
        })
        .collect()
}

/// Post-order of the dependency graph (dependencies first), iteratively, and the locals where
/// a cycle closes (evaluated first, so the evaluator reports the cycle from its start).
fn topo_order(order: &[String], deps: &HashMap<String, Vec<String>>) -> (Vec<String>, Vec<String>) {
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on stack, 2 = done
    let mut out = Vec::new();
    let mut cycle_roots: Vec<String> = Vec::new();
    for root in order {
        if state.contains_key(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root.as_str(), 0)];
        state.insert(root.as_str(), 1);
        while let Some((node, i)) = stack.pop() {
            let next = deps.get(node).and_then(|d| d.get(i));
            match next {
                Some(dep) => {
                    stack.push((node, i + 1));
                    match state.get(dep.as_str()) {
                        None if deps.contains_key(dep.as_str()) => {
                            state.insert(dep.as_str(), 1);
                            stack.push((dep.as_str(), 0));
                        }
                        Some(1) if !cycle_roots.contains(dep) => cycle_roots.push(dep.clone()),
                        _ => {}
                    }
                }
                None => {
                    state.insert(node, 2);
                    out.push(node.to_string());
                }
            }
        }
    }
    (cycle_roots, out)
}

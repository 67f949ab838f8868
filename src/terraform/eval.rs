//! Expression evaluation: hcl-edit expressions → span-carrying [`Value`]s.
//!
//! Evaluation is three-valued: a value is known or [`Kind::Unknown`], and an unknown value is
//! never guessed. Unknown values carry the references they were built from (resources, data
//! sources, variables without a value, module outputs) and a reason. Errors that Terraform
//! would report (a missing attribute on a known object, a wrong argument type) also end as
//! Unknown, but are counted separately so that `try`/`can` can tell them apart from values
//! that are merely not known statically.
//!
//! The [`Evaluator`] is the evaluation context of one module: declared variables with the
//! value in effect, the module's locals (evaluated lazily, memoised, cycles reported), a stack
//! of bound names (for-expression iterators, `count`, `each`); references to resources and
//! module outputs stay unknown values carrying the reference (the module loader and the graph
//! resolve them).
//!
//! Spans: a resolved value keeps the span of the expression that produced it (the use site);
//! values nested inside it keep the spans where they were written. Origins flow from variable
//! defaults / value files / the CLI into everything computed from them (see [`merge_origin`]).

use super::functions;
use super::values::*;
use crate::resource::{Diagnostic, EvalStats};
use crate::source::{FileId, Span};
use crate::value::{Entry, Kind, Origin, RefKind, Reference, Unknown, Value, HOLE};
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Strip, Template};
use std::collections::{HashMap, HashSet};

/// A `locals` entry: its expression and where it is.
pub struct LocalDef<'a> {
    pub expr: &'a Expression,
    pub file: FileId,
    /// The file's JSON-syntax map when it was transpiled (see [`super::json_syntax`]).
    pub json: Option<std::sync::Arc<super::json_syntax::Transpiled>>,
    /// The span of the local's name.
    pub key_span: Span,
}

enum LocalState {
    Evaluating,
    Done { value: Value, errored: bool },
}

/// Reads files for `file()` / `templatefile()` / `fileexists()`: `path` as written (relative
/// paths are relative to the root module's directory, as Terraform resolves them). Files outside
/// the scanned roots are refused. A file read is registered in the scan's source map so that
/// spans can point into it.
pub trait FileAccess {
    fn read(&self, path: &str) -> Result<std::sync::Arc<crate::source::SourceFile>, String>;
    fn exists(&self, path: &str) -> Option<bool>;
}

/// The evaluation context of one module.
pub struct Evaluator<'a> {
    /// Declared variables: the value in effect (already carrying its origin), or `None`.
    vars: HashMap<String, Option<Value>>,
    locals: HashMap<String, LocalDef<'a>>,
    local_state: HashMap<String, LocalState>,
    local_stack: Vec<String>,
    reported_cycles: HashSet<String>,
    bindings: Vec<(String, Value)>,
    file: FileId,
    /// The offset map of the current file when it is in JSON syntax.
    json: Option<std::sync::Arc<super::json_syntax::Transpiled>>,
    depth: usize,
    depth_reported: bool,
    errors: u64,
    /// Spans of values produced by `jsonencode` (see the module doc of `terraform`).
    json_spans: HashSet<Span>,
    /// Raw text of values that hold a JSON file's content as structure (`file("x.json")`).
    json_raw: HashMap<Span, std::sync::Arc<str>>,
    /// Reads files for the file functions; `None`: they are Unknown.
    files: Option<&'a dyn FileAccess>,
    /// Address prefix of the module instance (`""`, `module.logs.`), for reference targets.
    prefix: String,
    /// Values of `module.<name>` (an object of outputs; a list/map of them when expanded).
    modules: HashMap<String, Value>,
    /// `path.module`, `path.root`, `path.cwd` as Terraform would give them.
    paths: Option<(String, String, String)>,
    /// Evaluate literals only (tfvars, CLI values): any reference is an error.
    literal_only: bool,
    pub diags: Vec<Diagnostic>,
    pub stats: EvalStats,
    /// Shared by every module instance of the root module.
    budget: std::sync::Arc<super::values::Budget>,
}

impl<'a> Evaluator<'a> {
    pub fn new(file: FileId) -> Self {
        Evaluator {
            vars: HashMap::new(),
            locals: HashMap::new(),
            local_state: HashMap::new(),
            local_stack: Vec::new(),
            reported_cycles: HashSet::new(),
            bindings: Vec::new(),
            file,
            json: None,
            depth: 0,
            depth_reported: false,
            errors: 0,
            json_spans: HashSet::new(),
            json_raw: HashMap::new(),
            files: None,
            prefix: String::new(),
            modules: HashMap::new(),
            paths: None,
            literal_only: false,
            diags: Vec::new(),
            stats: EvalStats::default(),
            budget: Default::default(),
        }
    }

    pub fn set_budget(&mut self, budget: std::sync::Arc<super::values::Budget>) {
        self.budget = budget;
    }

    /// Spends evaluation budget; once it is spent, the value is unknown (one note per root).
    fn spend(&mut self, steps: u64, bytes: u64, span: Span) -> Option<Value> {
        if self.budget.charge(steps, bytes) {
            return None;
        }
        Some(self.exhausted(span))
    }

    fn exhausted(&mut self, span: Span) -> Value {
        if self.budget.first_exhaustion() {
            self.diags.push(Diagnostic::note(
                self.file,
                Some(span),
                format!(
                    "evaluation budget of this root module spent ({} steps or {} MiB of values); its remaining values are unknown",
                    super::values::MAX_STEPS,
                    super::values::MAX_BYTES >> 20
                ),
            ));
        }
        Value::unknown(span, Vec::new(), Some("evaluation budget spent".into()))
    }

    /// Spends the cost of copying `v`.
    fn spend_copy(&mut self, v: &Value, span: Span) -> Option<Value> {
        let (items, bytes) = super::values::weight(v);
        self.spend(items, bytes, span)
    }

    /// An evaluator for value files and CLI values: references are not allowed.
    pub fn literal(file: FileId) -> Self {
        let mut ev = Evaluator::new(file);
        ev.literal_only = true;
        ev
    }

    pub fn set_vars(&mut self, vars: HashMap<String, Option<Value>>) {
        self.vars = vars;
    }
    pub fn set_locals(&mut self, locals: HashMap<String, LocalDef<'a>>) {
        self.locals = locals;
    }
    pub fn set_files(&mut self, files: &'a dyn FileAccess) {
        self.files = Some(files);
    }
    pub fn files(&self) -> Option<&'a dyn FileAccess> {
        self.files
    }
    /// The module instance's address prefix (`module.logs.`) for reference targets.
    pub fn set_prefix(&mut self, prefix: impl Into<String>) {
        self.prefix = prefix.into();
    }
    /// The value of `module.<name>` once that module is instantiated.
    pub fn set_module_value(&mut self, name: impl Into<String>, value: Value) {
        self.modules.insert(name.into(), value);
    }
    /// `path.module`, `path.root`, `path.cwd`.
    pub fn set_paths(&mut self, module: String, root: String, cwd: String) {
        self.paths = Some((module, root, cwd));
    }
    /// Evaluates with only the bound names visible (template files); returns the old setting.
    pub fn set_literal_only(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.literal_only, on)
    }
    /// Replaces the bound names (template files see only their variables).
    pub fn swap_bindings(&mut self, b: Vec<(String, Value)>) -> Vec<(String, Value)> {
        std::mem::replace(&mut self.bindings, b)
    }
    /// Marks a structured value as the content of a JSON file, whose text is `raw`.
    pub fn mark_json_raw(&mut self, span: Span, raw: std::sync::Arc<str>) {
        self.json_spans.insert(span);
        self.json_raw.insert(span, raw);
    }
    /// The file whose expressions are evaluated next (spans are built in it).
    pub fn set_file(&mut self, file: FileId) {
        self.file = file;
        self.json = None;
    }
    /// Like [`Self::set_file`] for a parsed Terraform file (a JSON-syntax file maps spans).
    pub fn set_tf_file(&mut self, file: &super::parse::TfFile) {
        self.file = file.id;
        self.json = file.json.clone();
    }
    /// The current file and its JSON-syntax map, to restore with [`Self::restore_file`].
    pub fn file_state(
        &self,
    ) -> (
        FileId,
        Option<std::sync::Arc<super::json_syntax::Transpiled>>,
    ) {
        (self.file, self.json.clone())
    }
    pub fn restore_file(
        &mut self,
        state: (
            FileId,
            Option<std::sync::Arc<super::json_syntax::Transpiled>>,
        ),
    ) {
        self.file = state.0;
        self.json = state.1;
    }
    /// Binds a name (e.g. `each`, `count`) for the following evaluations until [`Self::unbind`].
    pub fn bind(&mut self, name: impl Into<String>, value: Value) {
        self.bindings.push((name.into(), value));
    }
    pub fn unbind(&mut self) {
        self.bindings.pop();
    }

    /// The span of an hcl-edit node in the current file.
    pub fn span_of(&self, node: &impl hcl_edit::Span) -> Span {
        match node.span() {
            Some(r) => super::parse::map_range(self.file, self.json.as_deref(), r),
            None => Span::new(self.file, 0, 0),
        }
    }

    /// Counts an evaluation error (something Terraform would reject); `try`/`can` look at it.
    pub fn error(&mut self) {
        self.errors += 1;
    }
    pub fn error_unknown(&mut self, span: Span, reason: impl Into<String>) -> Value {
        self.errors += 1;
        Value::unknown(span, Vec::new(), Some(reason.into()))
    }

    /// Marks a value as a `jsonencode` result (a JSON string held as structure).
    pub fn mark_json(&mut self, span: Span) {
        self.json_spans.insert(span);
    }
    pub fn is_json(&self, v: &Value) -> bool {
        matches!(v.kind, Kind::Map(_) | Kind::List(_)) && self.json_spans.contains(&v.span)
    }
    /// Moves a value to a new (use-site) span, keeping a `jsonencode` mark.
    pub fn respan(&mut self, mut v: Value, span: Span) -> Value {
        if self.json_spans.contains(&v.span) {
            self.json_spans.insert(span);
            if let Some(raw) = self.json_raw.get(&v.span).cloned() {
                self.json_raw.insert(span, raw);
            }
        }
        v.span = span;
        v
    }

    /// Evaluates a top-level attribute expression and counts it in the stats.
    pub fn eval_attr(&mut self, expr: &Expression) -> Value {
        self.depth_reported = false;
        let v = self.eval(expr);
        self.stats.expressions += 1;
        if v.contains_unknown() {
            self.stats.unknown += 1;
        }
        v
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, expr: &Expression) -> Value {
        if self.depth >= MAX_DEPTH {
            let span = self.span_of(expr);
            if !self.depth_reported {
                self.depth_reported = true;
                self.diags.push(Diagnostic::error(
                    self.file,
                    Some(span),
                    "expression nested too deeply",
                ));
            }
            return self.error_unknown(span, "expression nested too deeply");
        }
        if !self.budget.charge(1, 0) {
            let span = self.span_of(expr);
            return self.exhausted(span);
        }
        self.depth += 1;
        let v = self.eval_inner(expr);
        self.depth -= 1;
        if let Kind::String(s) = &v.kind {
            if let Some(u) = self.spend(0, s.len() as u64, v.span) {
                return u;
            }
        }
        v
    }

    fn eval_inner(&mut self, expr: &Expression) -> Value {
        let span = self.span_of(expr);
        match expr {
            Expression::Null(_) => Value::null(span),
            Expression::Bool(b) => Value::new(Kind::Bool(*b.value()), span),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => Value::new(Kind::Number(f), span),
                None => Value::unknown(span, Vec::new(), Some("number out of range".into())),
            },
            Expression::String(s) => Value::string(s.value().clone(), span),
            Expression::Array(a) => {
                let items: Vec<Value> = a.iter().map(|e| self.eval(e)).collect();
                let origin = merge_origins(&items);
                Value::list(items, span).with_origin(origin)
            }
            Expression::Object(o) => self.eval_object(o, span),
            Expression::StringTemplate(t) => self.eval_template(t, span, true),
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, span, false),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.eval_name(v.as_str(), span),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr);
                match truthy(&cond) {
                    Some(true) => self.eval(&c.true_expr),
                    Some(false) => self.eval(&c.false_expr),
                    None if cond.is_unknown() => {
                        let a = self.eval(&c.true_expr);
                        let b = self.eval(&c.false_expr);
                        if !a.contains_unknown() && values_equal(&a, &b) == Some(true) {
                            return self.respan(a, span);
                        }
                        unknown_of(span, &[&cond, &a, &b], "condition is unknown")
                    }
                    None => self.error_unknown(span, "condition is not a bool"),
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str().to_string();
                if f.name.is_namespaced() {
                    let ns: Vec<&str> = f.name.namespace.iter().map(|i| i.as_str()).collect();
                    let full = format!("{}::{}", ns.join("::"), name);
                    return Value::unknown(
                        span,
                        Vec::new(),
                        Some(format!("function `{full}` is not evaluated")),
                    );
                }
                match name.as_str() {
                    "try" => return self.eval_try(f.args.iter(), span),
                    "can" => return self.eval_can(f.args.iter(), span),
                    _ => {}
                }
                let mut args: Vec<Value> = f.args.iter().map(|e| self.eval(e)).collect();
                if f.args.expand_final() {
                    match args.pop() {
                        Some(last) => match last.kind {
                            Kind::List(items) => args.extend(items),
                            Kind::Unknown(_) => {
                                let refs = collect_refs(&[&last]);
                                return Value::unknown(
                                    span,
                                    refs,
                                    Some("expanded argument is unknown".into()),
                                );
                            }
                            _ => return self.error_unknown(span, "cannot expand a non-list"),
                        },
                        None => return self.error_unknown(span, "nothing to expand"),
                    }
                }
                functions::call(self, &name, args, span)
            }
            Expression::Traversal(t) => self.eval_traversal(t, span),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                if v.is_unknown() {
                    return unknown_of(span, &[&v], "operand is unknown");
                }
                let origin = v.origin.clone();
                let out = match u.operator.value() {
                    UnaryOperator::Not => match v.as_bool() {
                        Some(b) => Value::new(Kind::Bool(!b), span),
                        None => return self.error_unknown(span, "`!` needs a bool"),
                    },
                    UnaryOperator::Neg => match num(&v) {
                        Some(n) => Value::new(Kind::Number(-n), span),
                        None => return self.error_unknown(span, "`-` needs a number"),
                    },
                };
                out.with_origin(origin)
            }
            Expression::BinaryOp(b) => self.eval_binary(b, span),
            Expression::ForExpr(f) => self.eval_for(f, span),
        }
    }

    fn eval_object(&mut self, o: &hcl_edit::expr::Object, span: Span) -> Value {
        let mut entries: Vec<Entry> = Vec::with_capacity(o.len());
        let mut unknown_keys: Vec<Value> = Vec::new();
        for (k, v) in o.iter() {
            let key_span = self.span_of(k);
            let key = match k {
                ObjectKey::Ident(id) => Some(id.as_str().to_string()),
                ObjectKey::Expression(e) => {
                    // A bare identifier is a literal key; anything else is evaluated.
                    if let Expression::Variable(id) = e {
                        Some(id.as_str().to_string())
                    } else {
                        let kv = self.eval(e);
                        match &kv.kind {
                            Kind::String(s) => Some(s.to_string()),
                            Kind::Number(_) | Kind::Bool(_) => scalar_to_string(&kv),
                            Kind::Unknown(_) => {
                                unknown_keys.push(kv);
                                None
                            }
                            _ => {
                                self.error();
                                unknown_keys.push(Value::unknown(
                                    key_span,
                                    Vec::new(),
                                    Some("object key is not a string".into()),
                                ));
                                None
                            }
                        }
                    }
                }
            };
            let value = self.eval(v.expr());
            if let Some(key) = key {
                if let Some(e) = entries.iter_mut().find(|e| e.key == key) {
                    e.value = value;
                    e.key_span = key_span;
                } else {
                    entries.push(Entry {
                        key: key.into(),
                        key_span,
                        value,
                    });
                }
            } else {
                unknown_keys.push(value);
            }
        }
        if !unknown_keys.is_empty() {
            let mut all: Vec<&Value> = unknown_keys.iter().collect();
            all.extend(entries.iter().map(|e| &e.value));
            return unknown_of(span, &all, "object key is unknown");
        }
        let origin = merge_origin_iter(entries.iter().map(|e| &e.value));
        Value::map(entries, span).with_origin(origin)
    }

    fn eval_name(&mut self, name: &str, span: Span) -> Value {
        if let Some(v) = self.lookup_binding(name) {
            return self.respan(v, span);
        }
        Value::unknown(span, Vec::new(), Some(format!("`{name}` is not a value")))
    }

    fn lookup_binding(&self, name: &str) -> Option<Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    // ----- traversals -------------------------------------------------------------------

    fn eval_traversal(&mut self, t: &Traversal, span: Span) -> Value {
        let ops: &[hcl_edit::Decorated<TraversalOperator>] = &t.operators;
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr);
            return self.apply_ops(base, ops, span);
        };
        let root = root.as_str();
        if let Some(v) = self.lookup_binding(root) {
            return self.apply_ops(v, ops, span);
        }
        let attr_at = |i: usize| -> Option<&str> {
            match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
                _ => None,
            }
        };
        if self.literal_only {
            self.diags.push(Diagnostic::error(
                self.file,
                Some(span),
                "variables are not allowed here",
            ));
            return self.error_unknown(span, "variables are not allowed here");
        }
        match root {
            "var" => {
                let Some(name) = attr_at(0) else {
                    return self.error_unknown(span, "`var` needs an attribute");
                };
                let name = name.to_string();
                let base = self.var_value(&name, span);
                self.apply_ops(base, ops.get(1..).unwrap_or(&[]), span)
            }
            "local" => {
                let Some(name) = attr_at(0) else {
                    return self.error_unknown(span, "`local` needs an attribute");
                };
                let name = name.to_string();
                let base = self.local_value(&name, span);
                self.apply_ops(base, ops.get(1..).unwrap_or(&[]), span)
            }
            "module" if attr_at(0).is_some_and(|m| self.modules.contains_key(m)) => {
                let base = attr_at(0)
                    .and_then(|m| self.modules.get(m))
                    .cloned()
                    .unwrap_or_else(|| Value::null(span));
                let base = self.respan(base, span);
                self.apply_ops(base, ops.get(1..).unwrap_or(&[]), span)
            }
            "path" if self.paths.is_some() => {
                let (m, r, c) = self.paths.clone().unwrap_or_default();
                let v = match attr_at(0) {
                    Some("module") => m,
                    Some("root") => r,
                    Some("cwd") => c,
                    _ => return self.error_unknown(span, "unknown `path` attribute"),
                };
                Value::string(v, span)
            }
            _ => {
                // Leading attribute names (`aws_s3_bucket.b.arn`).
                let attrs: Vec<&str> = (0..ops.len()).map_while(attr_at).collect();
                self.reference(root, &attrs, ops, span)
            }
        }
    }

    /// The default meaning of a reference that is not a variable, local or binding.
    fn reference(
        &mut self,
        root: &str,
        attrs: &[&str],
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        span: Span,
    ) -> Value {
        // First attribute name after position `from`, skipping index and splat operators.
        let attr_after = |from: usize| -> Option<String> {
            ops.iter().skip(from).find_map(|o| match o.value() {
                TraversalOperator::GetAttr(a) => Some(a.as_str().to_string()),
                _ => None,
            })
        };
        let mut extra: Vec<Value> = Vec::new();
        let (kind, target, attr) = match root {
            "data" => {
                if attrs.len() < 2 {
                    return self.error_unknown(span, "invalid data source reference");
                }
                let (key, skip) = self.instance_key(ops.get(2), &mut extra);
                (
                    RefKind::Data,
                    format!("{}data.{}.{}{key}", self.prefix, attrs[0], attrs[1]),
                    attr_after(2 + skip),
                )
            }
            "module" => {
                let Some(m) = attrs.first() else {
                    return self.error_unknown(span, "invalid module reference");
                };
                (RefKind::Module, (*m).to_string(), attr_after(1))
            }
            "count" | "each" | "path" | "terraform" | "self" => {
                let what = match attrs.first() {
                    Some(a) => format!("{root}.{a}"),
                    None => root.to_string(),
                };
                return Value::unknown(span, Vec::new(), Some(format!("`{what}` is not known")));
            }
            _ => {
                let Some(name) = attrs.first() else {
                    return Value::unknown(
                        span,
                        Vec::new(),
                        Some(format!("`{root}` is not a value")),
                    );
                };
                let (key, skip) = self.instance_key(ops.get(1), &mut extra);
                (
                    RefKind::Resource,
                    format!("{}{root}.{name}{key}", self.prefix),
                    attr_after(1 + skip),
                )
            }
        };
        let reason = match &attr {
            Some(a) => format!("`{target}.{a}` is known only after apply"),
            None => format!("`{target}` is known only after apply"),
        };
        let mut refs = vec![Reference {
            kind,
            target: target.into(),
            attr: attr.map(Into::into),
            span,
        }];
        for r in collect_refs(&extra.iter().collect::<Vec<_>>()) {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        Value::unknown(span, refs, Some(reason))
    }

    /// The instance key of a resource reference (`["logs"]`, `[0]`) when the operator after
    /// the name is an index with a known key; `("", 0)` otherwise. Unknown keys keep their
    /// references in `extra`.
    fn instance_key(
        &mut self,
        op: Option<&hcl_edit::Decorated<TraversalOperator>>,
        extra: &mut Vec<Value>,
    ) -> (String, usize) {
        let key = match op.map(|o| o.value()) {
            Some(TraversalOperator::Index(e)) => self.eval(e),
            Some(TraversalOperator::LegacyIndex(n)) => {
                return (format!("[{}]", n.value()), 1);
            }
            _ => return (String::new(), 0),
        };
        match &key.kind {
            Kind::String(s) => (format!("[{}]", functions::json_quote(s, false)), 1),
            Kind::Number(n) if n.fract() == 0.0 && *n >= 0.0 => {
                (format!("[{}]", number_text(*n)), 1)
            }
            _ => {
                extra.push(key);
                (String::new(), 0)
            }
        }
    }

    fn var_value(&mut self, name: &str, span: Span) -> Value {
        match self.vars.get(name) {
            Some(Some(v)) => {
                let v = v.clone();
                if let Some(u) = self.spend_copy(&v, span) {
                    return u;
                }
                self.respan(v, span)
            }
            Some(None) => Value::unknown(
                span,
                vec![Reference {
                    kind: RefKind::Input,
                    target: name.into(),
                    attr: None,
                    span,
                }],
                Some(format!("variable `{name}` has no value")),
            ),
            None => {
                self.diags.push(Diagnostic::error(
                    self.file,
                    Some(span),
                    format!("reference to undeclared variable `{name}`"),
                ));
                let mut v = self.error_unknown(span, format!("variable `{name}` is not declared"));
                if let Kind::Unknown(u) = &mut v.kind {
                    let mut refs = std::mem::take(&mut u.refs).into_vec();
                    refs.push(Reference {
                        kind: RefKind::Input,
                        target: name.into(),
                        attr: None,
                        span,
                    });
                    u.refs = refs.into_boxed_slice();
                }
                v
            }
        }
    }

    /// The value of a local, evaluating it on first use.
    pub fn local_value(&mut self, name: &str, span: Span) -> Value {
        match self.local_state.get(name) {
            Some(LocalState::Done { value, errored }) => {
                if *errored {
                    self.errors += 1;
                }
                let v = value.clone();
                if let Some(u) = self.spend_copy(&v, span) {
                    return u;
                }
                return self.respan(v, span);
            }
            Some(LocalState::Evaluating) => {
                let start = self.local_stack.iter().position(|n| n == name).unwrap_or(0);
                let mut path: Vec<&str> = self
                    .local_stack
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .map(String::as_str)
                    .collect();
                path.push(name);
                let msg = format!("cycle in locals: {}", path.join(" -> "));
                if self.reported_cycles.insert(name.to_string()) {
                    self.diags
                        .push(Diagnostic::error(self.file, Some(span), msg.clone()));
                }
                return self.error_unknown(span, msg);
            }
            None => {}
        }
        let Some(def) = self.locals.get(name) else {
            self.diags.push(Diagnostic::error(
                self.file,
                Some(span),
                format!("reference to undeclared local value `{name}`"),
            ));
            return self.error_unknown(span, format!("local `{name}` is not declared"));
        };
        let (expr, file, json) = (def.expr, def.file, def.json.clone());
        self.local_state
            .insert(name.to_string(), LocalState::Evaluating);
        self.local_stack.push(name.to_string());
        let saved_file = self.file_state();
        self.restore_file((file, json));
        let saved_bindings = std::mem::take(&mut self.bindings);
        let errors_before = self.errors;
        let value = self.eval(expr);
        let errored = self.errors > errors_before;
        self.bindings = saved_bindings;
        self.restore_file(saved_file);
        self.local_stack.pop();
        self.local_state.insert(
            name.to_string(),
            LocalState::Done {
                value: value.clone(),
                errored,
            },
        );
        self.respan(value, span)
    }

    /// Evaluates a local as a top-level expression (counted in the stats), if not done yet.
    pub fn eval_local_attr(&mut self, name: &str) {
        if self.local_state.contains_key(name) {
            return;
        }
        let Some(def) = self.locals.get(name) else {
            return;
        };
        let span = def.key_span;
        self.depth_reported = false;
        let v = self.local_value(name, span);
        self.stats.expressions += 1;
        if v.contains_unknown() {
            self.stats.unknown += 1;
        }
    }

    /// Applies traversal operators to a value.
    fn apply_ops(
        &mut self,
        mut cur: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        span: Span,
    ) -> Value {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            i += 1;
            if cur.is_unknown() {
                // Evaluate index keys anyway for their references.
                let mut extra = Vec::new();
                for o in ops.get(i - 1..).unwrap_or(&[]) {
                    if let TraversalOperator::Index(e) = o.value() {
                        extra.push(self.eval(e));
                    }
                }
                let mut all = vec![&cur];
                all.extend(extra.iter());
                let reason = cur
                    .as_unknown()
                    .and_then(|u| u.reason.clone())
                    .unwrap_or_else(|| "value is unknown".into());
                return unknown_of(span, &all, &reason);
            }
            match op.value() {
                TraversalOperator::GetAttr(a) => {
                    cur = self.get_attr(cur, a.as_str(), span);
                }
                TraversalOperator::Index(e) => {
                    let key = self.eval(e);
                    cur = self.index(cur, key, span);
                }
                TraversalOperator::LegacyIndex(n) => {
                    let key = Value::new(Kind::Number(*n.value() as f64), span);
                    cur = self.index(cur, key, span);
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(op.value(), TraversalOperator::FullSplat(_));
                    // Operators applied to each element.
                    let rest = ops.get(i..).unwrap_or(&[]);
                    let n = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o.value(), TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let each = rest.get(..n).unwrap_or(&[]);
                    i += n;
                    let origin = cur.origin.clone();
                    let items = match cur.kind {
                        Kind::Null => Vec::new(),
                        Kind::List(items) => items.into_vec(),
                        _ => vec![cur],
                    };
                    let out: Vec<Value> = items
                        .into_iter()
                        .map(|item| self.apply_ops(item, each, span))
                        .collect();
                    cur = Value::list(out, span).with_origin(origin);
                }
            }
        }
        self.respan(cur, span)
    }

    fn get_attr(&mut self, cur: Value, name: &str, span: Span) -> Value {
        match cur.kind {
            Kind::Map(entries) => {
                let origin = cur.origin;
                match entries.into_vec().into_iter().find(|e| e.key == name) {
                    Some(e) => e.value,
                    // A map from a variable may be an object whose optional attributes
                    // Terraform fills with null: not provably an error.
                    None if origin != Origin::Literal => Value::unknown(
                        span,
                        Vec::new(),
                        Some(format!("attribute `{name}` is not set")),
                    ),
                    None => self.error_unknown(span, format!("no attribute `{name}`")),
                }
            }
            Kind::Null => self.error_unknown(span, format!("attribute `{name}` of null")),
            _ => self.error_unknown(span, format!("attribute `{name}` of a non-object")),
        }
    }

    fn index(&mut self, cur: Value, key: Value, span: Span) -> Value {
        if key.is_unknown() {
            return unknown_of(span, &[&cur, &key], "index is unknown");
        }
        match cur.kind {
            Kind::List(items) => {
                let Some(n) = num(&key) else {
                    return self.error_unknown(span, "list index is not a number");
                };
                if n < 0.0 || n.fract() != 0.0 {
                    return self.error_unknown(span, "invalid list index");
                }
                match items.into_vec().into_iter().nth(n as usize) {
                    Some(v) => v,
                    None => self.error_unknown(span, "list index out of range"),
                }
            }
            Kind::Map(entries) => {
                let Some(k) = scalar_to_string(&key) else {
                    return self.error_unknown(span, "map key is not a string");
                };
                let origin = cur.origin;
                match entries.into_vec().into_iter().find(|e| e.key == k) {
                    Some(e) => e.value,
                    None if origin != Origin::Literal => {
                        Value::unknown(span, Vec::new(), Some(format!("key `{k}` is not set")))
                    }
                    None => self.error_unknown(span, format!("no key `{k}`")),
                }
            }
            _ => self.error_unknown(span, "cannot index this value"),
        }
    }

    // ----- operators --------------------------------------------------------------------

    fn eval_binary(&mut self, b: &hcl_edit::expr::BinaryOp, span: Span) -> Value {
        use BinaryOperator as B;
        let op = *b.operator.value();
        let l = self.eval(&b.lhs_expr);
        let r = self.eval(&b.rhs_expr);
        let origin = merge_origin(&l.origin, &r.origin);
        if matches!(op, B::And | B::Or) {
            let lb = truthy(&l);
            let rb = truthy(&r);
            let decided = match op {
                B::And => {
                    if lb == Some(false) || rb == Some(false) {
                        Some(false)
                    } else {
                        None
                    }
                }
                _ => {
                    if lb == Some(true) || rb == Some(true) {
                        Some(true)
                    } else {
                        None
                    }
                }
            };
            if let Some(d) = decided {
                return Value::new(Kind::Bool(d), span).with_origin(origin);
            }
            if l.is_unknown() || r.is_unknown() {
                return unknown_of(span, &[&l, &r], "operand is unknown");
            }
            return match (lb, rb) {
                (Some(x), Some(y)) => {
                    let v = if op == B::And { x && y } else { x || y };
                    Value::new(Kind::Bool(v), span).with_origin(origin)
                }
                _ => self.error_unknown(span, "logical operator needs bools"),
            };
        }
        if matches!(op, B::Eq | B::NotEq) {
            if l.contains_unknown() || r.contains_unknown() {
                return unknown_of(span, &[&l, &r], "operand is unknown");
            }
            let l = self.json_as_string(l);
            let r = self.json_as_string(r);
            let Some(eq) = values_equal(&l, &r) else {
                return unknown_of(span, &[&l, &r], "operand is unknown");
            };
            let v = if op == B::Eq { eq } else { !eq };
            return Value::new(Kind::Bool(v), span).with_origin(origin);
        }
        if l.is_unknown() || r.is_unknown() {
            return unknown_of(span, &[&l, &r], "operand is unknown");
        }
        let (Some(x), Some(y)) = (num(&l), num(&r)) else {
            return self.error_unknown(span, "arithmetic needs numbers");
        };
        let kind = match op {
            B::Plus => Kind::Number(x + y),
            B::Minus => Kind::Number(x - y),
            B::Mul => Kind::Number(x * y),
            B::Div => {
                if y == 0.0 {
                    return self.error_unknown(span, "division by zero");
                }
                Kind::Number(x / y)
            }
            B::Mod => {
                if y == 0.0 {
                    return self.error_unknown(span, "modulo by zero");
                }
                Kind::Number(x % y)
            }
            B::Less => Kind::Bool(x < y),
            B::LessEq => Kind::Bool(x <= y),
            B::Greater => Kind::Bool(x > y),
            B::GreaterEq => Kind::Bool(x >= y),
            _ => return self.error_unknown(span, "unsupported operator"),
        };
        if let Kind::Number(n) = kind {
            if !n.is_finite() {
                return self.error_unknown(span, "number out of range");
            }
        }
        Value::new(kind, span).with_origin(origin)
    }

    /// A `jsonencode` result as its JSON text (for string contexts); other values unchanged.
    pub fn json_as_string(&self, v: Value) -> Value {
        if !self.is_json(&v) {
            return v;
        }
        if let Some(raw) = self.json_raw.get(&v.span) {
            return Value::string(raw.to_string(), v.span).with_origin(v.origin);
        }
        match functions::json_text(&v) {
            Some(text) => Value::string(text, v.span).with_origin(v.origin),
            None => v,
        }
    }

    /// The string form of a value in a string context: `Ok(text)`, or `Err(unknown value)`.
    pub fn text_of(&mut self, v: &Value) -> Result<String, Value> {
        match &v.kind {
            Kind::String(s) => Ok(s.to_string()),
            Kind::Number(_) | Kind::Bool(_) => {
                scalar_to_string(v).ok_or_else(|| Value::unknown(v.span, Vec::new(), None))
            }
            Kind::Unknown(_) => Err(v.clone()),
            Kind::Map(_) | Kind::List(_)
                if self.is_json(v) && self.json_raw.contains_key(&v.span) =>
            {
                Ok(self
                    .json_raw
                    .get(&v.span)
                    .map(|r| r.to_string())
                    .unwrap_or_default())
            }
            Kind::Map(_) | Kind::List(_) if self.is_json(v) => match functions::json_text(v) {
                Some(t) => Ok(t),
                None => Err(unknown_of(v.span, &[v], "JSON contains unknown values")),
            },
            Kind::Null => Err(self.error_unknown(v.span, "null is not a string")),
            _ => Err(self.error_unknown(v.span, "a collection is not a string")),
        }
    }

    // ----- templates --------------------------------------------------------------------

    pub(crate) fn eval_template(&mut self, t: &Template, span: Span, quoted: bool) -> Value {
        // `"${x}"` is x itself, unconverted.
        if quoted {
            let mut it = t.iter();
            if let (Some(Element::Interpolation(i)), None) = (it.next(), it.next()) {
                let v = self.eval(&i.expr);
                return self.respan(v, span);
            }
        }
        let mut pieces = Vec::new();
        self.template_pieces(t, &mut pieces);
        finish_template(pieces, span)
    }

    fn template_pieces(&mut self, t: &Template, out: &mut Vec<Piece>) {
        for el in t.iter() {
            match el {
                Element::Literal(s) => out.push(Piece::Text(s.value().clone())),
                Element::Interpolation(i) => {
                    strip_before(i.strip, out);
                    let v = self.eval(&i.expr);
                    out.push(Piece::Origin((*v.origin).clone()));
                    match self.text_of(&v) {
                        Ok(s) => out.push(Piece::Text(s)),
                        Err(u) => out.push(Piece::Hole(Box::new(u))),
                    }
                    strip_after(i.strip, out);
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        strip_before(d.if_expr.strip, out);
                        let c = self.eval(&d.if_expr.cond_expr);
                        match truthy(&c) {
                            Some(true) => {
                                strip_after(d.if_expr.strip, out);
                                self.template_pieces(&d.if_expr.template, out);
                                match &d.else_expr {
                                    Some(e) => strip_before(e.strip, out),
                                    None => strip_before(d.endif_expr.strip, out),
                                }
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    strip_after(e.strip, out);
                                    self.template_pieces(&e.template, out);
                                }
                                strip_before(d.endif_expr.strip, out);
                            }
                            None => {
                                let u = if c.is_unknown() {
                                    unknown_of(c.span, &[&c], "template condition is unknown")
                                } else {
                                    self.error_unknown(c.span, "condition is not a bool")
                                };
                                out.push(Piece::Hole(Box::new(u)));
                            }
                        }
                        strip_after(d.endif_expr.strip, out);
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        strip_before(f.strip, out);
                        let coll = self.eval(&f.collection_expr);
                        match self.iteration_items(&coll) {
                            Some(items) => {
                                for (k, v) in items {
                                    let mut n = 0;
                                    if let Some(kv) = &f.key_var {
                                        self.bind(kv.as_str(), k);
                                        n += 1;
                                    }
                                    self.bind(f.value_var.as_str(), v);
                                    n += 1;
                                    strip_after(f.strip, out);
                                    self.template_pieces(&f.template, out);
                                    strip_before(d.endfor_expr.strip, out);
                                    for _ in 0..n {
                                        self.unbind();
                                    }
                                    if out.len() > MAX_ITEMS {
                                        let u = Value::unknown(
                                            coll.span,
                                            Vec::new(),
                                            Some("template result too large".into()),
                                        );
                                        out.push(Piece::Hole(Box::new(u)));
                                        break;
                                    }
                                }
                            }
                            None => {
                                let u = if coll.contains_unknown() {
                                    unknown_of(coll.span, &[&coll], "collection is unknown")
                                } else {
                                    self.error_unknown(coll.span, "cannot iterate this value")
                                };
                                out.push(Piece::Hole(Box::new(u)));
                            }
                        }
                        strip_after(d.endfor_expr.strip, out);
                    }
                },
            }
        }
    }

    /// Key/value pairs of a known collection (lists: index; maps: sorted keys), or `None`.
    pub fn iteration_items(&self, coll: &Value) -> Option<Vec<(Value, Value)>> {
        match &coll.kind {
            Kind::List(items) => {
                if coll.is_unknown() {
                    return None;
                }
                Some(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (Value::new(Kind::Number(i as f64), v.span), v.clone()))
                        .collect(),
                )
            }
            Kind::Map(entries) => {
                let mut e: Vec<&Entry> = entries.iter().collect();
                e.sort_by(|a, b| a.key.cmp(&b.key));
                Some(
                    e.into_iter()
                        .map(|e| (Value::string(e.key.clone(), e.key_span), e.value.clone()))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    // ----- for expressions --------------------------------------------------------------

    fn eval_for(&mut self, f: &ForExpr, span: Span) -> Value {
        let coll = self.eval(&f.intro.collection_expr);
        let Some(items) = self.iteration_items(&coll) else {
            if coll.contains_unknown() {
                return unknown_of(span, &[&coll], "collection is unknown");
            }
            return self.error_unknown(span, "cannot iterate this value");
        };
        if items.len() > MAX_ITEMS {
            return Value::unknown(span, Vec::new(), Some("collection too large".into()));
        }
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.intro.value_var.as_str().to_string();
        let mut list: Vec<Value> = Vec::new();
        let mut map: Vec<Entry> = Vec::new();
        // With `...`, the items of each key of `map`, in the same order (lists are boxed
        // slices once built, so they are collected here first).
        let mut groups: Vec<Vec<Value>> = Vec::new();
        let mut result: Option<Value> = None;
        for (k, v) in items {
            let mut n = 0;
            if let Some(kv) = &key_var {
                self.bind(kv.clone(), k);
                n += 1;
            }
            self.bind(value_var.clone(), v);
            n += 1;
            let step = self.for_step(f, span, &mut list, &mut map, &mut groups);
            for _ in 0..n {
                self.unbind();
            }
            if let Err(u) = step {
                result = Some(u);
                break;
            }
        }
        if let Some(u) = result {
            return u;
        }
        let origin = coll.origin.clone();
        for (e, items) in map.iter_mut().zip(groups) {
            e.value = Value::list(items, e.value.span);
        }
        if f.key_expr.is_some() {
            // Terraform's maps are ordered by key.
            map.sort_by(|a, b| a.key.cmp(&b.key));
            Value::map(map, span).with_origin(origin)
        } else {
            Value::list(list, span).with_origin(origin)
        }
    }

    fn for_step(
        &mut self,
        f: &ForExpr,
        span: Span,
        list: &mut Vec<Value>,
        map: &mut Vec<Entry>,
        groups: &mut Vec<Vec<Value>>,
    ) -> Result<(), Value> {
        if let Some(cond) = &f.cond {
            let c = self.eval(&cond.expr);
            match truthy(&c) {
                Some(true) => {}
                Some(false) => return Ok(()),
                None if c.is_unknown() => {
                    return Err(unknown_of(span, &[&c], "for condition is unknown"))
                }
                None => return Err(self.error_unknown(span, "for condition is not a bool")),
            }
        }
        let Some(kexpr) = &f.key_expr else {
            list.push(self.eval(&f.value_expr));
            return Ok(());
        };
        let k = self.eval(kexpr);
        let key = match self.text_of(&k) {
            Ok(s) => s,
            Err(u) => return Err(unknown_of(span, &[&u], "for key is unknown")),
        };
        let v = self.eval(&f.value_expr);
        let key_span = k.span;
        if f.grouping {
            match map.iter().position(|e| e.key == key) {
                Some(i) => {
                    if let Some(items) = groups.get_mut(i) {
                        items.push(v);
                    }
                }
                None => {
                    // The list takes the span of its first item.
                    map.push(Entry {
                        key: key.into(),
                        key_span,
                        value: Value::null(v.span),
                    });
                    groups.push(vec![v]);
                }
            }
        } else {
            if map.iter().any(|e| e.key == key) {
                return Err(self.error_unknown(span, format!("duplicate key `{key}` in for")));
            }
            map.push(Entry {
                key: key.into(),
                key_span,
                value: v,
            });
        }
        Ok(())
    }

    // ----- try / can --------------------------------------------------------------------

    fn eval_try<'e>(&mut self, args: impl Iterator<Item = &'e Expression>, span: Span) -> Value {
        for a in args {
            let before = self.errors;
            let v = self.eval(a);
            if self.errors > before {
                // Terraform ignores this argument's error and tries the next one.
                self.errors = before;
                continue;
            }
            if v.contains_unknown() {
                return unknown_of(span, &[&v], "try argument is unknown");
            }
            return self.respan(v, span);
        }
        self.error_unknown(span, "no argument of try succeeded")
    }

    fn eval_can<'e>(
        &mut self,
        mut args: impl Iterator<Item = &'e Expression>,
        span: Span,
    ) -> Value {
        let Some(a) = args.next() else {
            return self.error_unknown(span, "can needs an argument");
        };
        let before = self.errors;
        let v = self.eval(a);
        if self.errors > before {
            self.errors = before;
            return Value::new(Kind::Bool(false), span);
        }
        if v.contains_unknown() {
            return unknown_of(span, &[&v], "can argument is unknown");
        }
        Value::new(Kind::Bool(true), span)
    }
}

enum Piece {
    Text(String),
    Hole(Box<Value>),
    StripPrev,
    StripNext,
    /// The origin of an interpolated value.
    Origin(Origin),
}

fn strip_before(s: Strip, out: &mut Vec<Piece>) {
    if s.strip_start() {
        out.push(Piece::StripPrev);
    }
}
fn strip_after(s: Strip, out: &mut Vec<Piece>) {
    if s.strip_end() {
        out.push(Piece::StripNext);
    }
}

fn finish_template(pieces: Vec<Piece>, span: Span) -> Value {
    // Apply strip markers to the literal text right before/after them.
    let mut parts: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut strip_next = false;
    let mut origin = Origin::Literal;
    for p in pieces {
        match p {
            Piece::Origin(o) => origin = merge_origin(&origin, &o),
            Piece::StripPrev => {
                if let Some(Piece::Text(t)) = parts.last_mut() {
                    let n = t.trim_end().len();
                    t.truncate(n);
                }
            }
            Piece::StripNext => strip_next = true,
            Piece::Text(t) => {
                let t = if strip_next {
                    t.trim_start().to_string()
                } else {
                    t
                };
                strip_next = false;
                parts.push(Piece::Text(t));
            }
            Piece::Hole(v) => {
                strip_next = false;
                parts.push(Piece::Hole(v));
            }
        }
    }
    let mut text = String::new();
    let mut refs = Vec::new();
    let mut holes = false;
    let mut reason = None;
    for p in &parts {
        match p {
            Piece::Text(t) => text.push_str(t),
            Piece::Hole(v) => {
                holes = true;
                origin = merge_origin(&origin, &v.origin);
                match &v.kind {
                    Kind::Unknown(u) => {
                        refs.extend(u.refs.iter().cloned());
                        if reason.is_none() {
                            reason = u.reason.clone();
                        }
                        match &u.partial {
                            Some(p) => text.push_str(p),
                            None => text.push(HOLE),
                        }
                    }
                    _ => {
                        let mut r = Vec::new();
                        collect_refs_into(v, &mut r);
                        refs.extend(r);
                        text.push(HOLE);
                    }
                }
            }
            _ => {}
        }
        if text.len() > MAX_STRING {
            return Value::unknown(span, refs, Some("string too large".into()));
        }
    }
    if holes {
        return Value::new(
            Kind::Unknown(Box::new(Unknown {
                refs: refs.into(),
                reason,
                partial: Some(text.into()),
                ..Default::default()
            })),
            span,
        )
        .with_origin(origin);
    }
    Value::string(text, span).with_origin(origin)
}

impl functions::Context for Evaluator<'_> {
    fn error_unknown(&mut self, span: Span, reason: impl Into<String>) -> Value {
        Evaluator::error_unknown(self, span, reason)
    }
    fn mark_json(&mut self, span: Span) {
        Evaluator::mark_json(self, span)
    }
    fn is_json(&self, v: &Value) -> bool {
        Evaluator::is_json(self, v)
    }
    fn respan(&mut self, v: Value, span: Span) -> Value {
        Evaluator::respan(self, v, span)
    }
    fn json_as_string(&self, v: Value) -> Value {
        Evaluator::json_as_string(self, v)
    }
    fn text_of(&mut self, v: &Value) -> Result<String, Value> {
        Evaluator::text_of(self, v)
    }
    /// `file`, `templatefile` and `fileexists`: they read files and evaluate templates.
    fn file_function(&mut self, name: &str, args: Vec<Value>, span: Span) -> Value {
        let ev = self;
        let want = if name == "templatefile" { 2 } else { 1 };
        if let Some(u) = functions::arity(ev, name, &args, want, span) {
            return u;
        }
        if args[0].contains_unknown() {
            return unknown_of(span, &[&args[0]], &format!("path of `{name}` is unknown"));
        }
        let path = match ev.text_of(&args[0]) {
            Ok(p) => p,
            Err(u) => return u,
        };
        let Some(files) = ev.files() else {
            return Value::unknown(
                span,
                Vec::new(),
                Some(format!("`{name}` is not evaluated here")),
            );
        };
        if name == "fileexists" {
            return match files.exists(&path) {
                Some(b) => Value::new(Kind::Bool(b), span),
                None => Value::unknown(span, Vec::new(), Some("file is outside the scan".into())),
            };
        }
        let file = match files.read(&path) {
            Ok(f) => f,
            Err(msg) => {
                // A refused path is said once, where it is asked for (not silently unknown).
                if msg.contains(super::values::OUTSIDE_SCAN) {
                    ev.diags.push(Diagnostic::note(
                        ev.file,
                        Some(span),
                        format!("`{name}`: {msg}"),
                    ));
                }
                return Value::unknown(span, Vec::new(), Some(msg));
            }
        };
        if name == "file" {
            // A JSON document keeps its structure and spans (for policies); its text is the file's.
            let trimmed = file.text.trim_start();
            if path.ends_with(".json") && (trimmed.starts_with('{') || trimmed.starts_with('[')) {
                if let Ok(mut v) = crate::json_value::parse(&file.text, file.id, 0) {
                    v.span = span;
                    ev.mark_json_raw(span, file.text.clone());
                    return v;
                }
            }
            return functions::string_result(ev, file.text.to_string(), span);
        }
        // templatefile: the file is a template seeing only the given variables.
        if args[1].is_unknown() {
            return unknown_of(span, &[&args[1]], "variables of `templatefile` are unknown");
        }
        let Some(vars) = functions::map_arg(ev, &args[1]) else {
            return ev.error_unknown(span, "templatefile needs a map of variables");
        };
        if super::parse::too_deep(&file.text, super::parse::MAX_NESTING).is_some() {
            return ev.error_unknown(span, "template nested too deeply");
        }
        let Ok(template) = hcl_edit::parser::parse_template(&file.text) else {
            return ev.error_unknown(span, "template does not parse");
        };
        let bindings: Vec<(String, Value)> = vars
            .iter()
            .map(|e| (e.key.to_string(), e.value.clone()))
            .collect();
        let saved = ev.swap_bindings(bindings);
        let literal = ev.set_literal_only(true);
        let saved_file = ev.file_state();
        ev.set_file(file.id);
        let v = ev.eval_template(&template, span, false);
        ev.restore_file(saved_file);
        ev.set_literal_only(literal);
        ev.swap_bindings(saved);
        v
    }
}

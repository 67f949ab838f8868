//! Static resolution of CloudFormation intrinsic functions (first level).
//!
//! Resolution is bottom-up: arguments are resolved first, then the function is applied when its
//! inputs are known. Anything that depends on deploy-time facts (resource attributes, account,
//! region, imports, undecidable conditions) becomes [`Kind::Unknown`] carrying the references it
//! was built from, never a guess. A resolved value takes the span of the intrinsic (the use
//! site) and the [`Origin`] of what it came from (a parameter default, `--parameter`, a mapping).
//!
//! `None` from [`Resolver::resolve`] stands for `AWS::NoValue`: the enclosing property or list
//! item is removed. Recursion follows the tree (bounded by the parsers' nesting cap) plus
//! condition chains, both capped by [`MAX_EVAL_DEPTH`]; condition cycles are reported.

use super::CfnOptions;
use crate::resource::{Diagnostic, EvalStats};
use crate::source::{SourceFile, Span};
use crate::value::{
    fixed_reason, Alternative, ChosenBy, Entry, Kind, Origin, OriginRef, RefKind, Reference, Str,
    Unknown, Value, HOLE,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Bound on nested resolution calls (tree depth plus condition chains).
const MAX_EVAL_DEPTH: usize = 300;
/// Bound on conditions referring to conditions.
const MAX_CONDITION_CHAIN: usize = 64;

/// A parameter as `Ref` sees it.
pub(crate) struct Param {
    /// `--parameter` value, else the default (list types already split); `None` when unknown.
    pub value: Option<Value>,
    /// Why `value` is `None`.
    pub reason: String,
}

pub(crate) struct Resolver<'a> {
    file: &'a SourceFile,
    opts: &'a CfnOptions,
    params: HashMap<String, Param>,
    resources: HashSet<Str>,
    generators: Generators,
    mappings: Option<&'a Value>,
    conditions: HashMap<String, &'a Value>,
    /// `None` while a condition is being evaluated (cycle detection), then its result.
    cond_state: HashMap<String, Option<Option<bool>>>,
    cond_chain: usize,
    /// A decided condition whose result comes from a parameter's default: that parameter and
    /// the default's text (so values it chooses can say so).
    cond_default: HashMap<String, (Arc<str>, Arc<str>)>,
    /// The first parameter default read while evaluating the current condition.
    default_read: Option<(Arc<str>, Arc<str>)>,
    depth: usize,
    depth_reported: bool,
    pub stats: EvalStats,
    pub diags: Vec<Diagnostic>,
}

/// What may add resources the template does not list: a `Transform` (SAM creates
/// `ServerlessRestApi`, `<Function>Role`, `<Api>.Stage`, ...; macros anything) or a module
/// resource (`Type: X::Y::Z::MODULE`, whose resources are named after its logical ID).
#[derive(Default)]
pub(crate) struct Generators {
    pub transform: bool,
    pub modules: Vec<String>,
}

impl Generators {
    fn may_generate(&self, name: &str) -> bool {
        self.transform || self.modules.iter().any(|m| name.starts_with(m.as_str()))
    }
}

impl<'a> Resolver<'a> {
    pub fn new(
        file: &'a SourceFile,
        opts: &'a CfnOptions,
        params: HashMap<String, Param>,
        resources: HashSet<Str>,
        generators: Generators,
        mappings: Option<&'a Value>,
        conditions: HashMap<String, &'a Value>,
    ) -> Self {
        Resolver {
            file,
            opts,
            params,
            resources,
            generators,
            mappings,
            conditions,
            cond_state: HashMap::new(),
            cond_chain: 0,
            cond_default: HashMap::new(),
            default_read: None,
            depth: 0,
            depth_reported: false,
            stats: EvalStats::default(),
            diags: Vec::new(),
        }
    }

    /// A resource that is listed, or that a transform or module may create.
    pub fn may_exist(&self, name: &str) -> bool {
        self.resources.contains(name) || self.generators.may_generate(name)
    }

    fn err(&mut self, span: Span, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file.id, Some(span), message));
    }

    /// Resolves a value; `None` means `AWS::NoValue` (remove it).
    pub fn resolve(&mut self, v: &Value) -> Option<Value> {
        if self.depth >= MAX_EVAL_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.err(v.span, "expression nested too deeply to resolve");
            }
            return Some(Value::unknown(
                v.span,
                Vec::new(),
                Some("nested too deeply".into()),
            ));
        }
        self.depth += 1;
        let out = self.resolve_inner(v);
        self.depth -= 1;
        out
    }

    fn resolve_inner(&mut self, v: &Value) -> Option<Value> {
        match &v.kind {
            Kind::Map(entries) => {
                if let [e] = &entries[..] {
                    if is_intrinsic(&e.key) {
                        return self.intrinsic(v, e);
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    if let Some(value) = self.resolve(&e.value) {
                        out.push(Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value,
                        });
                    }
                }
                Some(Value {
                    kind: Kind::Map(out.into()),
                    span: v.span,
                    origin: v.origin.clone(),
                })
            }
            Kind::List(items) => {
                let items = items
                    .iter()
                    .filter_map(|i| self.resolve(i))
                    .filter(|i| !is_removed(i))
                    .collect();
                Some(Value {
                    kind: Kind::List(items),
                    span: v.span,
                    origin: v.origin.clone(),
                })
            }
            _ => Some(v.clone()),
        }
    }

    /// Resolves an argument; `AWS::NoValue` as a direct argument reads as null.
    fn arg(&mut self, v: &Value) -> Value {
        self.resolve(v).unwrap_or_else(|| Value::null(v.span))
    }

    fn intrinsic(&mut self, node: &Value, e: &Entry) -> Option<Value> {
        self.stats.expressions += 1;
        let span = node.span;
        let arg = &e.value;
        let out = match e.key.as_str() {
            "Ref" => self.fn_ref(span, arg),
            "Fn::GetAtt" => Some(self.fn_getatt(span, arg)),
            "Fn::Sub" => Some(self.fn_sub(span, arg)),
            "Fn::Join" => Some(self.fn_join(span, arg)),
            "Fn::Select" => Some(self.fn_select(span, arg)),
            "Fn::Split" => Some(self.fn_split(span, arg)),
            "Fn::Base64" => Some(self.fn_base64(span, arg)),
            "Fn::FindInMap" => Some(self.fn_find_in_map(span, arg)),
            "Fn::If" => self.fn_if(span, arg),
            "Fn::Length" => Some(self.fn_length(span, arg)),
            "Fn::ToJsonString" => Some(self.fn_to_json_string(span, arg)),
            "Fn::ImportValue" => Some(self.fn_import_value(span, arg)),
            name => {
                let a = self.arg(arg);
                if !KNOWN_INTRINSICS.contains(&name) {
                    self.err(e.key_span, format!("unknown intrinsic function `{name}`"));
                }
                Some(opaque(span, name, &a))
            }
        };
        if out.as_ref().is_some_and(Value::is_unknown) {
            self.stats.unknown += 1;
        }
        out
    }

    fn fn_ref(&mut self, span: Span, arg: &Value) -> Option<Value> {
        let a = self.arg(arg);
        match a.as_str() {
            Some(name) => self.lookup(name, span, |n| format!("Ref to undefined `{n}`")),
            None => {
                if !a.is_unknown() {
                    self.err(span, "`Ref` needs the name of a parameter or resource");
                }
                Some(unknown_of(span, &[&a], "`Ref` target is not known"))
            }
        }
    }

    /// What `Ref name` (or `${name}` in `Fn::Sub`) stands for; `None` for `AWS::NoValue`.
    fn lookup(
        &mut self,
        name: &str,
        span: Span,
        undefined: impl Fn(&str) -> String,
    ) -> Option<Value> {
        if let Some(p) = self.params.get(name) {
            return Some(match &p.value {
                Some(v) => at(v.clone(), span),
                None => Value::unknown(
                    span,
                    vec![reference(RefKind::Input, name, None, span)],
                    Some(p.reason.clone()),
                ),
            });
        }
        if let Some(v) = self.pseudo(name, span) {
            return v;
        }
        if self.resources.contains(name) {
            return Some(Value::unknown(
                span,
                vec![reference(RefKind::Resource, name, None, span)],
                Some(format!(
                    "`Ref` to resource `{name}` is known at deploy time"
                )),
            ));
        }
        if self.generators.may_generate(name) {
            // SAM's `Ref: MyApi.Stage` / `MyFunction.Alias` name a generated resource.
            let (target, attr) = match name.split_once('.') {
                Some((t, a)) => (t, Some(a.to_string())),
                None => (name, None),
            };
            return Some(Value::unknown(
                span,
                vec![reference(RefKind::Resource, target, attr, span)],
                Some(format!("`{name}` may be created by a transform or module")),
            ));
        }
        self.err(span, undefined(name));
        Some(Value::unknown(
            span,
            Vec::new(),
            Some(format!("undefined `{name}`")),
        ))
    }

    /// Pseudo parameters. `AWS::Partition` and `AWS::URLSuffix` default to the commercial
    /// partition; any of them can be given with `--parameter AWS::Region=eu-west-1`.
    fn pseudo(&self, name: &str, span: Span) -> Option<Option<Value>> {
        if name == "AWS::NoValue" {
            return Some(None);
        }
        if !name.starts_with("AWS::") {
            return None;
        }
        if let Some(v) = self.opts.parameters.get(name) {
            return Some(Some(
                Value::string(v, span).with_origin(Origin::Cli(name.into())),
            ));
        }
        let known = |s: &str| {
            Some(Some(
                Value::string(s, span).with_origin(Origin::Default(name.into())),
            ))
        };
        match name {
            "AWS::Partition" => known("aws"),
            "AWS::URLSuffix" => known("amazonaws.com"),
            "AWS::AccountId"
            | "AWS::Region"
            | "AWS::StackName"
            | "AWS::StackId"
            | "AWS::NotificationARNs" => Some(Some(Value::unknown(
                span,
                vec![reference(RefKind::Pseudo, name, None, span)],
                Some(format!("`{name}` is only known at deploy time")),
            ))),
            _ => None,
        }
    }

    fn fn_getatt(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let (res, attr) = match &a.kind {
            Kind::String(s) => match s.split_once('.') {
                Some((r, at)) => (
                    Value::string(r, a.span),
                    Value::string(at, a.span).with_origin(a.origin.clone()),
                ),
                None => return self.bad(span, &a, "`Fn::GetAtt` needs `LogicalId.Attribute`"),
            },
            Kind::List(items) => match &items[..] {
                [r, at] => (r.clone(), at.clone()),
                _ => {
                    return self.bad(
                        span,
                        &a,
                        "`Fn::GetAtt` needs a list of [LogicalId, Attribute]",
                    )
                }
            },
            Kind::Unknown(_) => return unknown_of(span, &[&a], "`Fn::GetAtt` target is not known"),
            _ => return self.bad(span, &a, "`Fn::GetAtt` needs [LogicalId, Attribute]"),
        };
        let Some(res) = res.as_str() else {
            return self.bad(span, &a, "`Fn::GetAtt` needs a logical ID");
        };
        self.attribute(span, res, &attr, |r| {
            format!("Fn::GetAtt to undefined resource `{r}`")
        })
    }

    /// `Fn::GetAtt` (or `${Res.Attr}`): unknown, referencing the resource attribute.
    fn attribute(
        &mut self,
        span: Span,
        res: &str,
        attr: &Value,
        undefined: impl Fn(&str) -> String,
    ) -> Value {
        if !self.may_exist(res) {
            self.err(span, undefined(res));
            return unknown_of(span, &[attr], &format!("undefined resource `{res}`"));
        }
        let name = scalar_text(attr);
        let mut refs = vec![reference(RefKind::Resource, res, name.clone(), span)];
        refs.extend(attr.references().into_iter().cloned());
        let reason = match &name {
            Some(a) => format!("`{res}.{a}` is known at deploy time"),
            None => format!("an attribute of `{res}` is known at deploy time"),
        };
        Value::unknown(span, dedup(refs), Some(reason))
    }

    /// Reports a malformed intrinsic and returns an unknown with the argument's references.
    fn bad(&mut self, span: Span, a: &Value, message: &str) -> Value {
        if !a.contains_unknown() {
            self.err(span, message);
        }
        unknown_of(span, &[a], message)
    }

    fn fn_sub(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let (tpl, vars) = match &a.kind {
            Kind::String(_) => (&a, None),
            Kind::List(items) => match &items[..] {
                [t] => (t, None),
                [t, v] => (t, Some(v)),
                _ => {
                    return self.bad(
                        span,
                        &a,
                        "`Fn::Sub` needs a string or [string, {variables}]",
                    )
                }
            },
            _ => {
                return self.bad(
                    span,
                    &a,
                    "`Fn::Sub` needs a string or [string, {variables}]",
                )
            }
        };
        let Some(template) = tpl.as_str() else {
            return self.bad(span, &a, "`Fn::Sub` needs a template string");
        };
        let mut out = Concat::new((*tpl.origin).clone());
        for part in sub_parts(template) {
            match part {
                SubPart::Text(t) => out.text.push_str(t),
                SubPart::Var(name) => {
                    let value = if let Some(v) = vars.and_then(|m| m.get(name)) {
                        Some(v.clone())
                    } else if let Some((res, attr)) = name.split_once('.') {
                        let attr = Value::string(attr, span);
                        Some(self.attribute(span, res, &attr, |r| {
                            format!("Fn::Sub refers to undefined resource `{r}`")
                        }))
                    } else {
                        self.lookup(name, span, |n| format!("Fn::Sub refers to undefined `{n}`"))
                    };
                    match value {
                        Some(v) => {
                            if !out.push(&v) {
                                self.err(
                                    span,
                                    format!("Fn::Sub variable `{name}` is not a string"),
                                );
                            }
                        }
                        None => {
                            self.err(span, "`AWS::NoValue` cannot be used in Fn::Sub");
                            out.hole();
                        }
                    }
                }
            }
        }
        out.finish(span, "`Fn::Sub` has parts only known at deploy time")
    }

    fn fn_join(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let Some([delim, list]) = a.as_list() else {
            return self.bad(span, &a, "`Fn::Join` needs [delimiter, list]");
        };
        let Some(delim) = scalar_text(delim) else {
            return self.bad(span, &a, "`Fn::Join` needs a string delimiter");
        };
        let items = match &list.kind {
            Kind::List(items) => items,
            Kind::Unknown(_) => return unknown_of(span, &[list], "`Fn::Join` list is not known"),
            _ => return self.bad(span, &a, "`Fn::Join` needs a list to join"),
        };
        let mut out = Concat::new(Origin::Literal);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.text.push_str(&delim);
            }
            if !out.push(item) {
                self.err(item.span, "`Fn::Join` items must be strings");
            }
        }
        out.finish(span, "`Fn::Join` has parts only known at deploy time")
    }

    fn fn_select(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let Some([index, list]) = a.as_list() else {
            return self.bad(span, &a, "`Fn::Select` needs [index, list]");
        };
        if index.contains_unknown() || list.is_unknown() {
            return unknown_of(span, &[index, list], "`Fn::Select` input is not known");
        }
        let Some(items) = list.as_list() else {
            return self.bad(span, &a, "`Fn::Select` needs a list");
        };
        let i = index.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0);
        match i.and_then(|n| items.get(n as usize)) {
            Some(item) => at(item.clone(), span),
            None => {
                let msg = format!(
                    "`Fn::Select` index {} is out of range (list has {} items)",
                    scalar_text(index).unwrap_or_else(|| "?".into()),
                    items.len()
                );
                self.err(span, &msg);
                Value::unknown(span, Vec::new(), Some(msg))
            }
        }
    }

    fn fn_split(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let Some([delim, source]) = a.as_list() else {
            return self.bad(span, &a, "`Fn::Split` needs [delimiter, string]");
        };
        match (delim.as_str(), source.as_str()) {
            (Some(d), Some(s)) if !d.is_empty() => {
                let origin = source.origin.clone();
                let items = s
                    .split(d)
                    .map(|p| Value::string(p, span).with_origin(origin.clone()))
                    .collect();
                Value::new(Kind::List(items), span).with_origin(origin)
            }
            _ => self.bad(span, &a, "`Fn::Split` needs a delimiter and a string"),
        }
    }

    fn fn_base64(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        match scalar_text(&a) {
            Some(s) => Value::string(base64(s.as_bytes()), span).with_origin(a.origin.clone()),
            None => self.bad(span, &a, "`Fn::Base64` needs a string"),
        }
    }

    fn fn_find_in_map(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let (keys, default) = match a.as_list() {
            Some([m, k1, k2]) => ([m, k1, k2], None),
            Some([m, k1, k2, d]) => ([m, k1, k2], d.get("DefaultValue")),
            _ => return self.bad(span, &a, "`Fn::FindInMap` needs [map, key, key]"),
        };
        if keys.iter().any(|k| k.contains_unknown()) {
            return unknown_of(
                span,
                &keys,
                "`Fn::FindInMap` key is only known at deploy time",
            );
        }
        let [m, k1, k2] = keys.map(scalar_text);
        let (Some(m), Some(k1), Some(k2)) = (m, k1, k2) else {
            return self.bad(span, &a, "`Fn::FindInMap` keys must be strings");
        };
        let map = self.mappings.and_then(|ms| ms.get(&m));
        if let Some(v) = map.and_then(|x| x.get(&k1)).and_then(|x| x.get(&k2)) {
            let mut v = at(v.clone(), span);
            set_origin_deep(&mut v, &Origin::Mapping);
            return v;
        }
        if let Some(d) = default {
            return at(d.clone(), span);
        }
        let literal = keys.iter().all(|k| k.origin == Origin::Literal);
        let msg = if map.is_none() {
            format!("`Fn::FindInMap`: no mapping `{m}`")
        } else {
            format!("`Fn::FindInMap`: mapping `{m}` has no entry `{k1}`/`{k2}`")
        };
        if map.is_none() || literal {
            self.err(span, &msg);
        }
        Value::unknown(span, Vec::new(), Some(msg))
    }

    fn fn_if(&mut self, span: Span, arg: &Value) -> Option<Value> {
        let Some([cond, then, other]) = arg.as_list() else {
            let a = self.arg(arg);
            return Some(self.bad(span, &a, "`Fn::If` needs [condition, then, else]"));
        };
        let Some(name) = cond.as_str() else {
            let a = self.arg(arg);
            return Some(self.bad(span, &a, "`Fn::If` needs a condition name"));
        };
        match self.condition(name, cond.span) {
            Some(holds) => {
                let chosen = self.resolve(if holds { then } else { other });
                let Some((parameter, default)) = self.cond_default.get(name).cloned() else {
                    return chosen.map(|v| at(v, span));
                };
                let origin = Origin::Condition(Arc::new(ChosenBy {
                    condition: Arc::from(name),
                    holds,
                    parameter,
                    default,
                }));
                Some(match chosen {
                    // A literal chosen by a default's condition says so; a value with its own
                    // origin (a parameter, a mapping) keeps it.
                    Some(v) if v.origin == Origin::Literal => at(v, span).with_origin(origin),
                    Some(v) => at(v, span),
                    // `AWS::NoValue` chosen by a default: the property stays, as null with
                    // the origin, so that a finding can point at it and name the default
                    // (lists drop such items, see `resolve_inner`).
                    None => Value::null(span).with_origin(origin),
                })
            }
            None => {
                let t = self.resolve(then);
                let o = self.resolve(other);
                let branches: Vec<&Value> = t.iter().chain(o.iter()).collect();
                let mut v = unknown_of(
                    span,
                    &branches,
                    &format!("condition `{name}` is only known at deploy time"),
                );
                let mut alts = Vec::new();
                let ok = branch_alternatives(name, true, t, then.span, &mut alts)
                    && branch_alternatives(name, false, o, other.span, &mut alts);
                if let (true, Kind::Unknown(u)) = (ok, &mut v.kind) {
                    u.alternatives = alts.into();
                }
                Some(v)
            }
        }
    }

    fn fn_length(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        match &a.kind {
            Kind::List(items) => Value::new(Kind::Number(items.len() as f64), span),
            _ => opaque(span, "Fn::Length", &a),
        }
    }

    fn fn_to_json_string(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        if a.contains_unknown() {
            return opaque(span, "Fn::ToJsonString", &a);
        }
        Value::string(a.to_json().to_string(), span).with_origin(a.origin.clone())
    }

    fn fn_import_value(&mut self, span: Span, arg: &Value) -> Value {
        let a = self.arg(arg);
        let target = match (&a.kind, a.as_unknown().and_then(|u| u.partial.clone())) {
            (Kind::String(s), _) => s.clone(),
            (_, Some(p)) => p,
            _ => "?".into(),
        };
        let mut refs = vec![reference(RefKind::External, &target, None, span)];
        refs.extend(a.references().into_iter().cloned());
        Value::unknown(
            span,
            dedup(refs),
            Some(format!(
                "imported value `{target}` is only known at deploy time"
            )),
        )
    }

    /// Decides a named condition; `None` when it depends on unknown values.
    pub fn condition(&mut self, name: &str, span: Span) -> Option<bool> {
        match self.cond_state.get(name) {
            Some(Some(r)) => {
                if self.default_read.is_none() {
                    self.default_read = self.cond_default.get(name).cloned();
                }
                return *r;
            }
            Some(None) => {
                self.err(span, format!("condition `{name}` refers to itself (cycle)"));
                return None;
            }
            None => {}
        }
        let Some(expr) = self.conditions.get(name).copied() else {
            self.err(span, format!("undefined condition `{name}`"));
            return None;
        };
        if self.cond_chain >= MAX_CONDITION_CHAIN {
            self.err(span, format!("conditions nested too deeply at `{name}`"));
            return None;
        }
        self.cond_state.insert(name.to_string(), None);
        self.cond_chain += 1;
        let outer = self.default_read.take();
        let r = self.eval_condition(expr);
        let read = self.default_read.take();
        if let (Some(_), Some(d)) = (r, &read) {
            self.cond_default.insert(name.to_string(), d.clone());
        }
        self.default_read = outer.or(read);
        self.cond_chain -= 1;
        self.cond_state.insert(name.to_string(), Some(r));
        r
    }

    fn eval_condition(&mut self, expr: &Value) -> Option<bool> {
        if self.depth >= MAX_EVAL_DEPTH {
            return None;
        }
        self.depth += 1;
        let r = self.eval_condition_inner(expr);
        self.depth -= 1;
        r
    }

    fn eval_condition_inner(&mut self, expr: &Value) -> Option<bool> {
        if let Some([e]) = expr.as_map() {
            match e.key.as_str() {
                "Fn::Equals" => {
                    let Some([a, b]) = e.value.as_list() else {
                        self.err(expr.span, "`Fn::Equals` needs [value, value]");
                        return None;
                    };
                    let a = self.arg(a);
                    let b = self.arg(b);
                    if a.contains_unknown() || b.contains_unknown() {
                        return None;
                    }
                    for v in [&a, &b] {
                        if let (None, Origin::Default(p)) = (&self.default_read, &*v.origin) {
                            // Pseudo parameters are not deployment choices.
                            if !p.starts_with("AWS::") {
                                let text = scalar_text(v).unwrap_or_default();
                                let text = if text.is_empty() { "''".into() } else { text };
                                self.default_read = Some((p.clone(), Arc::from(text.as_str())));
                            }
                        }
                    }
                    return match (scalar_text(&a), scalar_text(&b)) {
                        (Some(x), Some(y)) => Some(x == y),
                        _ => Some(a.to_json() == b.to_json()),
                    };
                }
                "Fn::And" | "Fn::Or" => {
                    let Some(items) = e.value.as_list() else {
                        self.err(expr.span, format!("`{}` needs a list of conditions", e.key));
                        return None;
                    };
                    let rs: Vec<Option<bool>> =
                        items.iter().map(|i| self.eval_condition(i)).collect();
                    let decisive = e.key == "Fn::Or";
                    if rs.contains(&Some(decisive)) {
                        return Some(decisive);
                    }
                    if rs.iter().all(|r| *r == Some(!decisive)) {
                        return Some(!decisive);
                    }
                    return None;
                }
                "Fn::Not" => {
                    let Some([c]) = e.value.as_list() else {
                        self.err(expr.span, "`Fn::Not` needs [condition]");
                        return None;
                    };
                    return self.eval_condition(c).map(|b| !b);
                }
                "Condition" => {
                    let Some(name) = e.value.as_str() else {
                        self.err(expr.span, "`Condition` needs a condition name");
                        return None;
                    };
                    return self.condition(name, e.value.span);
                }
                _ => {}
            }
        }
        let v = self.arg(expr);
        v.as_bool()
    }
}

/// Most alternatives kept for one undecided `Fn::If` (after flattening nested ones); beyond,
/// the value is a plain unknown. Flattening adds the branches' counts (never multiplies), so a
/// chain of nested conditions stays linear.
const MAX_ALTERNATIVES: usize = 32;

/// Adds the alternatives of one branch of an undecided `Fn::If` (`cond` = `branch`): the
/// branch's own alternatives when it is an undecided `Fn::If` too (minus contradictory ones),
/// else the branch itself. Alternatives with the same value are merged, so a tree of `Fn::If`s
/// over few distinct values stays small. `false` when there are too many distinct values.
fn branch_alternatives(
    cond: &str,
    branch: bool,
    value: Option<Value>,
    span: Span,
    out: &mut Vec<Alternative>,
) -> bool {
    let head = (cond.to_string(), branch);
    let nested = value
        .as_ref()
        .and_then(Value::alternatives)
        .map(<[Alternative]>::to_vec);
    let new: Vec<Alternative> = match nested {
        Some(inner) => inner
            .into_iter()
            .filter_map(|mut a| {
                // `If A` inside `If A`: the inner choice is the outer one.
                if a.when.iter().any(|(c, b)| c == cond && *b != branch) {
                    return None;
                }
                let prefix = |when: &mut Vec<(String, bool)>| {
                    when.retain(|(c, _)| c != cond);
                    when.insert(0, head.clone());
                };
                prefix(&mut a.when);
                let before = a.others_when.len();
                a.others_when
                    .retain(|w| !w.iter().any(|(c, b)| c == cond && *b != branch));
                a.others = a.others.saturating_sub(before - a.others_when.len());
                a.others_when.iter_mut().for_each(prefix);
                Some(a)
            })
            .collect(),
        None => vec![Alternative {
            when: vec![head],
            value,
            span,
            others: 0,
            others_when: Vec::new(),
        }],
    };
    for a in new {
        let key = alternative_key(&a);
        match out.iter_mut().find(|b| alternative_key(b) == key) {
            Some(b) => {
                const SHOWN: usize = 3;
                b.others += 1 + a.others;
                let more = std::iter::once(a.when).chain(a.others_when);
                for w in more {
                    if b.others_when.len() < SHOWN {
                        b.others_when.push(w);
                    }
                }
            }
            None => out.push(a),
        }
    }
    out.len() <= MAX_ALTERNATIVES
}

/// What makes two alternatives the same for the rules: the value and its origin.
fn alternative_key(a: &Alternative) -> Option<(String, Origin)> {
    a.value
        .as_ref()
        .map(|v| (v.to_json().to_string(), (*v.origin).clone()))
}

/// Intrinsics evaluated only at deploy time (or by a transform), besides those resolved here.
const KNOWN_INTRINSICS: &[&str] = &[
    "Fn::Cidr",
    "Fn::GetAZs",
    "Fn::Transform",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::RefAll",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
    "Fn::GetParam",
];

fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

fn reference(kind: RefKind, target: &str, attr: Option<String>, span: Span) -> Reference {
    Reference {
        kind,
        target: target.into(),
        attr: attr.map(Str::from),
        span,
    }
}

fn dedup(refs: Vec<Reference>) -> Vec<Reference> {
    let mut seen = HashSet::new();
    refs.into_iter()
        .filter(|r| seen.insert((r.kind, r.target.clone(), r.attr.clone())))
        .collect()
}

/// An unknown carrying every reference found in `from`.
fn unknown_of(span: Span, from: &[&Value], reason: &str) -> Value {
    let refs = from.iter().flat_map(|v| v.references()).cloned().collect();
    Value::unknown(span, dedup(refs), Some(reason.to_string()))
}

/// A function evaluated only at deploy time (`Fn::Cidr`, `Fn::GetAZs`, ...).
fn opaque(span: Span, name: &str, arg: &Value) -> Value {
    unknown_of(
        span,
        &[arg],
        &format!("`{name}` is evaluated at deploy time"),
    )
}

/// An `AWS::NoValue` chosen by a condition that a default decides (see `fn_if`).
fn is_removed(v: &Value) -> bool {
    matches!(v.kind, Kind::Null) && matches!(*v.origin, Origin::Condition(_))
}

fn at(mut v: Value, span: Span) -> Value {
    v.span = span;
    v
}

/// Gives a value and everything inside it one origin (a default, a mapping entry).
pub(crate) fn set_origin_deep(v: &mut Value, origin: &Origin) {
    // One shared origin for the whole tree.
    let origin = OriginRef::from(origin);
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        v.origin = origin.clone();
        match &mut v.kind {
            Kind::List(items) => stack.extend(items.iter_mut()),
            Kind::Map(entries) => stack.extend(entries.iter_mut().map(|e| &mut e.value)),
            _ => {}
        }
    }
}

/// The text of a scalar as CloudFormation stringifies it.
fn scalar_text(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::String(s) => Some(s.to_string()),
        Kind::Number(n) => Some(number_text(*n)),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Builds a string from parts (`Fn::Sub`, `Fn::Join`), tracking unknown parts.
struct Concat {
    text: String,
    known: bool,
    refs: Vec<Reference>,
    origin: Origin,
}

impl Concat {
    fn new(origin: Origin) -> Self {
        Concat {
            text: String::new(),
            known: true,
            refs: Vec::new(),
            origin,
        }
    }

    /// Appends a part; `false` when it is not a string-like value (it becomes a hole).
    fn push(&mut self, v: &Value) -> bool {
        if let Some(s) = scalar_text(v) {
            self.text.push_str(&s);
            if v.origin.deployment_rank() > self.origin.deployment_rank() {
                self.origin = (*v.origin).clone();
            }
            return true;
        }
        if let Kind::Unknown(u) = &v.kind {
            self.known = false;
            self.refs.extend(u.refs.iter().cloned());
            match &u.partial {
                Some(p) => self.text.push_str(p),
                None => self.text.push(HOLE),
            }
            return true;
        }
        self.refs.extend(v.references().into_iter().cloned());
        self.hole();
        false
    }

    fn hole(&mut self) {
        self.known = false;
        self.text.push(HOLE);
    }

    fn finish(self, span: Span, reason: &'static str) -> Value {
        if self.known {
            return Value::string(self.text, span).with_origin(self.origin);
        }
        Value::new(
            Kind::Unknown(Box::new(Unknown {
                refs: dedup(self.refs).into(),
                reason: Some(fixed_reason(reason)),
                partial: Some(self.text.into()),
                alternatives: Box::default(),
            })),
            span,
        )
    }
}

enum SubPart<'s> {
    Text(&'s str),
    Var(&'s str),
}

/// Splits an `Fn::Sub` template into text and `${Var}` parts; `${!x}` is the literal `${x}`.
fn sub_parts(s: &str) -> Vec<SubPart<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        let (before, tail) = rest.split_at(i);
        out.push(SubPart::Text(before));
        let after = tail.get(2..).unwrap_or("");
        if let Some(lit) = after.strip_prefix('!') {
            out.push(SubPart::Text("${"));
            rest = lit;
            continue;
        }
        match after.split_once('}') {
            Some((name, tail)) => {
                out.push(SubPart::Var(name.trim()));
                rest = tail;
            }
            None => {
                out.push(SubPart::Text(tail));
                rest = "";
            }
        }
    }
    out.push(SubPart::Text(rest));
    out
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 63) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

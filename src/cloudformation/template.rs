//! Template recognition and the sections → [`LoadOutput`] mapping.
//!
//! Only files that are clearly CloudFormation become templates; other YAML/JSON (CI configs,
//! Kubernetes manifests, package.json) is ignored without a word. A file that fails to parse is
//! reported only when cheap text checks say it was meant to be a template.

use super::intrinsics::{set_origin_deep, Generators, Param, Resolver};
use super::CfnOptions;
use crate::resource::{
    Diagnostic, Format, Input, LoadOutput, Mode, Output, Resource, Scope, ScopeId,
};
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Kind, Origin, RefKind, Reference, Str, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// Whether a parsed file is a CloudFormation template.
pub(crate) fn is_template(root: &Value) -> bool {
    if root.entry("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources")
        .and_then(Value::as_map)
        .is_some_and(|rs| {
            rs.iter().any(|r| {
                r.value
                    .get("Type")
                    .and_then(Value::as_str)
                    .is_some_and(is_resource_type)
            })
        })
}

fn is_resource_type(t: &str) -> bool {
    ["AWS::", "Custom::", "Alexa::"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// For a file that failed to parse: was it meant to be a template?
pub(crate) fn looks_like_template(file: &SourceFile) -> bool {
    let name_says =
        file.path.to_string_lossy().ends_with(".template") || file.display.ends_with(".template");
    const MARKERS: [&str; 6] = [
        "AWSTemplateFormatVersion",
        "Type: AWS::",
        "Type: \"AWS::",
        "Type: 'AWS::",
        "\"Type\": \"AWS::",
        "\"Type\":\"AWS::",
    ];
    name_says || MARKERS.iter().any(|m| file.text.contains(m))
}

fn scope(file: &SourceFile, inputs: Vec<Input>, outputs: Vec<Output>) -> Scope {
    Scope {
        format: Format::CloudFormation,
        name: file.display.clone(),
        location: file.display.clone(),
        inputs,
        outputs,
    }
}

/// The output for a template that could not be parsed: its scope and the error.
pub(crate) fn failed(file: &SourceFile, diagnostics: Vec<Diagnostic>) -> LoadOutput {
    LoadOutput {
        resources: Vec::new(),
        scopes: vec![scope(file, Vec::new(), Vec::new())],
        diagnostics,
        stats: Default::default(),
    }
}

pub(crate) fn build(
    file: &SourceFile,
    root: Value,
    mut diags: Vec<Diagnostic>,
    opts: &CfnOptions,
) -> Option<LoadOutput> {
    if !is_template(&root) {
        return None;
    }
    // The resources leave the tree: each one's raw value is freed once it is resolved, so a
    // large template is held about once, not twice (raw and resolved).
    let mut root = root;
    let mut detached = detach_resources(&mut root);
    let mut err = |span: Span, msg: String| diags.push(Diagnostic::error(file.id, Some(span), msg));

    let mut notes = Vec::new();
    let mut inputs = Vec::new();
    let mut params = HashMap::new();
    for p in section(&root, "Parameters", &mut err) {
        let Some(_) = p.value.as_map() else {
            err(p.value.span, format!("parameter `{}` must be a map", p.key));
            continue;
        };
        let (input, param) = parameter(p, opts);
        inputs.push(input);
        params.insert(p.key.to_string(), param);
    }

    let listed: &[Entry] = match &detached {
        Some(entries) => entries,
        None => section(&root, "Resources", &mut err),
    };
    let expanded =
        super::sam::is_sam(&root).then(|| super::sam::expand(file, &root, listed, &mut notes));
    let resources: &[Entry] = expanded.as_deref().unwrap_or(listed);
    let ids: HashSet<Str> = resources.iter().map(|r| r.key.clone()).collect();
    let generators = Generators {
        transform: root.get("Transform").is_some(),
        modules: resources
            .iter()
            .filter(|r| {
                r.value
                    .get("Type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.ends_with("::MODULE"))
            })
            .map(|r| r.key.to_string())
            .collect(),
    };
    let conditions: HashMap<String, &Value> = section(&root, "Conditions", &mut err)
        .iter()
        .map(|c| (c.key.to_string(), &c.value))
        .collect();
    let mappings = root.get("Mappings");
    let outputs_section = section(&root, "Outputs", &mut err);

    let mut r = Resolver::new(file, opts, params, ids, generators, mappings, conditions);
    let mut raw: VecDeque<Entry> = match expanded {
        Some(entries) => entries,
        None => detached.take().unwrap_or_default(),
    }
    .into();
    // Memory of a large template: the raw resources are released while the resolved ones are
    // built, so that the two are held about once, not twice. `out` grows by a quarter (not
    // doubling, nor sized up front while every raw resource is still held) and the raw list
    // gives back its storage as it empties.
    let mut out = Vec::new();
    while let Some(owned) = raw.pop_front() {
        if raw.len() < raw.capacity() / 2 && raw.capacity() > 64 {
            raw.shrink_to_fit();
        }
        // Dropped at the end of each iteration.
        let e = &owned;
        if for_each(file, e, &mut notes) {
            continue;
        }
        if e.value.as_map().is_none() {
            err(e.value.span, format!("resource `{}` must be a map", e.key));
            continue;
        }
        let Some(rtype) = e.value.get("Type").and_then(Value::as_str) else {
            let span = e.value.get("Type").map_or(e.key_span, |t| t.span);
            err(span, format!("resource `{}` needs a string `Type`", e.key));
            continue;
        };
        if let Some(c) = e.value.get("Condition") {
            match c.as_str() {
                // A resource whose condition is known false is not created.
                Some(name) => {
                    if r.condition(name, c.span) == Some(false) {
                        // Not created, but its template errors are still errors.
                        if let Some(p) = e.value.get("Properties") {
                            let _ = r.resolve(p);
                        }
                        continue;
                    }
                }
                None => err(
                    c.span,
                    format!("`Condition` of `{}` must be a condition name", e.key),
                ),
            }
        }
        let empty = || Value::map(Vec::new(), e.key_span);
        let body = match e.value.get("Properties") {
            Some(p) if !matches!(p.kind, Kind::Null) => r.resolve(p).unwrap_or_else(empty),
            _ => empty(),
        };
        let depends_on = depends_on(e, &r, &mut err);
        super::tree::grow_by_quarter(&mut out);
        out.push(Resource {
            address: e.key.to_string(),
            rtype: rtype.to_string(),
            name: e.key.to_string(),
            format: Format::CloudFormation,
            mode: Mode::Managed,
            span: e.key_span,
            body,
            depends_on: depends_on.into(),
            metadata: e.value.get("Metadata").cloned().map(Box::new),
            scope: ScopeId(0),
        });
    }

    let mut outputs = Vec::new();
    for o in outputs_section {
        if for_each(file, o, &mut notes) {
            continue;
        }
        if let Some(name) = o.value.get("Condition").and_then(Value::as_str) {
            if r.condition(name, o.value.span) == Some(false) {
                continue;
            }
        }
        let value = match o.value.get("Value") {
            Some(v) => r.resolve(v).unwrap_or_else(|| Value::null(v.span)),
            None => Value::null(o.key_span),
        };
        outputs.push(Output {
            name: o.key.to_string(),
            span: o.key_span,
            value,
        });
    }

    let stats = r.stats;
    diags.extend(r.diags);
    diags.extend(notes);
    Some(LoadOutput {
        resources: out,
        scopes: vec![scope(file, inputs, outputs)],
        diagnostics: diags,
        stats,
    })
}

/// Takes the entries of a `Resources` map out of the template (leaving an empty map);
/// `None` when there is no such map.
fn detach_resources(root: &mut Value) -> Option<Vec<Entry>> {
    let Kind::Map(sections) = &mut root.kind else {
        return None;
    };
    let section = sections.iter_mut().find(|e| e.key == "Resources")?;
    match &mut section.value.kind {
        Kind::Map(entries) => Some(std::mem::take(entries).into_vec()),
        _ => None,
    }
}

/// The entries of a top-level section (none when absent or null; an error when not a map).
fn section<'v>(root: &'v Value, name: &str, err: &mut impl FnMut(Span, String)) -> &'v [Entry] {
    match root.get(name) {
        None => &[],
        Some(v) => match &v.kind {
            Kind::Map(entries) => entries,
            Kind::Null => &[],
            _ => {
                err(v.span, format!("`{name}` must be a map"));
                &[]
            }
        },
    }
}

fn parameter(p: &Entry, opts: &CfnOptions) -> (Input, Param) {
    let name = p.key.as_str();
    let decl = &p.value;
    let ty = decl.get("Type").and_then(Value::as_str).unwrap_or("String");
    let default = decl.get("Default").cloned().map(|mut d| {
        set_origin_deep(&mut d, &Origin::Default(name.into()));
        d
    });
    let cli = match &opts.inherited {
        // A nested stack: what the parent passes, nothing else.
        Some(passed) => passed.get(name).cloned(),
        None => opts
            .parameters
            .get(name)
            .map(|v| Value::string(v, p.key_span).with_origin(Origin::Cli(name.into())))
            .or_else(|| {
                let (file, values) = opts.parameters_file.as_ref()?;
                let v = values.get(name)?;
                Some(
                    Value::string(v, p.key_span)
                        .with_origin(Origin::ValueFile(file.as_str().into())),
                )
            }),
    };
    let ssm = ty.starts_with("AWS::SSM::Parameter::Value<");
    let effective = match (&cli, &default) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(d)) if !ssm => Some(d.clone()),
        _ => None,
    };
    let is_list = ty == "CommaDelimitedList" || ty.starts_with("List<");
    let reason = if ssm && default.is_some() {
        format!("parameter `{name}` is read from SSM at deploy time")
    } else {
        format!("parameter `{name}` has no default")
    };
    let param = Param {
        value: effective.map(|v| if is_list { split_list(v) } else { v }),
        reason,
    };
    let input = Input {
        name: name.to_string(),
        span: p.key_span,
        default,
        value: cli,
        constrained: ["AllowedPattern", "AllowedValues", "MinLength"]
            .iter()
            .any(|k| decl.get(k).is_some()),
        sensitive: decl.get("NoEcho").and_then(Value::as_bool) == Some(true),
        decl: decl.clone(),
    };
    (input, param)
}

/// `List<…>` / `CommaDelimitedList` values: a comma-separated string is a list of strings.
fn split_list(v: Value) -> Value {
    let text = match &v.kind {
        Kind::String(s) => s.to_string(),
        Kind::Number(_) | Kind::Bool(_) => v.to_json().to_string(),
        _ => return v,
    };
    let items = text
        .split(',')
        .map(|s| Value::string(s.trim(), v.span).with_origin(v.origin.clone()))
        .collect();
    Value {
        kind: Kind::List(items),
        span: v.span,
        origin: v.origin,
    }
}

/// `Fn::ForEach::Name` (AWS::LanguageExtensions) entries are not expanded yet: noted, skipped.
fn for_each(file: &SourceFile, e: &Entry, notes: &mut Vec<Diagnostic>) -> bool {
    if !e.key.starts_with("Fn::ForEach::") {
        return false;
    }
    notes.push(Diagnostic::note(
        file.id,
        Some(e.key_span),
        format!(
            "`{}` is not expanded; what it generates is not checked",
            e.key
        ),
    ));
    true
}

fn depends_on(e: &Entry, r: &Resolver<'_>, err: &mut impl FnMut(Span, String)) -> Vec<Reference> {
    let Some(d) = e.value.get("DependsOn") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in d.one_or_many() {
        let Some(target) = item.as_str() else {
            err(item.span, "`DependsOn` must name resources".to_string());
            continue;
        };
        if !r.may_exist(target) {
            err(
                item.span,
                format!("DependsOn to undefined resource `{target}`"),
            );
            continue;
        }
        out.push(Reference {
            kind: RefKind::Resource,
            target: target.into(),
            attr: None,
            span: item.span,
        });
    }
    out
}

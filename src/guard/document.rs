//! What Guard sees: one JSON document per CloudFormation template and per Terraform root
//! module, in CloudFormation's shape so that one Guard file can hold rules for both
//! (documented in the README, "Guard policies"):
//!
//! ```json
//! { "Resources": {
//!     "Bucket":                { "Type": "AWS::S3::Bucket", "Properties": { … } },
//!     "aws_s3_bucket.logs":    { "Type": "aws_s3_bucket", "Name": "logs",
//!                                "Address": "aws_s3_bucket.logs", "Properties": { … } } },
//!   "Parameters": { … }, "Outputs": { "Name": { "Value": … } } }
//! ```
//!
//! Values are the evaluated ones. An unknown value is shown as CloudFormation writes it
//! (`{"Ref": …}`, `{"Fn::GetAtt": […]}`, `{"Fn::If": […]}`, else `{"Fn::ftrlint::Unknown": […]}`)
//! and left out in Terraform (as `terraform show -json` leaves out values known after apply;
//! `null` in a list). Either way a rule that fails on it is not reported (see `super::undecided`).
//! Guard's failure paths (`/Resources/Bucket/Properties/Tags/0/Key`) are mapped back to spans here.

use crate::resource::{tree_roots, Format, Mode, Resource, Scope, ScopeId};
use crate::source::{FileId, Span};
use crate::value::{Kind, RefKind, Unknown, Value};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// One document and how to find its parts again.
#[derive(Debug)]
pub(super) struct Document {
    pub json: String,
    pub format: Format,
    /// `Resources` keys and the index of the resource each one is.
    pub resources: Vec<(String, usize)>,
    /// The CloudFormation template's scope (its parameters and outputs).
    pub scope: Option<ScopeId>,
    /// Where a failure about the whole document points: the template, or the root module's
    /// first file.
    pub file: FileId,
    /// The template's or root module's path, as displayed (the subject of such a failure).
    pub name: String,
    /// Terraform: the AWS provider's `default_tags` could not be known, so no `tags_all` is.
    pub default_tags_unknown: bool,
}

/// A document to build: its resources, and the AWS provider's default tags (Terraform).
/// Documents are built when their batch is evaluated, so that only a batch's JSON is in memory.
#[derive(Debug)]
pub(super) struct Planned {
    format: Format,
    scope: ScopeId,
    members: Vec<usize>,
    file: FileId,
    defaults: Option<Vec<(String, Json)>>,
}

impl Planned {
    /// How many resources the document holds (to share the work between threads).
    pub fn size(&self) -> usize {
        self.members.len()
    }

    pub fn build(&self, resources: &[Resource], scopes: &[Scope]) -> Document {
        build(
            (self.format, self.scope),
            &self.members,
            (resources, scopes),
            self.file,
            self.defaults.clone(),
        )
    }
}

/// The documents of a scan: CloudFormation templates, then Terraform root modules.
pub(super) fn plan(resources: &[Resource], scopes: &[Scope]) -> Vec<Planned> {
    let roots = tree_roots(scopes);
    let mut groups: BTreeMap<(Format, ScopeId), Vec<usize>> = BTreeMap::new();
    let mut providers: BTreeMap<ScopeId, Vec<&Resource>> = BTreeMap::new();
    for (i, r) in resources.iter().enumerate() {
        if r.mode == Mode::Provider && r.rtype == "aws" {
            let root = roots.get(r.scope.0 as usize).copied().unwrap_or(r.scope);
            providers.entry(root).or_default().push(r);
        }
        if r.mode != Mode::Managed {
            continue;
        }
        let scope = match r.format {
            Format::CloudFormation => r.scope,
            Format::Terraform => roots.get(r.scope.0 as usize).copied().unwrap_or(r.scope),
        };
        groups.entry((r.format, scope)).or_default().push(i);
    }
    groups
        .into_iter()
        .filter_map(|((format, scope), members)| {
            let file = resources.get(*members.first()?)?.span.file;
            let defaults = match format {
                Format::Terraform => default_tags(providers.get(&scope).map_or(&[][..], |p| p)),
                Format::CloudFormation => Some(Vec::new()),
            };
            Some(Planned {
                format,
                scope,
                members,
                file,
                defaults,
            })
        })
        .collect()
}

/// The `default_tags` of a root module's AWS providers, merged (every alias: a tag any of them
/// sets may apply); `None` when they cannot be known.
fn default_tags(providers: &[&Resource]) -> Option<Vec<(String, Json)>> {
    let mut out: Vec<(String, Json)> = Vec::new();
    for p in providers {
        let Some(blocks) = p.body.get("default_tags") else {
            continue;
        };
        for block in blocks.one_or_many() {
            let tags = match block.get("tags") {
                Some(t) => t,
                None if block.as_map().is_some() => continue,
                None => return None,
            };
            if tags.contains_unknown() {
                return None;
            }
            for e in tags.as_map()? {
                out.retain(|(k, _)| *k != e.key);
                out.push((e.key.to_string(), to_json(&e.value, Format::Terraform)?));
            }
        }
    }
    Some(out)
}

/// Terraform's `tags_all` (what `terraform show -json` has): the provider's default tags, then
/// the resource's `tags`. `None` when unknown or when there is no tag at all.
fn tags_all(r: &Resource, defaults: &[(String, Json)]) -> Option<Json> {
    let mut all: Map<String, Json> = defaults.iter().cloned().collect();
    match r.body.get("tags") {
        Some(t) if t.contains_unknown() => return None,
        Some(t) => {
            for e in t.as_map()? {
                all.insert(e.key.to_string(), to_json(&e.value, Format::Terraform)?);
            }
        }
        None => {}
    }
    (!all.is_empty()).then_some(Json::Object(all))
}

fn build(
    (format, scope): (Format, ScopeId),
    members: &[usize],
    (resources, scopes): (&[Resource], &[Scope]),
    file: FileId,
    defaults: Option<Vec<(String, Json)>>,
) -> Document {
    let mut res_map = Map::new();
    let mut keys: Vec<(String, usize)> = Vec::new();
    for &i in members {
        let Some(r) = resources.get(i) else { continue };
        // Unexpanded instances (an unknown `count`) may share an address: keep each one.
        let mut key = r.address.clone();
        let mut n = 1;
        while res_map.contains_key(&key) {
            n += 1;
            key = format!("{}#{n}", r.address);
        }
        let mut entry = Map::new();
        entry.insert("Type".into(), Json::from(r.rtype.clone()));
        if format == Format::Terraform {
            entry.insert("Name".into(), Json::from(r.name.clone()));
            entry.insert("Address".into(), Json::from(r.address.clone()));
        }
        if let Some(mut body) = to_json(&r.body, format) {
            if format == Format::Terraform && r.rtype.starts_with("aws_") {
                if let (Some(all), Json::Object(m)) =
                    (defaults.as_deref().and_then(|d| tags_all(r, d)), &mut body)
                {
                    m.insert("tags_all".into(), all);
                }
            }
            entry.insert("Properties".into(), body);
        }
        if format == Format::CloudFormation {
            if let Some(m) = r.metadata.as_ref().and_then(|m| to_json(m, format)) {
                entry.insert("Metadata".into(), m);
            }
            if !r.depends_on.is_empty() {
                let deps: Vec<Json> = r
                    .depends_on
                    .iter()
                    .map(|d| Json::from(d.target.as_str()))
                    .collect();
                entry.insert("DependsOn".into(), Json::from(deps));
            }
        }
        res_map.insert(key.clone(), Json::Object(entry));
        keys.push((key, i));
    }
    let mut doc = Map::new();
    doc.insert("Resources".into(), Json::Object(res_map));
    let s = scopes.get(scope.0 as usize);
    if format == Format::CloudFormation {
        if let Some(s) = s {
            let params: Map<String, Json> = s
                .inputs
                .iter()
                .filter_map(|i| Some((i.name.clone(), to_json(&i.decl, format)?)))
                .collect();
            if !params.is_empty() {
                doc.insert("Parameters".into(), Json::Object(params));
            }
            let outputs: Map<String, Json> = s
                .outputs
                .iter()
                .map(|o| {
                    let v = to_json(&o.value, format).unwrap_or(Json::Null);
                    (o.name.clone(), json!({ "Value": v }))
                })
                .collect();
            if !outputs.is_empty() {
                doc.insert("Outputs".into(), Json::Object(outputs));
            }
        }
    }
    let name = s.map(|s| s.location.clone()).unwrap_or_default();
    Document {
        json: Json::Object(doc).to_string(),
        format,
        resources: keys,
        scope: (format == Format::CloudFormation).then_some(scope),
        file,
        name: if name.is_empty() { ".".into() } else { name },
        default_tags_unknown: defaults.is_none(),
    }
}

/// A value as Guard sees it; `None`: left out (a Terraform unknown).
fn to_json(v: &Value, format: Format) -> Option<Json> {
    Some(match &v.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Json::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number)
            }
        }
        Kind::String(s) => Json::from(s.as_str()),
        Kind::List(items) => Json::Array(
            items
                .iter()
                .map(|i| to_json(i, format).unwrap_or(Json::Null))
                .collect(),
        ),
        Kind::Map(entries) => Json::Object(
            entries
                .iter()
                .filter_map(|e| Some((e.key.to_string(), to_json(&e.value, format)?)))
                .collect(),
        ),
        Kind::Unknown(u) => match format {
            Format::Terraform => return None,
            Format::CloudFormation => intrinsic(u),
        },
    })
}

/// An unknown CloudFormation value as the intrinsic function it was written with, when that
/// can be told; else `{"Fn::ftrlint::Unknown": [references]}`.
fn intrinsic(u: &Unknown) -> Json {
    if let [a, b] = &u.alternatives[..] {
        if let ([(ca, true)], [(cb, false)]) = (a.when.as_slice(), b.when.as_slice()) {
            if ca == cb {
                let branch = |v: &Option<Value>| match v {
                    Some(v) => to_json(v, Format::CloudFormation).unwrap_or(Json::Null),
                    None => json!({ "Ref": "AWS::NoValue" }),
                };
                return json!({ "Fn::If": [ca, branch(&a.value), branch(&b.value)] });
            }
        }
    }
    if u.alternatives.is_empty() && u.partial.is_none() {
        if let [r] = &u.refs[..] {
            match (r.kind, &r.attr) {
                (RefKind::Resource, Some(attr)) => {
                    return json!({ "Fn::GetAtt": [r.target, attr] });
                }
                (RefKind::Resource | RefKind::Input | RefKind::Pseudo, None) => {
                    return json!({ "Ref": r.target });
                }
                (RefKind::External, _) => return json!({ "Fn::ImportValue": r.target }),
                _ => {}
            }
        }
    }
    let refs: Vec<Json> = u
        .refs
        .iter()
        .map(|r| match &r.attr {
            Some(a) => Json::from(format!("{}.{a}", r.target)),
            None => Json::from(r.target.as_str()),
        })
        .collect();
    json!({ "Fn::ftrlint::Unknown": refs })
}

/// Where a Guard path points.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Located {
    /// In a resource (index), at `span`.
    Resource(usize, Span),
    /// A CloudFormation parameter or output (its name), at `span`.
    Declaration(String, Span),
    /// Outside both: the document as a whole.
    Document,
}

/// Maps a Guard path (`/Resources/Bucket/Properties/Tags/0`) to a place. `missing`: the
/// property after the path is absent, so a path that stops at the resource or its
/// `Properties` points at the resource's header.
pub(super) fn locate(
    doc: &Document,
    path: &str,
    missing: bool,
    resources: &[Resource],
    scopes: &[Scope],
) -> Located {
    let path = path.strip_prefix('/').unwrap_or(path);
    if let Some(rest) = path.strip_prefix("Resources/") {
        let Some((key, i)) = longest_key(doc.resources.iter().map(|(k, i)| (k.as_str(), *i)), rest)
        else {
            return Located::Document;
        };
        let Some(r) = resources.get(i) else {
            return Located::Document;
        };
        let rest = rest[key.len()..].trim_start_matches('/');
        let (root, rest) = if let Some(p) = rest.strip_prefix("Properties") {
            let p = p.trim_start_matches('/');
            // `tags_all` is not written: point at `tags` when it is.
            let p = match p.strip_prefix("tags_all") {
                Some(t) if r.body.get("tags").is_some() => {
                    return Located::Resource(
                        i,
                        walk(&r.body, &format!("tags{t}")).unwrap_or(r.span),
                    );
                }
                _ => p,
            };
            (Some(&r.body), p)
        } else if let Some(p) = rest.strip_prefix("Metadata") {
            (r.metadata.as_deref(), p.trim_start_matches('/'))
        } else {
            (None, "")
        };
        let span = match root.map(|v| walk(v, rest)) {
            Some(Some(span)) if !(missing && rest.is_empty()) => span,
            _ => r.span,
        };
        return Located::Resource(i, span);
    }
    let scope = doc.scope.and_then(|s| scopes.get(s.0 as usize));
    if let (Some(rest), Some(s)) = (path.strip_prefix("Parameters/"), scope) {
        if let Some((name, i)) = longest_key(
            s.inputs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.name.as_str(), i)),
            rest,
        ) {
            if let Some(p) = s.inputs.get(i) {
                let rest = rest[name.len()..].trim_start_matches('/');
                let span = walk(&p.decl, rest)
                    .filter(|_| !rest.is_empty())
                    .unwrap_or(p.span);
                return Located::Declaration(p.name.clone(), span);
            }
        }
    }
    if let (Some(rest), Some(s)) = (path.strip_prefix("Outputs/"), scope) {
        if let Some((name, i)) = longest_key(
            s.outputs
                .iter()
                .enumerate()
                .map(|(i, o)| (o.name.as_str(), i)),
            rest,
        ) {
            if let Some(o) = s.outputs.get(i) {
                let rest = rest[name.len()..].trim_start_matches('/');
                let rest = rest
                    .strip_prefix("Value")
                    .map(|r| r.trim_start_matches('/'));
                let span = match rest {
                    Some(r) if !r.is_empty() => walk(&o.value, r).unwrap_or(o.span),
                    _ => o.span,
                };
                return Located::Declaration(o.name.clone(), span);
            }
        }
    }
    Located::Document
}

/// The longest key that `path` starts with, as a whole segment (keys may contain `/`: Guard
/// does not escape them).
fn longest_key<'a>(
    keys: impl Iterator<Item = (&'a str, usize)>,
    path: &str,
) -> Option<(&'a str, usize)> {
    keys.filter(|(k, _)| segment_prefix(path, k))
        .max_by_key(|(k, _)| k.len())
}

fn segment_prefix(path: &str, key: &str) -> bool {
    path.starts_with(key) && (path.len() == key.len() || path.as_bytes()[key.len()] == b'/')
}

/// The span of what `path` names below `v`: the key of a map entry (its line is the one to
/// point at), an element of a list; as deep as the path can be followed (an unknown value or a
/// missing key stops it). `None` for an empty path.
fn walk(v: &Value, path: &str) -> Option<Span> {
    let mut cur = v;
    let mut rest = path;
    let mut span = None;
    // Paths are short; the bound guards against a pathological one.
    for _ in 0..512 {
        if rest.is_empty() {
            break;
        }
        match &cur.kind {
            Kind::Map(entries) => {
                let Some(e) = entries
                    .iter()
                    .filter(|e| segment_prefix(rest, &e.key))
                    .max_by_key(|e| e.key.len())
                else {
                    break;
                };
                span = Some(e.key_span);
                rest = rest[e.key.len()..].trim_start_matches('/');
                cur = &e.value;
            }
            Kind::List(items) => {
                let (seg, tail) = rest.split_once('/').unwrap_or((rest, ""));
                let Some(item) = seg.parse::<usize>().ok().and_then(|n| items.get(n)) else {
                    break;
                };
                span = Some(item.span);
                rest = tail;
                cur = item;
            }
            _ => break,
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::testing::{map, sp};
    use crate::value::{Alternative, Reference};

    fn unknown_ref(kind: RefKind, target: &str, attr: Option<&str>) -> Value {
        Value::unknown(
            sp(0),
            vec![Reference {
                kind,
                target: target.into(),
                attr: attr.map(Into::into),
                span: sp(0),
            }],
            None,
        )
    }

    #[test]
    fn unknown_values_as_written_or_left_out() {
        let body = map(vec![
            ("A", unknown_ref(RefKind::Input, "Env", None)),
            ("B", unknown_ref(RefKind::Resource, "Key", Some("Arn"))),
            ("C", Value::string("x", sp(1))),
            (
                "D",
                Value::new(
                    Kind::List(vec![unknown_ref(RefKind::Data, "data.x.y", Some("id"))].into()),
                    sp(2),
                ),
            ),
        ]);
        assert_eq!(
            to_json(&body, Format::CloudFormation),
            Some(json!({
                "A": { "Ref": "Env" },
                "B": { "Fn::GetAtt": ["Key", "Arn"] },
                "C": "x",
                "D": [ { "Fn::ftrlint::Unknown": ["data.x.y.id"] } ]
            }))
        );
        assert_eq!(
            to_json(&body, Format::Terraform),
            Some(json!({ "C": "x", "D": [null] }))
        );
    }

    #[test]
    fn an_undecided_if_keeps_both_branches() {
        let u = Unknown {
            alternatives: vec![
                Alternative {
                    when: vec![("IsProd".into(), true)],
                    value: Some(Value::string("m5.large", sp(1))),
                    span: sp(1),
                    others: 0,
                    others_when: vec![],
                },
                Alternative {
                    when: vec![("IsProd".into(), false)],
                    value: None,
                    span: sp(2),
                    others: 0,
                    others_when: vec![],
                },
            ]
            .into(),
            ..Unknown::default()
        };
        assert_eq!(
            intrinsic(&u),
            json!({ "Fn::If": ["IsProd", "m5.large", { "Ref": "AWS::NoValue" }] })
        );
    }

    #[test]
    fn paths_follow_keys_with_slashes_and_list_indices() {
        let tags = Value::new(
            Kind::List(vec![map(vec![("Key", Value::string("a", sp(50)))])].into()),
            sp(40),
        );
        let body = map(vec![
            ("kubernetes.io/cluster/x", Value::string("owned", sp(5))),
            ("Tags", tags),
        ]);
        // `map` puts the i-th key at offset 10 * i.
        assert_eq!(walk(&body, "kubernetes.io/cluster/x"), Some(sp(0)));
        assert_eq!(walk(&body, "Tags"), Some(sp(10)));
        assert_eq!(walk(&body, "Tags/0"), Some(sp(0)));
        assert_eq!(walk(&body, "Tags/0/Key"), Some(sp(0)));
        assert_eq!(walk(&body, "Tags/7"), Some(sp(10)));
        assert_eq!(walk(&body, "Nope"), None);
        assert!(segment_prefix("a/b/c", "a/b"));
        assert!(!segment_prefix("a/bc", "a/b"));
    }
}

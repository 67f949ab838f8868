//! Adapters: Terraform and CloudFormation resources → the typed service models.
//!
//! One module per AWS service, each handling both formats, so that a rule is written once
//! against the model. Split resources are joined here.

mod cloudtrail;
pub mod declarative;
mod ebs;
mod iam;
pub mod join;
mod kms;
mod network;
mod s3;

use crate::graph::{Graph, ResIdx};
use crate::model::{Attr, Branch, Model};
use crate::resource::{Mode, Resource, Scope, ScopeId};
use crate::source::{SourceMap, Span};
use crate::value::{Entry, Kind, Origin, Value};

pub fn build_model<'a>(
    resources: &'a [Resource],
    scopes: &'a [Scope],
    sources: &'a SourceMap,
) -> Model<'a> {
    let mut model = Model {
        resources,
        scopes,
        sources,
        graph: Graph::build_scoped(resources, scopes),
        trails: Vec::new(),
        buckets: Vec::new(),
        iam: Default::default(),
        ebs: Default::default(),
        kms: Vec::new(),
        network: Default::default(),
        names: crate::model::NameIndex::build(resources),
        by_type: Default::default(),
        joins: Default::default(),
    };
    for (i, r) in resources.iter().enumerate() {
        if r.mode == Mode::Managed {
            model.by_type.entry(r.rtype.as_str()).or_default().push(i);
        }
    }
    model.joins = join::build(&model);
    // The hand-written adapters, for models that join several resources. Declarative models
    // (`crate::model::declare`) need none. Buckets first: trails link to them.
    for adapt in ADAPTERS {
        adapt(&mut model);
    }
    model
}

/// Adapters of the models a table cannot express, in the order they run.
const ADAPTERS: &[fn(&mut Model<'_>)] = &[
    s3::adapt,
    cloudtrail::adapt,
    iam::adapt,
    ebs::adapt,
    kms::adapt,
    network::adapt,
];

/// Managed resources of the given types, with their index.
pub(crate) fn of_types<'a>(
    resources: &'a [Resource],
    types: &'a [&'a str],
) -> impl Iterator<Item = (ResIdx, &'a Resource)> + 'a {
    resources
        .iter()
        .enumerate()
        .filter(move |(_, r)| r.mode == Mode::Managed && types.contains(&r.rtype.as_str()))
}

/// The span to report for an attribute: from its key to the end of its value when both are in
/// the same file, else the key.
pub(crate) fn entry_span(e: &Entry) -> Span {
    if e.value.span.file == e.key_span.file && e.value.span.start >= e.key_span.start {
        e.key_span.to(e.value.span)
    } else {
        e.key_span
    }
}

/// Reads an attribute as an [`Attr`]; `null` counts as absent (Terraform's "unset").
///
/// An undecided `Fn::If` (a value with [`Value::alternatives`]) is read branch by branch, as
/// [`Attr::Branches`] (even when all branches read the same, so a finding can say "in every
/// branch").
pub(crate) fn attr<T>(
    body: &Value,
    key: &str,
    absent: Span,
    conv: impl Fn(&Value) -> Option<T>,
) -> Attr<T> {
    match body.entry(key) {
        None => Attr::absent(absent),
        Some(e) => {
            let span = entry_span(e);
            branch_aware(&e.value, span, absent, |v| one_attr(v, span, absent, &conv))
        }
    }
}

/// Applies `read` to a value, or to each alternative of an undecided `Fn::If` (an absent
/// branch, `AWS::NoValue`, reads as [`Attr::Absent`] at `absent`).
pub(crate) fn branch_aware<T>(
    v: &Value,
    span: Span,
    absent: Span,
    read: impl Fn(&Value) -> Attr<T>,
) -> Attr<T> {
    let Some(alts) = v.alternatives() else {
        return read(v);
    };
    let branches: Vec<Branch<T>> = alts
        .iter()
        .map(|a| Branch {
            when: a.describe(),
            attr: match &a.value {
                None => Attr::absent(absent),
                Some(v) => read(v),
            },
        })
        .collect();
    Attr::Branches { span, branches }
}

fn one_attr<T>(v: &Value, span: Span, absent: Span, conv: impl Fn(&Value) -> Option<T>) -> Attr<T> {
    match &v.kind {
        // `AWS::NoValue` chosen by a condition that a parameter default decides: reported at
        // the property, naming the default.
        Kind::Null => match &*v.origin {
            Origin::Condition(c) => Attr::Absent {
                span,
                chosen: Some(c.clone()),
            },
            _ => Attr::absent(absent),
        },
        _ if v.contains_unknown() && !matches!(v.kind, Kind::Map(_)) => Attr::Unknown { span },
        _ => match conv(v) {
            Some(value) => Attr::Known {
                value,
                span,
                origin: (*v.origin).clone(),
            },
            None => Attr::Unknown { span },
        },
    }
}

pub(crate) fn bool_attr(body: &Value, key: &str, absent: Span) -> Attr<bool> {
    attr(body, key, absent, Value::as_bool)
}

/// Nested Terraform blocks of a type (`versioning { ... }`), as maps.
pub(crate) fn blocks<'v>(body: &'v Value, key: &str) -> Vec<&'v Value> {
    match body.get(key) {
        Some(v) => match &v.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Map(_) => vec![v],
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// How a value designates a resource of one of `types`: a reference to it, or (Terraform) its
/// literal name. `Err(())` when the value is unknown and resolves to nothing.
pub(crate) fn designated(
    model: &Model<'_>,
    scope: ScopeId,
    value: &Value,
    types: &[&str],
    name_key: &str,
) -> Result<Option<ResIdx>, ()> {
    if let Some(s) = value.as_str() {
        return Ok(types
            .iter()
            .find_map(|t| model.names.get(scope, t, name_key, s)));
    }
    // The same unknown expression as a resource's name (`!Ref BucketName` on both sides): that
    // resource.
    if let Some(i) = types
        .iter()
        .find_map(|t| model.names.get_value(scope, t, name_key, value))
    {
        return Ok(Some(i));
    }
    let hit = model
        .graph
        .targets_of(scope, value)
        .into_iter()
        .map(|(i, _)| i)
        .find(|&i| types.contains(&model.resources[i].rtype.as_str()));
    match hit {
        Some(i) => Ok(Some(i)),
        None if value.contains_unknown() => Err(()),
        None => Ok(None),
    }
}

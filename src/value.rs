//! The span-carrying value model shared by every format.
//!
//! Parsers (Terraform, CloudFormation YAML/JSON) and evaluators produce [`Value`]s. A value is
//! known (null, bool, number, string, list, map) or [`Kind::Unknown`]: it could not be resolved
//! statically. Unknown values keep the references they were built from (resources, variables,
//! parameters), which feed the resource graph and let rules reason about *where* a value comes
//! from without ever producing a finding from an unknown value on its own.

use crate::source::Span;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// Where a known value was written. Rules such as FTR-XA-002 care whether a value is a literal of
/// the template (the same for every deployment) or supplied per deployment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    /// Written literally in the scanned code (or computed from literals only).
    #[default]
    Literal,
    /// The default of a Terraform variable or CloudFormation parameter.
    Default(Arc<str>),
    /// A value file committed next to the code (`terraform.tfvars`, a parameters file).
    ValueFile(Arc<str>),
    /// Given on the command line (`--var`, `--parameter`) or the environment: per deployment.
    Cli(Arc<str>),
    /// A CloudFormation `Mappings` entry.
    Mapping,
    /// Chosen by an `Fn::If` whose condition is decided by a parameter's default (the value
    /// itself is written in the template): another deployment may choose the other branch.
    Condition(Arc<ChosenBy>),
}

/// The condition that chose a value, and the parameter default that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChosenBy {
    pub condition: Arc<str>,
    /// Whether the condition held.
    pub holds: bool,
    pub parameter: Arc<str>,
    /// The default's text (`''` for empty).
    pub default: Arc<str>,
}

impl ChosenBy {
    /// "condition `HasKey` is false with the default of parameter `KeyArn` (`''`)".
    pub fn describe(&self) -> String {
        format!(
            "condition `{}` is {} with the default of parameter `{}` (`{}`)",
            self.condition, self.holds, self.parameter, self.default
        )
    }
}

impl Origin {
    /// How much a value is "set per deployment": when values combine (a `Sub`, a template),
    /// the result takes the origin of the highest rank.
    pub fn deployment_rank(&self) -> u8 {
        match self {
            Origin::Literal => 0,
            Origin::Mapping => 1,
            Origin::Default(_) | Origin::Condition(_) => 2,
            Origin::ValueFile(_) => 3,
            Origin::Cli(_) => 4,
        }
    }
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// A Terraform managed resource (`aws_s3_bucket.logs`) or CloudFormation resource logical ID.
    Resource,
    /// A Terraform data source; `target` keeps the `data.` prefix (`data.aws_iam_policy_document.x`).
    Data,
    /// A Terraform variable (`var.x`, target `x`) or a CloudFormation parameter.
    Input,
    /// A Terraform local (`local.x`, target `x`); normally resolved, kept when unknown.
    Local,
    /// A Terraform module output (`module.m.out`, target `m`).
    Module,
    /// A CloudFormation pseudo parameter (`AWS::AccountId`, ...), target is its name.
    Pseudo,
    /// `Fn::ImportValue` (target: the export name when known) or anything else outside the scan.
    External,
}

/// A reference from one value to something else, kept on unknown values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub kind: RefKind,
    /// Resource address / logical ID / variable or parameter name / pseudo parameter name.
    pub target: String,
    /// Attribute read from the target (`id`, `arn`, `Arn` of `!GetAtt X.Arn`), if any.
    pub attr: Option<String>,
    pub span: Span,
}

/// Why a value is unknown, plus what it refers to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unknown {
    pub refs: Vec<Reference>,
    /// Short, human-readable reason (e.g. "variable `x` has no default").
    pub reason: Option<String>,
    /// For a string template that is only partly known (`"arn:${var.p}:iam::aws:policy/X"`):
    /// the known text with [`HOLE`] for each unknown part. Lets rules match what is certain.
    pub partial: Option<String>,
    /// For an undecided CloudFormation `Fn::If` (condition only known at deploy time): every
    /// value it can take, flattened over nested `Fn::If`s. Empty for any other unknown. Lets the
    /// adapters judge each branch (a rule fires only when every branch violates it).
    pub alternatives: Vec<Alternative>,
}

/// One possible value of an undecided `Fn::If` (see [`Unknown::alternatives`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The condition choices that lead here, outermost first: `[("IsProd", true)]`.
    pub when: Vec<(String, bool)>,
    /// The branch's value; `None` for `AWS::NoValue` (the property is absent in that branch).
    pub value: Option<Value>,
    /// Where the branch is written.
    pub span: Span,
    /// How many other branches have the same value (merged into this one).
    pub others: usize,
    /// The conditions of the first few of those `others` (for [`Alternative::describe`]).
    pub others_when: Vec<Vec<(String, bool)>>,
}

impl Alternative {
    /// Human-readable branch description: "when `IsProd` is true and `UseKms` is false".
    pub fn describe(&self) -> String {
        fn one(when: &[(String, bool)]) -> String {
            const SHOWN: usize = 3;
            let mut parts: Vec<String> = when
                .iter()
                .take(SHOWN)
                .map(|(c, b)| format!("`{c}` is {b}"))
                .collect();
            if when.len() > SHOWN {
                parts.push(format!("{} more conditions", when.len() - SHOWN));
            }
            format!("when {}", parts.join(" and "))
        }
        let mut text = one(&self.when);
        for w in &self.others_when {
            text.push_str(", or ");
            text.push_str(&one(w));
        }
        match self.others.saturating_sub(self.others_when.len()) {
            0 => {}
            1 => text.push_str(" (and 1 more branch)"),
            n => text.push_str(&format!(" (and {n} more branches)")),
        }
        text
    }
}

/// Stands for an unknown part of a partly known string (see [`Unknown::partial`]).
pub const HOLE: char = '\u{FFFC}';

impl Unknown {
    /// True when the known parts of `partial` prove the string ends with `suffix`.
    pub fn partial_ends_with(&self, suffix: &str) -> bool {
        self.partial
            .as_deref()
            .and_then(|p| p.rsplit(HOLE).next())
            .is_some_and(|tail| tail.ends_with(suffix))
    }
}

/// A map entry: the key with its own span, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    /// Ordered entries; keys are unique after parsing (duplicates are reported by the parser).
    Map(Vec<Entry>),
    Unknown(Box<Unknown>),
}

/// A value with the span where it was written and its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
    pub origin: Origin,
}

impl Value {
    /// Drops the spare capacity of every container and string in the tree: evaluated trees
    /// live for the whole scan, and vectors grown by pushing keep up to half their size free.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.kind {
            Kind::String(s) => s.shrink_to_fit(),
            Kind::List(items) => {
                items.shrink_to_fit();
                items.iter_mut().for_each(Value::shrink_to_fit);
            }
            Kind::Map(entries) => {
                entries.shrink_to_fit();
                for e in entries.iter_mut() {
                    e.key.shrink_to_fit();
                    e.value.shrink_to_fit();
                }
            }
            Kind::Unknown(u) => {
                u.refs.shrink_to_fit();
                for a in &mut u.alternatives {
                    if let Some(v) = &mut a.value {
                        v.shrink_to_fit();
                    }
                }
            }
            Kind::Null | Kind::Bool(_) | Kind::Number(_) => {}
        }
    }

    pub fn new(kind: Kind, span: Span) -> Self {
        Value {
            kind,
            span,
            origin: Origin::Literal,
        }
    }
    pub fn null(span: Span) -> Self {
        Value::new(Kind::Null, span)
    }
    pub fn string(s: impl Into<String>, span: Span) -> Self {
        Value::new(Kind::String(s.into()), span)
    }
    pub fn unknown(span: Span, refs: Vec<Reference>, reason: Option<String>) -> Self {
        Value::new(
            Kind::Unknown(Box::new(Unknown {
                refs,
                reason,
                partial: None,
                alternatives: Vec::new(),
            })),
            span,
        )
    }
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }
    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.kind {
            Kind::Unknown(_) => true,
            Kind::List(items) => items.iter().any(Value::contains_unknown),
            Kind::Map(entries) => entries.iter().any(|e| e.value.contains_unknown()),
            _ => false,
        }
    }
    /// The alternatives of an undecided `Fn::If`, when this value is one.
    pub fn alternatives(&self) -> Option<&[Alternative]> {
        match &self.kind {
            Kind::Unknown(u) if !u.alternatives.is_empty() => Some(&u.alternatives),
            _ => None,
        }
    }
    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            Kind::Unknown(u) => Some(u),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    /// A boolean, accepting the string forms CloudFormation and Terraform accept (`"true"`).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
    /// A number, accepting numeric strings.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            Kind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }
    /// The entry for `key` in a map (exact match).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }
    /// The entry for `key`, ignoring ASCII case (IAM policy keys are case-insensitive in places).
    pub fn entry_ci(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }
    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }
    /// A value that is a single item or a list of items, as a list (IAM `Action: "s3:*"`).
    pub fn one_or_many(&self) -> Vec<&Value> {
        match &self.kind {
            Kind::List(items) => items.iter().collect(),
            _ => vec![self],
        }
    }
    /// Every reference in this value, recursively.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }
    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        match &self.kind {
            Kind::Unknown(u) => out.extend(u.refs.iter()),
            Kind::List(items) => items.iter().for_each(|v| v.collect_refs(out)),
            Kind::Map(entries) => entries.iter().for_each(|e| e.value.collect_refs(out)),
            _ => {}
        }
    }
    /// Plain JSON with resolved values; unknown values become `{"$unknown": [refs...]}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.kind {
            Kind::Null => s.serialize_unit(),
            Kind::Bool(b) => s.serialize_bool(*b),
            Kind::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    s.serialize_i64(*n as i64)
                } else {
                    s.serialize_f64(*n)
                }
            }
            Kind::String(v) => s.serialize_str(v),
            Kind::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Kind::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for e in entries {
                    map.serialize_entry(&e.key, &e.value)?;
                }
                map.end()
            }
            Kind::Unknown(u) => {
                let refs: Vec<String> = u
                    .refs
                    .iter()
                    .map(|r| match &r.attr {
                        Some(a) => format!("{}.{}", r.target, a),
                        None => r.target.clone(),
                    })
                    .collect();
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$unknown", &refs)?;
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn sp() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    #[test]
    fn serialises_resolved_values() {
        let v = Value::new(
            Kind::Map(vec![
                Entry {
                    key: "a".into(),
                    key_span: sp(),
                    value: Value::new(Kind::Number(3.0), sp()),
                },
                Entry {
                    key: "b".into(),
                    key_span: sp(),
                    value: Value::unknown(
                        sp(),
                        vec![Reference {
                            kind: RefKind::Resource,
                            target: "aws_s3_bucket.x".into(),
                            attr: Some("id".into()),
                            span: sp(),
                        }],
                        None,
                    ),
                },
            ]),
            sp(),
        );
        assert_eq!(
            v.to_json().to_string(),
            r#"{"a":3,"b":{"$unknown":["aws_s3_bucket.x.id"]}}"#
        );
        assert!(v.contains_unknown());
        assert_eq!(v.references().len(), 1);
    }
}

/// Builders of spanned values for unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Entry, Kind, Value};
    use crate::source::{FileId, Span};

    /// A one-byte span at `n` of file 0.
    pub fn sp(n: u32) -> Span {
        Span {
            file: FileId(0),
            start: n,
            end: n + 1,
        }
    }

    /// A map of the entries, each key at its own span.
    pub fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::new(
            Kind::Map(
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| Entry {
                        key: k.to_string(),
                        key_span: sp(i as u32 * 10),
                        value: v,
                    })
                    .collect(),
            ),
            sp(0),
        )
    }
}

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

/// An [`Origin`] behind one pointer: 8 bytes in every [`Value`] where the enum takes 24, and
/// `Literal` — by far the most common — allocates nothing. Derefs to the [`Origin`] for matching
/// (`match &*v.origin { Origin::Cli(_) => … }`); cloning shares the one allocation.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct OriginRef(Option<Arc<Origin>>);

impl OriginRef {
    /// `Origin::Literal`.
    pub const LITERAL: OriginRef = OriginRef(None);
}

impl std::ops::Deref for OriginRef {
    type Target = Origin;
    fn deref(&self) -> &Origin {
        const LITERAL: &Origin = &Origin::Literal;
        self.0.as_deref().unwrap_or(LITERAL)
    }
}

impl From<Origin> for OriginRef {
    fn from(o: Origin) -> Self {
        match o {
            Origin::Literal => OriginRef(None),
            o => OriginRef(Some(Arc::new(o))),
        }
    }
}

impl From<&Origin> for OriginRef {
    fn from(o: &Origin) -> Self {
        OriginRef::from(o.clone())
    }
}

impl From<OriginRef> for Origin {
    fn from(o: OriginRef) -> Self {
        match o.0 {
            None => Origin::Literal,
            Some(o) => Arc::unwrap_or_clone(o),
        }
    }
}

impl From<&OriginRef> for Origin {
    fn from(o: &OriginRef) -> Self {
        (**o).clone()
    }
}

impl PartialEq<Origin> for OriginRef {
    fn eq(&self, other: &Origin) -> bool {
        **self == *other
    }
}

impl PartialEq<OriginRef> for Origin {
    fn eq(&self, other: &OriginRef) -> bool {
        *self == **other
    }
}

impl std::fmt::Debug for OriginRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// An immutable string of the value tree (map keys, string values, partial templates, reference
/// targets): 16 bytes, where a `String` takes 24 and keeps whatever its builder reserved (the YAML
/// scanner reserves ~80 bytes per scalar). Up to 15 bytes are stored inline — most keys and many
/// values (`Type`, `Properties`, `AWS::Region`, `Custom::Thing`) then allocate nothing — and a
/// longer text is shared by reference count when a tree is copied (resolution, defaults).
/// [`ecow::EcoString`] does exactly that. Derefs to `str` and compares with `&str`/`String`, so
/// `e.key == "Type"` and `s.starts_with(…)` read as before.
#[derive(Clone, Default)]
pub struct Str(ecow::EcoString);

impl Str {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
    pub fn into_string(self) -> String {
        self.0.into()
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// Hashes as the `str` it holds (sets of [`Str`] are looked up by `&str`).
impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(s.as_str().into())
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str(s.as_str().into())
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(s.into())
    }
}

impl From<&Str> for Str {
    fn from(s: &Str) -> Self {
        s.clone()
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Self {
        Str(ecow::EcoString::from(&*s))
    }
}

impl From<std::borrow::Cow<'_, str>> for Str {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        Str(ecow::EcoString::from(&*s))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> Self {
        s.into_string()
    }
}

impl From<&Str> for String {
    fn from(s: &Str) -> Self {
        s.as_str().to_string()
    }
}

impl From<Str> for Arc<str> {
    fn from(s: Str) -> Self {
        Arc::from(s.as_str())
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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
    pub target: Str,
    /// Attribute read from the target (`id`, `arn`, `Arn` of `!GetAtt X.Arn`), if any.
    pub attr: Option<Str>,
    pub span: Span,
}

/// Why a value is unknown, plus what it refers to. Its lists are boxed slices: no spare
/// capacity, and 8 bytes less each than a `Vec`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unknown {
    pub refs: Box<[Reference]>,
    /// Short, human-readable reason (e.g. "variable `x` has no default"). Shared: the same
    /// fixed text is on every `Fn::Sub` of a template (see [`fixed_reason`]).
    pub reason: Option<Arc<str>>,
    /// For a string template that is only partly known (`"arn:${var.p}:iam::aws:policy/X"`):
    /// the known text with [`HOLE`] for each unknown part. Lets rules match what is certain.
    pub partial: Option<Str>,
    /// For an undecided CloudFormation `Fn::If` (condition only known at deploy time): every
    /// value it can take, flattened over nested `Fn::If`s. Empty for any other unknown. Lets the
    /// adapters judge each branch (a rule fires only when every branch violates it).
    pub alternatives: Box<[Alternative]>,
}

/// A fixed reason text as a shared [`Unknown::reason`]: one allocation per text and thread,
/// however many values carry it.
pub fn fixed_reason(text: &'static str) -> Arc<str> {
    thread_local! {
        static KEPT: std::cell::RefCell<std::collections::HashMap<&'static str, Arc<str>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    KEPT.with(|kept| {
        kept.borrow_mut()
            .entry(text)
            .or_insert_with(|| Arc::from(text))
            .clone()
    })
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
    pub key: Str,
    pub key_span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(Str),
    /// Containers are boxed slices (16 bytes, no spare capacity): a tree is built once, then
    /// only read.
    List(Box<[Value]>),
    /// Ordered entries; keys are unique after parsing (duplicates are reported by the parser).
    Map(Box<[Entry]>),
    Unknown(Box<Unknown>),
}

/// A value with the span where it was written and its origin. 48 bytes (a 24-byte [`Kind`], a
/// 12-byte [`Span`], an 8-byte [`OriginRef`]): trees of large templates are most of the memory
/// of a scan, so the size is checked below.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
    pub origin: OriginRef,
}

#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(std::mem::size_of::<Value>() == 48);
    assert!(std::mem::size_of::<Entry>() == 80);
    assert!(std::mem::size_of::<Str>() == 16);
};

impl Value {
    /// Drops the spare capacity of every container and string in the tree: evaluated trees
    /// live for the whole scan, and vectors grown by pushing keep up to half their size free.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.kind {
            Kind::String(_) => {}
            Kind::List(items) => items.iter_mut().for_each(Value::shrink_to_fit),
            Kind::Map(entries) => entries.iter_mut().for_each(|e| e.value.shrink_to_fit()),
            Kind::Unknown(u) => {
                for a in u.alternatives.iter_mut() {
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
            origin: OriginRef::LITERAL,
        }
    }
    pub fn null(span: Span) -> Self {
        Value::new(Kind::Null, span)
    }
    pub fn string(s: impl Into<Str>, span: Span) -> Self {
        Value::new(Kind::String(s.into()), span)
    }
    pub fn unknown(span: Span, refs: Vec<Reference>, reason: Option<String>) -> Self {
        Value::new(
            Kind::Unknown(Box::new(Unknown {
                refs: refs.into_boxed_slice(),
                reason: reason.map(Arc::from),
                partial: None,
                alternatives: Box::default(),
            })),
            span,
        )
    }
    pub fn with_origin(mut self, origin: impl Into<OriginRef>) -> Self {
        self.origin = origin.into();
        self
    }
    /// A list value.
    pub fn list(items: Vec<Value>, span: Span) -> Self {
        Value::new(Kind::List(items.into_boxed_slice()), span)
    }
    /// A map value (entries in order, keys unique).
    pub fn map(entries: Vec<Entry>, span: Span) -> Self {
        Value::new(Kind::Map(entries.into_boxed_slice()), span)
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
                        None => r.target.to_string(),
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
        let v = Value::map(
            vec![
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
            ],
            sp(),
        );
        assert_eq!(
            v.to_json().to_string(),
            r#"{"a":3,"b":{"$unknown":["aws_s3_bucket.x.id"]}}"#
        );
        assert!(v.contains_unknown());
        assert_eq!(v.references().len(), 1);
    }

    #[test]
    fn str_reads_compares_and_hashes_as_the_text() {
        use std::collections::HashSet;
        let short = Str::from("Type");
        let long = Str::from("arn:aws:lambda:us-east-1:123456789012:function:f");
        assert_eq!(short, "Type");
        assert_eq!("Type", short);
        assert_eq!(short, String::from("Type"));
        assert_eq!(
            long.as_str(),
            "arn:aws:lambda:us-east-1:123456789012:function:f"
        );
        assert!(long.starts_with("arn:aws:lambda:"));
        // Debug and Display as a `String` would print them (snapshots and messages unchanged).
        assert_eq!(format!("{short:?}"), "\"Type\"");
        assert_eq!(
            format!("{long}"),
            "arn:aws:lambda:us-east-1:123456789012:function:f"
        );
        // A set of `Str` is looked up by `&str`: hashing must agree with `str`'s.
        let set: HashSet<Str> = [short.clone(), long.clone()].into_iter().collect();
        assert!(set.contains("Type"));
        assert!(set.contains("arn:aws:lambda:us-east-1:123456789012:function:f"));
        assert!(!set.contains("type"));
        let (a, b) = (Str::from("a"), Str::from("b"));
        assert!(a < b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Less);
        assert_eq!(long.clone().into_string(), long.as_str());
    }

    #[test]
    fn origin_ref_is_literal_by_default_and_derefs_to_the_origin() {
        let v = Value::null(sp());
        assert_eq!(v.origin, Origin::Literal);
        assert!(matches!(*v.origin, Origin::Literal));
        let cli = v.with_origin(Origin::Cli("Env".into()));
        assert_eq!(cli.origin, Origin::Cli("Env".into()));
        assert_eq!(cli.origin.deployment_rank(), 4);
        assert_eq!(Origin::from(cli.origin.clone()), Origin::Cli("Env".into()));
        // `Literal` is stored as no pointer at all.
        assert_eq!(OriginRef::from(Origin::Literal), OriginRef::LITERAL);
        assert_eq!(format!("{:?}", cli.origin), "Cli(\"Env\")");
    }

    #[test]
    fn fixed_reasons_are_shared() {
        let a = fixed_reason("`Fn::Sub` has parts only known at deploy time");
        let b = fixed_reason("`Fn::Sub` has parts only known at deploy time");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "`Fn::Sub` has parts only known at deploy time");
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
                        key: k.into(),
                        key_span: sp(i as u32 * 10),
                        value: v,
                    })
                    .collect(),
            ),
            sp(0),
        )
    }
}

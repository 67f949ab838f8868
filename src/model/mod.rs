//! Typed service models that rules check once for both formats (Trivy's shape).
//!
//! Adapters (`crate::adapt`) fill these from Terraform and CloudFormation resources and join
//! split resources (e.g. `aws_s3_bucket_versioning` into its bucket), so rules never care how the
//! user spelled a setting. Every field a rule reads is an [`Attr`]: known (with the span where it
//! was written), absent (the provider default applies; the span is the resource header), or
//! unknown (never a finding on its own).

pub mod backup;
pub mod cloudtrail;
pub mod declare;
pub mod docdb;
pub mod dynamodb;
pub mod ebs;
pub mod efs;
pub mod eks;
pub mod elasticache;
pub mod iam;
pub mod iam_user;
pub mod kinesis;
pub mod kms;
pub mod logs;
pub mod neptune;
pub mod network;
pub mod opensearch;
pub mod password_policy;
pub mod rds;
pub mod redshift;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;
pub mod tls_policies;
pub mod transit;

use crate::graph::{Graph, ResIdx};
use crate::resource::{Resource, Scope};
use crate::source::{SourceMap, Span};
use crate::value::Origin;

#[derive(Debug, Clone, PartialEq)]
pub enum Attr<T> {
    Known {
        value: T,
        span: Span,
        origin: Origin,
    },
    /// Not written: the provider default applies. `span` is where to report (the header).
    Absent {
        span: Span,
        /// Removed by an `Fn::If` whose condition a parameter default decides (then `span` is
        /// the property's): another deployment may set it.
        chosen: Option<std::sync::Arc<crate::value::ChosenBy>>,
    },
    /// Written as `""` (a setting such as a key id left empty, often by a variable or
    /// parameter default): counts as not set, reported at the attribute. `origin`: where the
    /// empty value comes from.
    Empty { span: Span, origin: Origin },
    /// Written but not resolvable statically.
    Unknown { span: Span },
    /// Decided by a condition only known at deploy time (CloudFormation `Fn::If`): the
    /// attribute as it is in each possible branch (never itself `Branches`). `span` is the
    /// attribute's. Rules judge every branch (see `crate::rules::Outcomes::judge`): a finding
    /// only when every branch fails.
    Branches {
        span: Span,
        branches: Vec<Branch<T>>,
    },
}

/// One branch of an [`Attr::Branches`].
#[derive(Debug, Clone, PartialEq)]
pub struct Branch<T> {
    /// "when `IsProd` is true" (see [`crate::value::Alternative::describe`]).
    pub when: String,
    pub attr: Attr<T>,
}

impl<T> Attr<T> {
    /// Not written (the provider default applies), reported at `span`.
    pub fn absent(span: Span) -> Self {
        Attr::Absent { span, chosen: None }
    }
    pub fn span(&self) -> Span {
        match self {
            Attr::Known { span, .. }
            | Attr::Absent { span, .. }
            | Attr::Empty { span, .. }
            | Attr::Unknown { span }
            | Attr::Branches { span, .. } => *span,
        }
    }
    /// The same attribute with its known value(s) mapped (branch by branch).
    pub fn map<U>(self, f: &impl Fn(T) -> U) -> Attr<U> {
        match self {
            Attr::Known {
                value,
                span,
                origin,
            } => Attr::Known {
                value: f(value),
                span,
                origin,
            },
            Attr::Absent { span, chosen } => Attr::Absent { span, chosen },
            Attr::Empty { span, origin } => Attr::Empty { span, origin },
            Attr::Unknown { span } => Attr::Unknown { span },
            Attr::Branches { span, branches } => Attr::Branches {
                span,
                branches: branches
                    .into_iter()
                    .map(|b| Branch {
                        when: b.when,
                        attr: b.attr.map(f),
                    })
                    .collect(),
            },
        }
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Attr::Known { value, .. } => Some(value),
            _ => None,
        }
    }
}

/// Everything the rules see: the resources, the graph, and the service models.
#[derive(Debug)]
pub struct Model<'a> {
    pub resources: &'a [Resource],
    pub scopes: &'a [Scope],
    pub sources: &'a SourceMap,
    pub graph: Graph<'a>,
    pub trails: Vec<cloudtrail::Trail>,
    pub buckets: Vec<s3::Bucket>,
    pub iam: iam::Iam,
    pub ebs: ebs::Ebs,
    pub kms: Vec<kms::Key>,
    pub network: network::Network,
    /// Literal names of resources (`bucket`, `name`, `BucketName`, …), for joining by name.
    pub names: NameIndex,
    /// Managed resources by type, in scan order (for declarative models).
    pub by_type: std::collections::HashMap<&'a str, Vec<ResIdx>>,
    /// Split configuration resources joined to the resource they configure.
    pub joins: Joins,
}

/// Split configuration resources (`aws_s3_bucket_versioning`, `AWS::S3::BucketPolicy`, …)
/// joined to their parent (built by `crate::adapt::join` from its table of joins).
#[derive(Debug, Default)]
pub struct Joins {
    pub(crate) children: std::collections::HashMap<ResIdx, Vec<ResIdx>>,
    /// `(scope, child type)`: a configuration resource of that type in the scope points at a
    /// parent that cannot be resolved (it may be any parent of the scope).
    pub(crate) unresolved: std::collections::HashSet<(crate::resource::ScopeId, String)>,
}

/// The attributes that name a resource and may be used to point at it by a literal.
pub const NAME_KEYS: &[&str] = &[
    "bucket",
    "name",
    "BucketName",
    "RoleName",
    "UserName",
    "GroupName",
];

type NameKey = (crate::resource::ScopeId, String, &'static str, String);

/// `(scope, type, name attribute, name) → resource`: the first resource so named. A name is a
/// literal, or an unknown expression (`!Ref BucketName`, `"${var.app}-logs"`) — the same
/// expression in one scope is the same value at deploy time; one written for two resources
/// designates neither.
#[derive(Debug, Default)]
pub struct NameIndex {
    map: std::collections::HashMap<NameKey, ResIdx>,
    ambiguous: std::collections::HashSet<NameKey>,
}

impl NameIndex {
    pub fn build(resources: &[Resource]) -> Self {
        let mut index = NameIndex::default();
        for (i, r) in resources.iter().enumerate() {
            if r.mode != crate::resource::Mode::Managed {
                continue;
            }
            for key in NAME_KEYS {
                let Some(v) = r.body.get(key) else {
                    continue;
                };
                if let Some(name) = v.as_str() {
                    index
                        .map
                        .entry((r.scope, r.rtype.clone(), *key, name.to_string()))
                        .or_insert(i);
                } else if let Some(expr) = expression_key(v) {
                    let k = (r.scope, r.rtype.clone(), *key, expr);
                    match index.map.get(&k) {
                        Some(&j) if j != i => {
                            index.ambiguous.insert(k);
                        }
                        Some(_) => {}
                        None => {
                            index.map.insert(k, i);
                        }
                    }
                }
            }
        }
        index
    }

    /// The resource of `rtype` whose `key` is exactly the value `v` of the same scope: the
    /// same literal name, or the same unknown parameter/variable (`!Ref BucketNameParam` on
    /// both sides names one bucket, whatever the parameter's value).
    pub fn get_value(
        &self,
        scope: crate::resource::ScopeId,
        rtype: &str,
        key: &str,
        v: &crate::value::Value,
    ) -> Option<ResIdx> {
        match v.as_str() {
            Some(name) => self.get(scope, rtype, key, name),
            None => self.get(scope, rtype, key, &expression_key(v)?),
        }
    }

    pub fn get(
        &self,
        scope: crate::resource::ScopeId,
        rtype: &str,
        key: &str,
        name: &str,
    ) -> Option<ResIdx> {
        let key = NAME_KEYS.iter().find(|k| **k == key)?;
        let k = (scope, rtype.to_string(), *key, name.to_string());
        if self.ambiguous.contains(&k) {
            return None;
        }
        self.map.get(&k).copied()
    }
}

/// The index key of an unknown expression built from references (a NUL prefix keeps it apart
/// from literal names): its known text and its references, in order. `None` for an undecided
/// `Fn::If` or a value with no reference (nothing says two such values are equal).
fn expression_key(v: &crate::value::Value) -> Option<String> {
    let u = v.as_unknown()?;
    if u.refs.is_empty() || !u.alternatives.is_empty() {
        return None;
    }
    let mut key = format!("\0expr:{}", u.partial.as_deref().unwrap_or(""));
    for r in &u.refs {
        key.push_str(&format!(
            "\x1f{:?}:{}:{}",
            r.kind,
            r.target,
            r.attr.as_deref().unwrap_or("")
        ));
    }
    Some(key)
}

impl<'a> Model<'a> {
    pub fn resource(&self, idx: ResIdx) -> &'a Resource {
        &self.resources[idx]
    }

    /// Managed resources of one type, in scan order.
    pub fn of_type(&self, rtype: &str) -> &[ResIdx] {
        self.by_type.get(rtype).map_or(&[], Vec::as_slice)
    }

    /// Every resource of a declarative model's types, read into the model, in scan order.
    pub fn all<T: declare::Declared>(&self) -> Vec<T> {
        let mut idx: Vec<ResIdx> = T::TERRAFORM
            .iter()
            .chain(T::CLOUDFORMATION)
            .flat_map(|t| self.of_type(t).iter().copied())
            .collect();
        idx.sort_unstable();
        idx.into_iter()
            .map(|i| T::read(i, &self.resources[i]))
            .collect()
    }

    /// The configuration resources of type `child_type` joined to `parent`.
    pub fn children(
        &self,
        parent: ResIdx,
        child_type: &'a str,
    ) -> impl Iterator<Item = (ResIdx, &'a Resource)> + '_ {
        self.joins
            .children
            .get(&parent)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.resources[i]))
            .filter(move |(_, r)| r.rtype == child_type)
    }

    /// Whether a configuration resource of `child_type` in `scope` points at an unresolved
    /// parent (so any parent of the scope may be configured by it: no verdict).
    pub fn unresolved_children(&self, scope: crate::resource::ScopeId, child_type: &str) -> bool {
        self.joins
            .unresolved
            .contains(&(scope, child_type.to_string()))
    }
    pub fn scope_of(&self, idx: ResIdx) -> Option<&'a Scope> {
        self.scopes.get(self.resources[idx].scope.0 as usize)
    }
}

//! The format-neutral result of loading: resources with evaluated bodies, the inputs
//! (Terraform variables / CloudFormation parameters) and outputs of each scope, and
//! diagnostics. Loaders (`terraform`, `cloudformation`) produce it; the service adapters and
//! the resource graph consume it.

use crate::source::{FileId, Span};
use crate::value::{Reference, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Terraform,
    CloudFormation,
}

/// What kind of block a [`Resource`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Terraform `resource`, CloudFormation `Resources` entry.
    Managed,
    /// Terraform `data` source (address keeps the `data.` prefix).
    Data,
    /// Terraform `provider` block (address `provider.aws` or `provider.aws.alias`).
    Provider,
}

/// Index of a scope in a [`LoadOutput`] (after merging: in the whole scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ScopeId(pub u32);

/// A resource with its evaluated body.
///
/// Terraform: `body` is a map of the block's attributes (evaluated) and nested blocks; a nested
/// block type maps to a list of maps, one per block, each with the block's span.
/// CloudFormation: `body` is the `Properties` map (an empty map spanning the logical ID when
/// absent).
#[derive(Debug, Clone)]
pub struct Resource {
    /// `aws_s3_bucket.logs`, `data.aws_iam_policy_document.x`, `provider.aws`, or a CFN logical ID.
    pub address: String,
    /// `aws_s3_bucket`, `AWS::S3::Bucket`, `aws` for a provider.
    pub rtype: String,
    /// Terraform name label / CloudFormation logical ID.
    pub name: String,
    pub format: Format,
    pub mode: Mode,
    /// The header: TF `resource "t" "n"` labels, CFN the logical ID key. Findings about a missing
    /// attribute point here.
    pub span: Span,
    pub body: Value,
    /// Explicit dependencies (TF `depends_on`, CFN `DependsOn`).
    pub depends_on: Box<[Reference]>,
    /// CloudFormation resource `Metadata` (construct paths, later suppressions).
    /// Boxed: most resources have none, and a `Value` inline would add 40 bytes to each.
    pub metadata: Option<Box<Value>>,
    pub scope: ScopeId,
}

impl Resource {
    pub fn file(&self) -> FileId {
        self.span.file
    }
}

/// A Terraform variable or a CloudFormation parameter.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    /// The declaration (`variable "x"` labels, the parameter's key).
    pub span: Span,
    /// The default written in the declaration.
    pub default: Option<Value>,
    /// The value in effect when one is supplied (tfvars, `--var`, parameters file); already
    /// carries the right [`crate::value::Origin`].
    pub value: Option<Value>,
    /// TF `validation` block; CFN `AllowedPattern`, `AllowedValues`, `MinLength`.
    pub constrained: bool,
    /// TF `sensitive = true`; CFN `NoEcho: true`.
    pub sensitive: bool,
    /// The whole declaration, for rules that need more (`Type`, `description`, ...).
    pub decl: Value,
}

/// A Terraform `output` or a CloudFormation `Outputs` entry.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub span: Span,
    pub value: Value,
}

/// A Terraform module instance (one directory for the root) or a CloudFormation template.
#[derive(Debug, Clone)]
pub struct Scope {
    pub format: Format,
    /// Module address (`""` for a root, `module.logs`), or the template's display path.
    pub name: String,
    /// Directory (Terraform) or template file path, as displayed.
    pub location: String,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output>,
}

impl Scope {
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name == name)
    }
}

/// The root scope of each scope. A Terraform root's module instances follow it contiguously
/// (names `module.…`), so a Terraform scope with a non-empty name belongs to the nearest
/// preceding root; every other scope is its own root.
pub fn tree_roots(scopes: &[Scope]) -> Vec<ScopeId> {
    let mut out: Vec<ScopeId> = Vec::with_capacity(scopes.len());
    for (i, s) in scopes.iter().enumerate() {
        let own = ScopeId(i as u32);
        let root = if s.format == Format::Terraform && s.name.starts_with("module.") {
            out.last().copied().unwrap_or(own)
        } else {
            own
        };
        out.push(root);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file (or part of it) could not be read, parsed or evaluated: exit code 2.
    Error,
    /// Worth telling, does not change the exit code (e.g. an unresolvable module source).
    Note,
}

/// A problem with the input, reported in `errors` (or as a note) with file and position.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: FileId,
    /// Where; `None` for whole-file problems (unreadable, binary, too large).
    pub span: Option<Span>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: FileId, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file,
            span,
            message: message.into(),
        }
    }
    pub fn note(file: FileId, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            file,
            span,
            message: message.into(),
        }
    }
}

/// Evaluation counters (for `--stats`): how many expressions ended known vs unknown.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct EvalStats {
    pub expressions: u64,
    pub unknown: u64,
}

impl EvalStats {
    pub fn add(&mut self, other: EvalStats) {
        self.expressions += other.expressions;
        self.unknown += other.unknown;
    }
}

/// What one loader call produced. `ScopeId`s in `resources` index into `scopes` of the same
/// output; [`LoadOutput::merge`] renumbers them.
#[derive(Debug, Default)]
pub struct LoadOutput {
    pub resources: Vec<Resource>,
    pub scopes: Vec<Scope>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: EvalStats,
}

impl LoadOutput {
    /// Drops spare capacity everywhere (see [`Value::shrink_to_fit`]); a loaded unit is kept
    /// until the end of the scan.
    pub fn shrink_to_fit(&mut self) {
        self.resources.shrink_to_fit();
        for r in &mut self.resources {
            r.body.shrink_to_fit();
            if let Some(m) = &mut r.metadata {
                m.shrink_to_fit();
            }
        }
        self.scopes.shrink_to_fit();
        for s in &mut self.scopes {
            s.inputs.shrink_to_fit();
            for i in &mut s.inputs {
                i.decl.shrink_to_fit();
                for v in [&mut i.default, &mut i.value].into_iter().flatten() {
                    v.shrink_to_fit();
                }
            }
            s.outputs.shrink_to_fit();
            for o in &mut s.outputs {
                o.value.shrink_to_fit();
            }
        }
        self.diagnostics.shrink_to_fit();
    }

    pub fn merge(&mut self, other: LoadOutput) {
        let offset = self.scopes.len() as u32;
        self.scopes.extend(other.scopes);
        let mut resources = other.resources;
        for r in &mut resources {
            r.scope = ScopeId(r.scope.0 + offset);
        }
        if self.resources.is_empty() {
            // The first unit's list is taken as is: copying a large template's resources
            // would hold them twice for a moment.
            self.resources = resources;
        } else {
            self.resources.extend(resources);
        }
        self.diagnostics.extend(other.diagnostics);
        self.stats.add(other.stats);
    }
}

//! Terraform loader: one module directory → [`LoadOutput`] (resources with evaluated bodies,
//! the root scope's inputs and outputs, diagnostics, evaluation stats).
//!
//! Pieces: [`parse`] (hcl-edit → bodies, with a nesting guard and repeated object keys),
//! [`json_syntax`] (`*.tf.json` / `*.tfvars.json` → HCL text + offset map), [`eval`] (expressions →
//! span-carrying values, three-valued: known or Unknown), [`functions`] (built-in functions),
//! [`types`] (values converted to a variable's declared type, `optional()` defaults),
//! [`module`] (variables, tfvars, `--var-file`, `--var`, `TF_VAR_*`, locals, module calls,
//! `count`/`for_each`, `dynamic` blocks, outputs, blocks → resources), [`plan`] (plan JSON).
//!
//! # The `jsonencode` convention
//!
//! `jsonencode(x)` of a map or list evaluates to the structured value `x` itself (with the
//! spans of the HCL it was written in), not to a JSON string, so that rules can point at the
//! line of `Action = "*"` inside an HCL object. Consumers of JSON-string attributes (IAM and
//! resource policies) must accept either JSON text or such a structure. Inside the evaluator
//! such values are marked as JSON strings: where a string is needed (template interpolation,
//! string functions, `==`, `length`) they are serialised to compact JSON text with sorted
//! keys, as Terraform does, or stay Unknown when they contain unknown values. `jsonencode` of
//! a scalar is the JSON text itself. `jsondecode` of a marked value returns the structure.
//!
//! # Not yet
//!
//! Override files, most functions outside the list in [`functions`]. In JSON syntax ([`json_syntax`]): object
//! values are always attribute objects (no provider schema), property names of object values
//! are not templates, and `lifecycle` / `provisioner` / `connection` / `terraform` are skipped.

mod eval;
mod functions;
mod json_syntax;
mod module;
pub(crate) mod parse;
mod types;
mod values;

#[cfg(test)]
mod tests;

pub mod plan;

pub use module::{is_local_source, load_root, module_sources, ModuleSource, NoFiles};

#[cfg(test)]
use crate::resource::LoadOutput;
#[cfg(test)]
use crate::source::SourceFile;
use std::path::PathBuf;
#[cfg(test)]
use std::sync::Arc;

/// Which command-line value source comes next (`--var` index / `--var-file` index), so that
/// later ones win as in Terraform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliSource {
    Var(usize),
    File(usize),
}

/// A variable file and the one root module it is for (`None`: every root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarFile {
    pub path: PathBuf,
    pub root: Option<PathBuf>,
}

impl From<PathBuf> for VarFile {
    fn from(path: PathBuf) -> Self {
        VarFile { path, root: None }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TfOptions {
    /// `--var-file FILE` (HCL `.tfvars` or JSON `.tfvars.json`), applied to root modules (Origin::Cli).
    pub var_files: Vec<VarFile>,
    /// `TF_VAR_name` environment variables (name without the prefix), lowest precedence.
    pub env: Vec<(String, String)>,
    /// Command-line order of `vars` and `var_files`; empty: every file, then every `--var`.
    pub order: Vec<CliSource>,
    /// `--var NAME=VALUE` (Origin::Cli). Values are read as Terraform reads `-var`: a literal
    /// string for variables without a type or with a primitive type (then converted to it), an
    /// HCL expression (list/map/object literal) for variables of other types.
    pub vars: Vec<(String, String)>,
}

#[cfg(test)]
/// Load one Terraform module directory as a root module. `files` are every `*.tf` / `*.tf.json`
/// file of the directory plus `terraform.tfvars`, `*.auto.tfvars` and their `.json` forms
/// (already read, with FileIds), in path order.
pub fn load_module(dir_display: &str, files: &[Arc<SourceFile>], opts: &TfOptions) -> LoadOutput {
    module::load(dir_display, files, opts)
}

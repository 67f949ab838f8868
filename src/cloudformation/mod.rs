//! CloudFormation loader: YAML or JSON template → [`LoadOutput`].
//!
//! Both syntaxes are parsed into the span-carrying [`crate::value::Value`] tree (short-form YAML
//! tags are rewritten to their long `Fn::*` form so later code sees one shape), the file is
//! recognised as a template or silently ignored, and intrinsic functions in `Properties` and
//! `Outputs` are resolved as far as static knowledge allows.

pub mod cdk;
mod intrinsics;
mod json;
mod nested;
mod sam;
mod template;
mod tree;
mod yaml;

#[cfg(test)]
mod tests;

pub use nested::{children_of, link_nested_stacks, may_nest, Templates};

use crate::resource::{Diagnostic, LoadOutput};
use crate::source::SourceFile;
use crate::value::Value;

/// Options for loading templates.
#[derive(Debug, Clone, Default)]
pub struct CfnOptions {
    /// Values given with `--parameter NAME=VALUE` ([`crate::value::Origin::Cli`]). A name such
    /// as `AWS::Region`, `AWS::AccountId` or `AWS::Partition` overrides that pseudo parameter.
    pub parameters: std::collections::BTreeMap<String, String>,
    /// Values from a parameters file (`--parameters-file`), [`crate::value::Origin::ValueFile`]:
    /// the file's display name and its values. `--parameter` wins over them.
    pub parameters_file: Option<(String, std::collections::BTreeMap<String, String>)>,
    /// Set for a nested stack: the `Parameters` its parent passes (resolved in the parent, with
    /// the parent's origins). They replace `--parameter` and the parameters file.
    pub(crate) inherited: Option<std::collections::BTreeMap<String, Value>>,
}

/// Reads a parameters file: the CLI's `[{"ParameterKey": …, "ParameterValue": …}]` list, or the
/// `{"Parameters": {"Name": "value"}}` object of CodePipeline template configurations.
pub fn read_parameters_file(
    path: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let text = crate::input::read_text(path)
        .map_err(|e| format!("parameters file {}: {e}", path.display()))?;
    parse_parameters(&text).map_err(|e| format!("parameters file {}: {e}", path.display()))
}

pub(crate) fn parse_parameters(
    text: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    use serde_json::Value as J;
    let json: J = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let text_of = |v: &J| -> Option<String> {
        match v {
            J::String(s) => Some(s.clone()),
            J::Number(n) => Some(n.to_string()),
            J::Bool(b) => Some(b.to_string()),
            J::Array(items) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|i| match i {
                        J::String(s) => Some(s.clone()),
                        J::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect();
                parts.map(|p| p.join(","))
            }
            _ => None,
        }
    };
    let mut out = std::collections::BTreeMap::new();
    let list = match &json {
        J::Array(items) => Some(items),
        J::Object(o) => match o.get("Parameters") {
            Some(J::Array(items)) => Some(items),
            Some(J::Object(m)) => {
                for (k, v) in m {
                    let v = text_of(v)
                        .ok_or_else(|| format!("parameter `{k}`: the value must be a string"))?;
                    out.insert(k.clone(), v);
                }
                None
            }
            _ => return Err("expected a `Parameters` object or list".into()),
        },
        _ => return Err("expected a list of {ParameterKey, ParameterValue}".into()),
    };
    for (i, item) in list.into_iter().flatten().enumerate() {
        let key = item.get("ParameterKey").and_then(J::as_str);
        let value = item.get("ParameterValue").and_then(text_of);
        match (key, value) {
            (Some(k), Some(v)) => {
                out.insert(k.to_string(), v);
            }
            // `UsePreviousValue` entries carry no value: nothing to apply.
            (Some(_), None) if item.get("UsePreviousValue").is_some() => {}
            _ => {
                return Err(format!(
                    "entry {} needs `ParameterKey` and a string `ParameterValue`",
                    i + 1
                ))
            }
        }
    }
    Ok(out)
}

/// The CDK construct path of a resource (`Metadata: {aws:cdk:path: Stack/Bucket/Resource}`).
pub fn construct_path(r: &crate::resource::Resource) -> Option<String> {
    if r.format != crate::resource::Format::CloudFormation {
        return None;
    }
    r.metadata
        .as_ref()?
        .get("aws:cdk:path")?
        .as_str()
        .map(str::to_string)
}

/// Loads one template. `None` when the file is not a CloudFormation template (other YAML/JSON
/// is ignored silently).
pub fn load(file: &SourceFile, opts: &CfnOptions) -> Option<LoadOutput> {
    let parsed = parse(file);
    match parsed.root {
        Some(root) if !parsed.failed => template::build(file, root, parsed.diagnostics, opts),
        _ if parsed.failed && template::looks_like_template(file) => {
            Some(template::failed(file, parsed.diagnostics))
        }
        _ => None,
    }
}

/// Result of parsing either syntax.
pub(crate) struct Parsed {
    /// The first document's root node (none for an empty file or after a fatal error).
    pub root: Option<Value>,
    /// Problems found; when `failed`, the last one is the fatal parse error.
    pub diagnostics: Vec<Diagnostic>,
    /// The text could not be parsed (the tree is discarded).
    pub failed: bool,
}

pub(crate) fn parse(file: &SourceFile) -> Parsed {
    let json = is_json(file);
    // The parsers are third-party code: a panic on some odd input must not take the scan down.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if json {
            json::parse(file)
        } else {
            yaml::parse(file)
        }
    }));
    result.unwrap_or_else(|_| Parsed {
        root: None,
        diagnostics: vec![Diagnostic::error(
            file.id,
            None,
            "internal error: the template parser panicked",
        )],
        failed: true,
    })
}

/// `.json` files are JSON, `.yaml`/`.yml` YAML; anything else (`.template`) by its first
/// non-blank character.
fn is_json(file: &SourceFile) -> bool {
    let ext = file
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => file
            .text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{'),
    }
}

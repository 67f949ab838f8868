//! CloudFormation loader: YAML or JSON template → [`LoadOutput`].
//!
//! Both syntaxes are parsed into the span-carrying [`crate::value::Value`] tree (short-form YAML
//! tags are rewritten to their long `Fn::*` form so later code sees one shape), the file is
//! recognised as a template or silently ignored, and intrinsic functions in `Properties` and
//! `Outputs` are resolved as far as static knowledge allows.

mod intrinsics;
mod json;
mod template;
mod tree;
mod yaml;

#[cfg(test)]
mod tests;

use crate::resource::{Diagnostic, LoadOutput};
use crate::source::SourceFile;
use crate::value::Value;

/// Options for loading templates.
#[derive(Debug, Clone, Default)]
pub struct CfnOptions {
    /// Values given with `--parameter NAME=VALUE` ([`crate::value::Origin::Cli`]). A name such
    /// as `AWS::Region`, `AWS::AccountId` or `AWS::Partition` overrides that pseudo parameter.
    pub parameters: std::collections::BTreeMap<String, String>,
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

fn parse(file: &SourceFile) -> Parsed {
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

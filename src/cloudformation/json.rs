//! CloudFormation JSON templates: the shared strict JSON front end ([`crate::json_value`]),
//! with its duplicate keys and excessive nesting reported like the YAML builder's.

use super::tree::too_deep;
use super::Parsed;
use crate::json_value::{self, JsonIssue};
use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};

pub(crate) fn parse(file: &SourceFile) -> Parsed {
    let text: &str = &file.text;
    // A UTF-8 byte order mark is not JSON, but editors write it; skip it keeping offsets.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(bom..).unwrap_or("");
    let (result, issues) = json_value::parse_detailed(body, file.id, bom);
    let mut diagnostics: Vec<Diagnostic> = issues
        .into_iter()
        .map(|issue| match issue {
            JsonIssue::DuplicateKey { key, at, first } => Diagnostic::error(
                file.id,
                Some(at),
                format!(
                    "duplicate key `{key}` (first at line {})",
                    file.line_col(first.start).line
                ),
            ),
            JsonIssue::TooDeep { at } => too_deep(file, at),
        })
        .collect();
    match result {
        Ok(root) => Parsed {
            root: Some(root),
            diagnostics,
            failed: false,
        },
        Err(e) => {
            let end = (e.offset + 1).min(text.len());
            diagnostics.push(Diagnostic::error(
                file.id,
                Some(Span::new(file.id, e.offset, end.max(e.offset))),
                format!("invalid JSON: {}", e.message),
            ));
            Parsed {
                root: None,
                diagnostics,
                failed: true,
            }
        }
    }
}

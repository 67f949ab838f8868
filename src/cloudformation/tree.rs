//! Helpers shared by the YAML and JSON tree builders, so both report duplicate keys and
//! excessive nesting the same way.

use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Value};
use std::collections::HashMap;

/// Deepest container nesting accepted; deeper nodes are reported and replaced by null.
/// Real templates rarely exceed 15 levels; the bound keeps every recursive walk over the tree
/// (resolution, rules, drop) far from the stack limit.
pub(crate) const MAX_DEPTH: usize = 128;

pub(crate) fn too_deep(file: &SourceFile, span: Span) -> Diagnostic {
    Diagnostic::error(
        file.id,
        Some(span),
        format!("nesting deeper than {MAX_DEPTH} levels; the rest of this value is ignored"),
    )
}

/// Entries of a map being built; the first of duplicate keys wins.
#[derive(Default)]
pub(crate) struct MapAcc {
    pub entries: Vec<Entry>,
    seen: HashMap<String, u32>,
}

impl MapAcc {
    pub fn push(
        &mut self,
        file: &SourceFile,
        diags: &mut Vec<Diagnostic>,
        key: String,
        key_span: Span,
        value: Value,
    ) {
        if let Some(&first) = self.seen.get(&key) {
            let line = file.line_col(first).line;
            diags.push(Diagnostic::error(
                file.id,
                Some(key_span),
                format!("duplicate key `{key}` (first at line {line})"),
            ));
            return;
        }
        self.seen.insert(key.clone(), key_span.start);
        self.entries.push(Entry {
            key,
            key_span,
            value,
        });
    }
}

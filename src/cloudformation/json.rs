//! JSON → [`Value`] with jsonc-parser in strict mode (no comments, trailing commas, single
//! quotes, ...: CloudFormation accepts plain JSON only). Its AST carries byte ranges, which map
//! directly to spans.
//!
//! jsonc-parser recurses per nesting level (up to its own limit of 512); a cheap pre-scan
//! rejects absurd nesting first so the parser never recurses deeply on a small worker stack.

use super::tree::{too_deep, MapAcc, MAX_DEPTH};
use super::Parsed;
use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Kind, Value};
use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

/// Nesting at which the file is rejected before parsing.
const PRESCAN_LIMIT: usize = 2 * MAX_DEPTH;

pub(crate) fn parse(file: &SourceFile) -> Parsed {
    let text: &str = &file.text;
    let mut diags = Vec::new();
    if let Some(at) = too_deep_at(text) {
        diags.push(too_deep(file, Span::new(file.id, at, at + 1)));
        return Parsed {
            root: None,
            diagnostics: diags,
            failed: true,
        };
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    // A UTF-8 byte order mark is not JSON, but editors write it; skip it keeping offsets.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(bom..).unwrap_or("");
    match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &options) {
        Ok(result) => {
            let mut conv = Conv {
                file,
                bom,
                diags: &mut diags,
            };
            let root = result.value.as_ref().map(|v| conv.value(v, 0));
            Parsed {
                root,
                diagnostics: diags,
                failed: false,
            }
        }
        Err(e) => {
            let r = e.range();
            diags.push(Diagnostic::error(
                file.id,
                Some(Span::new(file.id, r.start + bom, r.end + bom)),
                format!("invalid JSON: {}", e.kind()),
            ));
            Parsed {
                root: None,
                diagnostics: diags,
                failed: true,
            }
        }
    }
}

struct Conv<'a> {
    file: &'a SourceFile,
    bom: usize,
    diags: &'a mut Vec<Diagnostic>,
}

impl Conv<'_> {
    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        Span::new(self.file.id, r.start + self.bom, r.end + self.bom)
    }

    /// Recursion is bounded by [`MAX_DEPTH`] (and the pre-scan).
    fn value(&mut self, v: &ast::Value<'_>, depth: usize) -> Value {
        match v {
            ast::Value::StringLit(s) => Value::string(s.value.as_ref(), self.span(s.range)),
            ast::Value::NumberLit(n) => {
                let span = self.span(n.range);
                match n.value.parse::<f64>() {
                    Ok(x) if x.is_finite() => Value::new(Kind::Number(x), span),
                    _ => Value::string(n.value, span),
                }
            }
            ast::Value::BooleanLit(b) => Value::new(Kind::Bool(b.value), self.span(b.range)),
            ast::Value::NullKeyword(n) => Value::null(self.span(n.range)),
            ast::Value::Array(a) => {
                let span = self.span(a.range);
                if depth >= MAX_DEPTH {
                    self.diags.push(too_deep(self.file, span));
                    return Value::null(span);
                }
                let items = a
                    .elements
                    .iter()
                    .map(|e| self.value(e, depth + 1))
                    .collect();
                Value::new(Kind::List(items), span)
            }
            ast::Value::Object(o) => {
                let span = self.span(o.range);
                if depth >= MAX_DEPTH {
                    self.diags.push(too_deep(self.file, span));
                    return Value::null(span);
                }
                let mut acc = MapAcc::default();
                for p in &o.properties {
                    let (key, key_range) = match &p.name {
                        ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let key_span = self.span(key_range);
                    let value = self.value(&p.value, depth + 1);
                    acc.push(self.file, self.diags, key, key_span, value);
                }
                Value::new(Kind::Map(acc.entries), span)
            }
        }
    }
}

/// Byte offset of the first `[`/`{` nested deeper than [`PRESCAN_LIMIT`], if any.
fn too_deep_at(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > PRESCAN_LIMIT {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

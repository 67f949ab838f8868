//! JSON text → [`Value`] with exact spans (strict JSON, via `jsonc-parser`).
//!
//! Shared by the CloudFormation JSON front end and by policy documents written as JSON strings
//! (heredocs, `file()`, CloudFormation string policies). `base` is the byte offset of the text
//! in its file, so spans point into the original file.

use crate::source::{FileId, Span};
use crate::value::{Entry, Kind, Value};
use jsonc_parser::ast;

/// Deepest nesting accepted; deeper input is an error (the parser is recursive).
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// Byte offset in the file.
    pub offset: usize,
    pub message: String,
}

pub fn parse(text: &str, file: FileId, base: usize) -> Result<Value, JsonError> {
    if let Some(offset) = too_deep(text, MAX_DEPTH) {
        return Err(JsonError {
            offset: base + offset,
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
        });
    }
    let options = jsonc_parser::ParseOptions {
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
    let parsed =
        jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| JsonError {
            offset: base + e.range().start,
            message: e.kind().to_string(),
        })?;
    let Some(root) = parsed.value else {
        return Err(JsonError {
            offset: base,
            message: "empty JSON document".into(),
        });
    };
    Ok(convert(&root, file, base))
}

/// Byte offset where bracket nesting first exceeds `max`, ignoring brackets inside strings.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
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
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn span(r: &jsonc_parser::common::Range, file: FileId, base: usize) -> Span {
    Span::new(file, base + r.start, base + r.end)
}

fn convert(v: &ast::Value<'_>, file: FileId, base: usize) -> Value {
    use jsonc_parser::common::Ranged;
    let sp = span(&v.range(), file, base);
    let kind = match v {
        ast::Value::StringLit(s) => Kind::String(s.value.to_string()),
        ast::Value::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(x) => Kind::Number(x),
            Err(_) => Kind::String(n.value.to_string()),
        },
        ast::Value::BooleanLit(b) => Kind::Bool(b.value),
        ast::Value::NullKeyword(_) => Kind::Null,
        ast::Value::Array(a) => {
            Kind::List(a.elements.iter().map(|e| convert(e, file, base)).collect())
        }
        ast::Value::Object(o) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                let (key, key_range) = match &p.name {
                    ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                let value = convert(&p.value, file, base);
                // Duplicate keys: JSON parsers keep the last; CloudFormation rejects them. The
                // CloudFormation front end reports them; here the first one is kept.
                if entries.iter().any(|e| e.key == key) {
                    continue;
                }
                entries.push(Entry {
                    key,
                    key_span: span(&key_range, file, base),
                    value,
                });
            }
            Kind::Map(entries)
        }
    };
    Value::new(kind, sp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_offset_by_base() {
        let v = parse(r#"{"a": [1, "x"]}"#, FileId(0), 10).expect("valid");
        let e = v.entry("a").expect("a");
        assert_eq!((e.key_span.start, e.key_span.end), (11, 14));
        let items = e.value.as_list().expect("list");
        assert_eq!(items[1].as_str(), Some("x"));
        assert_eq!(items[1].span.start, 20);
    }

    #[test]
    fn errors_and_depth() {
        assert!(parse("{\"a\": }", FileId(0), 0).is_err());
        let deep = "[".repeat(10_000);
        let err = parse(&deep, FileId(0), 0).expect_err("too deep");
        assert_eq!(err.offset, MAX_DEPTH);
    }
}

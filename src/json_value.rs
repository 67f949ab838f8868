//! JSON text → [`Value`] with exact spans (strict JSON, via `jsonc-parser`).
//!
//! The one JSON front end: CloudFormation JSON templates, Terraform plan JSON, and policy
//! documents written as JSON strings (heredocs, `file()`, CloudFormation string policies).
//! `base` is the byte offset of the text in its file, so spans point into the original file.

use crate::source::{FileId, Span};
use crate::value::{Entry, Kind, Str, Value};
use jsonc_parser::ast;
use std::collections::HashMap;

/// Objects with more keys than this get a hash index for the duplicate check.
const INDEX_FROM: usize = 16;

/// Deepest container nesting converted; deeper values become null and are reported.
pub const MAX_DEPTH: usize = 128;
/// Nesting at which the text is rejected before parsing (the parser recurses per level).
pub const PRESCAN_LIMIT: usize = 2 * MAX_DEPTH;

#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// Byte offset in the file.
    pub offset: usize,
    pub message: String,
}

/// Something worth reporting in JSON that still parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonIssue {
    /// A repeated key (the first one is kept): the repeated key's span and the first's.
    DuplicateKey { key: String, at: Span, first: Span },
    /// A value nested deeper than [`MAX_DEPTH`], replaced by null.
    TooDeep { at: Span },
}

/// Parses strict JSON; duplicate keys keep the first value; too-deep values become null.
pub fn parse(text: &str, file: FileId, base: usize) -> Result<Value, JsonError> {
    parse_detailed(text, file, base).0
}

/// Like [`parse`], also returning what a front end may want to report.
pub fn parse_detailed(
    text: &str,
    file: FileId,
    base: usize,
) -> (Result<Value, JsonError>, Vec<JsonIssue>) {
    if let Some(offset) = too_deep(text, PRESCAN_LIMIT) {
        let err = JsonError {
            offset: base + offset,
            message: format!("nesting deeper than {PRESCAN_LIMIT} levels"),
        };
        return (Err(err), Vec::new());
    }
    if let Some((offset, b)) = raw_control_in_string(text) {
        let err = JsonError {
            offset: base + offset,
            message: format!(
                "control character U+{b:04X} inside a string (JSON requires it escaped, e.g. \\u{b:04x})"
            ),
        };
        return (Err(err), Vec::new());
    }
    // Plain strict JSON (nearly every document) is built straight from the token stream;
    // anything else goes through the syntax tree, which gives the exact error.
    match streaming::build(text, file, base) {
        Some((value, issues)) => (Ok(value), issues),
        None => parse_tree(text, file, base),
    }
}

/// Parses through `jsonc-parser`'s syntax tree (see [`streaming`] for the usual path).
fn parse_tree(text: &str, file: FileId, base: usize) -> (Result<Value, JsonError>, Vec<JsonIssue>) {
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
    let parsed = match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(p) => p,
        Err(e) => {
            let err = JsonError {
                offset: base + e.range().start,
                message: e.kind().to_string(),
            };
            return (Err(err), Vec::new());
        }
    };
    let Some(root) = parsed.value else {
        let err = JsonError {
            offset: base,
            message: "empty JSON document".into(),
        };
        return (Err(err), Vec::new());
    };
    let mut conv = Conv {
        file,
        base,
        issues: Vec::new(),
    };
    // The syntax tree is consumed as it is converted: each node is freed once its value exists,
    // so a large document is not held twice over.
    let value = conv.value(root, 0);
    (Ok(value), conv.issues)
}

/// Byte offset of the first raw control character (U+0000–U+001F) inside a string: RFC 8259
/// requires them escaped, and the JSON parser would accept them.
pub fn raw_control_in_string(text: &str) -> Option<(usize, u8)> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if b < 0x20 => return Some((i, b)),
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        }
    }
    None
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

/// JSON text → [`Value`] from `jsonc-parser`'s token stream, without its syntax tree: the tree
/// of a large document (a template or plan on one line) is several times the text, and was
/// held whole while the values were built. Produces exactly what the tree conversion
/// ([`Conv`]) does — spans, duplicate keys (the first wins), too-deep values as null — and
/// gives up (`None`) on anything that is not plain strict JSON, so that errors keep coming
/// from the parser itself.
mod streaming {
    use super::{JsonIssue, Str, MAX_DEPTH};
    use crate::source::{FileId, Span};
    use crate::value::{Entry, Kind, Value};
    use jsonc_parser::tokens::Token;
    use jsonc_parser::{Scanner, ScannerOptions};
    use std::collections::HashMap;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Expect {
        Value,
        ValueOrClose,
        CommaOrClose,
        Key,
        KeyOrClose,
        Colon,
    }

    enum Body {
        List(Vec<Value>),
        Map {
            entries: Vec<Entry>,
            /// Key → position in `entries`, only for a large object (see [`super::INDEX_FROM`]).
            index: Option<HashMap<Str, usize>>,
            key: Option<(Str, Span)>,
        },
    }

    struct Frame {
        body: Body,
        start: usize,
        expect: Expect,
        /// Nested deeper than [`MAX_DEPTH`]: checked, not built (it becomes null).
        skip: bool,
    }

    struct Builder {
        file: FileId,
        base: usize,
        stack: Vec<Frame>,
        root: Option<Value>,
        issues: Vec<JsonIssue>,
    }

    pub(super) fn build(text: &str, file: FileId, base: usize) -> Option<(Value, Vec<JsonIssue>)> {
        let strict = ScannerOptions {
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let mut scanner = Scanner::new(text, &strict);
        let mut b = Builder {
            file,
            base,
            stack: Vec::new(),
            root: None,
            issues: Vec::new(),
        };
        while let Some(token) = scanner.scan().ok()? {
            let span = b.span(scanner.token_start(), scanner.token_end());
            b.token(token, span)?;
        }
        match (b.root, b.stack.is_empty()) {
            (Some(root), true) => Some((root, b.issues)),
            _ => None,
        }
    }

    impl Builder {
        fn span(&self, start: usize, end: usize) -> Span {
            Span::new(self.file, self.base + start, self.base + end)
        }

        fn expect(&self) -> Expect {
            self.stack.last().map_or(Expect::Value, |f| f.expect)
        }

        fn token(&mut self, token: Token<'_>, span: Span) -> Option<()> {
            if self.root.is_some() {
                // More than one value in the document.
                return None;
            }
            let expect = self.expect();
            let wants_value = matches!(expect, Expect::Value | Expect::ValueOrClose);
            match token {
                Token::OpenBrace | Token::OpenBracket if wants_value => {
                    let skip =
                        self.stack.last().is_some_and(|f| f.skip) || self.stack.len() >= MAX_DEPTH;
                    let (body, expect) = if token == Token::OpenBrace {
                        let body = Body::Map {
                            entries: Vec::new(),
                            index: None,
                            key: None,
                        };
                        (body, Expect::KeyOrClose)
                    } else {
                        (Body::List(Vec::new()), Expect::ValueOrClose)
                    };
                    self.stack.push(Frame {
                        body,
                        start: span.start as usize - self.base,
                        expect,
                        skip,
                    });
                    Some(())
                }
                Token::CloseBrace | Token::CloseBracket => {
                    self.close(token == Token::CloseBrace, span)
                }
                Token::Comma if expect == Expect::CommaOrClose => {
                    let frame = self.stack.last_mut()?;
                    frame.expect = match frame.body {
                        Body::List(_) => Expect::Value,
                        Body::Map { .. } => Expect::Key,
                    };
                    Some(())
                }
                Token::Colon if expect == Expect::Colon => {
                    self.stack.last_mut()?.expect = Expect::Value;
                    Some(())
                }
                Token::String(text) if matches!(expect, Expect::Key | Expect::KeyOrClose) => {
                    let frame = self.stack.last_mut()?;
                    if let Body::Map { key, .. } = &mut frame.body {
                        *key = Some((Str::from(text), span));
                    }
                    frame.expect = Expect::Colon;
                    Some(())
                }
                Token::String(text) if wants_value => self.finish(Value::string(text, span)),
                Token::Number(n) if wants_value => {
                    let v = match n.parse::<f64>() {
                        Ok(x) if x.is_finite() => Value::new(Kind::Number(x), span),
                        _ => Value::string(n, span),
                    };
                    self.finish(v)
                }
                Token::Boolean(v) if wants_value => self.finish(Value::new(Kind::Bool(v), span)),
                Token::Null if wants_value => self.finish(Value::null(span)),
                // Words, comments, or a token out of place: the parser will say what is wrong.
                _ => None,
            }
        }

        fn close(&mut self, brace: bool, end: Span) -> Option<()> {
            let frame = self.stack.pop()?;
            let span = self.span(frame.start, end.end as usize - self.base);
            let value = match frame.body {
                Body::Map { .. } if !brace => return None,
                Body::List(_) if brace => return None,
                _ if !matches!(
                    frame.expect,
                    Expect::KeyOrClose | Expect::ValueOrClose | Expect::CommaOrClose
                ) =>
                {
                    return None
                }
                _ if frame.skip => {
                    if self.stack.last().is_some_and(|f| f.skip) {
                        // Inside a skipped value: nothing to keep.
                        return self.finish(Value::null(span));
                    }
                    self.issues.push(JsonIssue::TooDeep { at: span });
                    Value::null(span)
                }
                Body::List(items) => Value::list(items, span),
                Body::Map { entries, .. } => Value::map(entries, span),
            };
            self.finish(value)
        }

        /// A complete value: the root, an item, or the value of the pending key.
        fn finish(&mut self, value: Value) -> Option<()> {
            let Some(frame) = self.stack.last_mut() else {
                self.root = Some(value);
                return Some(());
            };
            frame.expect = Expect::CommaOrClose;
            if frame.skip {
                return Some(());
            }
            match &mut frame.body {
                Body::List(items) => items.push(value),
                Body::Map {
                    entries,
                    index,
                    key,
                } => {
                    let (key, key_span) = key.take()?;
                    super::push_entry(entries, index, (key, key_span, value), &mut self.issues);
                }
            }
            Some(())
        }
    }
}

struct Conv {
    file: FileId,
    base: usize,
    issues: Vec<JsonIssue>,
}

impl Conv {
    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        Span::new(self.file, self.base + r.start, self.base + r.end)
    }

    /// Recursion is bounded by [`MAX_DEPTH`] (and the pre-scan).
    fn value(&mut self, v: ast::Value<'_>, depth: usize) -> Value {
        match v {
            ast::Value::StringLit(s) => Value::string(s.value, self.span(s.range)),
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
                    self.issues.push(JsonIssue::TooDeep { at: span });
                    return Value::null(span);
                }
                let items = a
                    .elements
                    .into_iter()
                    .map(|e| self.value(e, depth + 1))
                    .collect();
                Value::new(Kind::List(items), span)
            }
            ast::Value::Object(o) => {
                let span = self.span(o.range);
                if depth >= MAX_DEPTH {
                    self.issues.push(JsonIssue::TooDeep { at: span });
                    return Value::null(span);
                }
                let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
                // Key → position in `entries`, built only for a large object: most have a few
                // keys, and a hash map with a copy of each key per object was much of the
                // memory of a large template.
                let mut index: Option<HashMap<Str, usize>> = None;
                for p in o.properties {
                    let (key, key_range) = match p.name {
                        ast::ObjectPropName::String(s) => (Str::from(s.value), s.range),
                        ast::ObjectPropName::Word(w) => (Str::from(w.value), w.range),
                    };
                    let key_span = self.span(key_range);
                    let value = self.value(p.value, depth + 1);
                    push_entry(
                        &mut entries,
                        &mut index,
                        (key, key_span, value),
                        &mut self.issues,
                    );
                }
                Value::map(entries, span)
            }
        }
    }
}

/// Adds `key: value` to an object's entries, or reports the key as a duplicate (the first
/// one is kept). `index` (key → position) is built once the object has [`INDEX_FROM`] keys.
fn push_entry(
    entries: &mut Vec<Entry>,
    index: &mut Option<HashMap<Str, usize>>,
    (key, key_span, value): (Str, Span, Value),
    issues: &mut Vec<JsonIssue>,
) {
    let first = match index {
        Some(index) => index.get(&key).copied(),
        None => entries.iter().position(|e| e.key == key),
    };
    if let Some(first) = first.and_then(|i| entries.get(i)) {
        issues.push(JsonIssue::DuplicateKey {
            key: key.into_string(),
            at: key_span,
            first: first.key_span,
        });
        return;
    }
    match index {
        Some(index) => {
            index.insert(key.clone(), entries.len());
        }
        None if entries.len() >= INDEX_FROM => {
            let mut built: HashMap<Str, usize> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            built.insert(key.clone(), entries.len());
            *index = Some(built);
        }
        None => {}
    }
    entries.push(Entry {
        key,
        key_span,
        value,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token-stream builder gives exactly what the syntax-tree conversion gives.
    #[test]
    fn streaming_matches_the_tree_conversion() {
        let keys: Vec<String> = (0..20)
            .map(|i| format!("\"k{i}\": [{i}, {{\"x\": null}}]"))
            .collect();
        let large = format!("{{{}, \"k7\": true}}", keys.join(", "));
        let deep = format!(
            "{{\"a\": {}1{}, \"b\": 2, \"a\": 3}}",
            "[".repeat(140),
            "]".repeat(140)
        );
        let docs = [
            r#"{"a": [1, "x"], "b": {"c": -2.5e3, "d": true, "e": false, "f": null}}"#.to_string(),
            r#"{"a": 1, "a": 2, "b": {"a": 1, "a": {"z": []}}}"#.to_string(),
            r#"["\u00e9\n\"q\"", 1e400, 0, -0.0, [], {}, [[[]]]]"#.to_string(),
            r#""just a string""#.to_string(),
            "  \n\t{ \"sp\" :\r\n [ 1 , 2 ] }  ".to_string(),
            large,
            deep,
        ];
        for doc in &docs {
            let (fast, fast_issues) = streaming::build(doc, FileId(3), 7).expect(doc);
            let (tree, tree_issues) = parse_tree(doc, FileId(3), 7);
            assert_eq!(Some(&fast), tree.as_ref().ok(), "{doc}");
            assert_eq!(fast_issues, tree_issues, "{doc}");
        }
    }

    /// Anything that is not plain strict JSON is left to the parser, for its error.
    #[test]
    fn streaming_gives_up_on_what_the_parser_rejects() {
        for doc in [
            "",
            "{} {}",
            r#"{"a": 1,}"#,
            "[1, 2,]",
            r#"{"a" 1}"#,
            r#"{"a": 1 "b": 2}"#,
            "[1 2]",
            "{a: 1}",
            "['x']",
            "// c\n{}",
            "[0x10]",
            "[+1]",
            "[.5]",
            "[NaN]",
            "{\"a\": [1}",
            "[{\"a\": 1]}",
            "{\"a\":",
            "[1, , 2]",
            r#"{"a": 1, , "b": 2}"#,
            "{:1}",
        ] {
            assert!(streaming::build(doc, FileId(0), 0).is_none(), "{doc:?}");
            assert!(parse(doc, FileId(0), 0).is_err(), "{doc:?}");
        }
    }

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
    fn errors_depth_and_duplicates() {
        assert!(parse("{\"a\": }", FileId(0), 0).is_err());
        let deep = "[".repeat(10_000);
        let err = parse(&deep, FileId(0), 0).expect_err("too deep");
        assert_eq!(err.offset, PRESCAN_LIMIT);
        let nested = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let (v, issues) = parse_detailed(&nested, FileId(0), 0);
        assert!(v.is_ok());
        assert!(matches!(issues.as_slice(), [JsonIssue::TooDeep { .. }]));
        let (v, issues) = parse_detailed(r#"{"a": 1, "a": 2}"#, FileId(0), 0);
        assert_eq!(
            v.expect("valid").get("a").and_then(Value::as_f64),
            Some(1.0)
        );
        assert!(matches!(&issues[..], [JsonIssue::DuplicateKey { key, .. }] if key == "a"));
    }

    #[test]
    fn duplicates_in_a_large_object_point_at_the_first_key() {
        // More keys than `INDEX_FROM`: the duplicate is found through the index.
        let keys: Vec<String> = (0..20).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k3\": 99, \"k19\": 98}}", keys.join(", "));
        let (v, issues) = parse_detailed(&text, FileId(0), 0);
        let v = v.expect("valid");
        assert_eq!(v.as_map().map(<[Entry]>::len), Some(20));
        assert_eq!(v.get("k3").and_then(Value::as_f64), Some(3.0));
        assert_eq!(v.get("k19").and_then(Value::as_f64), Some(19.0));
        let first_k3 = text.find("\"k3\"").expect("k3");
        let again_k3 = text.rfind("\"k3\"").expect("k3 again");
        match &issues[..] {
            [JsonIssue::DuplicateKey { key, at, first }, JsonIssue::DuplicateKey { key: k2, .. }] =>
            {
                assert_eq!(key, "k3");
                assert_eq!(first.start as usize, first_k3);
                assert_eq!(at.start as usize, again_k3);
                assert_eq!(k2, "k19");
            }
            other => panic!("unexpected issues: {other:?}"),
        }
    }
}

//! Terraform's JSON configuration syntax (`*.tf.json`) and JSON value files
//! (`terraform.tfvars.json`, `*.auto.tfvars.json`), transpiled to HCL text that hcl-edit parses,
//! so that the evaluator works on one kind of tree.
//!
//! Every generated token is recorded in an [`OffsetMap`] with the JSON token it came from
//! (keys, scalar values, the brackets of objects and arrays); the loader turns every span of
//! the generated text back into a span of the JSON file through it, so findings point at the
//! JSON file's lines.
//!
//! The mapping follows <https://developer.hashicorp.com/terraform/language/syntax/json>:
//!
//! - top-level keys are block types: `resource`/`data` (two labels), `variable`, `output`,
//!   `module`, `provider` (one label), `locals` (none); an array may appear at any label level
//!   (several blocks, e.g. provider aliases). `terraform`, `moved`, `import`, `check`,
//!   `removed` are skipped.
//! - strings are templates (`"${var.x}"` is the expression; `$${` stays literal), except where
//!   Terraform reads literals: variable `default`, `description`, module `source`/`version`,
//!   and every value of a value file.
//! - inside a body an object value cannot be told from a nested block without the provider
//!   schema: it becomes an attribute object (`versioning = { enabled = true }`), an array of
//!   objects a list; the adapters accept both forms. `dynamic` and variable `validation` become
//!   blocks (they are not provider schema); `lifecycle`, `provisioner`, `connection` are skipped
//!   as for HCL.
//! - `depends_on` strings are references; variable `type` strings are type expressions;
//!   dynamic `iterator` is a name.
//! - properties whose name starts with `//` are comments in block bodies (at every label level).

use crate::json_value;
use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Kind, Value};

/// One generated token and the JSON token it came from (byte ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    gen_start: u32,
    gen_end: u32,
    src_start: u32,
    src_end: u32,
}

/// Generated-text offsets → JSON file offsets.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// Sorted by `gen_start` (tokens are generated in order).
    segs: Vec<Seg>,
}

impl OffsetMap {
    fn push(&mut self, gen: (usize, usize), src: Span) {
        let c = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        self.segs.push(Seg {
            gen_start: c(gen.0),
            gen_end: c(gen.1),
            src_start: src.start,
            src_end: src.end.max(src.start),
        });
    }

    /// Maps a byte range of the generated text to a byte range of the JSON file. A range that
    /// starts (ends) exactly at a token starts (ends) at its JSON token; inside a token the
    /// offset is carried over, clamped to the JSON token (exact for strings without escapes);
    /// between tokens, the start moves to the next token and the end to the previous one.
    pub fn map(&self, start: usize, end: usize) -> (usize, usize) {
        let (start, end) = (
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(end).unwrap_or(u32::MAX),
        );
        let s = self.map_start(start);
        let e = if end <= start { s } else { self.map_end(end) };
        (s as usize, e.max(s) as usize)
    }

    fn map_start(&self, pos: u32) -> u32 {
        let i = self.segs.partition_point(|g| g.gen_start <= pos);
        if i == 0 {
            return self.segs.first().map_or(0, |g| g.src_start);
        }
        let g = self.segs[i - 1];
        if pos < g.gen_end || g.gen_start == g.gen_end && pos == g.gen_start {
            inside(g, pos)
        } else {
            self.segs.get(i).map_or(g.src_end, |n| n.src_start)
        }
    }

    fn map_end(&self, pos: u32) -> u32 {
        let i = self.segs.partition_point(|g| g.gen_start < pos);
        if i == 0 {
            return self.segs.first().map_or(0, |g| g.src_start);
        }
        let g = self.segs[i - 1];
        if pos <= g.gen_end {
            if pos == g.gen_end {
                g.src_end
            } else {
                inside(g, pos)
            }
        } else {
            g.src_end
        }
    }
}

fn inside(g: Seg, pos: u32) -> u32 {
    if pos == g.gen_start {
        return g.src_start;
    }
    let off = pos - g.gen_start;
    (g.src_start.saturating_add(off)).min(g.src_end)
}

/// A JSON file transpiled to HCL.
#[derive(Debug, Clone)]
pub struct Transpiled {
    pub hcl: String,
    pub map: OffsetMap,
}

/// Transpiles a configuration (`*.tf.json`) or value file (`*.tfvars.json`), chosen by name.
/// Invalid JSON or structure is reported in `diags` (with the JSON line); `None` when the file
/// cannot be used at all.
pub fn transpile(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Transpiled> {
    let name = file
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file.display.as_str())
        .to_ascii_lowercase();
    let values = name.ends_with(".tfvars.json");
    let root = match json_value::parse(&file.text, file.id, 0) {
        Ok(v) => v,
        Err(e) => {
            let end = next_boundary(&file.text, e.offset);
            diags.push(Diagnostic::error(
                file.id,
                Some(Span::new(file.id, e.offset, end)),
                format!("invalid JSON: {}", e.message),
            ));
            return None;
        }
    };
    let Kind::Map(entries) = &root.kind else {
        diags.push(Diagnostic::error(
            file.id,
            Some(root.span),
            if values {
                "a JSON value file must be an object of variable values"
            } else {
                "a Terraform JSON file must be an object of block types"
            },
        ));
        return None;
    };
    let mut em = Emitter {
        text: &file.text,
        out: String::new(),
        map: OffsetMap::default(),
        diags,
        file: file.id,
    };
    if values {
        for e in entries {
            if !is_ident(&e.key) {
                em.error(e.key_span, format!("invalid variable name `{}`", e.key));
                continue;
            }
            em.tok(&e.key, e.key_span);
            em.raw(" = ");
            em.expr(&e.value, Mode::Literal);
            em.raw("\n");
        }
    } else {
        for e in entries {
            em.top_level(e);
        }
    }
    Some(Transpiled {
        hcl: em.out,
        map: em.map,
    })
}

fn next_boundary(text: &str, off: usize) -> usize {
    let mut end = (off + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.max(off.min(text.len()))
}

/// How strings are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A template: `${...}` and `%{...}` are interpolations and directives.
    Template,
    /// A literal: `${` is text.
    Literal,
}

/// What kind of body is being generated (decides the meta-arguments).
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Resource,
    Variable,
    Output,
    Module,
    Provider,
    Locals,
    /// `dynamic "x" { for_each, iterator, content { ... } }`
    Dynamic,
    /// `validation { condition, error_message }` and other plain expression bodies.
    Plain,
}

struct Emitter<'a> {
    /// The JSON text (raw number literals are copied from it).
    text: &'a str,
    out: String,
    map: OffsetMap,
    diags: &'a mut Vec<Diagnostic>,
    file: crate::source::FileId,
}

impl Emitter<'_> {
    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, Some(span), msg.into()));
    }

    /// Generated text mapped to a JSON token.
    fn tok(&mut self, s: &str, src: Span) {
        let start = self.out.len();
        self.out.push_str(s);
        self.map.push((start, self.out.len()), src);
    }

    /// Generated text mapped to nothing (whitespace, `=`).
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn top_level(&mut self, e: &Entry) {
        if e.key.starts_with("//") {
            return;
        }
        let (labels, kind) = match e.key.as_str() {
            "resource" | "data" => (2, BodyKind::Resource),
            "variable" => (1, BodyKind::Variable),
            "output" => (1, BodyKind::Output),
            "module" => (1, BodyKind::Module),
            "provider" => (1, BodyKind::Provider),
            "locals" => (0, BodyKind::Locals),
            // Settings and refactoring blocks: nothing to check.
            "terraform" | "moved" | "import" | "check" | "removed" | "ephemeral" => return,
            other => {
                self.error(
                    e.key_span,
                    format!("unsupported top-level block type `{other}` in Terraform JSON"),
                );
                return;
            }
        };
        let mut stack = Vec::new();
        self.blocks(&e.key, e.key_span, &mut stack, &e.value, labels, kind);
    }

    /// Blocks of type `ident` whose remaining `labels` are the keys of nested objects of `v`.
    fn blocks(
        &mut self,
        ident: &str,
        ident_span: Span,
        stack: &mut Vec<(String, Span)>,
        v: &Value,
        labels: usize,
        kind: BodyKind,
    ) {
        match &v.kind {
            Kind::List(items) => {
                for item in items {
                    self.blocks(ident, ident_span, stack, item, labels, kind);
                }
            }
            Kind::Map(entries) if labels > 0 => {
                for e in entries {
                    if e.key.starts_with("//") {
                        continue;
                    }
                    stack.push((e.key.to_string(), e.key_span));
                    self.blocks(ident, ident_span, stack, &e.value, labels - 1, kind);
                    stack.pop();
                }
            }
            Kind::Map(entries) => {
                // The header points at the innermost label (`"main": {`), as findings about a
                // missing attribute should.
                let header = stack.last().map_or(ident_span, |l| l.1);
                self.tok(ident, header);
                for (label, _) in stack.iter() {
                    self.raw(" ");
                    self.tok(&quote_label(label), header);
                }
                self.raw(" ");
                self.tok("{", first_byte(v.span));
                self.raw("\n");
                self.body(entries, kind);
                self.tok("}", last_byte(v.span));
                self.raw("\n");
            }
            _ => {
                let what = if labels > 0 {
                    "an object of labels"
                } else {
                    "an object (a block body)"
                };
                self.error(v.span, format!("`{ident}`: expected {what}"));
            }
        }
    }

    fn body(&mut self, entries: &[Entry], kind: BodyKind) {
        for e in entries {
            let key = e.key.as_str();
            if key.starts_with("//") {
                continue;
            }
            match (kind, key) {
                (
                    BodyKind::Resource | BodyKind::Output | BodyKind::Module | BodyKind::Provider,
                    "depends_on",
                ) => {
                    self.attr_key(e);
                    self.references(&e.value);
                    self.raw("\n");
                    continue;
                }
                (BodyKind::Resource, "lifecycle" | "provisioner" | "connection" | "provider") => {
                    continue
                }
                (BodyKind::Module, "providers") => continue,
                (BodyKind::Resource | BodyKind::Dynamic, "dynamic") => {
                    let mut stack = Vec::new();
                    self.blocks(
                        "dynamic",
                        e.key_span,
                        &mut stack,
                        &e.value,
                        1,
                        BodyKind::Dynamic,
                    );
                    continue;
                }
                (BodyKind::Dynamic, "content") => {
                    let mut stack = Vec::new();
                    self.blocks(
                        "content",
                        e.key_span,
                        &mut stack,
                        &e.value,
                        0,
                        BodyKind::Resource,
                    );
                    continue;
                }
                (BodyKind::Dynamic, "iterator") => {
                    if let Some(name) = e.value.as_str().filter(|n| is_ident(n)) {
                        self.attr_key(e);
                        self.tok(name, e.value.span);
                        self.raw("\n");
                    } else {
                        self.error(e.value.span, "`iterator` must be a name");
                    }
                    continue;
                }
                (BodyKind::Variable, "validation") => {
                    let mut stack = Vec::new();
                    self.blocks(
                        "validation",
                        e.key_span,
                        &mut stack,
                        &e.value,
                        0,
                        BodyKind::Plain,
                    );
                    continue;
                }
                (BodyKind::Variable, "type") => {
                    self.attr_key(e);
                    match e.value.as_str() {
                        Some(t) if hcl_edit::parser::parse_expr(t).is_ok() => {
                            self.tok(&one_line(t), e.value.span)
                        }
                        _ => self.expr(&e.value, Mode::Literal),
                    }
                    self.raw("\n");
                    continue;
                }
                _ => {}
            }
            let mode = match (kind, key) {
                (BodyKind::Variable, _) => Mode::Literal,
                (BodyKind::Module, "source" | "version") => Mode::Literal,
                (BodyKind::Output, "description") => Mode::Literal,
                _ => Mode::Template,
            };
            if kind == BodyKind::Locals || is_ident(key) {
                if !is_ident(key) {
                    self.error(e.key_span, format!("invalid local value name `{key}`"));
                    continue;
                }
                self.attr_key(e);
                self.expr(&e.value, mode);
                self.raw("\n");
            } else {
                self.error(e.key_span, format!("invalid argument name `{key}`"));
            }
        }
    }

    fn attr_key(&mut self, e: &Entry) {
        self.tok(&e.key, e.key_span);
        self.raw(" = ");
    }

    /// `depends_on = ["aws_s3_bucket.x"]` → `[aws_s3_bucket.x]` (strings naming references).
    fn references(&mut self, v: &Value) {
        let items: Vec<&Value> = match &v.kind {
            Kind::List(items) => items.iter().collect(),
            _ => {
                self.error(v.span, "`depends_on` must be an array of reference strings");
                self.tok("[]", v.span);
                return;
            }
        };
        self.tok("[", first_byte(v.span));
        let mut first = true;
        for item in items {
            let ok = item.as_str().filter(|s| {
                matches!(
                    hcl_edit::parser::parse_expr(s),
                    Ok(hcl_edit::expr::Expression::Traversal(_))
                        | Ok(hcl_edit::expr::Expression::Variable(_))
                )
            });
            let Some(s) = ok else {
                self.error(item.span, "`depends_on` entries must be references");
                continue;
            };
            if !first {
                self.raw(", ");
            }
            first = false;
            self.tok(&one_line(s), item.span);
        }
        self.tok("]", last_byte(v.span));
    }

    fn expr(&mut self, v: &Value, mode: Mode) {
        match &v.kind {
            Kind::Null => self.tok("null", v.span),
            Kind::Bool(b) => self.tok(if *b { "true" } else { "false" }, v.span),
            Kind::Number(n) => {
                let raw = self
                    .text
                    .get(v.span.start as usize..v.span.end as usize)
                    .map(str::to_string)
                    .unwrap_or_else(|| n.to_string());
                self.tok(&raw, v.span);
            }
            Kind::String(s) => {
                let q = match mode {
                    Mode::Template => quote_template(s),
                    Mode::Literal => quote_literal(s),
                };
                self.tok(&q, v.span);
            }
            Kind::List(items) => {
                self.tok("[", first_byte(v.span));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.raw(", ");
                    }
                    self.expr(item, mode);
                }
                self.tok("]", last_byte(v.span));
            }
            Kind::Map(entries) => {
                self.tok("{", first_byte(v.span));
                for (i, e) in entries.iter().enumerate() {
                    self.raw(if i == 0 { "\n" } else { ",\n" });
                    self.tok(&quote_literal(&e.key), e.key_span);
                    self.raw(" = ");
                    self.expr(&e.value, mode);
                }
                if !entries.is_empty() {
                    self.raw("\n");
                }
                self.tok("}", last_byte(v.span));
            }
            // JSON has no unknown values.
            Kind::Unknown(_) => self.tok("null", v.span),
        }
    }
}

fn first_byte(s: Span) -> Span {
    Span {
        end: s.start.saturating_add(1).min(s.end),
        ..s
    }
}

fn last_byte(s: Span) -> Span {
    Span {
        start: s.end.saturating_sub(1).max(s.start),
        ..s
    }
}

/// An HCL identifier (argument, variable and local names).
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Newlines of an expression written in a JSON string become spaces (same length).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Escapes one literal character for an HCL quoted string.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
        c => out.push(c),
    }
}

/// A label: the text as is (labels are not templates).
fn quote_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// A literal string: `${` and `%{` are escaped so that nothing is interpolated.
pub fn quote_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
            out.push(c);
            out.push(c);
            continue;
        }
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// A JSON string (already decoded) as an HCL quoted template: the literal parts escaped for
/// HCL, interpolations and directives (`${...}`, `%{...}`) copied as written, `$${` / `%%{`
/// kept (they are the same escapes in both).
pub fn quote_template(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("$${") || rest.starts_with("%%{") {
            out.push_str(&rest[..3]);
            i += 3;
            continue;
        }
        if rest.starts_with("${") || rest.starts_with("%{") {
            match closing_brace(rest, 2) {
                Some(end) => {
                    out.push_str(&one_line(&rest[..=end]));
                    i += end + 1;
                    continue;
                }
                None => {
                    // Unterminated: Terraform rejects it; keep it as text.
                    out.push(rest.as_bytes()[0] as char);
                    out.push(rest.as_bytes()[0] as char);
                    i += 1;
                    continue;
                }
            }
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        push_escaped(&mut out, c);
        i += c.len_utf8();
    }
    out.push('"');
    out
}

/// The index of the `}` closing an interpolation whose content starts at `from` (nested
/// braces counted, quoted strings skipped).
fn closing_brace(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 1usize;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use std::sync::Arc;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(FileId(0), name.into(), name.into(), Arc::from(text))
    }

    #[test]
    fn templates_and_literals() {
        assert_eq!(quote_template("${var.x}"), "\"${var.x}\"");
        assert_eq!(quote_template("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(quote_template("$${x}"), "\"$${x}\"");
        assert_eq!(
            quote_template("p-${lookup(var.m, \"k\")}-q"),
            "\"p-${lookup(var.m, \"k\")}-q\""
        );
        assert_eq!(
            quote_template("%{ if a }x%{ endif }"),
            "\"%{ if a }x%{ endif }\""
        );
        assert_eq!(quote_template("${unterminated"), "\"$${unterminated\"");
        assert_eq!(quote_literal("${x} %{y}"), "\"$${x} %%{y}\"");
    }

    #[test]
    fn transpiles_blocks() {
        let f = file(
            "main.tf.json",
            r#"{
  "//": "comment",
  "resource": {
    "aws_s3_bucket": {
      "b": { "bucket": "${var.name}", "tags": { "a:b": "x" }, "count": 2,
             "depends_on": ["aws_kms_key.k"], "lifecycle": { "prevent_destroy": true } }
    }
  },
  "provider": { "aws": [ { "region": "a" }, { "alias": "w", "region": "b" } ] },
  "variable": { "name": { "type": "string", "default": "${literal}" } },
  "locals": { "l": "${1 + 2}" },
  "terraform": { "required_version": ">= 1.0" }
}"#,
        );
        let mut diags = Vec::new();
        let t = transpile(&f, &mut diags).expect("transpiles");
        assert!(diags.is_empty(), "{diags:?}");
        let body = hcl_edit::parser::parse_body(&t.hcl).expect(&t.hcl);
        let blocks: Vec<String> = body
            .blocks()
            .map(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                format!("{} {}", b.ident.as_str(), labels.join(" "))
            })
            .collect();
        assert_eq!(
            blocks,
            [
                "resource aws_s3_bucket b",
                "provider aws",
                "provider aws",
                "variable name",
                "locals "
            ]
        );
        assert!(t.hcl.contains("depends_on = [aws_kms_key.k]"), "{}", t.hcl);
        assert!(t.hcl.contains("type = string"), "{}", t.hcl);
        assert!(t.hcl.contains("default = \"$${literal}\""), "{}", t.hcl);
        assert!(!t.hcl.contains("prevent_destroy"), "{}", t.hcl);
        assert!(t.hcl.contains("\"a:b\" = \"x\""), "{}", t.hcl);
    }

    #[test]
    fn offset_map_points_into_the_json() {
        let text = "{\n  \"resource\": {\n    \"aws_cloudtrail\": {\n      \"main\": {\n        \"enable_log_file_validation\": false,\n        \"name\": \"${var.n}\"\n      }\n    }\n  }\n}\n";
        let f = file("main.tf.json", text);
        let mut diags = Vec::new();
        let t = transpile(&f, &mut diags).expect("transpiles");
        let body = hcl_edit::parser::parse_body(&t.hcl).expect(&t.hcl);
        let block = body.blocks().next().expect("block");
        let tf = super::super::parse::TfFile {
            src: Arc::new(file("main.tf.json", text)),
            json: Some(Arc::new(t.clone())),
        };
        let a = block
            .body
            .get_attribute("enable_log_file_validation")
            .expect("attr");
        let key = tf.span(&a.key);
        assert_eq!(
            f.line_col(key.start),
            crate::source::LineCol { line: 5, column: 9 }
        );
        assert_eq!(
            &text[key.start as usize..key.end as usize],
            "\"enable_log_file_validation\""
        );
        let val = tf.span(&a.value);
        assert_eq!(&text[val.start as usize..val.end as usize], "false");
        assert_eq!(
            f.line_col(val.start),
            crate::source::LineCol {
                line: 5,
                column: 39
            }
        );
        let n = block.body.get_attribute("name").expect("name");
        let val = tf.span(&n.value);
        assert_eq!(&text[val.start as usize..val.end as usize], "\"${var.n}\"");
        // The header is the name label; the block ends at the body's closing brace.
        let header = super::super::parse::header_span(&tf, block);
        assert_eq!(
            &text[header.start as usize..header.end as usize],
            "\"main\""
        );
        let whole = tf.span(block);
        assert_eq!(f.line_col(whole.end).line, 7);
        // Inside a template: the traversal `var.n` maps to the same bytes of the JSON string.
        let hcl_edit::expr::Expression::StringTemplate(tpl) = &n.value else {
            panic!("template")
        };
        let Some(hcl_edit::template::Element::Interpolation(i)) = tpl.iter().next() else {
            panic!("interpolation")
        };
        let r = tf.span(&i.expr);
        assert_eq!(&text[r.start as usize..r.end as usize], "var.n");
    }

    #[test]
    fn errors_have_lines() {
        let f = file("main.tf.json", "{\n  \"resource\": {\n    \"x\": 1,\n}\n");
        let mut diags = Vec::new();
        assert!(transpile(&f, &mut diags).is_none());
        let span = diags[0].span.expect("span");
        assert!(f.line_col(span.start).line >= 3, "{diags:?}");
        let f = file(
            "main.tf.json",
            "{\n  \"resource\": {\"aws_s3_bucket\": 5},\n  \"bogus\": {}\n}",
        );
        let mut diags = Vec::new();
        assert!(transpile(&f, &mut diags).is_some());
        let lines: Vec<u32> = diags
            .iter()
            .map(|d| f.line_col(d.span.expect("span").start).line)
            .collect();
        assert_eq!(lines, [2, 3], "{diags:?}");
        let f = file("x.tf.json", "[1]");
        let mut diags = Vec::new();
        assert!(transpile(&f, &mut diags).is_none());
    }

    #[test]
    fn value_files_are_literal() {
        let f = file(
            "terraform.tfvars.json",
            r#"{"a": "${x}", "b": [1, {"c": null}]}"#,
        );
        let mut diags = Vec::new();
        let t = transpile(&f, &mut diags).expect("transpiles");
        assert_eq!(t.hcl, "a = \"$${x}\"\nb = [1, {\n\"c\" = null\n}]\n");
    }
}

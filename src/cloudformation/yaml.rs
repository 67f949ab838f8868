//! YAML → [`Value`] from saphyr-parser's event stream.
//!
//! The tree is built iteratively (an explicit frame stack), so neither deep nesting nor a long
//! document can overflow the stack; nesting is capped at [`MAX_DEPTH`] and alias expansion at
//! [`MAX_ALIAS_NODES`] nodes (a "billion laughs" file fails fast). Scalars are typed the way
//! CloudFormation reads them: only canonical numbers become numbers, so `0123456789012` (an
//! account ID) stays a string. Short-form tags (`!Ref X`) become their long form.

use super::tree::{too_deep, MapAcc, MAX_DEPTH};
use super::Parsed;
use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Kind, Value};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

/// Most nodes that alias expansion may create in one file.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

const CORE: &str = "tag:yaml.org,2002:";

pub(crate) fn parse(file: &SourceFile) -> Parsed {
    let (strict, mut fix) = parse_once(file, &file.text, &Shift::default());
    if !strict.failed {
        return strict;
    }
    // saphyr insists that continuation lines of a multi-line flow value (a quoted scalar, a
    // `{...}`/`[...]` spanning lines) are indented more than their key, as YAML 1.2 says;
    // PyYAML and CloudFormation accept less. Over-indenting such lines never changes the
    // value, so retry a few times with them indented, mapping spans back to the real text.
    let mut shift = Shift::default();
    for _ in 0..MAX_LENIENT_RETRIES {
        let Some(f) = fix.take() else {
            break;
        };
        let text = shift.apply(&file.text);
        if !f.widen(&text, &mut shift) {
            break;
        }
        let text = shift.apply(&file.text);
        let (mut attempt, next) = parse_once(file, &text, &shift);
        if !attempt.failed {
            attempt.diagnostics.push(Diagnostic::note(
                file.id,
                strict.diagnostics.last().and_then(|d| d.span),
                "continuation lines of a multi-line value are not indented more than its \
                 key; read leniently, as CloudFormation does",
            ));
            return attempt;
        }
        fix = next;
    }
    strict
}

/// Retries of the lenient re-indentation (each re-parses the file).
const MAX_LENIENT_RETRIES: usize = 32;

/// Where an indentation error points, in the (possibly re-indented) text.
struct Fix {
    /// Byte offset of the error mark.
    at: usize,
    /// Character column of the mark.
    col: usize,
    /// The mark is the start of a quoted scalar whose continuation lines are too shallow.
    quoted: bool,
}

impl Fix {
    fn from_error(info: &str, at: usize, col: usize) -> Option<Fix> {
        match info {
            "invalid indentation in quoted scalar" => Some(Fix {
                at,
                col,
                quoted: true,
            }),
            // Raised only inside flow collections (block context unrolls indentation first).
            "invalid indentation" | "invalid indentation in flow construct" => Some(Fix {
                at,
                col,
                quoted: false,
            }),
            _ => None,
        }
    }

    /// Adds indentation to `shift` (offsets in `text`, the current re-indented text).
    fn widen(&self, text: &str, shift: &mut Shift) -> bool {
        let line_start = |i: usize| {
            text.get(..i)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |n| n + 1)
        };
        if !self.quoted {
            let start = line_start(self.at);
            shift.insert(shift.to_orig(start), 2);
            return true;
        }
        let Some(end) = quoted_end(text, self.at) else {
            return false;
        };
        let mut changed = false;
        let body = text.get(self.at..end).unwrap_or("");
        for (i, _) in body.match_indices('\n') {
            let start = self.at + i + 1;
            let line = text.get(start..).unwrap_or("");
            if line.starts_with('\n') || line.starts_with("\r\n") {
                continue;
            }
            let indent = line.chars().take_while(|c| *c == ' ').count();
            if indent < self.col + 1 {
                shift.insert(shift.to_orig(start), self.col + 1 - indent);
                changed = true;
            }
        }
        changed
    }
}

/// Byte offset just past the closing quote of the quoted scalar starting at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    let (_, quote) = chars.next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let mut chars = chars.peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// Spaces inserted at line starts by the lenient retry: `(original offset, count)`, sorted.
#[derive(Default)]
struct Shift {
    inserts: Vec<(usize, usize)>,
}

impl Shift {
    fn insert(&mut self, orig: usize, count: usize) {
        match self.inserts.binary_search_by_key(&orig, |&(p, _)| p) {
            Ok(i) => {
                if let Some(e) = self.inserts.get_mut(i) {
                    e.1 += count;
                }
            }
            Err(i) => self.inserts.insert(i, (orig, count)),
        }
    }

    fn apply(&self, text: &str) -> String {
        let extra: usize = self.inserts.iter().map(|&(_, c)| c).sum();
        let mut out = String::with_capacity(text.len() + extra);
        let mut last = 0;
        for &(p, c) in &self.inserts {
            out.push_str(text.get(last..p).unwrap_or(""));
            out.extend(std::iter::repeat_n(' ', c));
            last = p;
        }
        out.push_str(text.get(last..).unwrap_or(""));
        out
    }

    /// Offset in the original text of an offset in the re-indented one.
    fn to_orig(&self, m: usize) -> usize {
        let mut shifted = 0;
        for &(p, c) in &self.inserts {
            let at = p + shifted;
            if m < at {
                break;
            }
            if m < at + c {
                return p;
            }
            shifted += c;
        }
        m - shifted
    }
}

/// One strict parse of `text` (the file's text, possibly re-indented per `shift`).
fn parse_once(file: &SourceFile, text: &str, shift: &Shift) -> (Parsed, Option<Fix>) {
    let mut b = Builder::new(file, text, shift);
    let mut parser = Parser::new_from_str(text);
    while b.root.is_none() {
        let Some(next) = parser.next_event() else {
            break;
        };
        let (event, span) = match next {
            Ok(x) => x,
            Err(e) => {
                let at = b.pos.byte(e.marker());
                let fix = Fix::from_error(e.info(), at, e.marker().col());
                let span = b.point(shift.to_orig(at));
                b.diags.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    format!("invalid YAML: {}", e.info()),
                ));
                return (b.failed(), fix);
            }
        };
        let span = b.span(span.start, span.end);
        let step = match event {
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => Ok(()),
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Alias(id) => b.alias(id, span),
            Event::Scalar(text, style, anchor, tag) => {
                b.scalar(text.into_owned(), style, anchor, tag.as_deref(), span);
                Ok(())
            }
            Event::SequenceStart(anchor, tag) => {
                b.start(false, anchor, tag.map(|t| t.into_owned()), span);
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                b.start(true, anchor, tag.map(|t| t.into_owned()), span);
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                b.end(span);
                Ok(())
            }
        };
        if let Err(d) = step {
            b.diags.push(d);
            return (b.failed(), None);
        }
    }
    let parsed = Parsed {
        root: b.root,
        diagnostics: b.diags,
        failed: false,
    };
    (parsed, None)
}

/// A finished node on its way into its parent.
struct Node {
    value: Value,
    /// The scalar text, for use as a map key.
    raw: Option<String>,
    /// Nodes in this subtree (for the alias budget).
    nodes: usize,
    /// Container nesting inside this node (0 for a scalar).
    height: usize,
}

enum KeyState {
    Expect,
    Key(String, Span),
    /// The key was not a scalar: its value is dropped.
    Skip,
}

enum Body {
    Seq(Vec<Value>),
    Map(MapAcc, KeyState),
}

struct Frame {
    body: Body,
    start: usize,
    start_end: usize,
    last_end: usize,
    anchor: usize,
    tag: Option<Tag>,
    nodes: usize,
    height: usize,
}

struct Anchored {
    value: Value,
    raw: Option<String>,
    nodes: usize,
    height: usize,
}

struct Builder<'f> {
    file: &'f SourceFile,
    pos: CharPos<'f>,
    shift: &'f Shift,
    diags: Vec<Diagnostic>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    expanded: usize,
    root: Option<Value>,
    /// Depth inside a container that is too deep and being skipped.
    skip: usize,
    skip_start: usize,
}

impl<'f> Builder<'f> {
    fn new(file: &'f SourceFile, text: &'f str, shift: &'f Shift) -> Self {
        Builder {
            file,
            pos: CharPos::new(text),
            shift,
            diags: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            root: None,
            skip: 0,
            skip_start: 0,
        }
    }

    fn failed(self) -> Parsed {
        Parsed {
            root: None,
            diagnostics: self.diags,
            failed: true,
        }
    }

    fn span(&mut self, start: Marker, end: Marker) -> Span {
        let s = self.shift.to_orig(self.pos.byte(&start));
        let e = self.shift.to_orig(self.pos.byte(&end));
        Span::new(self.file.id, s, e.max(s))
    }

    /// A span covering the character at `at` (empty at the end of the file).
    fn point(&self, at: usize) -> Span {
        let len = self
            .file
            .text
            .get(at..)
            .and_then(|r| r.chars().next())
            .map(char::len_utf8)
            .unwrap_or(0);
        Span::new(self.file.id, at, at + len)
    }

    fn scalar(
        &mut self,
        raw: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) {
        if self.skip > 0 {
            return;
        }
        let (value, height) = match tag {
            None => (Value::new(plain_kind(&raw, style), span), 0),
            Some(tag) => self.tagged_scalar(tag, &raw, style, span),
        };
        let node = Node {
            value,
            raw: Some(raw),
            nodes: 1,
            height,
        };
        self.finish(node, anchor);
    }

    fn tagged_scalar(
        &mut self,
        tag: &Tag,
        raw: &str,
        style: ScalarStyle,
        span: Span,
    ) -> (Value, usize) {
        let string = || Value::string(raw, span);
        if tag.handle == "!" {
            if tag.suffix.is_empty() {
                return (string(), 0);
            }
            if let Some(key) = long_form(&tag.suffix) {
                let inner = match (key, raw.split_once('.')) {
                    ("Fn::GetAtt", Some((res, attr))) => Value::new(
                        Kind::List(
                            vec![Value::string(res, span), Value::string(attr, span)].into(),
                        ),
                        span,
                    ),
                    _ => string(),
                };
                return (wrap(key, inner, span), 1);
            }
        } else if tag.handle == CORE {
            let plain = Value::new(plain_kind(raw, style), span);
            let v = match tag.suffix.as_str() {
                "str" => string(),
                "int" | "float" => match raw.trim().parse::<f64>() {
                    Ok(n) if n.is_finite() => Value::new(Kind::Number(n), span),
                    _ => string(),
                },
                "bool" | "null" | "binary" | "timestamp" => plain,
                _ => {
                    self.unknown_tag(tag, span);
                    plain
                }
            };
            return (v, 0);
        }
        self.unknown_tag(tag, span);
        (Value::new(plain_kind(raw, style), span), 0)
    }

    fn unknown_tag(&mut self, tag: &Tag, node: Span) {
        let text = tag_text(tag);
        let start = node.start as usize;
        let written = self
            .file
            .text
            .get(start..node.end as usize)
            .is_some_and(|s| s.starts_with('!'));
        let span = if written {
            let end = (start + text.len()).min(node.end as usize);
            // `text.len()` may not land on a char boundary when the tag was written differently.
            let end = (start..=end)
                .rev()
                .find(|&i| self.file.text.is_char_boundary(i))
                .unwrap_or(start);
            Span::new(self.file.id, start, end)
        } else {
            node
        };
        self.diags.push(Diagnostic::error(
            self.file.id,
            Some(span),
            format!("unknown tag `{text}`"),
        ));
    }

    fn start(&mut self, is_map: bool, anchor: usize, tag: Option<Tag>, span: Span) {
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.diags.push(too_deep(self.file, span));
            self.skip = 1;
            self.skip_start = span.start as usize;
            return;
        }
        let body = if is_map {
            Body::Map(MapAcc::default(), KeyState::Expect)
        } else {
            Body::Seq(Vec::new())
        };
        self.stack.push(Frame {
            body,
            start: span.start as usize,
            start_end: span.end as usize,
            last_end: span.end as usize,
            anchor,
            tag,
            nodes: 0,
            height: 0,
        });
    }

    fn end(&mut self, span: Span) {
        if self.skip > 0 {
            self.skip -= 1;
            if self.skip == 0 {
                let sp = Span::new(self.file.id, self.skip_start, span.end as usize);
                let node = Node {
                    value: Value::null(sp),
                    raw: None,
                    nodes: 1,
                    height: 0,
                };
                self.attach(node);
            }
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        // Flow collections end at their `]`/`}`; block ones have an empty end event at the next
        // token, so they end with their last child instead (no trailing blank lines/comments).
        let end = if span.end > span.start {
            span.end as usize
        } else {
            frame.last_end.max(frame.start_end)
        };
        let sp = Span::new(self.file.id, frame.start, end);
        let kind = match frame.body {
            Body::Seq(mut items) => {
                items.shrink_to_fit();
                Kind::List(items.into())
            }
            Body::Map(acc, _) => Kind::Map(acc.into_entries().into()),
        };
        let mut value = Value::new(kind, sp);
        let mut height = frame.height + 1;
        if let Some(tag) = &frame.tag {
            match (tag.handle.as_str(), long_form(&tag.suffix)) {
                ("!", Some(key)) => {
                    value = wrap(key, value, sp);
                    height += 1;
                }
                (CORE, _) if matches!(tag.suffix.as_str(), "map" | "seq" | "omap" | "set") => {}
                _ => self.unknown_tag(tag, sp),
            }
        }
        let node = Node {
            value,
            raw: None,
            nodes: frame.nodes + 1,
            height,
        };
        self.finish(node, frame.anchor);
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), Diagnostic> {
        if self.skip > 0 {
            return Ok(());
        }
        let Some(anchored) = self.anchors.get(&id) else {
            self.diags.push(Diagnostic::error(
                self.file.id,
                Some(span),
                "alias to an unknown anchor",
            ));
            self.attach(Node {
                value: Value::null(span),
                raw: None,
                nodes: 1,
                height: 0,
            });
            return Ok(());
        };
        self.expanded = self.expanded.saturating_add(anchored.nodes);
        if self.expanded > MAX_ALIAS_NODES {
            return Err(Diagnostic::error(
                self.file.id,
                Some(span),
                format!("alias expansion too large (more than {MAX_ALIAS_NODES} nodes)"),
            ));
        }
        if self.stack.len() + anchored.height > MAX_DEPTH {
            self.diags.push(too_deep(self.file, span));
            self.attach(Node {
                value: Value::null(span),
                raw: None,
                nodes: 1,
                height: 0,
            });
            return Ok(());
        }
        let mut value = anchored.value.clone();
        value.span = span;
        let node = Node {
            value,
            raw: anchored.raw.clone(),
            nodes: anchored.nodes,
            height: anchored.height,
        };
        self.attach(node);
        Ok(())
    }

    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    value: node.value.clone(),
                    raw: node.raw.clone(),
                    nodes: node.nodes,
                    height: node.height,
                },
            );
        }
        self.attach(node);
    }

    fn attach(&mut self, node: Node) {
        let Builder {
            file,
            diags,
            stack,
            root,
            ..
        } = self;
        let Some(frame) = stack.last_mut() else {
            *root = Some(node.value);
            return;
        };
        frame.nodes = frame.nodes.saturating_add(node.nodes);
        frame.height = frame.height.max(node.height);
        frame.last_end = frame.last_end.max(node.value.span.end as usize);
        match &mut frame.body {
            Body::Seq(items) => items.push(node.value),
            Body::Map(acc, key) => match std::mem::replace(key, KeyState::Expect) {
                KeyState::Expect => {
                    *key = match node.raw {
                        Some(raw) => KeyState::Key(raw, node.value.span),
                        None => {
                            diags.push(Diagnostic::error(
                                file.id,
                                Some(node.value.span),
                                "only scalar map keys are supported",
                            ));
                            KeyState::Skip
                        }
                    }
                }
                KeyState::Key(k, ks) => acc.push(file, diags, k, ks, node.value),
                KeyState::Skip => {}
            },
        }
    }
}

/// The long-form key of a CloudFormation short-form tag (`Ref` → `Ref`, `Sub` → `Fn::Sub`).
fn long_form(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => "Fn::GetAtt",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        // Rule functions (template `Rules` section).
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        _ => return None,
    })
}

fn wrap(key: &str, inner: Value, span: Span) -> Value {
    Value::new(
        Kind::Map(
            vec![Entry {
                key: key.into(),
                key_span: span,
                value: inner,
            }]
            .into(),
        ),
        span,
    )
}

fn tag_text(tag: &Tag) -> String {
    match tag.handle.as_str() {
        "!" => format!("!{}", tag.suffix),
        CORE => format!("!!{}", tag.suffix),
        "" => format!("!<{}>", tag.suffix),
        h => format!("{h}{}", tag.suffix),
    }
}

/// How CloudFormation reads an untagged scalar.
pub(crate) fn plain_kind(raw: &str, style: ScalarStyle) -> Kind {
    if style != ScalarStyle::Plain {
        return Kind::String(raw.into());
    }
    match raw {
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        _ => {}
    }
    if is_canonical_number(raw) {
        if let Ok(n) = raw.parse::<f64>() {
            if n.is_finite() {
                return Kind::Number(n);
            }
        }
    }
    Kind::String(raw.into())
}

/// YAML 1.2 core-schema decimal int/float without leading zeros (`0`, `-3`, `2.5`, `1e3`).
fn is_canonical_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let int_ok = digits(int) && !(int.len() > 1 && int.starts_with('0'));
    let frac_ok = frac.is_none_or(digits);
    let has_digits = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    int_ok && frac_ok && has_digits && exp_ok
}

/// Converts saphyr's character index to a byte offset. Events arrive almost in order, so the
/// walk starts from the previous position (amortised linear even on one huge line).
struct CharPos<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl<'t> CharPos<'t> {
    fn new(text: &'t str) -> Self {
        CharPos {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            byte: 0,
        }
    }

    fn byte(&mut self, m: &Marker) -> usize {
        let target = m.index();
        if self.ascii {
            return target.min(self.text.len());
        }
        while self.chars < target {
            let Some(c) = self.text.get(self.byte..).and_then(|r| r.chars().next()) else {
                break;
            };
            self.byte += c.len_utf8();
            self.chars += 1;
        }
        while self.chars > target {
            let Some(c) = self
                .text
                .get(..self.byte)
                .and_then(|r| r.chars().next_back())
            else {
                break;
            };
            self.byte -= c.len_utf8();
            self.chars -= 1;
        }
        self.byte
    }
}

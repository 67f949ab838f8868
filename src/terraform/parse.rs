//! Parsing: source text → hcl-edit [`Body`], with errors as [`Diagnostic`]s.
//!
//! hcl-edit is a recursive-descent parser. Before handing it a file we measure the bracket
//! nesting depth with a cheap scan (strings, comments and heredocs skipped) and refuse files
//! nested deeper than [`MAX_NESTING`], so that hostile input cannot overflow a worker stack.
//!
//! Files in Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`) are transpiled to HCL first
//! ([`super::json_syntax`]); the [`TfFile`] then carries the generated text and the offset map
//! that turns every span of the generated text back into a span of the JSON file.
//!
//! hcl-edit rejects an object constructor with a repeated key (`{ a = 1, a = 2 }`), which
//! Terraform accepts (the later key wins): [`parse_body_lenient`] handles it.

use super::json_syntax::{self, Transpiled};
use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use hcl_edit::expr::{Object, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// Deepest bracket nesting accepted before parsing.
pub const MAX_NESTING: usize = 200;

/// Most repeated object keys resolved in one file (each costs a parse).
pub const MAX_REPEATED_KEYS: usize = 64;

/// A parsed Terraform file: the source file and, for JSON syntax, what it was transpiled to.
/// Every span of a node of its [`Body`] must be made with [`TfFile::span`] (or
/// [`TfFile::range`]), which maps generated HCL offsets back into the JSON file.
#[derive(Clone)]
pub struct TfFile {
    pub src: Arc<SourceFile>,
    pub json: Option<Arc<Transpiled>>,
}

impl std::ops::Deref for TfFile {
    type Target = SourceFile;
    fn deref(&self) -> &SourceFile {
        &self.src
    }
}

impl TfFile {
    /// The span of an hcl-edit node of this file's body.
    pub fn span(&self, node: &impl hcl_edit::Span) -> Span {
        match node.span() {
            Some(r) => self.range(r),
            None => Span::new(self.src.id, 0, 0),
        }
    }
    /// The span of a byte range of the parsed text.
    pub fn range(&self, r: Range<usize>) -> Span {
        map_range(self.src.id, self.json.as_deref(), r)
    }
    /// The text hcl-edit parsed (the generated HCL for JSON syntax).
    pub fn parsed_text(&self) -> &str {
        match &self.json {
            Some(t) => &t.hcl,
            None => &self.src.text,
        }
    }
}

/// A byte range of parsed text → a span of the file (through the map of a transpiled file).
pub fn map_range(file: crate::source::FileId, json: Option<&Transpiled>, r: Range<usize>) -> Span {
    match json {
        Some(t) => {
            let (s, e) = t.map.map(r.start, r.end);
            Span::new(file, s, e)
        }
        None => Span::new(file, r.start, r.end),
    }
}

/// Is this a file in Terraform's JSON syntax (by name)?
pub fn is_json_syntax(file: &SourceFile) -> bool {
    file.path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".json"))
}

/// Parses one file; on failure pushes a diagnostic and returns `None`.
pub fn parse_file(file: &Arc<SourceFile>, diags: &mut Vec<Diagnostic>) -> Option<(TfFile, Body)> {
    if is_json_syntax(file) {
        let t = Arc::new(json_syntax::transpile(file, diags)?);
        let tf = TfFile {
            src: file.clone(),
            json: Some(t.clone()),
        };
        return match parse_text(&t.hcl) {
            Ok(body) => Some((tf, body)),
            Err(e) => {
                let off = e.offset().min(t.hcl.len());
                let span = tf.range(off..next_char_boundary(&t.hcl, off));
                diags.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    e.message("Terraform JSON: "),
                ));
                None
            }
        };
    }
    let tf = TfFile {
        src: file.clone(),
        json: None,
    };
    let text: &str = &file.text;
    // A byte order mark is replaced by spaces of the same length, keeping offsets.
    let owned;
    let input = if let Some(rest) = text.strip_prefix('\u{feff}') {
        owned = format!("   {rest}");
        owned.as_str()
    } else {
        text
    };
    match parse_text(input) {
        Ok(body) => Some((tf, body)),
        Err(e) => {
            let off = e.offset().min(text.len());
            let end = next_char_boundary(text, off);
            diags.push(Diagnostic::error(
                file.id,
                Some(Span::new(file.id, off, end)),
                e.message("HCL parse error: "),
            ));
            None
        }
    }
}

/// Why a text could not be parsed: a nesting overflow (at an offset) or the parser's error.
pub enum ParseError {
    TooDeep(usize),
    Hcl(hcl_edit::parser::Error),
}

impl ParseError {
    fn offset(&self) -> usize {
        match self {
            ParseError::TooDeep(at) => *at,
            ParseError::Hcl(e) => e.location().offset(),
        }
    }
    fn message(&self, prefix: &str) -> String {
        match self {
            ParseError::TooDeep(_) => {
                format!("nesting deeper than {MAX_NESTING} levels; file skipped")
            }
            ParseError::Hcl(e) => format!("{prefix}{}", e.message()),
        }
    }
}

/// Nesting guard, then [`parse_body_lenient`].
fn parse_text(text: &str) -> Result<Body, ParseError> {
    if let Some(at) = too_deep(text, MAX_NESTING) {
        return Err(ParseError::TooDeep(at));
    }
    parse_body_lenient(text).map_err(ParseError::Hcl)
}

const REDEFINED_KEY: &str = "found redefined object key";

fn is_redefined_key(e: &hcl_edit::parser::Error) -> bool {
    e.message().contains(REDEFINED_KEY)
}

/// `hcl_edit::parser::parse_body`, but an object constructor may repeat a key and the later
/// one wins, as in Terraform. Spans stay those of the original text.
///
/// hcl-edit stops at the second occurrence of a key. (1) In a probe copy of the text each
/// reported occurrence is replaced by a placeholder key of the same length until the copy
/// parses (bounded by [`MAX_REPEATED_KEYS`]). (2) In the probe's syntax tree, the items of each
/// object are grouped by their original key: all but the last of a group are to be dropped.
/// (3) In a fresh copy of the original text, exactly those earlier occurrences are replaced by
/// placeholders that differ from every key of their object; after parsing, the items at those
/// offsets are removed. The later occurrences keep their own text and spans.
pub fn parse_body_lenient(text: &str) -> Result<Body, hcl_edit::parser::Error> {
    let first = match hcl_edit::parser::parse_body(text) {
        Ok(b) => return Ok(b),
        Err(e) if is_redefined_key(&e) => e,
        Err(e) => return Err(e),
    };
    // (1) probe
    let mut probe = text.to_string();
    let mut renamed: HashMap<usize, String> = HashMap::new();
    let mut err = first.clone();
    let mut probe_body = None;
    // One counter for all placeholders, so that successive ones differ from each other.
    for next_placeholder in 0..MAX_REPEATED_KEYS * 2 {
        if !is_redefined_key(&err) {
            return Err(first);
        }
        let off = err.location().offset();
        let Some(len) = key_token_len(&probe, off) else {
            return Err(first);
        };
        let original = text.get(off..off + len).unwrap_or_default().to_string();
        renamed.entry(off).or_insert(original);
        if renamed.len() > MAX_REPEATED_KEYS {
            return Err(first);
        }
        let Some(ph) = placeholder(
            text.get(off..off + len).unwrap_or_default(),
            next_placeholder,
        ) else {
            return Err(first);
        };
        probe.replace_range(off..off + len, &ph);
        match hcl_edit::parser::parse_body(&probe) {
            Ok(b) => {
                probe_body = Some(b);
                break;
            }
            Err(e) => err = e,
        }
    }
    let Some(probe_body) = probe_body else {
        return Err(first);
    };
    // (2) what to drop: (offset, length, the object's keys)
    let mut plan = DropPlan {
        text,
        renamed: &renamed,
        drops: Vec::new(),
    };
    hcl_edit::visit::Visit::visit_body(&mut plan, &probe_body);
    // (3) final parse
    let mut work = text.to_string();
    let mut at: HashSet<usize> = HashSet::new();
    for (off, len, keys) in &plan.drops {
        let used: Vec<String> = plan
            .drops
            .iter()
            .filter(|d| d.2 == *keys)
            .filter_map(|d| work.get(d.0..d.0 + d.1).map(str::to_string))
            .collect();
        let shape = text.get(*off..*off + *len).unwrap_or_default();
        let ph = (0..4096)
            .filter_map(|i| placeholder(shape, i))
            .find(|p| !keys.contains(&normalize_key(p)) && !used.contains(p));
        let Some(ph) = ph else {
            return Err(first);
        };
        work.replace_range(*off..*off + *len, &ph);
        at.insert(*off);
    }
    let mut body = hcl_edit::parser::parse_body(&work).map_err(|_| first.clone())?;
    let mut dropper = Dropper { at: &at };
    hcl_edit::visit_mut::VisitMut::visit_body_mut(&mut dropper, &mut body);
    Ok(body)
}

/// Length in bytes of the object key token at `off`: an identifier or a quoted string.
fn key_token_len(text: &str, off: usize) -> Option<usize> {
    let b = text.as_bytes();
    match b.get(off)? {
        b'"' => {
            let mut i = off + 1;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1 - off),
                    b'\n' => return None,
                    _ => i += 1,
                }
            }
            None
        }
        c if c.is_ascii_alphabetic() || *c == b'_' => {
            let mut i = off;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
                i += 1;
            }
            Some(i - off)
        }
        _ => None,
    }
}

/// The `n`th placeholder for a key token `shape` (an identifier or a quoted string): of the
/// same byte length and form, or `None` when there are no more.
fn placeholder(shape: &str, n: usize) -> Option<String> {
    const FIRST: &[u8] = b"_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let quoted = shape.starts_with('"');
    let len = if quoted {
        shape.len().checked_sub(2)?
    } else {
        shape.len()
    };
    if len == 0 {
        return None;
    }
    // First character from FIRST, the others from REST, counting `n` in that mixed base.
    let mut out = Vec::with_capacity(len);
    let mut rest = n;
    out.push(FIRST[rest % FIRST.len()]);
    rest /= FIRST.len();
    for _ in 1..len {
        out.push(REST[rest % REST.len()]);
        rest /= REST.len();
    }
    if rest > 0 {
        return None;
    }
    let s = String::from_utf8(out).ok()?;
    Some(if quoted { format!("\"{s}\"") } else { s })
}

/// The key a token denotes: `a` and `"a"` are the same key.
fn normalize_key(token: &str) -> String {
    match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') && !inner.contains("${") => inner.to_string(),
        _ => token.to_string(),
    }
}

struct DropPlan<'t> {
    text: &'t str,
    renamed: &'t HashMap<usize, String>,
    /// Earlier occurrences: offset, length, and the (normalised) keys of their object.
    drops: Vec<(usize, usize, Vec<String>)>,
}

impl hcl_edit::visit::Visit for DropPlan<'_> {
    fn visit_object(&mut self, o: &Object) {
        let items: Vec<(usize, usize, String)> = o
            .iter()
            .filter_map(|(k, _)| {
                let r = k.span()?;
                let token = match self.renamed.get(&r.start) {
                    Some(orig) => orig.clone(),
                    None => self.text.get(r.clone())?.to_string(),
                };
                Some((r.start, r.end - r.start, normalize_key(&token)))
            })
            .collect();
        if self
            .renamed
            .keys()
            .any(|off| items.iter().any(|i| i.0 == *off))
        {
            let keys: Vec<String> = items.iter().map(|i| i.2.clone()).collect();
            for (i, (off, len, key)) in items.iter().enumerate() {
                let later = items[i + 1..].iter().any(|j| &j.2 == key);
                if later {
                    self.drops.push((*off, *len, keys.clone()));
                }
            }
        }
        hcl_edit::visit::visit_object(self, o);
    }
}

struct Dropper<'a> {
    at: &'a HashSet<usize>,
}

impl hcl_edit::visit_mut::VisitMut for Dropper<'_> {
    fn visit_object_mut(&mut self, o: &mut Object) {
        let gone: Vec<ObjectKey> = o
            .iter()
            .filter(|(k, _)| k.span().is_some_and(|r| self.at.contains(&r.start)))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &gone {
            o.remove(k);
        }
        hcl_edit::visit_mut::visit_object_mut(self, o);
    }
}

fn next_char_boundary(text: &str, off: usize) -> usize {
    let mut end = (off + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// The byte offset where bracket nesting first exceeds `max`, if it does.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum Mode {
        Code,
        Str,
    }
    let b = text.as_bytes();
    // Every file is checked before parsing: when it has no more openings (brackets, `${`,
    // `%{`) than `max`, nesting cannot exceed it, and most files are done with SIMD counts.
    let openings = memchr::memchr3_iter(b'(', b'[', b'{', b).count()
        + memchr::memchr2_iter(b'$', b'%', b).count();
    if openings <= max {
        return None;
    }
    let mut mode = Mode::Code;
    // Open brackets; b'$' marks an interpolation that returns to string mode when closed.
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Bytes that change nothing in the current mode are skipped in a tight loop.
        let table = if mode == Mode::Code {
            &CODE_BYTES
        } else {
            &STR_BYTES
        };
        while i < b.len() && !table[b[i] as usize] {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            break;
        };
        match mode {
            Mode::Str => match c {
                b'\\' => i += 1,
                b'"' => mode = Mode::Code,
                b'\n' => mode = Mode::Code,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    if b.get(i.wrapping_sub(1)) == Some(&c) && i > 0 {
                        // `$${` / `%%{` escapes
                    } else {
                        stack.push(b'$');
                        if stack.len() > max {
                            return Some(i);
                        }
                        mode = Mode::Code;
                        i += 1;
                    }
                }
                _ => {}
            },
            Mode::Code => match c {
                b'"' => mode = Mode::Str,
                b'#' => i = skip_line(b, i),
                b'/' if b.get(i + 1) == Some(&b'/') => i = skip_line(b, i),
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = find(b, i + 2, b"*/").map_or(b.len(), |p| p + 1);
                }
                b'<' if b.get(i + 1) == Some(&b'<') => i = skip_heredoc(b, i),
                b'(' | b'[' | b'{' => {
                    stack.push(c);
                    if stack.len() > max {
                        return Some(i);
                    }
                }
                b')' | b']' | b'}' => {
                    let top = stack.pop();
                    if top == Some(b'$') {
                        mode = Mode::Str;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The bytes [`too_deep`] acts on, per mode.
const CODE_BYTES: [bool; 256] = byte_set(b"\"#/<([{)]}");
const STR_BYTES: [bool; 256] = byte_set(b"\\\"\n$%");

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

fn skip_line(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n").map_or(b.len(), |p| p.saturating_sub(1).max(i))
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, pat).map(|p| p + from)
}

/// Skips a heredoc starting at `<<` at `i`; returns the index of its last byte (or `i + 1`
/// when this is not a heredoc).
fn skip_heredoc(b: &[u8], i: usize) -> usize {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
        j += 1;
    }
    let delim = &b[start..j];
    if delim.is_empty() || !matches!(b.get(j), Some(b'\n') | Some(b'\r')) {
        return i + 1;
    }
    // Find a line consisting of optional spaces and the delimiter.
    let mut pos = j;
    while let Some(nl) = find(b, pos, b"\n") {
        let line_start = nl + 1;
        let mut k = line_start;
        while k < b.len() && (b[k] == b' ' || b[k] == b'\t') {
            k += 1;
        }
        if b.get(k..k + delim.len()) == Some(delim) {
            let after = k + delim.len();
            if !matches!(b.get(after), Some(c) if c.is_ascii_alphanumeric() || *c == b'_') {
                return after.saturating_sub(1);
            }
        }
        pos = line_start;
    }
    b.len()
}

/// `resource "t" "n"`: from the block identifier to the end of the last label.
pub fn header_span(file: &TfFile, block: &Block) -> Span {
    let start = block.ident.span().map(|r| r.start).unwrap_or(0);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map(|r| r.end)
        .unwrap_or(start);
    file.range(start..end)
}

/// A file's parse, computed once per scan however many module instances read the file. The
/// transpiled JSON syntax is kept, not the [`TfFile`] (which holds the file itself: a cycle).
struct CachedParse {
    parsed: Option<(Option<Arc<json_syntax::Transpiled>>, Arc<Body>)>,
    diagnostics: Vec<Diagnostic>,
}

/// [`parse_file`], memoised on the file: module directories called by many roots (every
/// `examples/*` of a module) parse each file once. The diagnostics are repeated to each caller
/// (the scan deduplicates them).
pub fn parse_file_cached(
    file: &Arc<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(TfFile, Arc<Body>)> {
    let cached = file.memo(|| {
        let mut diagnostics = Vec::new();
        let parsed = parse_file(file, &mut diagnostics).map(|(tf, body)| (tf.json, Arc::new(body)));
        CachedParse {
            parsed,
            diagnostics,
        }
    });
    diags.extend(cached.diagnostics.iter().cloned());
    let (json, body) = cached.parsed.as_ref()?;
    Some((
        TfFile {
            src: file.clone(),
            json: json.clone(),
        },
        body.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn nesting_counts_code_and_interpolations_only() {
        // Few openings: nothing to scan.
        assert_eq!(too_deep("a = [[[1]]]", 3), None);
        assert_eq!(too_deep("a = [[[[1]]]]", 3), Some(7));
        // Brackets in strings, comments and heredocs do not nest; `${` does, `$${` does not.
        let quiet = "a = \"((((((\" # [[[[[[\n/* {{{{{{ */ b = <<EOT\n[[[[[[\nEOT\n";
        assert_eq!(too_deep(quiet, 3), None);
        assert_eq!(too_deep("a = \"$${$${$${$${x}\"", 3), None);
        assert_eq!(too_deep("a = [\"${[\"${[x]}\"]}\"]", 3), Some(10));
        // Many openings side by side, none deep: the full scan says no.
        let wide = "a = [1]\n".repeat(500);
        assert_eq!(too_deep(&wide, 3), None);
        let deep = format!("{wide}b = {}1{}", "(".repeat(5), ")".repeat(5));
        assert_eq!(too_deep(&deep, 3), Some(wide.len() + 7));
    }
}

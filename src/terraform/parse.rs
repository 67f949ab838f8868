//! Parsing: source text → hcl-edit [`Body`], with errors as [`Diagnostic`]s.
//!
//! hcl-edit is a recursive-descent parser. Before handing it a file we measure the bracket
//! nesting depth with a cheap scan (strings, comments and heredocs skipped) and refuse files
//! nested deeper than [`MAX_NESTING`], so that hostile input cannot overflow a worker stack.

use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;

/// Deepest bracket nesting accepted before parsing.
pub const MAX_NESTING: usize = 200;

/// Parses one file; on failure pushes a diagnostic and returns `None`.
pub fn parse_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Body> {
    let text: &str = &file.text;
    if let Some(at) = too_deep(text, MAX_NESTING) {
        diags.push(Diagnostic::error(
            file.id,
            Some(Span::new(file.id, at, (at + 1).min(text.len()))),
            format!("nesting deeper than {MAX_NESTING} levels; file skipped"),
        ));
        return None;
    }
    // A byte order mark is replaced by spaces of the same length, keeping offsets.
    let owned;
    let input = if let Some(rest) = text.strip_prefix('\u{feff}') {
        owned = format!("   {rest}");
        owned.as_str()
    } else {
        text
    };
    match hcl_edit::parser::parse_body(input) {
        Ok(body) => Some(body),
        Err(e) => {
            let off = e.location().offset().min(text.len());
            let end = next_char_boundary(text, off);
            diags.push(Diagnostic::error(
                file.id,
                Some(Span::new(file.id, off, end)),
                format!("HCL parse error: {}", e.message()),
            ));
            None
        }
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
    let mut mode = Mode::Code;
    // Open brackets; b'$' marks an interpolation that returns to string mode when closed.
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
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

fn skip_line(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n").map_or(b.len(), |p| p.saturating_sub(1).max(i))
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
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
pub fn header_span(file: &SourceFile, block: &Block) -> Span {
    let start = block.ident.span().map(|r| r.start).unwrap_or(0);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map(|r| r.end)
        .unwrap_or(start);
    Span::new(file.id, start, end)
}

/// A file's parse, computed once per scan however many module instances read the file.
struct CachedParse {
    body: Option<std::sync::Arc<Body>>,
    diagnostics: Vec<Diagnostic>,
}

/// [`parse_file`], memoised on the file: module directories called by many roots (every
/// `examples/*` of a module) and the root-detection pass parse each file once. The diagnostics
/// are repeated to each caller (the scan deduplicates them).
pub fn parse_file_cached(
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<std::sync::Arc<Body>> {
    let parsed = file.memo(|| {
        let mut diagnostics = Vec::new();
        let body = parse_file(file, &mut diagnostics).map(std::sync::Arc::new);
        CachedParse { body, diagnostics }
    });
    diags.extend(parsed.diagnostics.iter().cloned());
    parsed.body.clone()
}

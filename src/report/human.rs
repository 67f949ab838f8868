//! `--format human`: each finding with the offending source line underlined (miette), colour
//! only on a terminal and never when `NO_COLOR` is set.

use crate::scan::{Finding, InputError, Report};
use crate::severity::Severity;
use crate::source::SourceFile;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

/// A file as miette source, using our precomputed line index (miette's default rescans the
/// whole file for every snippet).
struct IndexedSource(Arc<SourceFile>);

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = &self.0;
        let starts = f.line_starts();
        let len = f.text.len();
        if span.offset() > len || span.offset() + span.len() > len {
            return Err(MietteError::OutOfBounds);
        }
        // A long line (minified JSON) is shown as a window around the span, without context
        // lines: printing the whole line for every finding on it is quadratic.
        if let Some((start, end, line)) = long_line_window(f, span.offset()) {
            let data = f.text.as_bytes().get(start..end).unwrap_or(&[]);
            return Ok(Box::new(MietteSpanContents::new_named(
                f.display.clone(),
                data,
                (start, end - start).into(),
                line,
                0,
                1,
            )));
        }
        let line_of = |off: usize| line_index(starts, off);
        let first = line_of(span.offset()).saturating_sub(before);
        let last_span_line = line_of(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        let last = (last_span_line + after).min(starts.len().saturating_sub(1));
        let start = starts.get(first).copied().unwrap_or(0) as usize;
        let end = starts
            .get(last + 1)
            .map(|&e| e as usize)
            .unwrap_or(len)
            .max(start);
        let data = f.text.as_bytes().get(start..end).unwrap_or(&[]);
        Ok(Box::new(MietteSpanContents::new_named(
            f.display.clone(),
            data,
            (start, end - start).into(),
            first,
            0,
            last - first + 1,
        )))
    }
}

/// 0-based index of the line holding byte `off`.
fn line_index(starts: &[u32], off: usize) -> usize {
    let off = u32::try_from(off).unwrap_or(u32::MAX);
    match starts.binary_search(&off) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

/// Lines longer than this many bytes are shown as a window around the finding.
const LONG_LINE: usize = 400;
/// Bytes of a long line shown before the finding's start, and in all.
const WINDOW_BEFORE: usize = 80;
const WINDOW_LEN: usize = 240;

/// For an offset on a line longer than [`LONG_LINE`]: the window of that line to show (byte
/// range on character boundaries) and the 0-based line index; `None` on an ordinary line.
fn long_line_window(f: &SourceFile, offset: usize) -> Option<(usize, usize, usize)> {
    let starts = f.line_starts();
    let text = &*f.text;
    let line = line_index(starts, offset);
    let line_start = starts.get(line).copied().unwrap_or(0) as usize;
    let line_end = starts
        .get(line + 1)
        .map(|&e| (e as usize).saturating_sub(1))
        .unwrap_or(text.len());
    if line_end.saturating_sub(line_start) <= LONG_LINE {
        return None;
    }
    let mut start = offset.saturating_sub(WINDOW_BEFORE).max(line_start);
    while start > line_start && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start.saturating_add(WINDOW_LEN).min(line_end);
    while end < line_end && !text.is_char_boundary(end) {
        end += 1;
    }
    Some((start, end, line))
}

struct FindingDiag<'a> {
    finding: &'a Finding,
    source: IndexedSource,
    span: SourceSpan,
    help: Option<String>,
    /// Where the deciding value is written, with its own snippet (often another file).
    related: Vec<RelatedDiag>,
}

/// A related location shown under the finding.
struct RelatedDiag {
    message: String,
    source: IndexedSource,
    span: SourceSpan,
}

impl fmt::Debug for RelatedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for RelatedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for RelatedDiag {}
impl Diagnostic for RelatedDiag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".to_string()),
            self.span,
        ))))
    }
}

impl fmt::Debug for FindingDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.rule_id)
    }
}
impl fmt::Display for FindingDiag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}]",
            self.finding.title,
            self.finding.severity.as_str()
        )
    }
}
impl std::error::Error for FindingDiag<'_> {}
impl Diagnostic for FindingDiag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule_id.clone()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium => miette::Severity::Warning,
            Severity::Low => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(match &self.finding.construct_path {
                Some(path) => format!(
                    "{} ({}, construct `{path}`)",
                    self.finding.message, self.finding.resource
                ),
                None => format!("{} ({})", self.finding.message, self.finding.resource),
            }),
            self.span,
        ))))
    }
}

/// Whether to use colour: a terminal, and `NO_COLOR` unset.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(110)
}

fn error_line(e: &InputError) -> String {
    match (e.line, e.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
        _ => format!("{}: {}", e.file, e.message),
    }
}

/// The human report in its three parts: the findings (stdout), the input errors and notes
/// (stderr, so a pipe or `> findings.txt` keeps only findings), and the summary line (stdout).
pub struct HumanReport {
    pub findings: String,
    pub diagnostics: String,
    pub summary: String,
}

impl HumanReport {
    /// One document, for `--output FILE`.
    pub fn joined(self) -> String {
        self.findings + &self.diagnostics + &self.summary
    }
}

pub fn render(report: &Report, color: bool) -> String {
    render_parts(report, color).joined()
}

pub fn render_parts(report: &Report, color: bool) -> HumanReport {
    let h = handler(color);
    // The one place the acronym is spelled out; "FTR" afterwards.
    let mut out =
        String::from("ftrlint: checks against the AWS Foundational Technical Review (FTR)\n\n");
    let mut explained: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for f in &report.findings {
        let Some(file) = report.sources.get(f.span.file) else {
            continue;
        };
        // Underline the first line of the span only.
        let start = (f.span.start as usize).min(file.text.len());
        let end = underline_end(file, start, f.span.end as usize);
        let related = f
            .related
            .iter()
            .filter_map(|r| {
                let file = report.sources.get(r.span.file)?;
                let start = (r.span.start as usize).min(file.text.len());
                let end = underline_end(file, start, r.span.end as usize);
                Some(RelatedDiag {
                    message: format!("{}:{}:{}: {}", r.file, r.line, r.column, r.message),
                    source: IndexedSource(file.clone()),
                    span: (start, end - start).into(),
                })
            })
            .collect();
        let diag = FindingDiag {
            related,
            finding: f,
            source: IndexedSource(file.clone()),
            span: (start, end - start).into(),
            // The FTR requirement and references once per rule, at its first finding.
            // (A Guard rule has no FTR text: its remediation names the policy.)
            help: Some(
                if explained.insert(f.rule_id.as_ref()) && !f.ftr_requirement.is_empty() {
                    format!(
                        "{}\nFTR requirement: {}\nReferences: {}",
                        f.remediation,
                        f.ftr_requirement,
                        f.ftr_references.join("; ")
                    )
                } else {
                    f.remediation.to_string()
                },
            ),
        };
        out.push_str(&format!("{}:{}:{}\n", f.file, f.line, f.column));
        if h.render_report(&mut out, &diag).is_err() {
            out.push_str(&format!("{} {}: {}\n", f.rule_id, f.title, f.message));
        }
        out.push('\n');
    }
    for f in &report.suppressed {
        let why = f.suppression.as_ref().map_or(String::new(), |s| {
            format!(
                "{} `{}`: {}",
                s.by,
                s.id,
                s.reason.as_deref().unwrap_or("no reason given")
            )
        });
        out.push_str(&format!(
            "suppressed: {}:{}:{} {} {} ({why})\n",
            f.file, f.line, f.column, f.rule_id, f.resource
        ));
    }
    let mut diagnostics = String::new();
    for e in &report.errors {
        diagnostics.push_str(&format!("error: {}\n", error_line(e)));
    }
    for line in summarised_notes(&report.notes) {
        diagnostics.push_str(&line);
    }
    let s = &report.summary;
    let mut summary = String::new();
    summary.push_str(&format!(
        "{} finding{} ({}){}, {} error{} · {} file{}, {} resource{}, {} FTR rule{} ({} profile)\n",
        s.findings,
        plural(s.findings),
        if s.by_severity.is_empty() {
            "none".to_string()
        } else {
            s.by_severity
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
        if s.suppressed == 0 {
            String::new()
        } else {
            format!(", {} suppressed", s.suppressed)
        },
        s.errors,
        plural(s.errors),
        s.files_scanned,
        plural(s.files_scanned),
        s.resources,
        plural(s.resources),
        s.rules_run,
        plural(s.rules_run),
        s.profile,
    ));
    if s.ignored_files > 0 {
        summary.push_str(&format!(
            "{} file{} excluded by .gitignore/.ignore rules\n",
            s.ignored_files,
            plural(s.ignored_files)
        ));
    }
    HumanReport {
        findings: out,
        diagnostics,
        summary,
    }
}

/// Where the underline of a span starting at `start` ends: on its first line, and within the
/// window shown of a long line. From the line index: searching for the newline is quadratic
/// on one long line (a minified template).
fn underline_end(file: &SourceFile, start: usize, span_end: usize) -> usize {
    let line_end = file
        .line_starts()
        .get(line_index(file.line_starts(), start) + 1)
        .map(|&e| (e as usize).saturating_sub(1))
        .unwrap_or(file.text.len());
    let mut end = span_end.min(line_end).max(start);
    if let Some((_, window_end, _)) = long_line_window(file, start) {
        end = end.min(window_end);
    }
    end.max(start)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Notes shown in full up to this many of one kind; the rest are counted.
const NOTES_PER_KIND: usize = 3;

/// A note's kind: its message with the quoted (backticked) parts blanked, so "module `a`:
/// source `x` is not available locally" and "module `b`: source `y` …" are one kind.
fn note_kind(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            quoted = !quoted;
            if quoted {
                out.push('…');
            }
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// The note lines: at most [`NOTES_PER_KIND`] of each kind, then one line counting the rest
/// (a repository without `terraform init` has thousands of "module not available" notes;
/// `--format json` lists every one).
fn summarised_notes(notes: &[InputError]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for n in notes {
        let kind = note_kind(&n.message);
        let count = seen.entry(kind.clone()).or_insert(0);
        if *count == 0 {
            order.push(kind);
        }
        *count += 1;
        if *count <= NOTES_PER_KIND {
            lines.push(format!("note: {}\n", error_line(n)));
        }
    }
    for kind in order {
        let n = seen.get(&kind).copied().unwrap_or(0);
        if n > NOTES_PER_KIND {
            lines.push(format!(
                "note: … and {} more like this: {kind} (`--format json` lists them all)\n",
                n - NOTES_PER_KIND
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(message: &str) -> InputError {
        InputError {
            file: "main.tf".into(),
            line: Some(1),
            column: Some(1),
            message: message.into(),
            span: None,
            severity: crate::resource::Severity::Note,
        }
    }

    #[test]
    fn repeated_notes_are_counted() {
        let notes: Vec<InputError> = (0..10)
            .map(|i| {
                note(&format!(
                    "module `m{i}`: source `x{i}` is not available locally"
                ))
            })
            .chain(std::iter::once(note("another kind")))
            .collect();
        let lines = summarised_notes(&notes);
        assert_eq!(lines.len(), NOTES_PER_KIND + 1 + 1);
        assert!(lines
            .last()
            .is_some_and(|l| l.contains("7 more like this: module …: source … is not available")));
    }
}

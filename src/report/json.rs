//! `--format json`: stable, documented in the README.

use crate::scan::Report;

/// The document, serialised straight from the report (no intermediate JSON tree: on a large
/// scan that tree was several times the size of the output).
#[derive(serde::Serialize)]
struct Doc<'a> {
    tool: Tool,
    findings: &'a [crate::scan::Finding],
    suppressed: &'a [crate::scan::Finding],
    errors: &'a [crate::scan::InputError],
    notes: &'a [crate::scan::InputError],
    rules: &'a [crate::scan::RuleOutcomes],
    summary: &'a crate::scan::Summary,
}

#[derive(serde::Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&doc(report)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The same document written as it is serialised (a scan of a huge template can report
/// hundreds of thousands of findings: no copy of the whole text in memory).
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &doc(report))?;
    out.write_all(b"\n")
}

fn doc(report: &Report) -> Doc<'_> {
    Doc {
        tool: Tool {
            name: "ftrlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: &report.findings,
        suppressed: &report.suppressed,
        errors: &report.errors,
        notes: &report.notes,
        rules: &report.outcomes,
        summary: &report.summary,
    }
}

//! `--format json`: stable, documented in the README.

use crate::scan::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let doc = json!({
        "tool": { "name": "ftrlint", "version": env!("CARGO_PKG_VERSION") },
        "findings": report.findings,
        "suppressed": report.suppressed,
        "errors": report.errors,
        "notes": report.notes,
        "rules": report.outcomes,
        "summary": report.summary,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

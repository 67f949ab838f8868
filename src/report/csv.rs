//! `--format csv`: one row per finding (the csv crate does the quoting).

use crate::scan::Report;

pub fn render(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rule_id",
        "severity",
        "title",
        "file",
        "line",
        "column",
        "resource",
        "message",
        "ftr_requirement",
        "remediation",
        "fingerprint",
        "suppressed",
    ]);
    for f in report.findings.iter().chain(&report.suppressed) {
        // Messages and addresses quote code: never a formula in a reviewer's spreadsheet.
        let suppressed = f
            .suppression
            .as_ref()
            .map(|s| format!("{} {}: {}", s.by, s.id, s.reason.as_deref().unwrap_or("")))
            .unwrap_or_default();
        let _ = w.write_record(
            [
                &f.rule_id,
                f.severity.as_str(),
                &f.title,
                &f.file,
                &f.line.to_string(),
                &f.column.to_string(),
                &f.resource,
                &f.message,
                &f.ftr_requirement,
                &f.remediation,
                &f.fingerprint,
                &suppressed,
            ]
            .map(neutralise),
        );
    }
    match w.into_inner() {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    }
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) starts with
/// a `'` instead: cells quote code and must not run in the reviewer's spreadsheet.
pub(crate) fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

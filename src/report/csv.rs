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
    ]);
    for f in &report.findings {
        let _ = w.write_record([
            f.rule_id,
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
        ]);
    }
    match w.into_inner() {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    }
}

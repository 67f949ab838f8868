//! `--format concise`: one line per finding, `file:line:col: ID [severity] message`, the form
//! editors, ruff and cfn-lint users parse; input errors as `file:line:col: error: message`.

use crate::scan::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {} ({})\n",
            f.file,
            f.line,
            f.column,
            f.rule_id,
            f.severity.as_str(),
            f.message,
            f.resource
        ));
    }
    for f in &report.suppressed {
        let why = f.suppression.as_ref().map_or(String::new(), |s| {
            format!(
                "{} {}: {}",
                s.by,
                s.id,
                s.reason.as_deref().unwrap_or("no reason given")
            )
        });
        out.push_str(&format!(
            "{}:{}:{}: {} [suppressed] {} ({why})\n",
            f.file, f.line, f.column, f.rule_id, f.message
        ));
    }
    for e in &report.errors {
        out.push_str(&format!(
            "{}:{}:{}: error: {}\n",
            e.file,
            e.line.unwrap_or(1),
            e.column.unwrap_or(1),
            e.message
        ));
    }
    out
}

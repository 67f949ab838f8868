//! `--format github`: GitHub Actions workflow commands, so findings appear as annotations on
//! the pull request's diff (`::error file=…,line=…,col=…,title=…::message`).

use crate::scan::Report;
use crate::severity::Severity;

/// Escapes a workflow-command message (`%`, CR, LF).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "notice",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&f.file),
            f.line,
            f.column,
            f.end_line.max(f.line),
            f.end_column,
            property(&format!("{} {}", f.rule_id, f.title)),
            data(&format!(
                "{} ({}). Fix: {}",
                f.message, f.resource, f.remediation
            ))
        ));
    }
    for f in &report.suppressed {
        let why = f
            .suppression
            .as_ref()
            .map(|s| {
                format!(
                    "{} `{}`: {}",
                    s.by,
                    s.id,
                    s.reason.as_deref().unwrap_or("no reason given")
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "::notice file={},line={},title={}::{}\n",
            property(&f.file),
            f.line,
            property(&format!("{} suppressed", f.rule_id)),
            data(&format!(
                "{} ({}), suppressed by {why}",
                f.message, f.resource
            ))
        ));
    }
    for e in &report.errors {
        let location = match e.line {
            Some(l) => format!("file={},line={l}", property(&e.file)),
            None => format!("file={}", property(&e.file)),
        };
        out.push_str(&format!(
            "::error {location},title=ftrlint input error::{}\n",
            data(&e.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::data("50%\nx"), "50%25%0Ax");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}

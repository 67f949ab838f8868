//! `--format markdown`: a compact summary for a pull-request comment: counts by severity, one
//! table row per finding (most severe first), and input errors.

use crate::scan::Report;

/// Escapes table-breaking characters in a Markdown cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("## ftrlint: AWS Foundational Technical Review (FTR) checks\n\n");
    if report.findings.is_empty() {
        out.push_str("No findings");
    } else {
        out.push_str(&format!(
            "**{} finding{}** ({})",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.by_severity
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(&format!(
        " · {} file{} · {} resource{} · {} rule{} ({} profile)",
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        s.resources,
        if s.resources == 1 { "" } else { "s" },
        s.rules_run,
        if s.rules_run == 1 { "" } else { "s" },
        s.profile
    ));
    if s.errors > 0 {
        out.push_str(&format!(
            " · **{} input error{}**",
            s.errors,
            if s.errors == 1 { "" } else { "s" }
        ));
    }
    out.push_str("\n\n");
    if !report.findings.is_empty() {
        out.push_str(
            "| Severity | Rule | Location | Resource | Finding |\n|---|---|---|---|---|\n",
        );
        let mut findings: Vec<_> = report.findings.iter().collect();
        findings.sort_by_key(|f| f.severity);
        for f in findings {
            out.push_str(&format!(
                "| {} | `{}` {} | `{}:{}` | `{}` | {} |\n",
                f.severity.as_str(),
                f.rule_id,
                cell(&f.title),
                cell(&f.file),
                f.line,
                cell(&f.resource),
                cell(&f.message)
            ));
        }
        out.push('\n');
    }
    if !report.suppressed.is_empty() {
        out.push_str(&format!(
            "<details><summary>{} suppressed finding{}</summary>\n\n",
            report.suppressed.len(),
            if report.suppressed.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
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
                "- `{}` `{}:{}` `{}`: {}\n",
                f.rule_id,
                cell(&f.file),
                f.line,
                cell(&f.resource),
                cell(&why)
            ));
        }
        out.push_str("\n</details>\n\n");
    }
    if !report.errors.is_empty() {
        out.push_str("<details><summary>Input errors</summary>\n\n");
        for e in &report.errors {
            let at = match e.line {
                Some(l) => format!("{}:{l}", e.file),
                None => e.file.clone(),
            };
            out.push_str(&format!("- `{}`: {}\n", cell(&at), cell(&e.message)));
        }
        out.push_str("\n</details>\n");
    }
    out
}

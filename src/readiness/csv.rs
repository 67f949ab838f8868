//! The readiness report as CSV, in the columns of the FTR self-assessment worksheet:
//! requirement id, requirement, status, evidence, remediation. One row per requirement.

use super::Readiness;

pub fn render(r: &Readiness) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows: Vec<[String; 5]> = vec![[
        "requirement id".into(),
        "requirement".into(),
        "status".into(),
        "evidence".into(),
        "remediation".into(),
    ]];
    for row in &r.rows {
        rows.push([
            row.id.clone(),
            row.requirement.clone(),
            row.status.label().to_string(),
            row.evidence(r.profile).join("\n"),
            row.remediation.join("\n"),
        ]);
    }
    for rec in &rows {
        // Writing to memory cannot fail; a record that could is skipped, not a panic.
        let _ = w.write_record(rec.iter().map(|c| neutralise(c)));
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) starts with
/// a `'` instead: evidence quotes code and must not run in the reviewer's spreadsheet.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_not_formulas() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("main.tf:3"), "main.tf:3");
    }
}

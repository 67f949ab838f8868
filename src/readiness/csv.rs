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
            fit(&row.evidence(r.profile)),
            fit(&row.remediation),
        ]);
    }
    for rec in &rows {
        // Writing to memory cannot fail; a record that could is skipped, not a panic.
        let _ = w.write_record(rec.iter().map(|c| crate::report::csv::neutralise(c)));
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// Spreadsheets hold at most 32,767 characters in a cell (Excel, LibreOffice): the lines that
/// fit, each at most `LINE` characters, then how many were left out.
const CELL: usize = 30_000;
const LINE: usize = 2_000;

fn fit(lines: &[String]) -> String {
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let line: String = if line.chars().count() > LINE {
            let cut: String = line.chars().take(LINE).collect();
            format!("{cut}…")
        } else {
            line.clone()
        };
        if out.len() + line.len() + 1 > CELL {
            let more = lines.len() - n;
            out.push_str(&format!(
                "… {more} more line{} (the HTML and Markdown reports list every one)",
                if more == 1 { "" } else { "s" }
            ));
            return out;
        }
        out.push_str(&line);
        if n + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fit, CELL};
    use crate::report::csv::neutralise;

    #[test]
    fn formulas_are_not_formulas() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("main.tf:3"), "main.tf:3");
    }

    #[test]
    fn cells_fit_a_spreadsheet() {
        let lines: Vec<String> = (0..1000)
            .map(|i| format!("{i:04} {}", "x".repeat(95)))
            .collect();
        let cell = fit(&lines);
        assert!(cell.len() <= CELL + 100, "{}", cell.len());
        assert!(cell.starts_with("0000 "));
        assert!(
            cell.ends_with("… 703 more lines (the HTML and Markdown reports list every one)"),
            "{}",
            &cell[cell.len() - 80..]
        );
        assert_eq!(fit(&["a".to_string(), "b".to_string()]), "a\nb");
        let long = fit(&["y".repeat(5000)]);
        assert_eq!(long.chars().count(), 2001);
    }
}

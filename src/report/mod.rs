//! Report formats. A format reads a [`crate::scan::Report`]; it never knows a rule.
pub mod concise;
pub mod csv;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

/// Every output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with the source line underlined (default).
    Human,
    /// One line per finding: `file:line:col: ID [severity] message`.
    Concise,
    /// The full report, stable keys (documented in the README).
    Json,
    /// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, GitLab).
    Sarif,
    /// JUnit XML for CI test reports.
    Junit,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
    /// A pull-request comment summary.
    Markdown,
    /// One row per finding.
    Csv,
}

impl Format {
    /// Machine formats never carry colour or progress output.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human | Format::Concise)
    }
}

/// Renders `report` in `format` (`color`: for the human format only).
pub fn render(report: &crate::scan::Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
        Format::Csv => csv::render(report),
    }
}

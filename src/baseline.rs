//! Baselines: record today's findings by fingerprint (`ftrlint baseline create`), then report
//! only new ones (`scan --baseline FILE`). Fingerprints are rule, file, resource and
//! occurrence, never line numbers, so unrelated edits above a finding do not make it "new".

use crate::scan::{Finding, Report};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The file format (`.ftrlint-baseline.json`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding; everything but the fingerprint is there for the reader.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    pub file: String,
    pub resource: String,
    #[serde(default)]
    pub message: String,
}

/// What a baseline did to a scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Findings hidden because the baseline has them.
    pub known: usize,
    /// Baseline entries no longer found: fixed since the baseline was made.
    pub fixed: usize,
}

impl Baseline {
    pub fn from_report(report: &Report) -> Self {
        Baseline {
            version: 1,
            findings: report
                .findings
                .iter()
                .map(|f| Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule_id: f.rule_id.to_string(),
                    file: f.file.clone(),
                    resource: f.resource.clone(),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let text = crate::input::read_text(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not an ftrlint baseline: {e}", path.display()))?;
        if b.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (expected 1)",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    /// Hides the findings the baseline knows; counts the entries that are fixed.
    pub fn apply(&self, report: &mut Report) -> Applied {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let present: BTreeSet<String> = report
            .findings
            .iter()
            .chain(&report.suppressed)
            .map(|f| f.fingerprint.clone())
            .collect();
        let before = report.findings.len();
        report
            .findings
            .retain(|f: &Finding| !known.contains(f.fingerprint.as_str()));
        let applied = Applied {
            known: before - report.findings.len(),
            fixed: known.iter().filter(|k| !present.contains(**k)).count(),
        };
        report.recount();
        report.summary.baseline = Some(applied);
        applied
    }
}

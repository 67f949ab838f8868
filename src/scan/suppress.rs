//! Suppressions: accepted findings, written in the code with a reason, reported as suppressed
//! (never dropped) and left out of the exit code.
//!
//! - Terraform and YAML comments (`#`, `//`) on the finding's line, the line above it, the
//!   resource's header line or the comment lines just above the header:
//!   `# ftrlint:ignore FTR-S3-006[,FTR-…] [until=2027-01-31] reason…`;
//! - CloudFormation resource `Metadata: { ftrlint: { ignore: [ {id, reason, until} ] } }`;
//! - the suppressions users already have for equivalent checks of other tools
//!   (`policies/equivalents/other-tools.toml`): `#checkov:skip=CKV_AWS_19:reason` (anywhere in
//!   the resource block, as Checkov reads it), `#tfsec:ignore:<id>[:exp:YYYY-MM-DD]`,
//!   `#trivy:ignore:<AVD id>`, `Metadata.cfn_nag.rules_to_suppress: [{id, reason}]` and
//!   `Metadata.cfn-lint.config.ignore_checks`.
//!
//! A suppression without a reason still applies, with a warning (note); one whose `until` date
//! has passed no longer applies and says so.

use crate::source::SourceFile;
use crate::value::Value;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Where a finding was suppressed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suppression {
    /// `ftrlint`, `checkov`, `tfsec`, `trivy`, `cfn_nag`, `cfn-lint`.
    pub by: &'static str,
    /// The ID as written (`FTR-S3-006`, `CKV_AWS_19`, …).
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Expiry date (`YYYY-MM-DD`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The line of the comment, or of the resource for Metadata.
    pub line: u32,
}

/// The outcome of looking for a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    None,
    Active(Suppression),
    /// Found, but its `until` date has passed: the finding is reported.
    Expired(Suppression),
}

#[derive(Deserialize, Default)]
struct Equivalents {
    #[serde(default)]
    checkov: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    tfsec: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    trivy: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    cfn_nag: BTreeMap<String, Vec<String>>,
    #[serde(default, rename = "cfn-lint")]
    cfn_lint: BTreeMap<String, Vec<String>>,
}

fn equivalents() -> &'static Equivalents {
    static CELL: OnceLock<Equivalents> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../../policies/equivalents/other-tools.toml"))
            .unwrap_or_default()
    })
}

/// Whether the other tool's `id` is equivalent to `rule`.
fn maps_to(table: &BTreeMap<String, Vec<String>>, id: &str, rule: &str) -> bool {
    table
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(id) && v.iter().any(|r| r == rule))
}

/// Today as `YYYY-MM-DD` (UTC), from the system clock (`FTRLINT_TODAY` overrides it).
pub fn today() -> String {
    if let Ok(t) = std::env::var("FTRLINT_TODAY") {
        return t;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 → (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The comment part of a line (after `#` or `//`), if any. Good enough for suppressions: a
/// `#` inside a string would at worst make a line that mentions `ftrlint:ignore` in a string
/// count as a suppression.
fn comment(line: &str) -> Option<&str> {
    let hash = line.find('#');
    let slashes = line.find("//");
    let at = match (hash, slashes) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return None,
    };
    Some(line[at..].trim_start_matches(['#', '/']).trim())
}

/// Parses the comment of one line for a suppression of `rule`.
fn from_comment(text: &str, rule: &str, line: u32) -> Option<Suppression> {
    let c = comment(text)?;
    let eq = equivalents();
    if let Some(rest) = c.strip_prefix("ftrlint:ignore") {
        let rest = rest.trim_start_matches([':', ' ']);
        let (ids, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let id = ids
            .split(',')
            .find(|i| i.trim().eq_ignore_ascii_case(rule))?
            .trim()
            .to_string();
        let mut until = None;
        let mut words = Vec::new();
        for w in tail.split_whitespace() {
            match w.strip_prefix("until=") {
                Some(d) if until.is_none() => until = Some(d.to_string()),
                _ => words.push(w),
            }
        }
        let reason = words.join(" ");
        return Some(Suppression {
            by: "ftrlint",
            id,
            reason: (!reason.is_empty()).then_some(reason),
            until,
            line,
        });
    }
    // `checkov:skip=CKV_AWS_19:reason`
    if let Some(rest) = c.strip_prefix("checkov:skip=") {
        let (id, reason) = rest.split_once(':').unwrap_or((rest, ""));
        let id = id.trim();
        if maps_to(&eq.checkov, id, rule) {
            let reason = reason.trim();
            return Some(Suppression {
                by: "checkov",
                id: id.to_string(),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                until: None,
                line,
            });
        }
        return None;
    }
    // `tfsec:ignore:aws-s3-enable-bucket-encryption[:exp:2025-01-02]`, `trivy:ignore:AVD-…`
    for (by, prefix, table) in [
        ("tfsec", "tfsec:ignore:", &eq.tfsec),
        ("trivy", "trivy:ignore:", &eq.trivy),
    ] {
        if !c.starts_with(prefix) {
            continue;
        }
        // Several ignores may share one comment (`tfsec:ignore:a tfsec:ignore:b`); the other
        // words are the reason.
        let mut hit = None;
        let mut words = Vec::new();
        for w in c.split_whitespace() {
            match w.trim_start_matches(['#', '/']).strip_prefix(prefix) {
                Some(spec) => {
                    let (id, until) = match spec.split_once(":exp:") {
                        Some((i, d)) => (i, Some(d.to_string())),
                        None => (spec, None),
                    };
                    if hit.is_none() && maps_to(table, id, rule) {
                        hit = Some((id.to_string(), until));
                    }
                }
                None => words.push(w),
            }
        }
        if let Some((id, until)) = hit {
            let reason = words.join(" ");
            return Some(Suppression {
                by,
                id,
                reason: (!reason.is_empty()).then_some(reason),
                until,
                line,
            });
        }
    }
    None
}

/// Lines longer than this are not searched for suppression comments.
const MAX_COMMENT_LINE: usize = 4096;

/// Where a finding is: its line, and its resource's header and last line (1-based).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub line: u32,
    pub header_line: u32,
    pub block_end_line: u32,
}

/// Looks for a suppression of `rule` for a finding at `place` of `file`, in comments and in
/// CloudFormation `metadata`.
pub fn lookup(
    rule: &str,
    file: &SourceFile,
    place: Place,
    metadata: Option<&Value>,
    today: &str,
) -> Lookup {
    let found = find(rule, file, place, metadata);
    match found {
        None => Lookup::None,
        Some(s) => match &s.until {
            Some(d) if is_date(d) && d.as_str() < today => Lookup::Expired(s),
            _ => Lookup::Active(s),
        },
    }
}

fn find(
    rule: &str,
    file: &SourceFile,
    place: Place,
    metadata: Option<&Value>,
) -> Option<Suppression> {
    let Place {
        line,
        header_line,
        block_end_line,
    } = place;
    if let Some(s) = metadata.and_then(|m| from_metadata(m, rule, header_line)) {
        return Some(s);
    }
    // JSON has no comments (Terraform JSON syntax uses `"//"` keys, not suppressions): skip the
    // text search, which on a minified file would rescan one huge line per finding.
    if file.path.extension().is_some_and(|e| e == "json") {
        return None;
    }
    let text = |n: u32| -> Option<&str> {
        // A comment line is short; a very long line (generated code) is not searched.
        (n >= 1 && n as usize <= file.line_starts().len())
            .then(|| file.line_text(n))
            .filter(|t| t.len() <= MAX_COMMENT_LINE)
    };
    // The finding's line, the one above, the header and the comment lines above it.
    let mut lines: Vec<u32> = vec![line, line.saturating_sub(1), header_line];
    let mut n = header_line.saturating_sub(1);
    while n >= 1 {
        match text(n) {
            Some(t) if t.trim_start().starts_with('#') || t.trim_start().starts_with("//") => {
                lines.push(n);
                n -= 1;
            }
            _ => break,
        }
    }
    // Checkov reads its skips anywhere in the resource block.
    let last = block_end_line.max(line);
    let block: Vec<u32> = if last >= header_line && last - header_line <= 2000 {
        (header_line..=last).collect()
    } else {
        Vec::new()
    };
    for n in lines {
        if let Some(s) = text(n).and_then(|t| from_comment(t, rule, n)) {
            return Some(s);
        }
    }
    block.into_iter().find_map(|n| {
        text(n)
            .and_then(|t| from_comment(t, rule, n))
            .filter(|s| s.by == "checkov")
    })
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `Metadata.ftrlint.ignore`, `Metadata.cfn_nag.rules_to_suppress`,
/// `Metadata.cfn-lint.config.ignore_checks`.
fn from_metadata(m: &Value, rule: &str, line: u32) -> Option<Suppression> {
    let eq = equivalents();
    if let Some(list) = m.path(&["ftrlint", "ignore"]) {
        for item in list.one_or_many() {
            let (id, reason, until) = match item.as_str() {
                Some(id) => (id.to_string(), None, None),
                None => (
                    str_of(item, "id").unwrap_or_default(),
                    str_of(item, "reason"),
                    str_of(item, "until"),
                ),
            };
            if id.eq_ignore_ascii_case(rule) {
                return Some(Suppression {
                    by: "ftrlint",
                    id,
                    reason,
                    until,
                    line,
                });
            }
        }
    }
    if let Some(list) = m.path(&["cfn_nag", "rules_to_suppress"]) {
        for item in list.one_or_many() {
            let id = str_of(item, "id").unwrap_or_default();
            if maps_to(&eq.cfn_nag, &id, rule) {
                return Some(Suppression {
                    by: "cfn_nag",
                    id,
                    reason: str_of(item, "reason"),
                    until: None,
                    line,
                });
            }
        }
    }
    if let Some(list) = m.path(&["cfn-lint", "config", "ignore_checks"]) {
        for item in list.one_or_many() {
            let id = item.as_str().unwrap_or_default().to_string();
            if maps_to(&eq.cfn_lint, &id, rule) {
                return Some(Suppression {
                    by: "cfn-lint",
                    id,
                    reason: None,
                    until: None,
                    line,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments() {
        let s = from_comment(
            "  acl = \"private\" # ftrlint:ignore FTR-S3-006,FTR-S3-007 until=2027-01-31 logs only",
            "FTR-S3-007",
            3,
        );
        assert_eq!(
            s,
            Some(Suppression {
                by: "ftrlint",
                id: "FTR-S3-007".into(),
                reason: Some("logs only".into()),
                until: Some("2027-01-31".into()),
                line: 3
            })
        );
        assert_eq!(
            from_comment("# ftrlint:ignore FTR-S3-006 x", "FTR-S3-007", 1),
            None
        );
        assert!(
            from_comment("// ftrlint:ignore FTR-CT-002", "FTR-CT-002", 1)
                .is_some_and(|s| s.reason.is_none())
        );
        assert!(from_comment(
            "#checkov:skip=CKV_AWS_19:encrypted by the org SCP",
            "FTR-S3-004",
            1
        )
        .is_some_and(|s| s.by == "checkov" && s.reason.is_some()));
        // Not equivalent: no suppression.
        assert_eq!(
            from_comment("#checkov:skip=CKV_AWS_19", "FTR-CT-002", 1),
            None
        );
        assert!(from_comment(
            "#tfsec:ignore:aws-s3-enable-bucket-encryption:exp:2020-01-01",
            "FTR-S3-004",
            1
        )
        .is_some_and(|s| s.until.as_deref() == Some("2020-01-01")));
        assert!(from_comment("# trivy:ignore:AVD-AWS-0088", "FTR-S3-004", 1).is_some());
        // Several tfsec ignores in one comment: each applies, none is the reason.
        let line = "#tfsec:ignore:aws-dynamodb-enable-recovery tfsec:ignore:aws-dynamodb-table-customer-key";
        for rule in ["FTR-BAK-002", "FTR-ENC-009"] {
            let s = from_comment(line, rule, 1);
            assert!(
                s.as_ref().is_some_and(|s| s.reason.is_none()),
                "{rule}: {s:?}"
            );
        }
        assert!(from_comment(
            "#tfsec:ignore:aws-s3-enable-versioning #tfsec:ignore:aws-s3-enable-bucket-logging archive only",
            "FTR-S3-007",
            1
        )
        .is_some_and(|s| s.reason.as_deref() == Some("archive only")));
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert!(is_date("2027-01-31"));
        assert!(!is_date("2027-1-31"));
    }
}

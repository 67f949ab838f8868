//! Running cfn-guard on documents, and reading its structured report back.
//!
//! cfn-guard 3 keeps its evaluator private: the public entry points are `run_checks` (parses the
//! rules again for every document) and the `validate` command. The command in payload mode
//! (`{"rules": [...], "data": [...]}`, structured JSON output) parses each rules text once and
//! evaluates it on every data document of the payload, so a batch of documents costs one parse.
//! The scan builds documents as it goes and evaluates them in batches (see `super::run`).

use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
use cfn_guard::commands::Executable;
use cfn_guard::utils::reader::{ReadBuffer, Reader};
use cfn_guard::utils::writer::{WriteBuffer, Writer};
use cfn_guard::{CommandBuilder, ValidateBuilder};
use serde_json::Value as Json;

/// What Guard said about one document.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct DocReport {
    /// Failing rules with the checks that failed.
    pub failed: Vec<RuleFailure>,
    /// Rules that passed.
    pub compliant: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RuleFailure {
    pub rule: String,
    pub checks: Vec<FailedCheck>,
}

/// One failed check: where (a Guard path), whether the property after it is missing, and its
/// messages.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FailedCheck {
    pub path: Option<String>,
    /// The query part that could not be found (`Tags[*]`), when the check failed on a missing
    /// property.
    pub missing: Option<String>,
    pub custom_message: Option<String>,
    /// The clause as cfn-guard prints it (`Properties.Tags EXISTS`).
    pub context: String,
}

impl FailedCheck {
    /// A failure cfn-guard gave no check for.
    pub const EMPTY: FailedCheck = FailedCheck {
        path: None,
        missing: None,
        custom_message: None,
        context: String::new(),
    };
}

/// Evaluates `rules` (the texts of policy files, none repeating a rule name of another) on
/// `docs`; one report per document, in order. cfn-guard panicking is an error.
pub(super) fn evaluate(rules: &[&str], docs: &[&str]) -> Result<Vec<DocReport>, String> {
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let run = || -> Result<Vec<DocReport>, String> {
        let payload = serde_json::json!({ "rules": rules, "data": docs }).to_string();
        let cmd = ValidateBuilder::default()
            .payload(true)
            .structured(true)
            .output_format(OutputFormatType::JSON)
            .show_summary(vec![ShowSummaryType::None])
            .try_build()
            .map_err(|e| e.to_string())?;
        let mut writer =
            Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new()))
                .map_err(|e| e.to_string())?;
        let mut reader = Reader::new(ReadBuffer::Cursor(std::io::Cursor::new(
            payload.into_bytes(),
        )));
        cmd.execute(&mut writer, &mut reader)
            .map_err(|e| e.to_string())?;
        let out = writer.into_string().map_err(|e| e.to_string())?;
        let parsed: Json =
            serde_json::from_str(&out).map_err(|e| format!("unexpected cfn-guard output: {e}"))?;
        let records = parsed
            .as_array()
            .ok_or_else(|| "unexpected cfn-guard output: not a list".to_string())?;
        if records.len() != docs.len() {
            return Err(format!(
                "unexpected cfn-guard output: {} reports for {} documents",
                records.len(),
                docs.len()
            ));
        }
        Ok(records.iter().map(doc_report).collect())
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => Err("cfn-guard failed on this input (it panicked)".into()),
    }
}

fn doc_report(record: &Json) -> DocReport {
    let mut report = DocReport::default();
    if let Some(names) = record.get("compliant").and_then(Json::as_array) {
        report.compliant = names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
    }
    for item in record
        .get("not_compliant")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (rule, body) = match item.get("Rule") {
            Some(r) => (
                r.get("name")
                    .and_then(Json::as_str)
                    .unwrap_or("default")
                    .to_string(),
                r.get("checks").unwrap_or(&Json::Null),
            ),
            // A clause outside any named rule.
            None => ("default".to_string(), item),
        };
        let mut checks = Vec::new();
        collect(body, &mut checks, 0);
        report.failed.push(RuleFailure { rule, checks });
    }
    report
}

fn text(v: Option<&Json>) -> Option<String> {
    v.and_then(Json::as_str)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

/// The failed checks below a report node, in report order.
fn collect(v: &Json, out: &mut Vec<FailedCheck>, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Json::Array(items) => items.iter().for_each(|i| collect(i, out, depth + 1)),
        Json::Object(m) => {
            if let Some(r) = m.get("Rule") {
                collect(r.get("checks").unwrap_or(&Json::Null), out, depth + 1);
            } else if let Some(d) = m.get("Disjunctions") {
                collect(d.get("checks").unwrap_or(&Json::Null), out, depth + 1);
            } else if let Some(b) = m.get("Block") {
                let unresolved = b.get("unresolved");
                out.push(FailedCheck {
                    path: text(unresolved.and_then(|u| u.pointer("/traversed_to/path"))),
                    missing: text(unresolved.and_then(|u| u.get("remaining_query"))),
                    custom_message: text(b.pointer("/messages/custom_message")),
                    context: text(b.get("context")).unwrap_or_default(),
                });
            } else if let Some(c) = m.get("Clause") {
                let Some(report) = c.get("Unary").or_else(|| c.get("Binary")) else {
                    return;
                };
                let check = report.get("check").unwrap_or(&Json::Null);
                let (path, missing) = if let Some(u) = check.get("UnResolved") {
                    (
                        text(u.pointer("/value/traversed_to/path")),
                        text(u.pointer("/value/remaining_query")),
                    )
                } else if let Some(r) = check.get("Resolved").or_else(|| check.get("InResolved")) {
                    (
                        text(r.pointer("/from/path")).or_else(|| text(r.pointer("/value/path"))),
                        None,
                    )
                } else {
                    (None, None)
                };
                out.push(FailedCheck {
                    path,
                    missing,
                    custom_message: text(report.pointer("/messages/custom_message")),
                    context: text(report.get("context")).unwrap_or_default(),
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
rule bucket_tags {
    Resources.*[ Type == 'AWS::S3::Bucket' ] {
        Properties.Tags exists <<Buckets need tags>>
    }
}
rule sizes {
    Resources.*[ Type == 'AWS::EC2::Instance' ] {
        Properties.InstanceType in ['t3.micro'] <<instance type not allowed>>
    }
}
"#;

    #[test]
    fn one_batch_many_documents() {
        let a = r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{}},"I":{"Type":"AWS::EC2::Instance","Properties":{"InstanceType":"m5.large"}}}}"#;
        let b = r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"Tags":[]}}}}"#;
        let reports = evaluate(&[RULES], &[a, b]).expect("evaluated");
        assert_eq!(reports.len(), 2);
        assert_eq!(
            reports[0].failed,
            vec![
                RuleFailure {
                    rule: "bucket_tags".into(),
                    checks: vec![FailedCheck {
                        path: Some("/Resources/B/Properties".into()),
                        missing: Some("Tags".into()),
                        custom_message: Some("Buckets need tags".into()),
                        context: "Properties.Tags EXISTS".into(),
                    }],
                },
                RuleFailure {
                    rule: "sizes".into(),
                    checks: vec![FailedCheck {
                        path: Some("/Resources/I/Properties/InstanceType".into()),
                        missing: None,
                        custom_message: Some("instance type not allowed".into()),
                        context: "Properties.InstanceType IN [\"t3.micro\"]".into(),
                    }],
                },
            ]
        );
        assert!(reports[1].failed.is_empty());
        assert_eq!(reports[1].compliant, vec!["bucket_tags".to_string()]);
    }
}

//! `--format junit`: JUnit XML (quick-junit, the serializer of cargo-nextest) for CI systems
//! that show test reports. One test suite per rule that ran; one test case per rule × resource
//! it examined with a finding (a failure carrying `file:line` and the message), plus one passing
//! case per rule without findings, so a clean run still lists what was checked. Input errors are
//! one `errors` suite with an error case per file.

use crate::scan::Report;
use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

pub fn render(report: &Report) -> String {
    let mut out = JReport::new("ftrlint");
    let mut by_rule: BTreeMap<&str, Vec<&crate::scan::Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry(f.rule_id.as_ref()).or_default().push(f);
    }
    for r in &report.rules {
        let mut suite = TestSuite::new(format!("{} {}", r.rule_id, r.title));
        match by_rule.get(r.rule_id.as_ref()) {
            None => {
                let mut case = TestCase::new(
                    format!("{}: no violation", r.rule_id),
                    TestCaseStatus::success(),
                );
                case.set_classname(r.rule_id.as_ref());
                suite.add_test_case(case);
            }
            Some(findings) => {
                for f in findings {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(format!("{}:{}: {}", f.file, f.line, f.message));
                    status.set_type(f.severity.as_str());
                    status.set_description(format!(
                        "{}:{}:{}: {} [{}] {}\nFTR requirement: {}\nFix: {}",
                        f.file,
                        f.line,
                        f.column,
                        f.rule_id,
                        f.severity.as_str(),
                        f.message,
                        f.ftr_requirement,
                        f.remediation
                    ));
                    let mut case = TestCase::new(format!("{} {}", f.resource, f.file), status);
                    case.set_classname(f.rule_id.as_ref());
                    suite.add_test_case(case);
                }
            }
        }
        out.add_test_suite(suite);
    }
    if !report.suppressed.is_empty() {
        let mut suite = TestSuite::new("suppressed findings");
        for f in &report.suppressed {
            let mut status = TestCaseStatus::skipped();
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
            status.set_message(format!("{}:{}: suppressed ({why})", f.file, f.line));
            let mut case = TestCase::new(format!("{} {}", f.resource, f.file), status);
            case.set_classname(f.rule_id.as_ref());
            suite.add_test_case(case);
        }
        out.add_test_suite(suite);
    }
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new("input errors");
        for e in &report.errors {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            let at = match e.line {
                Some(l) => format!("{}:{l}", e.file),
                None => e.file.clone(),
            };
            status.set_message(format!("{at}: {}", e.message));
            let mut case = TestCase::new(at, status);
            case.set_classname("ftrlint.input");
            suite.add_test_case(case);
        }
        out.add_test_suite(suite);
    }
    match out.to_string() {
        Ok(mut s) => {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Err(e) => format!("<!-- cannot serialize the JUnit report: {e} -->\n"),
    }
}

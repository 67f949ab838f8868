//! No rule produces a finding from an unknown value, CloudFormation side: a template in which
//! every property a rule reads comes from a parameter without a default (or an undecided
//! `Fn::If`) gives no finding and no error under either profile, and the rules that examined
//! those resources say `unknown` rather than guessing.

mod common;

/// The rules whose attributes this input makes unknown. Rules added later carry their own
/// unknown-value cases in `fixtures/<ID>/` (passing fixtures whose values come from inputs
/// without defaults; the fixture snapshot shows their `unknown` count), so adding a rule does
/// not change this test.
const RULES: &str =
    "FTR-CT-*,FTR-XA-*,FTR-ENC-001,FTR-ENC-002,FTR-ENC-003,FTR-IAM-001,FTR-IAM-002,FTR-S3-004";

#[test]
fn unknown_parameters_never_produce_findings() {
    for profile in ["partner-hosted", "customer-deployed"] {
        let args = [
            "scan",
            "tests/cases/unknown/cloudformation.yaml",
            "--format",
            "json",
            "--profile",
            profile,
            "--select",
            RULES,
        ];
        let (code, j) = common::run_json(&args.map(String::from));
        assert_eq!(
            j["findings"].as_array().map(Vec::len),
            Some(0),
            "{profile}: {}",
            j["findings"]
        );
        assert_eq!(
            j["errors"].as_array().map(Vec::len),
            Some(0),
            "{profile}: {}",
            j["errors"]
        );
        let unknown: Vec<&str> = j["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter(|r| r["unknown"].as_u64().unwrap_or(0) > 0)
            .filter_map(|r| r["rule_id"].as_str())
            .collect();
        for rule in [
            "FTR-ENC-001",
            "FTR-ENC-002",
            "FTR-ENC-003",
            "FTR-IAM-001",
            "FTR-IAM-002",
            "FTR-S3-004",
        ] {
            assert!(
                unknown.contains(&rule),
                "{profile}: {rule} did not report unknown: {}",
                j["rules"]
            );
        }
        assert_eq!(code, 0);
    }
}

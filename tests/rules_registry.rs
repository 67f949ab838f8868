//! The registry, the metadata in `policies/` and the catalog's IDs cannot drift apart.

use ftrlint::resource::Format;
use ftrlint::rules::{meta, registry};
use std::collections::BTreeSet;

#[test]
fn metadata_parses() {
    assert!(meta::load_errors().is_empty(), "{:#?}", meta::load_errors());
}

#[test]
fn every_rule_has_metadata_and_every_metadata_a_rule() {
    let rules: BTreeSet<&str> = registry().iter().map(|r| r.id()).collect();
    let metas: BTreeSet<&str> = meta::all().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(rules, metas);
    for m in meta::all() {
        assert!(!m.profiles.is_empty(), "{} has no profile", m.id);
        assert!(
            !m.ftr.references.is_empty(),
            "{} has no FTR reference",
            m.id
        );
        // Each format the rule covers has its own remediation and compliant example; a format
        // it does not cover has neither (an empty string).
        let formats = m.formats();
        assert!(!formats.is_empty(), "{} covers no resource type", m.id);
        for (format, fix, example) in [
            (Format::Terraform, &m.docs.fix_terraform, &m.docs.terraform),
            (
                Format::CloudFormation,
                &m.docs.fix_cloudformation,
                &m.docs.cloudformation,
            ),
        ] {
            let covered = formats.contains(&format);
            assert_eq!(
                !fix.trim().is_empty(),
                covered,
                "{}: the {format:?} remediation must be given exactly when the rule covers {format:?} resources",
                m.id
            );
            assert_eq!(
                !example.trim().is_empty(),
                covered,
                "{}: the {format:?} example must be given exactly when the rule covers {format:?} resources",
                m.id
            );
            assert_eq!(m.remediation(format), fix.trim());
        }
    }
}

#[test]
fn ids_exist_in_the_catalog_when_it_is_present() {
    let Ok(catalog) = std::fs::read_to_string("../shared/ftr-catalog.md") else {
        eprintln!("skipped: ../shared/ftr-catalog.md is not here");
        return;
    };
    for r in registry() {
        assert!(
            catalog.contains(&format!("| {} |", r.id())),
            "{} is not in the catalog",
            r.id()
        );
    }
}

//! The registry, the metadata in `policies/` and the catalog's IDs cannot drift apart.

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
        assert!(!m.docs.fix.trim().is_empty(), "{} has no remediation", m.id);
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

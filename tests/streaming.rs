//! Units are checked a batch at a time (`scan::units`, ~256 KiB of source per batch): what a
//! scan reports must not depend on how units fall into batches.

use std::fmt::Write as _;

/// A root module calling `../shared`, padded with a comment so that it fills a batch alone.
fn root() -> String {
    let mut text = String::from(
        "module \"app\" {\n  source      = \"../shared\"\n  db_password = var.db_password\n}\n\nvariable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n",
    );
    for i in 0..6_000 {
        let _ = writeln!(
            text,
            "# padding line {i} so that this root module is a batch of its own"
        );
    }
    text
}

/// A module declaration met through two roots checked in different batches is judged once:
/// the rule outcome counts are those of the declarations, not of the batches.
#[test]
fn a_module_declaration_is_counted_once_across_batches() {
    let d = tempfile::tempdir().expect("tmp");
    for name in ["a", "b"] {
        std::fs::create_dir_all(d.path().join(name)).expect("mkdir");
        std::fs::write(d.path().join(name).join("main.tf"), root()).expect("write");
    }
    std::fs::create_dir_all(d.path().join("shared")).expect("mkdir");
    std::fs::write(
        d.path().join("shared/main.tf"),
        "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n\nvariable \"api_token\" {\n  type = string\n}\n",
    )
    .expect("write");
    let config = ftrlint::Config {
        paths: vec![d.path().to_path_buf()],
        threads: Some(2),
        ..ftrlint::Config::default()
    };
    let report = ftrlint::scan(&config);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let sec005 = report
        .outcomes
        .iter()
        .find(|o| o.rule_id == "FTR-SEC-005")
        .expect("FTR-SEC-005 ran");
    // Passes: `db_password` of the module (once) and of each root; one failure:
    // the module's `api_token`, not sensitive (reported once, not once per root).
    assert_eq!((sec005.pass, sec005.fail, sec005.unknown), (3, 1, 0));
    let found: Vec<(String, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "FTR-SEC-005")
        .map(|f| {
            (
                f.file.rsplit('/').take(2).collect::<Vec<_>>().join("<"),
                f.line,
            )
        })
        .collect();
    assert_eq!(found, vec![("main.tf<shared".to_string(), 6)]);
}

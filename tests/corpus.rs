//! Robustness on real-world code: every file of `../shared/corpus` is scanned or reported as an
//! error, and nothing panics. Skipped when the corpus is not present.

use std::path::Path;

/// Slow in a debug build (about 15 s): runs only with `FTRLINT_SLOW_TESTS=1`, which `.ci/run`
/// sets.
#[test]
fn the_whole_corpus_scans_without_a_panic() {
    if std::env::var_os("FTRLINT_SLOW_TESTS").is_none() {
        eprintln!("skipped: set FTRLINT_SLOW_TESTS=1 to scan ../shared/corpus");
        return;
    }
    let root = Path::new("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    let config = ftrlint::Config {
        paths: vec![root.to_path_buf()],
        ..Default::default()
    };
    let report = ftrlint::scan(&config);
    let internal: Vec<_> = report
        .errors
        .iter()
        .filter(|e| e.message.contains("internal error"))
        .collect();
    assert!(internal.is_empty(), "panics while loading: {internal:#?}");
    // Every Terraform file and every `.template` is accounted for: scanned or an error.
    let mut unaccounted = Vec::new();
    let mut tf_files = 0usize;
    for entry in ignore::WalkBuilder::new(root)
        .hidden(false)
        .build()
        .flatten()
    {
        let p = entry.path();
        let name = p.to_string_lossy();
        if !(name.ends_with(".tf") || name.ends_with(".template")) {
            continue;
        }
        tf_files += 1;
        let shown = p.to_string_lossy().to_string();
        if !report.scanned_files.contains(&shown) && !report.errors.iter().any(|e| e.file == shown)
        {
            unaccounted.push(shown);
        }
    }
    assert!(tf_files > 1000, "corpus looks too small: {tf_files}");
    assert!(
        unaccounted.is_empty(),
        "neither scanned nor reported: {unaccounted:#?}"
    );
    assert!(report.summary.resources > 1000);
    eprintln!(
        "corpus: {} files scanned, {} resources, {} findings, {} errors",
        report.summary.files_scanned,
        report.summary.resources,
        report.summary.findings,
        report.summary.errors
    );
}

//! Entry points for the `cargo fuzz` targets in `fuzz/` (not a stable API): each runs one front
//! end on arbitrary text, the way a scan would, and must neither panic nor hang.

use crate::source::{FileId, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn file(name: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile::new(
        FileId(0),
        PathBuf::from(name),
        name.to_string(),
        Arc::from(text),
    ))
}

/// Parses and evaluates one Terraform file (`main.tf`, or `main.tf.json` when `json`) as a root
/// module, without file access.
pub fn terraform(text: &str, json: bool) {
    let name = if json { "main.tf.json" } else { "main.tf" };
    let files = [file(name, text)];
    let _ = crate::terraform::load_root(
        Path::new("."),
        &files,
        &crate::terraform::TfOptions::default(),
        &crate::terraform::NoFiles,
    );
}

/// Loads one CloudFormation template (`template.yaml`, or `template.json` when `json`).
pub fn cloudformation(text: &str, json: bool) {
    let name = if json {
        "template.json"
    } else {
        "template.yaml"
    };
    let f = file(name, text);
    let _ = crate::cloudformation::load(&f, &crate::cloudformation::CfnOptions::default());
}

/// Parses an IAM policy document given as a JSON string (as in a heredoc or `file()`).
pub fn iam_policy(text: &str) {
    let sources = SourceMap::default();
    let id = sources.add(
        PathBuf::from("policy.json"),
        "policy.json".into(),
        Arc::from(text),
    );
    let v = crate::value::Value::new(
        crate::value::Kind::String(text.into()),
        crate::source::Span::new(id, 0, text.len()),
    );
    if let Some(doc) = crate::iam::document::from_value(&v, &sources) {
        for st in &doc.statements {
            let _ = st.allows_action("s3:GetObject");
            let _ = st.full_admin_action_span();
        }
    }
}

/// Writes `bytes` as `dir/name` and scans that one file with every rule, single-threaded.
pub fn scan_one_file(dir: &Path, name: &str, bytes: &[u8]) -> Option<crate::Report> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).ok()?;
    let config = crate::Config {
        paths: vec![path],
        threads: Some(1),
        ..crate::Config::default()
    };
    Some(crate::scan(&config))
}

//! CDK cloud assemblies: a `cdk.out/` directory (`manifest.json` + `*.template.json`).
//!
//! `cdk.out` is usually git-ignored, so walking a CDK project would skip it; the assembly of a
//! scanned directory (`DIR/cdk.out/manifest.json`, or `DIR/manifest.json` when `DIR` is the
//! assembly) is added explicitly: the stack templates its manifest lists, nested assemblies
//! (CDK stages) and `*.nested.template.json` files. Findings then carry the construct path of
//! the resource (`aws:cdk:path` metadata, see [`super::construct_path`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bound on nested assemblies (stages within stages).
const MAX_ASSEMBLY_DEPTH: usize = 4;

/// The templates of the CDK assemblies of the given scan paths (directories only).
pub fn assembly_templates(paths: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for p in paths {
        let p = crate::paths::normalize(p);
        if !p.is_dir() {
            continue;
        }
        // Nothing outside the scanned directory is read, whatever links the assembly holds.
        let Ok(root) = std::fs::canonicalize(&p) else {
            continue;
        };
        for dir in [p.join("cdk.out"), p.clone()] {
            if inside(&dir.join("manifest.json"), &root) {
                assembly(&dir, &root, 0, &mut out);
            }
        }
    }
    out
}

/// Is `path` a regular file whose real location is below `root` (canonical)?
fn inside(path: &Path, root: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|c| c.starts_with(root) && c.is_file())
}

fn assembly(dir: &Path, root: &Path, depth: usize, out: &mut BTreeSet<PathBuf>) {
    if depth > MAX_ASSEMBLY_DEPTH {
        return;
    }
    let Ok(bytes) =
        crate::input::read_regular(&dir.join("manifest.json"), crate::input::MAX_FILE_SIZE)
    else {
        return;
    };
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return;
    };
    let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.as_object()) else {
        return;
    };
    for artifact in artifacts.values() {
        let props = artifact.get("properties");
        let file = |key: &str| props.and_then(|p| p.get(key)).and_then(|f| f.as_str());
        match artifact.get("type").and_then(|t| t.as_str()) {
            Some("aws:cloudformation:stack") => {
                if let Some(f) = file("templateFile").filter(|f| is_plain(f)) {
                    let path = dir.join(f);
                    if inside(&path, root) {
                        out.insert(path);
                    }
                }
            }
            Some("cdk:cloud-assembly") => {
                if let Some(d) = file("directoryName").filter(|f| is_plain(f)) {
                    assembly(&dir.join(d), root, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    // Nested stacks are assets, not manifest artifacts.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let path = e.path();
            let nested = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".nested.template.json"));
            if nested && inside(&path, root) {
                out.insert(path);
            }
        }
    }
}

/// A file name inside the assembly (no absolute path, no `..`).
fn is_plain(f: &str) -> bool {
    let p = Path::new(f);
    !p.is_absolute()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

//! Step 1: discover the candidate files and read them, in parallel, into the source map.

use crate::cloudformation;
use crate::discover::{self, Discovered};
use crate::resource::Diagnostic;
use crate::source::{FileId, SourceMap};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are reported as errors instead of being parsed.
pub use crate::input::MAX_FILE_SIZE;

/// The discovered files, read.
pub(super) struct ReadFiles {
    pub found: Discovered,
    pub sources: SourceMap,
    pub ids: HashMap<PathBuf, FileId>,
    /// Whether each file could be read as text (unreadable ones have an error and empty text).
    pub readable: BTreeMap<FileId, bool>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Discovers the files of `paths` (and CDK assemblies) and reads every one.
pub(super) fn discover_and_read(
    paths: &[PathBuf],
    exclude: &[(PathBuf, String)],
    cwd: Option<&Path>,
) -> ReadFiles {
    let mut found: Discovered = discover::discover(paths);
    // CDK assemblies (`cdk.out/`, usually git-ignored) of the scanned directories.
    found
        .structured
        .extend(cloudformation::cdk::assembly_templates(paths));
    if !exclude.is_empty() {
        apply_excludes(&mut found, exclude);
    }

    // Every file, in a deterministic order, read in parallel.
    let mut paths: Vec<PathBuf> = found
        .terraform_dirs
        .values()
        .flatten()
        .cloned()
        .chain(found.structured.iter().cloned())
        .collect();
    paths.sort();
    paths.dedup();
    // Read, named for display and made shared in parallel; registered in order.
    let texts: Vec<(String, Result<Arc<str>, String>)> = paths
        .par_iter()
        .map(|p| {
            let display = discover::display_path(p, cwd);
            (display, read_text(p).map(Arc::from))
        })
        .collect();
    let sources = SourceMap::default();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut ids: HashMap<PathBuf, FileId> = HashMap::with_capacity(paths.len());
    let mut readable: BTreeMap<FileId, bool> = BTreeMap::new();
    for (path, (display, text)) in paths.into_iter().zip(texts) {
        let (text, ok) = match text {
            Ok(t) => (t, true),
            Err(msg) => {
                let id = FileId(sources.len() as u32);
                diagnostics.push(Diagnostic::error(id, None, msg));
                (Arc::from(""), false)
            }
        };
        let id = sources.add(path.clone(), display, text);
        ids.insert(path, id);
        readable.insert(id, ok);
    }
    ReadFiles {
        found,
        sources,
        ids,
        readable,
        diagnostics,
    }
}

/// Drops the discovered files that match an exclude pattern (gitignore syntax, relative to
/// its directory: `examples/`, `**/*.test.yaml`). A named file is excluded too: the user asked
/// for the pattern.
fn apply_excludes(found: &mut Discovered, exclude: &[(PathBuf, String)]) {
    let mut matchers = Vec::new();
    for (root, pattern) in exclude {
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        // Patterns are checked by the command line before the scan.
        if b.add_line(None, pattern).is_err() {
            continue;
        }
        if let Ok(m) = b.build() {
            matchers.push((root.clone(), m));
        }
    }
    // Absolute, normalised paths; the current directory is read once, not per file.
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |p: &Path| crate::paths::normalize(&cwd.join(p));
    let matchers: Vec<(PathBuf, ignore::gitignore::Gitignore)> = matchers
        .into_iter()
        .map(|(root, m)| (absolute(&root), m))
        .collect();
    let excluded = |p: &Path| -> bool {
        let abs = absolute(p);
        matchers.iter().any(|(root, m)| {
            abs.starts_with(root) && m.matched_path_or_any_parents(&abs, false).is_ignore()
        })
    };
    for files in found.terraform_dirs.values_mut() {
        files.retain(|f| !excluded(f));
    }
    found.terraform_dirs.retain(|_, files| !files.is_empty());
    found.structured.retain(|f| !excluded(f));
}

/// Reads one file as text; errors say why in words a user understands.
pub(super) fn read_text(path: &Path) -> Result<String, String> {
    crate::input::read_text(path)
}

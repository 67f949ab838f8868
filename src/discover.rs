//! Finding the files to scan: walks directories with the `ignore` crate (ripgrep's walker:
//! `.gitignore` rules, parallel-friendly), keeps explicitly named files, and groups Terraform
//! files into module directories so a single named `.tf` file is still evaluated with its
//! siblings (variables, locals, tfvars).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a candidate file may contain, from its name. Content decides later for YAML/JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    /// `*.tf`, `*.tf.json` (Terraform's JSON syntax)
    Terraform,
    /// `terraform.tfvars`, `*.auto.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars.json`
    TfVars,
    /// `*.yaml`, `*.yml`, `*.json`, `*.template`: CloudFormation if the content says so.
    Structured,
}

pub fn classify(path: &Path) -> Option<Candidate> {
    // Lossy: a name that is not valid UTF-8 is still classified by its (ASCII) extension.
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf") || lower.ends_with(".tf.json") {
        Some(Candidate::Terraform)
    } else if lower == "terraform.tfvars"
        || lower.ends_with(".auto.tfvars")
        || lower == "terraform.tfvars.json"
        || lower.ends_with(".auto.tfvars.json")
    {
        Some(Candidate::TfVars)
    } else if lower.ends_with(".tfvars.json") {
        // A value file for `--var-file` only, like `*.tfvars`: neither Terraform nor a template.
        None
    } else if [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        Some(Candidate::Structured)
    } else {
        None
    }
}

/// Directories never worth entering.
const SKIP_DIRS: &[&str] = &[".git", ".terraform", "node_modules", ".hg", ".svn"];

/// The result of discovery.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Terraform module directories → their `.tf` and tfvars files (sorted).
    pub terraform_dirs: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// YAML/JSON/template files to check for CloudFormation content.
    pub structured: BTreeSet<PathBuf>,
    /// Files whose findings are reported. `None`: every file found.
    pub report_only: Option<BTreeSet<PathBuf>>,
    /// Paths given that do not exist or cannot be read.
    pub missing: Vec<(PathBuf, String)>,
    /// Paths deliberately not read (a symbolic link out of the scanned tree), with why.
    pub refused: Vec<(PathBuf, String)>,
    /// Candidate files excluded by `.gitignore` / `.ignore` rules.
    pub ignored: usize,
    /// Candidate files kept by the last directory walk (to count the ignored ones).
    kept: usize,
}

/// Walks `paths` (directories and files).
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    let mut named_files = BTreeSet::new();
    let mut walked_dirs = Vec::new();
    for p in paths {
        let p = crate::paths::normalize(p);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walked_dirs.push(p),
            Ok(_) => {
                named_files.insert(p);
            }
            Err(e) => out.missing.push((p, e.to_string())),
        }
    }
    // Overlapping directories (`d d/`, `d ./d`, `d d/sub`, a relative and an absolute
    // spelling) would read files twice: walk each directory once, and none inside another.
    let canonical: Vec<Option<PathBuf>> = walked_dirs
        .iter()
        .map(|d| std::fs::canonicalize(d).ok())
        .collect();
    let walked_dirs: Vec<PathBuf> = walked_dirs
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let Some(c) = &canonical[*i] else {
                return true;
            };
            !canonical.iter().enumerate().any(|(j, other)| {
                other.as_ref().is_some_and(|o| {
                    // Inside another directory, or the same one named earlier.
                    (c.starts_with(o) && c != o) || (c == o && j < *i)
                })
            })
        })
        .map(|(_, d)| d.clone())
        .collect();
    for dir in &walked_dirs {
        walk(dir, &mut out);
    }
    // Named files are scanned even when ignored; a named .tf pulls in its module directory.
    for f in &named_files {
        match classify(f) {
            Some(Candidate::Terraform) | Some(Candidate::TfVars) => {
                let dir = parent_dir(f);
                add_terraform_dir(&dir, &mut out);
                let files = out.terraform_dirs.entry(dir).or_default();
                if !files.contains(f) {
                    files.push(f.clone());
                    files.sort();
                }
            }
            Some(Candidate::Structured) => {
                out.structured.insert(f.clone());
            }
            // A file named explicitly but of no known kind: content detection decides.
            None => {
                out.structured.insert(f.clone());
            }
        }
    }
    if walked_dirs.is_empty() && !named_files.is_empty() {
        out.report_only = Some(named_files);
    } else if !named_files.is_empty() {
        // Mixed: report everything under walked directories plus the named files.
        let mut all: BTreeSet<PathBuf> = named_files;
        for files in out.terraform_dirs.values() {
            for f in files {
                if walked_dirs.iter().any(|d| f.starts_with(d)) {
                    all.insert(f.clone());
                }
            }
        }
        all.extend(
            out.structured
                .iter()
                .filter(|f| walked_dirs.iter().any(|d| f.starts_with(d)))
                .cloned(),
        );
        out.report_only = Some(all);
    }
    out
}

fn walk(root: &Path, out: &mut Discovered) {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Ignore files above the scan root count only up to the enclosing git work tree: a stray
    // `.gitignore` in a home directory must not empty the scan.
    let above = AncestorIgnores::new(root, &canonical_root);
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let skipped_dir = is_dir
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n));
            !skipped_dir && !above.ignores(e.path(), is_dir)
        })
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    // The ignored files are counted by a second walk without filters, on another worker
    // while this one walks (both wait on the file system more than on the CPU).
    let (candidates, ()) = rayon::join(
        || count_candidates(root),
        || walk_filtered(walker, root, &canonical_root, out),
    );
    out.ignored += candidates.saturating_sub(out.kept);
    // A directory with only tfvars is not a module.
    out.terraform_dirs.retain(|_, files| {
        files.sort();
        files
            .iter()
            .any(|f| classify(f) == Some(Candidate::Terraform))
    });
}

/// The walk proper: candidates into `out` (and their count into `out.kept`).
fn walk_filtered(walker: ignore::Walk, root: &Path, canonical_root: &Path, out: &mut Discovered) {
    let mut kept = 0usize;
    let mut links: Vec<PathBuf> = Vec::new();
    let mut regular: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // Name the directory that failed, not the scan root.
                let at = error_path(&e).unwrap_or(root).to_path_buf();
                out.missing.push((at, error_text(&e)));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            if classify(entry.path()).is_some() {
                links.push(entry.into_path());
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let path = entry.into_path();
        if classify(&path).is_some() {
            kept += 1;
            regular.push(path.clone());
        }
        add_candidate(path, out);
    }
    // A symbolic link to a file inside the tree is scanned (once: not when its target is
    // scanned anyway); one leading out of the tree is refused, with a note. The real paths
    // of the regular files are needed only then (a `realpath` each: not for every scan).
    let regular: BTreeSet<PathBuf> = if links.is_empty() {
        BTreeSet::new()
    } else {
        regular
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect()
    };
    for link in links {
        match std::fs::canonicalize(&link) {
            Ok(t) if t.starts_with(canonical_root) && t.is_file() => {
                kept += 1;
                if !regular.contains(&t) {
                    add_candidate(link, out);
                }
            }
            Ok(t) if t.starts_with(canonical_root) => {}
            _ => out.refused.push((
                link,
                "symbolic link to a file outside the scanned directory (or to nothing), not read"
                    .into(),
            )),
        }
    }
    out.kept = kept;
}

fn add_candidate(path: PathBuf, out: &mut Discovered) {
    match classify(&path) {
        Some(Candidate::Terraform) | Some(Candidate::TfVars) => {
            let dir = parent_dir(&path);
            out.terraform_dirs.entry(dir).or_default().push(path);
        }
        Some(Candidate::Structured) => {
            out.structured.insert(path);
        }
        None => {}
    }
}

/// Candidate files below `root` with no ignore rule applied (for the count of ignored files).
fn count_candidates(root: &Path) -> usize {
    ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n)))
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file() || t.is_symlink()))
        .filter(|e| classify(e.path()).is_some())
        .count()
}

/// The path an error of the walker is about.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The error without its path (the path is reported beside it).
fn error_text(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_text(err),
        other => other.to_string(),
    }
}

/// The `.gitignore` / `.ignore` files of the directories above a scan root, from the root's
/// parent up to the enclosing git work tree (none when the root is not in one).
struct AncestorIgnores {
    /// Deepest directory first.
    matchers: Vec<ignore::gitignore::Gitignore>,
    root: PathBuf,
    canonical_root: PathBuf,
}

impl AncestorIgnores {
    fn new(root: &Path, canonical_root: &Path) -> Self {
        let mut dirs: Vec<&Path> = Vec::new();
        let mut in_work_tree = false;
        let mut at = canonical_root.parent();
        if canonical_root.join(".git").exists() {
            // The root is the work tree itself: nothing above applies.
            at = None;
        }
        while let Some(d) = at {
            dirs.push(d);
            if d.join(".git").exists() {
                in_work_tree = true;
                break;
            }
            at = d.parent();
        }
        let matchers = if in_work_tree {
            dirs.iter()
                .filter_map(|d| {
                    let mut b = ignore::gitignore::GitignoreBuilder::new(d);
                    for name in [".gitignore", ".ignore"] {
                        let f = d.join(name);
                        if f.is_file() {
                            let _ = b.add(f);
                        }
                    }
                    b.build().ok().filter(|g| !g.is_empty())
                })
                .collect()
        } else {
            Vec::new()
        };
        AncestorIgnores {
            matchers,
            root: root.to_path_buf(),
            canonical_root: canonical_root.to_path_buf(),
        }
    }

    /// Is `path` (as walked, below the scan root) ignored by a rule above the root?
    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        if self.matchers.is_empty() {
            return false;
        }
        let abs = self
            .canonical_root
            .join(path.strip_prefix(&self.root).unwrap_or(path));
        // (A matcher answers only for paths below its directory.)
        for m in self.matchers.iter().filter(|m| abs.starts_with(m.path())) {
            let hit = m.matched_path_or_any_parents(&abs, is_dir);
            if hit.is_ignore() {
                return true;
            }
            if hit.is_whitelist() {
                return false;
            }
        }
        false
    }
}

/// Adds the sibling Terraform files of a named file's directory (not recursively).
fn add_terraform_dir(dir: &Path, out: &mut Discovered) {
    if out.terraform_dirs.contains_key(dir) {
        return;
    }
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_file()
                && matches!(
                    classify(&p),
                    Some(Candidate::Terraform) | Some(Candidate::TfVars)
                )
            {
                files.push(crate::paths::normalize(&p));
            }
        }
    }
    files.sort();
    out.terraform_dirs.insert(dir.to_path_buf(), files);
}

fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The path shown to users: relative to the current directory when possible.
pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let shown = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let shown = shown.strip_prefix("./").unwrap_or(shown);
    shown.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_terraform_json_syntax() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("a/main.tf"), Some(Candidate::Terraform));
        assert_eq!(c("a/main.tf.json"), Some(Candidate::Terraform));
        assert_eq!(c("a/terraform.tfvars"), Some(Candidate::TfVars));
        assert_eq!(c("a/terraform.tfvars.json"), Some(Candidate::TfVars));
        assert_eq!(c("a/x.auto.tfvars.json"), Some(Candidate::TfVars));
        // Only for --var-file, like `prod.tfvars`.
        assert_eq!(c("a/prod.tfvars.json"), None);
        assert_eq!(c("a/prod.tfvars"), None);
        assert_eq!(c("a/template.json"), Some(Candidate::Structured));
    }
}

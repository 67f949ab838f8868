//! `.ftrlint.toml`: project settings, found by searching upward from the first scanned path to
//! the enclosing git work tree's root (or given with `--config`). Command-line options win over
//! it. Unknown keys are errors (with the file, line and column), so a typo never silently does
//! nothing.
//!
//! ```toml
//! profile = "customer-deployed"
//! fail-on = "high"
//! min-severity = "medium"
//! errors = "warn"
//! select = ["FTR-CT", "FTR-IAM"]
//! ignore = ["FTR-CT-005"]
//! exclude = ["examples/", "**/test-fixtures/**"]
//! baseline = ".ftrlint-baseline.json"
//! policies = ["policies/"]   # Guard files or directories (rules `GUARD:<file>:<rule>`)
//!
//! [severity]            # re-grade rules for this project
//! "FTR-S3-004" = "low"
//! "GUARD:tags:bucket_tags" = "high"
//!
//! [terraform]
//! var-files = ["envs/prod.tfvars"]
//! vars = { environment = "prod" }
//! [terraform.roots."envs/prod"]   # variables of one root module only
//! vars = { account_id = "111122223333" }
//! var-files = ["envs/prod/secrets.tfvars"]
//!
//! [cloudformation]
//! parameters = { Environment = "prod" }
//! parameters-file = "params/prod.json"
//! ```

use crate::rules::meta::Profile;
use crate::severity::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".ftrlint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub profile: Option<Profile>,
    pub fail_on: Option<Severity>,
    pub min_severity: Option<Severity>,
    /// `fail` or `warn`.
    pub errors: Option<ErrorsSetting>,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub baseline: Option<PathBuf>,
    /// Guard policy files or directories of `*.guard` files (relative to this file).
    #[serde(default)]
    pub policies: Vec<PathBuf>,
    /// (Guard rule IDs, `GUARD:...`, are checked once the policies are loaded.)
    /// Rule ID → the severity this project gives it.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub terraform: TerraformSection,
    #[serde(default)]
    pub cloudformation: CloudFormationSection,
    /// The directory of the file: relative paths in it are relative to it.
    #[serde(skip)]
    pub dir: PathBuf,
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorsSetting {
    Fail,
    Warn,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TerraformSection {
    #[serde(default)]
    pub var_files: Vec<PathBuf>,
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Per root module directory (relative to the file): variables for that root only.
    #[serde(default)]
    pub roots: BTreeMap<String, RootSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RootSection {
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Variable files for this root only (relative to the config file).
    #[serde(default)]
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CloudFormationSection {
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub parameters_file: Option<PathBuf>,
}

impl FileConfig {
    /// A path written in the file, relative to the file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            crate::paths::normalize(&self.dir.join(p))
        }
    }
}

/// The nearest `.ftrlint.toml` from `start` upward, stopping at the git work tree root (the
/// directory holding `.git`) or the file system root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut dir = std::fs::canonicalize(if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &start
    })
    .ok()?;
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

/// Reads and checks a config file; errors name the file and the line.
pub fn load(path: &Path) -> Result<FileConfig, String> {
    let text = crate::input::read_text(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut cfg: FileConfig = toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        format!("{}{at}: {}", path.display(), e.message())
    })?;
    cfg.path = path.to_path_buf();
    cfg.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let unknown: Vec<&String> = cfg
        .severity
        .keys()
        .filter(|id| crate::rules::meta::get(id).is_none() && !id.starts_with("GUARD:"))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "{}: [severity] names unknown rule{} {}",
            path.display(),
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let d = tempfile::tempdir().expect("tempdir");
        let p = d.path().join(FILE_NAME);
        std::fs::write(&p, "profile = \"partner-hosted\"\nfail_on = \"high\"\n").expect("write");
        let e = load(&p).expect_err("unknown key");
        assert!(e.contains(":2:"), "{e}");
        std::fs::write(&p, "[severity]\n\"FTR-NOPE-1\" = \"low\"\n").expect("write");
        assert!(load(&p).expect_err("unknown rule").contains("FTR-NOPE-1"));
        std::fs::write(
            &p,
            "fail-on = \"high\"\nexclude = [\"examples/\"]\n[terraform]\nvar-files = [\"a.tfvars\"]\n",
        )
        .expect("write");
        let c = load(&p).expect("valid");
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.resolve(Path::new("a.tfvars")), d.path().join("a.tfvars"));
    }

    #[test]
    fn found_upward_until_the_git_root() {
        let d = tempfile::tempdir().expect("tempdir");
        let root = d.path().join("repo");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::create_dir_all(root.join("infra/prod")).expect("mkdir");
        assert_eq!(find(&root.join("infra/prod")), None);
        std::fs::write(root.join(FILE_NAME), "").expect("write");
        let found = find(&root.join("infra/prod")).expect("found");
        assert!(found.ends_with("repo/.ftrlint.toml"));
        // Not above the git work tree.
        std::fs::write(d.path().join(FILE_NAME), "").expect("write");
        std::fs::remove_file(root.join(FILE_NAME)).expect("rm");
        assert_eq!(find(&root.join("infra")), None);
    }
}

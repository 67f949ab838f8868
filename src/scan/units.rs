//! Steps 2 and 3: group files into units (Terraform root modules, CloudFormation templates,
//! plans) and load them in parallel, then join nested stacks and plans.

use super::check::Checked;
use super::read::{read_text, ReadFiles};
use super::Config;
use crate::cloudformation;
use crate::discover;
use crate::resource::{Diagnostic, LoadOutput};
use crate::source::{FileId, SourceFile, SourceMap};
use crate::terraform;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub(super) enum Unit {
    Terraform {
        dir: PathBuf,
        files: Vec<FileId>,
        /// The files of the scanned module directories this root calls, directly or through
        /// other modules: their memoised parse trees are released when the last root calling
        /// them has loaded.
        modules: Vec<(PathBuf, Vec<FileId>)>,
    },
    Structured(FileId),
}

/// The units to load: Terraform root modules, then structured files.
pub(super) fn plan_units(read: &ReadFiles) -> Vec<Unit> {
    let found = &read.found;
    let ids = &read.ids;
    let readable = &read.readable;
    let sources = &read.sources;
    // Terraform roots: a directory called as a module by another directory of the scan is
    // loaded through its callers, not on its own (see the README, "Root modules").
    let tf_files = |dir: &PathBuf| -> Vec<FileId> {
        found
            .terraform_dirs
            .get(dir)
            .map_or_else(Vec::new, |files| {
                files
                    .iter()
                    .filter_map(|f| ids.get(f).copied())
                    .filter(|id| readable.get(id).copied().unwrap_or(false))
                    .collect()
            })
    };
    let dirs: Vec<&PathBuf> = found.terraform_dirs.keys().collect();
    // Walked paths may start with `./`; calls are compared lexically normalised.
    let by_norm: BTreeMap<PathBuf, &PathBuf> = dirs
        .iter()
        .map(|d| (crate::paths::normalize(d), *d))
        .collect();
    let calls: Vec<Vec<PathBuf>> = dirs
        .par_iter()
        .map(|dir| {
            let files: Vec<Arc<SourceFile>> = tf_files(dir)
                .iter()
                .filter_map(|id| sources.get(*id).cloned())
                .collect();
            terraform::module_sources(&files)
                .into_iter()
                .filter(|s| terraform::is_local_source(s))
                .filter_map(|s| by_norm.get(&crate::paths::normalize(&dir.join(s))))
                .filter(|t| ***t != **dir)
                .map(|t| (*t).clone())
                .collect()
        })
        .collect();
    let roots = root_dirs(&dirs, &calls);
    let index: HashMap<&PathBuf, usize> = dirs.iter().enumerate().map(|(i, d)| (*d, i)).collect();

    let mut units: Vec<Unit> = Vec::new();
    for dir in &roots {
        let files = tf_files(dir);
        if !files.is_empty() {
            let modules = index
                .get(dir)
                .map(|&i| called_dirs(i, &dirs, &calls, &index))
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let files = tf_files(d);
                    (d.clone(), files)
                })
                .collect();
            units.push(Unit::Terraform {
                dir: dir.clone(),
                files,
                modules,
            });
        }
    }
    for f in &found.structured {
        if let Some(&id) = ids.get(f) {
            if readable.get(&id).copied().unwrap_or(false) {
                units.push(Unit::Structured(id));
            }
        }
    }
    units
}

/// Everything loaded and checked.
pub(super) struct Loaded {
    pub checked: Checked,
    pub sources: SourceMap,
    /// Files read as Terraform or CloudFormation (or tried and failed).
    pub scanned: BTreeSet<FileId>,
}

/// Source bytes of the units checked together in one batch: small enough that the evaluated
/// trees of the batches in flight stay a few megabytes, large enough that the per-batch work
/// (the model's indexes, a pass of every rule) is spread over many resources.
const BATCH_BYTES: usize = 256 * 1024;
/// With Guard policies, whose rules are parsed again for every batch of documents.
const GUARD_BATCH_BYTES: usize = 2 * 1024 * 1024;

/// Loads and checks the units, in parallel, a batch at a time.
///
/// Most units are independent and are streamed: loaded, checked, and their trees dropped.
/// Two joins span units and are loaded together first: CloudFormation nested stacks (a parent
/// passes parameters to templates that are also units of their own) and Terraform plans (a
/// plan's resources are placed at the `.tf` blocks of the scan).
pub(super) fn load_and_check(
    units: Vec<Unit>,
    (sources, ids, readable): (SourceMap, HashMap<PathBuf, FileId>, BTreeMap<FileId, bool>),
    config: &Config,
    cwd: Option<PathBuf>,
    check: &(dyn Fn(LoadOutput, &SourceMap) -> Checked + Sync),
) -> Loaded {
    let shared = SharedSources::new(sources, ids, &config.paths, cwd);
    // How many roots still to load call each module directory.
    let mut callers: HashMap<PathBuf, usize> = HashMap::new();
    for unit in &units {
        if let Unit::Terraform { modules, .. } = unit {
            for (dir, _) in modules {
                *callers.entry(dir.clone()).or_insert(0) += 1;
            }
        }
    }
    let callers = Mutex::new(callers);
    let text_of = |id: FileId| shared.map.get(id).map(|f| f.text.clone());
    let is_plan = |u: &Unit| match u {
        Unit::Structured(id) => text_of(*id).is_some_and(|t| terraform::plan::looks_like_plan(&t)),
        Unit::Terraform { .. } => false,
    };
    let may_nest = |u: &Unit| match u {
        Unit::Structured(id) => text_of(*id).is_some_and(|t| cloudformation::may_nest(&t)),
        Unit::Terraform { .. } => false,
    };
    let load = |unit: &Unit| -> (LoadOutput, Vec<FileId>, bool) {
        let out = load_unit(unit, &shared, config);
        if let Unit::Terraform { files, modules, .. } = unit {
            release_modules(modules, &callers, &shared);
            // A root's own parse trees: no other unit reads a root directory.
            for id in files {
                if let Some(f) = shared.map.get(*id) {
                    f.forget();
                }
            }
        }
        out
    };

    let limit = if config.policies.is_some() {
        GUARD_BATCH_BYTES
    } else {
        BATCH_BYTES
    };
    let size = |id: &FileId| shared.map.get(*id).map_or(0, |f| f.text.len());
    let mut scanned: BTreeSet<FileId> = BTreeSet::new();
    let mut checked = Checked::default();
    // Nested stacks: the templates that may include others, then the templates they include.
    // (Each template's text is searched once, here.)
    let (parents, mut units): (Vec<Unit>, Vec<Unit>) =
        units.into_iter().partition(|u| may_nest(u) && !is_plan(u));
    if !parents.is_empty() {
        let rest = std::mem::take(&mut units);
        let templates =
            cloudformation::Templates::new(rest.iter().chain(&parents).filter_map(|u| match u {
                Unit::Structured(id) => shared.map.get(*id).map(|f| &**f),
                Unit::Terraform { .. } => None,
            }));
        let mut outputs: Vec<(LoadOutput, Vec<FileId>)> = parents
            .par_iter()
            .map(|u| {
                let (o, f, _) = load(u);
                (o, f)
            })
            .collect();
        let children = cloudformation::children_of(&outputs, &shared.map, &templates);
        let (children, rest): (Vec<Unit>, Vec<Unit>) = rest
            .into_iter()
            .partition(|u| matches!(u, Unit::Structured(id) if children.contains(id)));
        outputs.par_extend(children.par_iter().map(|u| {
            let (o, f, _) = load(u);
            (o, f)
        }));
        let linked = cloudformation::link_nested_stacks(
            outputs,
            &shared.map,
            &templates,
            &config.cloudformation,
        );
        // Each linked output is self-contained (a root template with its nested stacks):
        // checked in batches, side by side.
        let sized = linked.into_iter().map(|(out, files)| {
            let n: usize = files.iter().map(size).sum();
            scanned.extend(files);
            (out, n)
        });
        let results: Vec<Checked> = pack(sized, limit, |group, out| group.merge(out))
            .into_par_iter()
            .map(|group| check(group, &shared.map))
            .collect();
        results.into_iter().for_each(|c| checked.append(c));
        units = rest;
    }

    // Plans: with the Terraform roots they describe.
    if units.iter().any(is_plan) {
        let (joined, rest): (Vec<Unit>, Vec<Unit>) = units
            .into_iter()
            .partition(|u| matches!(u, Unit::Terraform { .. }) || is_plan(u));
        let outputs: Vec<(LoadOutput, Vec<FileId>, bool)> = joined.par_iter().map(load).collect();
        let mut group = LoadOutput::default();
        let mut plans: Vec<LoadOutput> = Vec::new();
        for (out, files, plan) in outputs {
            scanned.extend(files);
            if plan {
                plans.push(out);
            } else {
                group.merge(out);
            }
        }
        for mut plan in plans {
            terraform::plan::remap(&mut plan.resources, &group.resources, &shared.map);
            group.merge(plan);
        }
        checked.append(check(group, &shared.map));
        units = rest;
    }

    // Everything else: streamed, a batch at a time.
    let sized = units.into_iter().map(|unit| {
        let n = match &unit {
            Unit::Terraform { files, modules, .. } => {
                files.iter().map(size).sum::<usize>()
                    + modules
                        .iter()
                        .flat_map(|(_, f)| f.iter().map(size))
                        .sum::<usize>()
            }
            Unit::Structured(id) => size(id),
        };
        (vec![unit], n)
    });
    let batches: Vec<Vec<Unit>> = pack(sized, limit, |batch, mut more| batch.append(&mut more));
    let results: Vec<(Checked, Vec<FileId>)> = batches
        .par_iter()
        .map(|batch| {
            let mut group = LoadOutput::default();
            let mut files = Vec::new();
            for unit in batch {
                let (out, used, _) = load(unit);
                files.extend(used);
                group.merge(out);
            }
            (check(group, &shared.map), files)
        })
        .collect();
    for (c, files) in results {
        checked.append(c);
        scanned.extend(files);
    }

    let (sources, shared_diags) = shared.into_inner();
    // Whatever is still memoised (modules outside the scanned directories) is not needed now.
    for f in sources.files() {
        f.forget();
    }
    checked.diagnostics.extend(shared_diags);
    // Unreadable candidate files count as scanned: they were meant to be.
    scanned.extend(readable.iter().filter(|(_, ok)| !**ok).map(|(id, _)| *id));
    Loaded {
        checked,
        sources,
        scanned,
    }
}

/// Packs sized items, in order, into batches of at most `limit` bytes (an item larger than
/// the limit is a batch of its own).
fn pack<T>(
    items: impl IntoIterator<Item = (T, usize)>,
    limit: usize,
    join: impl Fn(&mut T, T),
) -> Vec<T> {
    let mut batches: Vec<(T, usize)> = Vec::new();
    for (item, n) in items {
        match batches.last_mut() {
            Some((batch, bytes)) if *bytes + n <= limit => {
                join(batch, item);
                *bytes += n;
            }
            _ => batches.push((item, n)),
        }
    }
    batches.into_iter().map(|(batch, _)| batch).collect()
}

/// The directories reached from directory `start` through local module calls (not itself).
fn called_dirs<'d>(
    start: usize,
    dirs: &[&'d PathBuf],
    calls: &[Vec<PathBuf>],
    index: &HashMap<&PathBuf, usize>,
) -> Vec<&'d PathBuf> {
    let mut reached = vec![false; dirs.len()];
    let mut todo = vec![start];
    let mut out = Vec::new();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        if i != start {
            out.push(dirs[i]);
        }
        for t in calls.get(i).into_iter().flatten() {
            if let Some(&j) = index.get(t) {
                todo.push(j);
            }
        }
    }
    out
}

/// The root module directories: those no other scanned directory calls as a local module,
/// plus, for call cycles that no root reaches, the first directory of each cycle (so that the
/// recursion is reported).
fn root_dirs(dirs: &[&PathBuf], calls: &[Vec<PathBuf>]) -> Vec<PathBuf> {
    let called: std::collections::BTreeSet<&PathBuf> = calls.iter().flatten().collect();
    let index: HashMap<&PathBuf, usize> = dirs.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut reached = vec![false; dirs.len()];
    let visit = |start: usize, reached: &mut Vec<bool>| {
        let mut todo = vec![start];
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            for t in &calls[i] {
                if let Some(&j) = index.get(t) {
                    todo.push(j);
                }
            }
        }
    };
    for (i, d) in dirs.iter().enumerate() {
        if !called.contains(d) {
            roots.push((*d).clone());
            visit(i, &mut reached);
        }
    }
    for i in 0..dirs.len() {
        if !reached[i] {
            roots.push(dirs[i].clone());
            visit(i, &mut reached);
        }
    }
    roots.sort();
    roots
}

/// The scan's source map while units load in parallel: Terraform loaders read module
/// directories and `file()` targets through it, each file registered once (by path); checkers
/// read it at the same time without a lock.
struct SharedSources {
    map: SourceMap,
    /// Path → id of every registered file, and the problems met reading files. Held while a
    /// file is registered, so that a path gets one id.
    inner: Mutex<(HashMap<PathBuf, FileId>, Vec<Diagnostic>)>,
    /// Canonical scanned directories (and the directories of named files): module directories
    /// and `file()` targets are read only below them. Fixed for the scan, so that what may be
    /// read does not depend on which unit loaded first.
    roots: Mutex<Vec<PathBuf>>,
    cwd: Option<PathBuf>,
}

impl SharedSources {
    fn new(
        sources: SourceMap,
        ids: HashMap<PathBuf, FileId>,
        paths: &[PathBuf],
        cwd: Option<PathBuf>,
    ) -> Self {
        let roots = paths
            .iter()
            .filter_map(|p| {
                let dir = if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                std::fs::canonicalize(dir).ok()
            })
            .collect();
        // Also the enclosing git work tree of each scanned path: the user's repository. A
        // pre-commit run names `envs/prod/main.tf`, whose module is `../../modules/vpc`; a
        // module or `file()` outside the repository (`/etc`) stays refused.
        let mut roots: Vec<PathBuf> = roots;
        let repos: Vec<PathBuf> = roots.iter().filter_map(|r| git_work_tree(r)).collect();
        for r in repos {
            if !roots.contains(&r) {
                roots.push(r);
            }
        }
        // Keyed by the lexically normalised path (walked paths may start with `./`).
        let ids = ids
            .into_iter()
            .map(|(p, id)| (crate::paths::normalize(&p), id))
            .collect();
        SharedSources {
            map: sources,
            inner: Mutex::new((ids, Vec::new())),
            roots: Mutex::new(roots),
            cwd,
        }
    }
    fn into_inner(self) -> (SourceMap, Vec<Diagnostic>) {
        let (_, diags) = self.inner.into_inner().unwrap_or_else(|e| e.into_inner());
        (self.map, diags)
    }
    fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.map.get(id).cloned()
    }
    /// Reads and registers a file (once); an unreadable file is registered empty with an error.
    fn add(&self, path: &Path) -> Result<Arc<SourceFile>, String> {
        let path = &crate::paths::normalize(path);
        {
            let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(id) = g.0.get(path) {
                return self.get(*id).ok_or_else(|| "not available".to_string());
            }
        }
        let text = read_text(path);
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = g.0.get(path) {
            return self.get(*id).ok_or_else(|| "not available".to_string());
        }
        let display = discover::display_path(path, self.cwd.as_deref());
        let (t, err) = match text {
            Ok(t) => (t, None),
            Err(e) => (String::new(), Some(e)),
        };
        let id = self.map.add(path.to_path_buf(), display, Arc::from(t));
        g.0.insert(path.to_path_buf(), id);
        if let Some(e) = err {
            g.1.push(Diagnostic::error(id, None, e.clone()));
            return Err(e);
        }
        drop(g);
        self.get(id).ok_or_else(|| "not available".to_string())
    }
}

impl SharedSources {
    /// Is this canonical path inside the scanned roots?
    fn inside(&self, canonical: &Path) -> bool {
        let roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
        roots.iter().any(|r| canonical.starts_with(r))
    }
    /// Registers a file that is not read (empty) with a note saying why.
    fn refuse(&self, path: &Path, why: String) {
        let path = crate::paths::normalize(path);
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if g.0.contains_key(&path) {
            return;
        }
        let display = discover::display_path(&path, self.cwd.as_deref());
        let id = self.map.add(path.clone(), display, Arc::from(""));
        g.0.insert(path, id);
        g.1.push(Diagnostic::note(id, None, why));
    }
}

impl terraform::ModuleSource for SharedSources {
    fn module_files(&self, dir: &Path) -> Result<Vec<Arc<SourceFile>>, String> {
        // A module directory (local `source`, `modules.json` `Dir`) is read only inside the
        // scanned roots: the scan never reads what it was not given.
        let canonical = std::fs::canonicalize(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if !self.inside(&canonical) {
            return Err(format!(
                "{} is outside the scanned directories, not read (scan a directory that contains it)",
                dir.display()
            ));
        }
        let rd =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in rd.flatten() {
            let p = entry.path();
            if discover::classify(&p) != Some(discover::Candidate::Terraform) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_file() => paths.push(crate::paths::normalize(&p)),
                // A symbolic link is followed only to a regular file inside the roots.
                Ok(t) if t.is_symlink() => match std::fs::canonicalize(&p) {
                    Ok(c) if self.inside(&c) && c.is_file() => {
                        paths.push(crate::paths::normalize(&p))
                    }
                    _ => self.refuse(
                        &p,
                        "symbolic link to a file outside the scanned directories (or to no regular file), not read".into(),
                    ),
                },
                _ => {}
            }
        }
        paths.sort();
        Ok(paths.iter().filter_map(|p| self.add(p).ok()).collect())
    }
    fn read(&self, path: &Path) -> Result<Arc<SourceFile>, String> {
        self.add(&crate::paths::normalize(path))
    }
    fn allowed(&self, canonical: &Path) -> bool {
        self.inside(canonical)
    }
}

/// After a root has loaded: the module directories it was the last caller of release their
/// parse trees (a module called by many roots is still parsed once while they load).
fn release_modules(
    modules: &[(PathBuf, Vec<FileId>)],
    callers: &Mutex<HashMap<PathBuf, usize>>,
    shared: &SharedSources,
) {
    let done: Vec<&Vec<FileId>> = {
        let Ok(mut callers) = callers.lock() else {
            return;
        };
        modules
            .iter()
            .filter(|(dir, _)| {
                callers.get_mut(dir).is_some_and(|n| {
                    *n = n.saturating_sub(1);
                    *n == 0
                })
            })
            .map(|(_, files)| files)
            .collect()
    };
    for id in done.into_iter().flatten() {
        if let Some(f) = shared.get(*id) {
            f.forget();
        }
    }
}

/// Loads one unit, turning a panic (a bug) into an error for that unit so the scan goes on.
/// The flag says the output is a Terraform plan (its spans are remapped later).
fn load_unit(
    unit: &Unit,
    shared: &SharedSources,
    config: &Config,
) -> (LoadOutput, Vec<FileId>, bool) {
    let first_file = match unit {
        Unit::Terraform { files, .. } => files.first().copied().unwrap_or_default(),
        Unit::Structured(id) => *id,
    };
    let run = || -> (LoadOutput, Vec<FileId>, bool) {
        match unit {
            Unit::Terraform {
                dir, files: ids, ..
            } => {
                let files: Vec<Arc<SourceFile>> =
                    ids.iter().filter_map(|id| shared.get(*id)).collect();
                let (out, used) = terraform::load_root(dir, &files, &config.terraform, shared);
                (out, used, false)
            }
            Unit::Structured(id) => match shared.get(*id) {
                Some(file) => {
                    if let Some(out) = terraform::plan::load(&file) {
                        return (out, vec![*id], true);
                    }
                    match cloudformation::load(&file, &config.cloudformation) {
                        Some(out) => (out, vec![*id], false),
                        None => (LoadOutput::default(), Vec::new(), false),
                    }
                }
                None => (LoadOutput::default(), Vec::new(), false),
            },
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => {
            let mut out = LoadOutput::default();
            out.diagnostics.push(Diagnostic::error(
                first_file,
                None,
                "internal error while loading this file (a bug in ftrlint; please report it)",
            ));
            (out, vec![first_file], false)
        }
    }
}

/// The git work tree containing `dir` (a canonical path): the nearest ancestor with `.git`.
/// Never the file system root.
fn git_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .filter(|a| a.parent().is_some())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::pack;

    #[test]
    fn packs_in_order_up_to_the_limit() {
        let items =
            [("a", 4), ("b", 5), ("c", 2), ("d", 20), ("e", 1)].map(|(s, n)| (s.to_string(), n));
        let batches = pack(items, 10, |batch, more| batch.push_str(&more));
        // `d` is larger than the limit: a batch of its own, and `e` does not join it.
        assert_eq!(batches, ["ab", "c", "d", "e"]);
        assert!(pack(Vec::<(String, usize)>::new(), 10, |_, _| {}).is_empty());
    }
}

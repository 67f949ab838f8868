//! Module assembly: variables and their values (tfvars, `--var-file`, `--var`, `TF_VAR_*`),
//! locals, module calls (instantiated recursively), outputs, and the resource/data/provider
//! blocks (expanded by `count`/`for_each`) evaluated into a [`LoadOutput`].
//!
//! Values in effect follow Terraform's precedence, later wins: `TF_VAR_name` environment
//! variables < `terraform.tfvars` < `terraform.tfvars.json` < `*.auto.tfvars` /
//! `*.auto.tfvars.json` (lexical order) < `--var-file` / `--var` in command-line order; the variable's default applies when none is given. Only root modules
//! read value files; a child module's variables get the caller's expressions (never replaced by
//! the module's default).
//!
//! Each module instance is its own [`Scope`]; the scopes of one root are contiguous, the root
//! first (name `""`), its module instances after it (name = module address). Resource addresses
//! and reference targets are fully qualified (`module.logs.aws_s3_bucket.this`), so references
//! resolve across the whole tree (see [`crate::graph`]).

use super::eval::{Evaluator, FileAccess, LocalDef};
use super::parse::{header_span, parse_file, parse_file_cached, TfFile};
use super::values::set_origin_deep;
use super::{CliSource, TfOptions};
use crate::resource::{
    Diagnostic, Format, Input, LoadOutput, Mode, Output, Resource, Scope, ScopeId,
};
use crate::source::{FileId, SourceFile, Span};
use crate::value::{Entry, Kind, Origin, RefKind, Reference, Value};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Meta-arguments left out of a resource body.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];
/// Module call arguments that are not inputs.
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];
/// Deepest module nesting followed.
pub const MAX_MODULE_DEPTH: usize = 32;
/// Most module instances in one root (a `for_each` of modules calling modules...).
pub const MAX_MODULE_INSTANCES: usize = 10_000;
/// Largest `count` / `for_each` expanded; larger ones are evaluated once with unknown keys
/// (and a note). Below the collection limit (`MAX_ITEMS`) so that a `for_each` over too many
/// keys is still a known collection, and noted, rather than silently unknown.
pub const MAX_INSTANCES: usize = 10_000;

/// Where the loader gets the files of module directories and of `file()` calls. The scan
/// implements it over its source map (files are registered once, by path); tests give a fixed
/// set of files.
pub trait ModuleSource: Sync {
    /// The `*.tf` / `*.tf.json` files of a module directory, read and registered, in path order.
    fn module_files(&self, dir: &Path) -> Result<Vec<Arc<SourceFile>>, String>;
    /// Any file (for `file()`, `templatefile()`, `--var-file`), read and registered.
    fn read(&self, path: &Path) -> Result<Arc<SourceFile>, String>;
    /// May `file()` read this (canonical) path? Inside the scanned roots only.
    fn allowed(&self, canonical: &Path) -> bool;
}

/// No module directories and no files: for loading a fixed set of files.
pub struct NoFiles;

impl ModuleSource for NoFiles {
    fn module_files(&self, dir: &Path) -> Result<Vec<Arc<SourceFile>>, String> {
        Err(format!(
            "module directory {} is not available",
            dir.display()
        ))
    }
    fn read(&self, path: &Path) -> Result<Arc<SourceFile>, String> {
        Err(format!("{} is not available", path.display()))
    }
    fn allowed(&self, _: &Path) -> bool {
        false
    }
}

/// `file()` access for one module instance: relative paths from the root module directory.
struct ModFiles<'s> {
    src: &'s dyn ModuleSource,
    root_dir: PathBuf,
}

impl ModFiles<'_> {
    fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        let p = Path::new(path);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            crate::paths::normalize(&self.root_dir.join(p))
        };
        let canon = std::fs::canonicalize(&full).map_err(|e| format!("cannot read {path}: {e}"))?;
        if !self.src.allowed(&canon) {
            return Err(format!(
                "{path} is {}; not read",
                super::values::OUTSIDE_SCAN
            ));
        }
        Ok(full)
    }
}

impl FileAccess for ModFiles<'_> {
    fn read(&self, path: &str) -> Result<Arc<SourceFile>, String> {
        let full = self.resolve(path)?;
        self.src.read(&full)
    }
    fn exists(&self, path: &str) -> Option<bool> {
        let p = Path::new(path);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            crate::paths::normalize(&self.root_dir.join(p))
        };
        // Outside the roots (lexically or through a link) the answer stays unknown, whether
        // or not the path exists: the scan reveals nothing about outside files.
        let lexical = match std::fs::canonicalize(&self.root_dir) {
            Ok(root) if !p.is_absolute() => crate::paths::normalize(&root.join(p)),
            _ => crate::paths::normalize(&full),
        };
        match std::fs::canonicalize(&full) {
            Ok(c) if self.src.allowed(&c) => Some(c.is_file()),
            Ok(_) => None,
            Err(_) if self.src.allowed(&lexical) && std::fs::symlink_metadata(&full).is_err() => {
                Some(false)
            }
            Err(_) => None,
        }
    }
}

enum FileKind {
    Config,
    /// `terraform.tfvars` (rank 0), `terraform.tfvars.json` (rank 1), `*.auto.tfvars` and
    /// `*.auto.tfvars.json` (rank 2, in lexical order), with the file name.
    Values(u8, String),
    Other,
}

fn file_kind(f: &SourceFile) -> FileKind {
    let name = f
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(f.display.as_str())
        .to_string();
    if name == "terraform.tfvars" {
        FileKind::Values(0, name)
    } else if name == "terraform.tfvars.json" {
        FileKind::Values(1, name)
    } else if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") {
        FileKind::Values(2, name)
    } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
        FileKind::Config
    } else {
        FileKind::Other
    }
}

struct VarDecl<'a> {
    name: String,
    block: &'a Block,
    file: TfFile,
    span: Span,
}

/// State shared by the instances of one root.
struct Tree<'x> {
    opts: &'x TfOptions,
    src: &'x dyn ModuleSource,
    root_dir: PathBuf,
    out: LoadOutput,
    used: Vec<FileId>,
    addresses: HashSet<String>,
    instances: usize,
    /// `.terraform/modules/modules.json` of the root: module key → directory.
    modules_json: Option<HashMap<String, String>>,
    /// The evaluation budget of the root module, shared by its module instances.
    budget: Arc<super::values::Budget>,
}

/// One module instance to load.
struct Instance {
    dir: PathBuf,
    /// `path.module`, relative to the root module.
    path_module: String,
    /// `""` for the root, `module.a.` / `module.a["k"].module.b.` for children.
    prefix: String,
    /// The `modules.json` key: `""`, `a`, `a.b`.
    key: String,
    /// `None` for the root (values from tfvars, CLI, environment); the caller's inputs else.
    inputs: Option<HashMap<String, Value>>,
    /// Canonical directories of the calling chain (recursion detection).
    stack: Vec<PathBuf>,
}

/// Loads a fixed set of files as a root module (module calls cannot be followed).
#[cfg(test)]
pub fn load(dir_display: &str, files: &[Arc<SourceFile>], opts: &TfOptions) -> LoadOutput {
    load_root(Path::new(dir_display), files, opts, &NoFiles).0
}

/// Loads a root module directory and every module it calls. Returns the output and the files
/// used (the root's and those of its modules).
pub fn load_root(
    dir: &Path,
    files: &[Arc<SourceFile>],
    opts: &TfOptions,
    src: &dyn ModuleSource,
) -> (LoadOutput, Vec<FileId>) {
    let mut tree = Tree {
        opts,
        src,
        root_dir: dir.to_path_buf(),
        out: LoadOutput::default(),
        used: files.iter().map(|f| f.id).collect(),
        addresses: HashSet::new(),
        instances: 0,
        modules_json: None,
        budget: Default::default(),
    };
    let stack = std::fs::canonicalize(dir)
        .map(|c| vec![c])
        .unwrap_or_default();
    let inst = Instance {
        dir: dir.to_path_buf(),
        path_module: ".".into(),
        prefix: String::new(),
        key: String::new(),
        inputs: None,
        stack,
    };
    load_instance(&mut tree, inst, files);
    let mut used = tree.used;
    used.sort();
    used.dedup();
    (tree.out, used)
}

/// Reads `.terraform/modules/modules.json`: `{"Modules": [{"Key", "Source", "Dir"}]}`.
fn read_modules_json(tree: &Tree) -> HashMap<String, String> {
    let path = tree.root_dir.join(".terraform/modules/modules.json");
    // Regular file, size-limited: a FIFO or device named modules.json must not block the scan.
    let Ok(text) = crate::input::read_text(&path) else {
        return HashMap::new();
    };
    let Ok(j) = serde_json::from_str::<serde_json::Value>(&text) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    if let Some(mods) = j.get("Modules").and_then(|m| m.as_array()) {
        for m in mods {
            if let (Some(k), Some(d)) = (
                m.get("Key").and_then(|v| v.as_str()),
                m.get("Dir").and_then(|v| v.as_str()),
            ) {
                out.insert(k.to_string(), d.to_string());
            }
        }
    }
    out
}

/// The value of `each` / `count` for one instance.
fn binding(name: &str, key: &Value, value: &Value) -> (String, Value) {
    let span = key.span;
    let entries = if name == "count" {
        vec![Entry {
            key: "index".into(),
            key_span: span,
            value: key.clone(),
        }]
    } else {
        vec![
            Entry {
                key: "key".into(),
                key_span: span,
                value: key.clone(),
            },
            Entry {
                key: "value".into(),
                key_span: value.span,
                value: value.clone(),
            },
        ]
    };
    (name.to_string(), Value::map(entries, span))
}

/// How many instances a block has.
enum Expansion {
    /// No `count` / `for_each`.
    Single,
    /// Known instances: address suffix (`[0]`, `["logs"]`), the key, and the binding.
    Known(Vec<(String, Value, (String, Value))>),
    /// `count` / `for_each` unknown: the body is evaluated once, keys unknown.
    Unknown(Value),
}

fn expansion(ev: &mut Evaluator, body: &Body) -> Expansion {
    if let Some(a) = body.get_attribute("count") {
        let v = ev.eval_attr(&a.value);
        let n = match &v.kind {
            Kind::Unknown(_) => return Expansion::Unknown(v),
            _ => super::values::num(&v),
        };
        return match n {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_INSTANCES as f64 => {
                Expansion::Known(
                    (0..n as usize)
                        .map(|i| {
                            let k = Value::new(Kind::Number(i as f64), v.span);
                            (format!("[{i}]"), k.clone(), binding("count", &k, &k))
                        })
                        .collect(),
                )
            }
            Some(n) if n > MAX_INSTANCES as f64 => {
                // Not an error, but not expanded either: say so rather than skip silently.
                ev.diags.push(crate::resource::Diagnostic::note(
                    v.span.file,
                    Some(v.span),
                    format!(
                        "count = {n} is more than the {MAX_INSTANCES} instances evaluated; the block is checked once"
                    ),
                ));
                Expansion::Unknown(Value::unknown(
                    v.span,
                    Vec::new(),
                    Some("count too large to expand".into()),
                ))
            }
            _ => {
                ev.error();
                Expansion::Unknown(Value::unknown(
                    v.span,
                    Vec::new(),
                    Some("invalid count".into()),
                ))
            }
        };
    }
    let Some(a) = body.get_attribute("for_each") else {
        return Expansion::Single;
    };
    let v = ev.eval_attr(&a.value);
    let quote = |k: &str| format!("[{}]", super::functions::json_quote(k, false));
    match &v.kind {
        Kind::Map(entries) if entries.len() <= MAX_INSTANCES => {
            let mut e: Vec<&Entry> = entries.iter().collect();
            e.sort_by(|a, b| a.key.cmp(&b.key));
            Expansion::Known(
                e.into_iter()
                    .map(|e| {
                        let k = Value::string(e.key.clone(), e.key_span);
                        (quote(&e.key), k.clone(), binding("each", &k, &e.value))
                    })
                    .collect(),
            )
        }
        Kind::List(items) if items.len() <= MAX_INSTANCES => {
            let mut keys: Vec<&Value> = Vec::new();
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for i in items {
                match &i.kind {
                    Kind::String(s) => {
                        if seen.insert(s.as_str()) {
                            keys.push(i);
                        }
                    }
                    _ => return Expansion::Unknown(v.clone()),
                }
            }
            keys.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            Expansion::Known(
                keys.into_iter()
                    .map(|k| {
                        let s = k.as_str().unwrap_or_default();
                        (quote(s), k.clone(), binding("each", k, k))
                    })
                    .collect(),
            )
        }
        Kind::Map(entries) if entries.len() > MAX_INSTANCES => too_many(ev, &v, entries.len()),
        Kind::List(items) if items.len() > MAX_INSTANCES => too_many(ev, &v, items.len()),
        _ => Expansion::Unknown(v.clone()),
    }
}

/// A `for_each` over more keys than are expanded: checked once, with a note.
fn too_many(ev: &mut Evaluator, v: &Value, n: usize) -> Expansion {
    ev.diags.push(crate::resource::Diagnostic::note(
        v.span.file,
        Some(v.span),
        format!("for_each over {n} keys is more than the {MAX_INSTANCES} instances evaluated; the block is checked once"),
    ));
    Expansion::Unknown(Value::unknown(
        v.span,
        Vec::new(),
        Some("for_each too large to expand".into()),
    ))
}

/// Parses the instance's configuration files (memoised for module directories) and, for a
/// root, its value files (`terraform.tfvars`, `*.auto.tfvars`, sorted by precedence).
#[allow(clippy::type_complexity)]
fn parse_instance_files(
    tree: &mut Tree,
    files: &[Arc<SourceFile>],
    root: bool,
) -> (
    Vec<(TfFile, Arc<Body>)>,
    Vec<(u8, String, TfFile, Arc<Body>)>,
) {
    // Parse everything first; bodies must outlive the evaluator that borrows them.
    let mut configs: Vec<(TfFile, Arc<Body>)> = Vec::new();
    let mut value_files: Vec<(u8, String, TfFile, Arc<Body>)> = Vec::new();
    for f in files {
        match file_kind(f) {
            FileKind::Config => {
                // A module directory is read by every instance of every caller: parse it once.
                // A root's files are read once; keeping their trees would only cost memory.
                let parsed = if root {
                    parse_file(f, &mut tree.out.diagnostics).map(|(tf, b)| (tf, Arc::new(b)))
                } else {
                    parse_file_cached(f, &mut tree.out.diagnostics)
                };
                if let Some((tf, b)) = parsed {
                    configs.push((tf, b));
                }
            }
            FileKind::Values(rank, name) if root => {
                if let Some((tf, b)) = parse_file(f, &mut tree.out.diagnostics) {
                    value_files.push((rank, name, tf, Arc::new(b)));
                }
            }
            _ => {}
        }
    }
    value_files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));

    (configs, value_files)
}

/// The `variable` blocks (duplicates and unnamed ones are errors).
fn variable_decls<'b>(
    configs: &'b [(TfFile, Arc<Body>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<VarDecl<'b>> {
    let mut decls: Vec<VarDecl> = Vec::new();
    for (file, body) in configs {
        for block in body.blocks() {
            if block.ident.as_str() != "variable" {
                continue;
            }
            let span = header_span(file, block);
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                diagnostics.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    "variable block needs a name",
                ));
                continue;
            };
            if decls.iter().any(|d| d.name == name) {
                diagnostics.push(Diagnostic::error(
                    file.id,
                    Some(span),
                    format!("duplicate variable `{name}`"),
                ));
                continue;
            }
            decls.push(VarDecl {
                name,
                block,
                file: file.clone(),
                span,
            });
        }
    }

    decls
}

/// The values supplied for the variables, by precedence (later wins): for a root the
/// environment, value files, `--var-file` and `--var` in command-line order; for a module the
/// caller's inputs.
fn supplied_values(
    opts: &TfOptions,
    src: &dyn ModuleSource,
    inst: &Instance,
    decls: &[VarDecl],
    value_files: &[(u8, String, TfFile, Arc<Body>)],
    first_file: FileId,
    out: &mut LoadOutput,
) -> HashMap<String, Value> {
    let mut supplied: HashMap<String, Value> = HashMap::new();
    if inst.inputs.is_none() {
        for (name, raw) in &opts.env {
            let Some(decl) = decls.iter().find(|d| &d.name == name) else {
                continue;
            };
            if let Ok(v) = cli_value(raw, type_text(decl), decl.file.id) {
                let mut v = convert_decl(v, decl);
                set_origin_deep(&mut v, &Origin::Cli(Arc::from(name.as_str())));
                supplied.insert(name.clone(), v);
            }
        }
        let mut var_files: Vec<(String, TfFile, Arc<Body>)> = Vec::new();
        for vf in &opts.var_files {
            // A file given for one root module (`[terraform.roots."DIR"] var-files`).
            if vf.root.as_deref().is_some_and(|r| !same_dir(r, &inst.dir)) {
                continue;
            }
            let p = &vf.path;
            match src.read(p) {
                Ok(f) => {
                    if let Some((tf, b)) = parse_file(&f, &mut out.diagnostics) {
                        var_files.push((p.display().to_string(), tf, Arc::new(b)));
                    }
                }
                Err(msg) => out.diagnostics.push(Diagnostic::error(
                    first_file,
                    None,
                    format!("--var-file {}: {msg}", p.display()),
                )),
            }
        }
        for (_, fname, file, body) in value_files {
            apply_value_file(out, decls, fname, file, body, false, &mut supplied);
        }
        let default_order: Vec<CliSource> = (0..opts.var_files.len())
            .map(CliSource::File)
            .chain((0..opts.vars.len()).map(CliSource::Var))
            .collect();
        let order = if opts.order.is_empty() {
            &default_order
        } else {
            &opts.order
        };
        for src in order {
            match *src {
                CliSource::File(i) => {
                    if let Some((fname, file, body)) = opts.var_files.get(i).and_then(|vf| {
                        var_files
                            .iter()
                            .find(|v| v.0 == vf.path.display().to_string())
                    }) {
                        apply_value_file(out, decls, fname, file, body, true, &mut supplied);
                    }
                }
                CliSource::Var(i) => {
                    let Some((scoped, raw)) = opts.vars.get(i) else {
                        continue;
                    };
                    // `--var envs/prod:name=value` applies to that root module only (variable
                    // names cannot contain `:`).
                    let name = match scoped.rsplit_once(':') {
                        Some((dir, name)) => {
                            if !same_dir(Path::new(dir), &inst.dir) {
                                continue;
                            }
                            name.to_string()
                        }
                        None => scoped.clone(),
                    };
                    let name = &name;
                    let Some(decl) = decls.iter().find(|d| &d.name == name) else {
                        out.diagnostics.push(Diagnostic::error(
                            first_file,
                            None,
                            format!("--var for undeclared variable `{name}`"),
                        ));
                        continue;
                    };
                    match cli_value(raw, type_text(decl), decl.file.id) {
                        Ok(v) => {
                            let mut v = convert_decl(v, decl);
                            set_origin_deep(&mut v, &Origin::Cli(Arc::from(name.as_str())));
                            supplied.insert(name.clone(), v);
                        }
                        Err(msg) => out.diagnostics.push(Diagnostic::error(
                            decl.file.id,
                            None,
                            format!("invalid --var {name}: {msg}"),
                        )),
                    }
                }
            }
        }
    } else if let Some(inputs) = &inst.inputs {
        for (name, v) in inputs {
            match decls.iter().find(|d| &d.name == name) {
                Some(d) => {
                    supplied.insert(name.clone(), convert_decl(v.clone(), d));
                }
                None => out.diagnostics.push(Diagnostic::error(
                    v.span.file,
                    Some(v.span),
                    format!("module has no variable `{name}`"),
                )),
            }
        }
    }

    supplied
}

/// Each variable's input record and value (supplied, else its default).
fn variable_inputs(
    decls: &[VarDecl],
    mut supplied: HashMap<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Input>, HashMap<String, Option<Value>>) {
    let mut inputs = Vec::new();
    let mut vars: HashMap<String, Option<Value>> = HashMap::new();
    for d in decls {
        let mut ev = Evaluator::literal(d.file.id);
        ev.set_tf_file(&d.file);
        let mut default = d.block.body.get_attribute("default").map(|a| {
            let v = ev.eval(&a.value);
            let mut v = convert_decl(v, d);
            set_origin_deep(&mut v, &Origin::Default(Arc::from(d.name.as_str())));
            v
        });
        if let Some(Value {
            kind: Kind::Null, ..
        }) = &default
        {
            // `default = null` makes the variable optional with a null value.
            default = default.map(|v| v.with_origin(Origin::Default(Arc::from(d.name.as_str()))));
        }
        let mut decl_ev = Evaluator::literal(d.file.id);
        decl_ev.set_tf_file(&d.file);
        let decl = decl_value(&mut decl_ev, &d.file, d.block);
        diagnostics.append(&mut ev.diags);
        let sensitive = d
            .block
            .body
            .get_attribute("sensitive")
            .and_then(|a| a.value.as_bool())
            .unwrap_or(false);
        let constrained = d.block.body.get_blocks("validation").next().is_some();
        let value = supplied.remove(&d.name);
        vars.insert(d.name.clone(), value.clone().or_else(|| default.clone()));
        inputs.push(Input {
            name: d.name.clone(),
            span: d.span,
            default,
            value,
            constrained,
            sensitive,
            decl,
        });
    }

    (inputs, vars)
}

/// The `locals` entries, in declaration order (duplicates are errors).
fn collect_locals<'b>(
    configs: &'b [(TfFile, Arc<Body>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> (HashMap<String, LocalDef<'b>>, Vec<String>) {
    let mut locals: HashMap<String, LocalDef> = HashMap::new();
    let mut local_order: Vec<String> = Vec::new();
    for (file, body) in configs {
        for block in body.blocks().filter(|b| b.ident.as_str() == "locals") {
            for a in block.body.attributes() {
                let name = a.key.as_str().to_string();
                let key_span = file.span(&a.key);
                if locals.contains_key(&name) {
                    diagnostics.push(Diagnostic::error(
                        file.id,
                        Some(key_span),
                        format!("duplicate local value `{name}`"),
                    ));
                    continue;
                }
                local_order.push(name.clone());
                locals.insert(
                    name,
                    LocalDef {
                        expr: &a.value,
                        file: file.id,
                        json: file.json.clone(),
                        key_span,
                    },
                );
            }
        }
    }
    (locals, local_order)
}

fn load_instance(tree: &mut Tree, inst: Instance, files: &[Arc<SourceFile>]) -> Value {
    let first_file = files.first().map(|f| f.id).unwrap_or_default();
    let scope_idx = tree.out.scopes.len();
    let scope_id = ScopeId(scope_idx as u32);
    tree.out.scopes.push(Scope {
        format: Format::Terraform,
        name: inst.prefix.trim_end_matches('.').to_string(),
        location: files
            .first()
            .and_then(|f| f.display.rsplit_once('/').map(|(d, _)| d.to_string()))
            .unwrap_or_else(|| inst.dir.display().to_string()),
        inputs: Vec::new(),
        outputs: Vec::new(),
    });
    let root = inst.inputs.is_none();

    let (configs, value_files) = parse_instance_files(tree, files, root);
    let decls = variable_decls(&configs, &mut tree.out.diagnostics);
    let supplied = supplied_values(
        tree.opts,
        tree.src,
        &inst,
        &decls,
        &value_files,
        first_file,
        &mut tree.out,
    );
    let out = &mut tree.out;
    let (inputs, vars) = variable_inputs(&decls, supplied, &mut out.diagnostics);
    let (locals, local_order) = collect_locals(&configs, &mut out.diagnostics);
    let deps = local_deps(&locals);

    let files_access = ModFiles {
        src: tree.src,
        root_dir: tree.root_dir.clone(),
    };
    let mut ev = Evaluator::new(first_file);
    ev.set_budget(tree.budget.clone());
    ev.set_vars(vars);
    ev.set_locals(locals);
    ev.set_prefix(inst.prefix.clone());
    ev.set_files(&files_access);
    ev.set_paths(inst.path_module.clone(), ".".into(), ".".into());

    // ----- module calls, in dependency order ----------------------------------------------
    let calls = module_order(&configs, &deps);
    for (file, block) in calls {
        ev.set_tf_file(&file);
        call_module(tree, &mut ev, &inst, &file, block);
    }

    // Remaining locals, in dependency order (deepest first) so that lazily resolved chains
    // stay shallow; cycles are reported by the evaluator when it meets one.
    let (cycle_roots, order) = topo_order(&local_order, &deps);
    for name in cycle_roots.iter().chain(&order) {
        ev.eval_local_attr(name);
    }

    // ----- outputs, resources -------------------------------------------------------------
    let mut outputs = Vec::new();
    for (file, body) in &configs {
        ev.set_tf_file(file);
        for block in body.blocks() {
            let span = header_span(file, block);
            match block.ident.as_str() {
                "output" => {
                    let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                        continue;
                    };
                    let value = match block.body.get_attribute("value") {
                        Some(a) => ev.eval_attr(&a.value),
                        None => Value::null(span),
                    };
                    outputs.push(Output { name, span, value });
                }
                "resource" | "data" => {
                    let (Some(t), Some(n)) = (block.labels.first(), block.labels.get(1)) else {
                        tree.out.diagnostics.push(Diagnostic::error(
                            file.id,
                            Some(span),
                            format!("{} block needs a type and a name", block.ident.as_str()),
                        ));
                        continue;
                    };
                    let (rtype, name) = (t.as_str().to_string(), n.as_str().to_string());
                    let data = block.ident.as_str() == "data";
                    let address = if data {
                        format!("{}data.{rtype}.{name}", inst.prefix)
                    } else {
                        format!("{}{rtype}.{name}", inst.prefix)
                    };
                    if !tree.addresses.insert(address.clone()) {
                        tree.out.diagnostics.push(Diagnostic::error(
                            file.id,
                            Some(span),
                            format!("duplicate {} `{address}`", block.ident.as_str()),
                        ));
                        continue;
                    }
                    let depends_on = depends_on(file, &block.body, &inst.prefix);
                    let skip = ["provider", "depends_on", "count", "for_each"];
                    let mut push = |body: Value, address: String| {
                        tree.out.resources.push(Resource {
                            address,
                            rtype: rtype.clone(),
                            name: name.clone(),
                            format: Format::Terraform,
                            mode: if data { Mode::Data } else { Mode::Managed },
                            span,
                            body,
                            depends_on: depends_on.clone().into(),
                            metadata: None,
                            scope: scope_id,
                        });
                    };
                    match expansion(&mut ev, &block.body) {
                        Expansion::Single | Expansion::Unknown(_) => {
                            let body = eval_body(&mut ev, file, block, &skip);
                            push(body, address);
                        }
                        Expansion::Known(list) => {
                            for (suffix, _, (bname, bval)) in list {
                                ev.bind(bname, bval);
                                let body = eval_body(&mut ev, file, block, &skip);
                                ev.unbind();
                                push(body, format!("{address}{suffix}"));
                            }
                        }
                    }
                }
                "provider" => {
                    let Some(rtype) = block.labels.first().map(|l| l.as_str().to_string()) else {
                        continue;
                    };
                    let body = eval_body(&mut ev, file, block, &["depends_on"]);
                    let address = match body.get("alias").and_then(Value::as_str) {
                        Some(alias) => format!("{}provider.{rtype}.{alias}", inst.prefix),
                        None => format!("{}provider.{rtype}", inst.prefix),
                    };
                    tree.out.resources.push(Resource {
                        address,
                        name: rtype.clone(),
                        rtype,
                        format: Format::Terraform,
                        mode: Mode::Provider,
                        span,
                        body,
                        depends_on: Vec::new().into(),
                        metadata: None,
                        scope: scope_id,
                    });
                }
                _ => {}
            }
        }
    }
    tree.out.diagnostics.append(&mut ev.diags);
    tree.out.stats.add(ev.stats);
    let result = Value::new(
        Kind::Map(
            outputs
                .iter()
                .map(|o| Entry {
                    key: o.name.clone().into(),
                    key_span: o.span,
                    value: o.value.clone(),
                })
                .collect(),
        ),
        Span::new(first_file, 0, 0),
    );
    if let Some(s) = tree.out.scopes.get_mut(scope_idx) {
        s.inputs = inputs;
        s.outputs = outputs;
    }
    result
}

/// Applies one value file (`terraform.tfvars`, `*.auto.tfvars`, `--var-file`) to `supplied`.
fn apply_value_file(
    out: &mut LoadOutput,
    decls: &[VarDecl],
    fname: &str,
    file: &TfFile,
    body: &Body,
    cli: bool,
    supplied: &mut HashMap<String, Value>,
) {
    let mut ev = Evaluator::literal(file.id);
    ev.set_tf_file(file);
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str().to_string();
                let mut v = ev.eval(&a.value);
                let Some(decl) = decls.iter().find(|d| d.name == key) else {
                    out.diagnostics.push(Diagnostic::note(
                        file.id,
                        Some(file.span(&a.key)),
                        format!("value for undeclared variable `{key}` in {fname}"),
                    ));
                    continue;
                };
                v = convert_decl(v, decl);
                let origin = if cli {
                    Origin::Cli(Arc::from(key.as_str()))
                } else {
                    Origin::ValueFile(Arc::from(key.as_str()))
                };
                set_origin_deep(&mut v, &origin);
                supplied.insert(key, v);
            }
            Structure::Block(b) => out.diagnostics.push(Diagnostic::error(
                file.id,
                Some(header_span(file, b)),
                format!("blocks are not allowed in {fname}"),
            )),
        }
    }
    out.diagnostics.append(&mut ev.diags);
}

/// The `module` blocks of a module in dependency order: a call whose inputs read
/// `module.x` (directly or through locals) comes after `x`. Cycles keep file order.
fn module_order<'b>(
    configs: &'b [(TfFile, Arc<Body>)],
    local_deps: &HashMap<String, Vec<String>>,
) -> Vec<(TfFile, &'b Block)> {
    let calls: Vec<(TfFile, &Block, String)> = configs
        .iter()
        .flat_map(|(f, b)| {
            b.blocks()
                .filter(|b| b.ident.as_str() == "module")
                .filter_map(move |b| {
                    let name = b.labels.first()?.as_str().to_string();
                    Some((f.clone(), b, name))
                })
        })
        .collect();
    let mut needs: HashMap<String, HashSet<String>> = HashMap::new();
    for (_, b, name) in &calls {
        let (mods, locs) = block_refs(&b.body);
        let mut all: HashSet<String> = mods;
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = locs;
        while let Some(l) = todo.pop() {
            if !seen.insert(l.clone()) {
                continue;
            }
            if let Some(ds) = local_deps.get(&l) {
                todo.extend(ds.iter().cloned());
            }
        }
        // Modules read by the locals reached.
        for (f, body) in configs {
            let _ = f;
            for lb in body.blocks().filter(|b| b.ident.as_str() == "locals") {
                for a in lb.body.attributes() {
                    if seen.contains(a.key.as_str()) {
                        all.extend(expr_refs(&a.value).0);
                    }
                }
            }
        }
        all.remove(name);
        needs.insert(name.clone(), all);
    }
    let mut done: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut remaining: Vec<&(TfFile, &Block, String)> = calls.iter().collect();
    while !remaining.is_empty() {
        let before = remaining.len();
        remaining.retain(|(f, b, name)| {
            let ready = needs.get(name).is_none_or(|n| {
                n.iter()
                    .all(|m| done.contains(m) || !calls.iter().any(|c| &c.2 == m))
            });
            if ready {
                done.insert(name.clone());
                out.push((f.clone(), *b));
            }
            !ready
        });
        if remaining.len() == before {
            // A cycle: take the next one as it is (its missing inputs stay unknown).
            let (f, b, name) = remaining.remove(0);
            done.insert(name.clone());
            out.push((f.clone(), *b));
        }
    }
    out
}

/// `module.X` names and `local.Y` names read anywhere in a body.
fn block_refs(body: &Body) -> (HashSet<String>, Vec<String>) {
    let mut v = RefVisitor::default();
    hcl_edit::visit::Visit::visit_body(&mut v, body);
    (v.modules, v.locals)
}

fn expr_refs(e: &Expression) -> (HashSet<String>, Vec<String>) {
    let mut v = RefVisitor::default();
    hcl_edit::visit::Visit::visit_expr(&mut v, e);
    (v.modules, v.locals)
}

#[derive(Default)]
struct RefVisitor {
    modules: HashSet<String>,
    locals: Vec<String>,
}

impl hcl_edit::visit::Visit for RefVisitor {
    fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
        if let (Some(root), Some(TraversalOperator::GetAttr(a))) = (
            t.expr.as_variable().map(|v| v.as_str()),
            t.operators.first().map(|o| o.value()),
        ) {
            match root {
                "module" => {
                    self.modules.insert(a.as_str().to_string());
                }
                "local" => self.locals.push(a.as_str().to_string()),
                _ => {}
            }
        }
        hcl_edit::visit::visit_traversal(self, t);
    }
}

/// The literal `source` of every `module` block of some files (for root detection: the
/// trees are not kept, as every root's files would be held until its batch).
pub fn module_sources(files: &[Arc<SourceFile>]) -> Vec<String> {
    sources_of(files, |f, diags| parse_file(f, diags).map(|(_, b)| b))
}

/// [`module_sources`] of a module's files, whose parse is kept for its instances anyway.
fn module_sources_cached(files: &[Arc<SourceFile>]) -> Vec<String> {
    sources_of(files, |f, diags| {
        parse_file_cached(f, diags).map(|(_, b)| b)
    })
}

fn sources_of<B: std::borrow::Borrow<Body>>(
    files: &[Arc<SourceFile>],
    parse: impl Fn(&Arc<SourceFile>, &mut Vec<Diagnostic>) -> Option<B>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for f in files {
        // Most files call no local module: skip parsing them (root detection reads every file).
        // JSON syntax is always parsed (its `"module"` keys are not at line starts).
        let json = f.display.ends_with(".json");
        if !matches!(file_kind(f), FileKind::Config) || (!json && !may_have_module_block(&f.text)) {
            continue;
        }
        let Some(body) = parse(f, &mut diags) else {
            continue;
        };
        for b in body
            .borrow()
            .blocks()
            .filter(|b| b.ident.as_str() == "module")
        {
            if let Some(s) = b
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str())
            {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// Cheap pre-check for root detection, which only needs local module calls: a line starting
/// with `module` and a `source = "./…"` / `"../…"` line. Files without both are not parsed.
fn may_have_module_block(text: &str) -> bool {
    let mut module = false;
    let mut local_source = false;
    for l in text.lines() {
        let l = l.trim_start();
        if let Some(rest) = l.strip_prefix("module") {
            module |= rest.starts_with([' ', '\t', '"', '{']);
        } else if let Some(rest) = l.strip_prefix("source") {
            let v = rest.trim_start().strip_prefix('=').map(str::trim_start);
            local_source |= v.is_some_and(|v| {
                v.starts_with("\"./") || v.starts_with("\"../") || v.starts_with("\".\"")
            });
        }
        if module && local_source {
            return true;
        }
    }
    false
}

/// A local module source (`./x`, `../x`), as Terraform recognises it.
pub fn is_local_source(s: &str) -> bool {
    s == "." || s == ".." || s.starts_with("./") || s.starts_with("../")
}

/// Marks the files of the local modules a module calls (transitively) as read.
fn mark_local_modules(
    tree: &mut Tree,
    dir: &Path,
    files: &[Arc<SourceFile>],
    depth: usize,
    seen: &mut HashSet<PathBuf>,
) {
    if depth >= MAX_MODULE_DEPTH {
        return;
    }
    for src in module_sources_cached(files) {
        if !is_local_source(&src) {
            continue;
        }
        let d = crate::paths::normalize(&dir.join(&src));
        if !seen.insert(d.clone()) {
            continue;
        }
        if let Ok(fs) = tree.src.module_files(&d) {
            tree.used.extend(fs.iter().map(|f| f.id));
            mark_local_modules(tree, &d, &fs, depth + 1, seen);
        }
    }
}

/// Instantiates one `module` block (each of its instances) and binds `module.<name>`.
fn call_module(tree: &mut Tree, ev: &mut Evaluator, inst: &Instance, file: &TfFile, block: &Block) {
    let span = header_span(file, block);
    let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
        tree.out.diagnostics.push(Diagnostic::error(
            file.id,
            Some(span),
            "module block needs a name",
        ));
        return;
    };
    let Some(source) = block
        .body
        .get_attribute("source")
        .and_then(|a| a.value.as_str())
        .map(str::to_string)
    else {
        tree.out.diagnostics.push(Diagnostic::error(
            file.id,
            Some(span),
            format!("module `{name}` needs a literal `source`"),
        ));
        return;
    };
    let key = if inst.key.is_empty() {
        name.clone()
    } else {
        format!("{}.{name}", inst.key)
    };
    // Where the module is.
    let (dir, path_module) = if is_local_source(&source) {
        (
            crate::paths::normalize(&inst.dir.join(&source)),
            crate::paths::normalize(&Path::new(&inst.path_module).join(&source))
                .display()
                .to_string(),
        )
    } else {
        if tree.modules_json.is_none() {
            tree.modules_json = Some(read_modules_json(tree));
        }
        match tree.modules_json.as_ref().and_then(|m| m.get(&key)) {
            Some(d) => (crate::paths::normalize(&tree.root_dir.join(d)), d.clone()),
            None => {
                tree.out.diagnostics.push(Diagnostic::note(
                    file.id,
                    Some(span),
                    format!(
                        "module `{name}`: source `{source}` is not available locally (run `terraform init` so that .terraform/modules/modules.json resolves it); its resources are not checked"
                    ),
                ));
                return;
            }
        }
    };
    let canonical = std::fs::canonicalize(&dir).ok();
    if let Some(c) = &canonical {
        if inst.stack.contains(c) {
            tree.out.diagnostics.push(Diagnostic::error(
                file.id,
                Some(span),
                format!("module `{name}` calls itself recursively (source `{source}`)"),
            ));
            return;
        }
    }
    if inst.stack.len() >= MAX_MODULE_DEPTH {
        tree.out.diagnostics.push(Diagnostic::error(
            file.id,
            Some(span),
            format!("modules nested deeper than {MAX_MODULE_DEPTH} levels"),
        ));
        return;
    }
    let files = match tree.src.module_files(&dir) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            tree.out.diagnostics.push(Diagnostic::note(
                file.id,
                Some(span),
                format!("module `{name}`: no .tf files in {}", dir.display()),
            ));
            return;
        }
        Err(msg) => {
            tree.out.diagnostics.push(Diagnostic::note(
                file.id,
                Some(span),
                format!("module `{name}`: {msg}; its resources are not checked"),
            ));
            return;
        }
    };
    tree.used.extend(files.iter().map(|f| f.id));
    let mut stack = inst.stack.clone();
    if let Some(c) = canonical {
        stack.push(c);
    }
    let expansion = expansion(ev, &block.body);
    let instances: Vec<(String, Option<(String, Value)>)> = match &expansion {
        Expansion::Single | Expansion::Unknown(_) => vec![(String::new(), None)],
        Expansion::Known(list) => list
            .iter()
            .map(|(suffix, _, b)| (suffix.clone(), Some(b.clone())))
            .collect(),
    };
    if instances.is_empty() {
        // No instance (count = 0, empty for_each): nothing is created, but the module's own
        // local modules count as read, like its files.
        let mut seen: HashSet<PathBuf> = HashSet::new();
        mark_local_modules(tree, &dir, &files, 0, &mut seen);
    }
    let mut values: Vec<(String, Value)> = Vec::new();
    for (suffix, bind) in instances {
        if tree.instances >= MAX_MODULE_INSTANCES {
            tree.out.diagnostics.push(Diagnostic::note(
                file.id,
                Some(span),
                format!(
                    "more than {MAX_MODULE_INSTANCES} module instances; the rest is not checked"
                ),
            ));
            break;
        }
        tree.instances += 1;
        let bound = bind.is_some();
        if let Some((n, v)) = bind {
            ev.bind(n, v);
        }
        let mut inputs: HashMap<String, Value> = HashMap::new();
        for a in block.body.attributes() {
            let k = a.key.as_str();
            if MODULE_META.contains(&k) {
                continue;
            }
            inputs.insert(k.to_string(), ev.eval_attr(&a.value));
        }
        if bound {
            ev.unbind();
        }
        let child = Instance {
            dir: dir.clone(),
            path_module: path_module.clone(),
            prefix: format!("{}module.{name}{suffix}.", inst.prefix),
            key: key.clone(),
            inputs: Some(inputs),
            stack: stack.clone(),
        };
        let v = load_instance(tree, child, &files);
        values.push((suffix, v));
    }
    let value = match expansion {
        Expansion::Single => values
            .pop()
            .map(|(_, v)| v)
            .unwrap_or_else(|| Value::null(span)),
        Expansion::Unknown(v) => {
            super::values::unknown_of(span, &[&v], "module instances are unknown")
        }
        Expansion::Known(list) => {
            let keyed = list.first().is_some_and(|(s, _, _)| s.starts_with("[\""));
            if keyed {
                let entries = list
                    .iter()
                    .zip(values)
                    .map(|((_, k, _), (_, v))| Entry {
                        key: k.as_str().unwrap_or_default().into(),
                        key_span: k.span,
                        value: v,
                    })
                    .collect();
                Value::new(Kind::Map(entries), span)
            } else {
                Value::new(
                    Kind::List(values.into_iter().map(|(_, v)| v).collect()),
                    span,
                )
            }
        }
    };
    ev.set_module_value(name, value);
}

/// A block body as a Map: attributes evaluated, nested blocks grouped by type.
fn eval_body(ev: &mut Evaluator, file: &TfFile, block: &Block, skip_attrs: &[&str]) -> Value {
    let span = file.span(block);
    let mut entries: Vec<Entry> = Vec::new();
    // The blocks of each entry that is a block type (`None` for attributes), collected before
    // they become the entry's list.
    let mut blocks: Vec<Option<Vec<Value>>> = Vec::new();
    for s in block.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if skip_attrs.contains(&key) {
                    continue;
                }
                let value = ev.eval_attr(&a.value);
                entries.push(Entry {
                    key: key.into(),
                    key_span: file.span(&a.key),
                    value,
                });
                blocks.push(None);
            }
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                if META_BLOCKS.contains(&ident) {
                    continue;
                }
                let (key, key_span, values) = if ident == "dynamic" {
                    let Some(label) = b.labels.first() else {
                        continue;
                    };
                    (
                        label.as_str().to_string(),
                        file.span(&b.ident),
                        dynamic_block(ev, file, b),
                    )
                } else {
                    (
                        ident.to_string(),
                        file.span(&b.ident),
                        vec![eval_body(ev, file, b, &[])],
                    )
                };
                // A dynamic block over a known empty collection produces no block.
                if values.is_empty() {
                    continue;
                }
                let first = entries.iter().position(|e| e.key == key);
                match first.and_then(|i| blocks.get_mut(i)) {
                    Some(Some(items)) => items.extend(values),
                    _ => {
                        entries.push(Entry {
                            key: key.into(),
                            key_span,
                            value: Value::null(file.span(b)),
                        });
                        blocks.push(Some(values));
                    }
                }
            }
        }
    }
    for (e, items) in entries.iter_mut().zip(blocks) {
        if let Some(items) = items {
            e.value = Value::list(items, e.value.span);
        }
    }
    Value::map(entries, span)
}

/// `dynamic "x" { for_each = ..., iterator = it, content { ... } }`: one block per element
/// (the iterator, named after the label unless `iterator` says otherwise, has `key` and
/// `value`); an unknown collection gives one Unknown entry carrying its references.
fn dynamic_block(ev: &mut Evaluator, file: &TfFile, b: &Block) -> Vec<Value> {
    let span = file.span(b);
    let Some(fe) = b.body.get_attribute("for_each") else {
        ev.error();
        return vec![Value::unknown(
            span,
            Vec::new(),
            Some("dynamic block without for_each".into()),
        )];
    };
    let coll = ev.eval_attr(&fe.value);
    let iterator = b
        .body
        .get_attribute("iterator")
        .and_then(|a| match &a.value {
            Expression::Variable(v) => Some(v.as_str().to_string()),
            _ => None,
        })
        .or_else(|| b.labels.first().map(|l| l.as_str().to_string()))
        .unwrap_or_default();
    let Some(content) = b.body.get_blocks("content").next() else {
        return Vec::new();
    };
    let items = if coll.is_unknown() || ev.is_json(&coll) {
        None
    } else {
        ev.iteration_items(&coll)
    };
    let Some(items) = items else {
        let refs = coll.references().into_iter().cloned().collect();
        return vec![Value::unknown(
            span,
            refs,
            Some("dynamic block over an unknown collection".into()),
        )];
    };
    if items.len() > MAX_INSTANCES {
        return vec![Value::unknown(
            span,
            Vec::new(),
            Some("dynamic block too large".into()),
        )];
    }
    let mut out = Vec::with_capacity(items.len());
    for (k, v) in items {
        let (_, it) = binding("each", &k, &v);
        ev.bind(iterator.clone(), it);
        out.push(eval_body(ev, file, content, &[]));
        ev.unbind();
    }
    out
}

/// `depends_on = [aws_s3_bucket.x, module.m]` as references (not evaluated).
fn depends_on(file: &TfFile, body: &Body, prefix: &str) -> Vec<Reference> {
    let Some(a) = body.get_attribute("depends_on") else {
        return Vec::new();
    };
    let Some(arr) = a.value.as_array() else {
        return Vec::new();
    };
    arr.iter()
        .filter_map(|e| traversal_ref(file, e))
        .map(|mut r| {
            if matches!(r.kind, RefKind::Resource | RefKind::Data) {
                r.target = format!("{prefix}{}", r.target).into();
            }
            r
        })
        .collect()
}

fn traversal_ref(file: &TfFile, e: &Expression) -> Option<Reference> {
    let t = e.as_traversal()?;
    let root = t.expr.as_variable()?.as_str();
    let attrs: Vec<&str> = t
        .operators
        .iter()
        .map_while(|o| match o.value() {
            TraversalOperator::GetAttr(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    let span = file.span(e);
    let (kind, target, attr) = match root {
        "data" => (
            RefKind::Data,
            format!("data.{}.{}", attrs.first()?, attrs.get(1)?),
            attrs.get(2),
        ),
        "module" => (RefKind::Module, (*attrs.first()?).to_string(), attrs.get(1)),
        "var" => (RefKind::Input, (*attrs.first()?).to_string(), None),
        "local" => (RefKind::Local, (*attrs.first()?).to_string(), None),
        _ => (
            RefKind::Resource,
            format!("{root}.{}", attrs.first()?),
            attrs.get(1),
        ),
    };
    Some(Reference {
        kind,
        target: target.into(),
        attr: attr.map(|a| (*a).into()),
        span,
    })
}

/// The `type = ...` of a variable as source text.
fn type_text<'f>(d: &'f VarDecl) -> Option<&'f str> {
    let a = d.block.body.get_attribute("type")?;
    let r = a.value.span()?;
    d.file.parsed_text().get(r)
}

/// A variable declaration as a Map; `type` is kept as its source text.
fn decl_value(ev: &mut Evaluator, file: &TfFile, block: &Block) -> Value {
    let mut v = eval_body(ev, file, block, &["type"]);
    if let (Some(a), Kind::Map(entries)) = (block.body.get_attribute("type"), &mut v.kind) {
        let text = a
            .value
            .span()
            .and_then(|r| file.parsed_text().get(r))
            .unwrap_or("")
            .to_string();
        let mut list = std::mem::take(entries).into_vec();
        list.insert(
            0,
            Entry {
                key: "type".into(),
                key_span: file.span(&a.key),
                value: Value::string(text, file.span(&a.value)),
            },
        );
        *entries = list.into_boxed_slice();
    }
    v
}

/// Converts a value to the variable's declared type (see [`super::types`]).
fn convert_decl(v: Value, d: &VarDecl) -> Value {
    let Some(a) = d.block.body.get_attribute("type") else {
        return v;
    };
    let mut ev = Evaluator::literal(d.file.id);
    ev.set_tf_file(&d.file);
    super::types::convert(&mut ev, v, &a.value)
}

/// Converts a value to a primitive type constraint as Terraform does (`"5"` → 5 for
/// `number`, 5 → `"5"` for `string`); other types are left alone.
pub(super) fn convert_to_type(v: Value, ty: Option<&str>) -> Value {
    let Some(ty) = ty.map(str::trim) else {
        return v;
    };
    let span = v.span;
    let origin = v.origin.clone();
    let kind = match (ty, &v.kind) {
        ("string", Kind::Number(_) | Kind::Bool(_)) => match super::values::scalar_to_string(&v) {
            Some(s) => Kind::String(s.into()),
            None => return v,
        },
        ("number", Kind::String(s)) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Kind::Number(n),
            _ => return v,
        },
        ("bool", Kind::String(s)) if s == "true" || s == "false" => Kind::Bool(s == "true"),
        _ => return v,
    };
    Value::new(kind, span).with_origin(origin)
}

/// A `--var` value: a literal string for untyped and primitive-typed variables (converted to
/// the type), an HCL expression otherwise — as Terraform reads `-var`.
fn cli_value(raw: &str, ty: Option<&str>, file: FileId) -> Result<Value, String> {
    let span = Span::new(file, 0, 0);
    let primitive = match ty.map(str::trim) {
        None => true,
        Some(t) => matches!(t, "string" | "number" | "bool"),
    };
    if primitive {
        let v = convert_to_type(Value::string(raw, span), ty);
        if ty.map(str::trim) == Some("number") && !matches!(v.kind, Kind::Number(_)) {
            return Err(format!("`{raw}` is not a number"));
        }
        if ty.map(str::trim) == Some("bool") && !matches!(v.kind, Kind::Bool(_)) {
            return Err(format!("`{raw}` is not a bool"));
        }
        return Ok(v);
    }
    if super::parse::too_deep(raw, super::parse::MAX_NESTING).is_some() {
        return Err("nested too deeply".into());
    }
    let expr = hcl_edit::parser::parse_expr(raw).map_err(|e| e.message().to_string())?;
    let mut ev = Evaluator::literal(file);
    let mut v = ev.eval(&expr);
    if v.contains_unknown() {
        return Err("not a literal value".into());
    }
    strip_spans(&mut v, span);
    Ok(v)
}

/// CLI values have no place in a file: every span becomes `span`.
fn strip_spans(v: &mut Value, span: Span) {
    v.span = span;
    match &mut v.kind {
        Kind::List(items) => items.iter_mut().for_each(|i| strip_spans(i, span)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            strip_spans(&mut e.value, span);
        }),
        _ => {}
    }
}

/// The locals each local refers to (syntactically).
fn local_deps(locals: &HashMap<String, LocalDef>) -> HashMap<String, Vec<String>> {
    struct V(Vec<String>);
    impl hcl_edit::visit::Visit for V {
        fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
            if t.expr.as_variable().map(|v| v.as_str()) == Some("local") {
                if let Some(TraversalOperator::GetAttr(a)) = t.operators.first().map(|o| o.value())
                {
                    self.0.push(a.as_str().to_string());
                }
            }
            hcl_edit::visit::visit_traversal(self, t);
        }
    }
    locals
        .iter()
        .map(|(k, d)| {
            let mut v = V(Vec::new());
            hcl_edit::visit::Visit::visit_expr(&mut v, d.expr);
            (k.clone(), v.0)
        })
        .collect()
}

/// Post-order of the dependency graph (dependencies first), iteratively, and the locals where
/// a cycle closes (evaluated first, so the evaluator reports the cycle from its start).
fn topo_order(order: &[String], deps: &HashMap<String, Vec<String>>) -> (Vec<String>, Vec<String>) {
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on stack, 2 = done
    let mut out = Vec::new();
    let mut cycle_roots: Vec<String> = Vec::new();
    for root in order {
        if state.contains_key(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root.as_str(), 0)];
        state.insert(root.as_str(), 1);
        while let Some((node, i)) = stack.pop() {
            let next = deps.get(node).and_then(|d| d.get(i));
            match next {
                Some(dep) => {
                    stack.push((node, i + 1));
                    match state.get(dep.as_str()) {
                        None if deps.contains_key(dep.as_str()) => {
                            state.insert(dep.as_str(), 1);
                            stack.push((dep.as_str(), 0));
                        }
                        Some(1) if !cycle_roots.contains(dep) => cycle_roots.push(dep.clone()),
                        _ => {}
                    }
                }
                None => {
                    state.insert(node, 2);
                    out.push(node.to_string());
                }
            }
        }
    }
    (cycle_roots, out)
}

/// Whether two directory paths (as given, relative to the current directory) are the same
/// directory: by their real location when both exist, else lexically.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => crate::paths::normalize(a) == crate::paths::normalize(b),
    }
}

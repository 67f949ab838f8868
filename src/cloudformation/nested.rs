//! Nested stacks: an `AWS::CloudFormation::Stack` (or SAM `AWS::Serverless::Application`)
//! whose `TemplateURL` is a local path, as before `aws cloudformation package`, is scanned with
//! the `Parameters` its parent passes (resolved in the parent, keeping their origins).
//!
//! Only templates that are part of the scan are followed (never a file outside the scanned
//! paths). A template used as a child is checked as instantiated by its parents instead of on
//! its own. Cycles and chains deeper than [`MAX_NESTING`] are reported as errors.

use super::CfnOptions;
use crate::resource::{Diagnostic, Format, LoadOutput, Mode};
use crate::source::{FileId, SourceMap, Span};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Deepest parent → child chain followed.
const MAX_NESTING: usize = 8;

/// One `TemplateURL` pointing at a template of the scan.
struct Edge {
    child: FileId,
    url_span: Span,
    logical_id: String,
    parameters: BTreeMap<String, Value>,
}

/// The templates of the scan, found by their real (canonical) path. Built from file names
/// alone: only the candidates named like a `TemplateURL` are canonicalised, when one is
/// looked up (a scan of thousands of templates with a few nested stacks makes a few calls).
pub struct Templates {
    by_name: HashMap<std::ffi::OsString, Vec<(PathBuf, FileId)>>,
}

impl Templates {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a crate::source::SourceFile>) -> Self {
        let mut by_name: HashMap<std::ffi::OsString, Vec<(PathBuf, FileId)>> = HashMap::new();
        for f in files {
            if let Some(name) = f.path.file_name() {
                by_name
                    .entry(name.to_os_string())
                    .or_default()
                    .push((f.path.clone(), f.id));
            }
        }
        Templates { by_name }
    }
    /// The template whose canonical path is `canonical`.
    fn get(&self, canonical: &Path) -> Option<FileId> {
        let candidates = self.by_name.get(canonical.file_name()?)?;
        candidates
            .iter()
            .find(|(p, _)| std::fs::canonicalize(p).is_ok_and(|c| c == canonical))
            .map(|(_, id)| *id)
    }
}

/// A marker of a template that may include nested stacks (checked before loading it).
pub fn may_nest(text: &str) -> bool {
    let has = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    has("AWS::CloudFormation::Stack") || has("AWS::Serverless::Application")
}

/// The templates of the scan that the given loaded templates include as nested stacks.
pub fn children_of(
    outputs: &[(LoadOutput, Vec<FileId>)],
    sources: &SourceMap,
    by_path: &Templates,
) -> BTreeSet<FileId> {
    let mut out = BTreeSet::new();
    for (o, files) in outputs {
        if let ([f], true) = (files.as_slice(), is_cfn(o)) {
            out.extend(edges(o, *f, sources, by_path).0.iter().map(|e| e.child));
        }
    }
    out
}

/// Replaces the standalone outputs of child templates by their instantiations from parents.
/// `outputs` are the per-unit results of the scan (`(output, files)`). Each output returned is
/// self-contained: a root template comes with every stack it instantiates.
pub fn link_nested_stacks(
    mut outputs: Vec<(LoadOutput, Vec<FileId>)>,
    sources: &SourceMap,
    by_path: &Templates,
    opts: &CfnOptions,
) -> Vec<(LoadOutput, Vec<FileId>)> {
    // Which unit is the standalone load of each CloudFormation template.
    let mut unit_of: HashMap<FileId, usize> = HashMap::new();
    for (i, (out, files)) in outputs.iter().enumerate() {
        if let ([f], true) = (files.as_slice(), is_cfn(out)) {
            unit_of.insert(*f, i);
        }
    }
    if unit_of.is_empty() {
        return outputs;
    }
    let mut edges_of: HashMap<FileId, Vec<Edge>> = HashMap::new();
    let mut children: BTreeSet<FileId> = BTreeSet::new();
    for (&file, &i) in &unit_of {
        let (edges, diags) = edges(&outputs[i].0, file, sources, by_path);
        outputs[i].0.diagnostics.extend(diags);
        children.extend(edges.iter().map(|e| e.child));
        if !edges.is_empty() {
            edges_of.insert(file, edges);
        }
    }
    if children.is_empty() {
        return outputs;
    }

    let mut extra: Vec<(LoadOutput, Vec<FileId>)> = Vec::new();
    let mut reached: BTreeSet<FileId> = BTreeSet::new();
    let mut roots: Vec<(FileId, usize)> = unit_of
        .iter()
        .map(|(&f, &i)| (f, i))
        .filter(|(f, _)| !children.contains(f) && edges_of.contains_key(f))
        .collect();
    roots.sort();
    for (root, i) in roots {
        let mut chain = vec![root];
        let edges = edges_of.remove(&root).unwrap_or_default();
        let mut stack = Vec::new();
        instantiate(
            &edges,
            &mut chain,
            sources,
            by_path,
            opts,
            &mut reached,
            &mut stack,
        );
        // A root template and what it instantiates are one output, checked together; the
        // outputs of different roots share nothing (they can be checked side by side).
        let (mut group, mut files) = std::mem::take(&mut outputs[i]);
        for (o, f) in stack {
            group.merge(o);
            files.extend(f);
        }
        extra.push((group, files));
    }
    // Children no root reaches (only in a cycle): checked on their own, the cycle reported.
    let unreached: Vec<FileId> = children
        .iter()
        .copied()
        .filter(|c| !reached.contains(c))
        .collect();
    for c in &unreached {
        if let Some(edges) = edges_of.get(c) {
            let mut chain = vec![*c];
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            instantiate(
                edges, &mut chain, sources, by_path, opts, &mut seen, &mut out,
            );
            // Keep only the cycle errors from this walk; the standalone load stays.
            for (o, _) in out {
                extra.push((
                    LoadOutput {
                        diagnostics: o
                            .diagnostics
                            .into_iter()
                            .filter(|d| d.message.contains("cycle"))
                            .collect(),
                        ..Default::default()
                    },
                    Vec::new(),
                ));
            }
        }
    }
    for c in reached {
        if let Some(&i) = unit_of.get(&c) {
            // Keep the diagnostics of the standalone load (once); drop its resources.
            let standalone = std::mem::take(&mut outputs[i].0);
            outputs[i].0.diagnostics = standalone.diagnostics;
        }
    }
    outputs.extend(extra);
    outputs
}

fn is_cfn(out: &LoadOutput) -> bool {
    out.scopes
        .first()
        .is_some_and(|s| s.format == Format::CloudFormation)
}

fn instantiate(
    edges: &[Edge],
    chain: &mut Vec<FileId>,
    sources: &SourceMap,
    by_path: &Templates,
    opts: &CfnOptions,
    reached: &mut BTreeSet<FileId>,
    out: &mut Vec<(LoadOutput, Vec<FileId>)>,
) {
    let Some(&parent) = chain.last() else {
        return;
    };
    for e in edges {
        if chain.contains(&e.child) {
            let names: Vec<String> = chain
                .iter()
                .chain(std::iter::once(&e.child))
                .filter_map(|f| sources.get(*f).map(|s| s.display.clone()))
                .collect();
            out.push((
                LoadOutput {
                    diagnostics: vec![Diagnostic::error(
                        parent,
                        Some(e.url_span),
                        format!("nested stack cycle: {}", names.join(" → ")),
                    )],
                    ..Default::default()
                },
                Vec::new(),
            ));
            continue;
        }
        if chain.len() > MAX_NESTING {
            out.push((
                LoadOutput {
                    diagnostics: vec![Diagnostic::error(
                        parent,
                        Some(e.url_span),
                        format!("nested stacks deeper than {MAX_NESTING} levels are not followed"),
                    )],
                    ..Default::default()
                },
                Vec::new(),
            ));
            continue;
        }
        let Some(file) = sources.get(e.child) else {
            continue;
        };
        let child_opts = CfnOptions {
            inherited: Some(e.parameters.clone()),
            ..opts.clone()
        };
        let Some(mut loaded) = super::load(file, &child_opts) else {
            continue;
        };
        reached.insert(e.child);
        let parent_name = sources
            .get(parent)
            .map(|f| f.display.clone())
            .unwrap_or_default();
        for s in &mut loaded.scopes {
            s.name = format!(
                "{} (nested stack `{}` of {parent_name})",
                s.name, e.logical_id
            );
        }
        // The standalone load reported the template's own problems already.
        loaded.diagnostics.retain(|d| d.file != e.child);
        let (grand, diags) = edges_list(&loaded, e.child, sources, by_path);
        loaded.diagnostics.extend(diags);
        out.push((loaded, vec![e.child]));
        if !grand.is_empty() {
            chain.push(e.child);
            instantiate(&grand, chain, sources, by_path, opts, reached, out);
            chain.pop();
        }
    }
}

fn edges_list(
    out: &LoadOutput,
    file: FileId,
    sources: &SourceMap,
    by_path: &Templates,
) -> (Vec<Edge>, Vec<Diagnostic>) {
    edges(out, file, sources, by_path)
}

/// The local nested stacks of one loaded template.
fn edges(
    out: &LoadOutput,
    file: FileId,
    sources: &SourceMap,
    by_path: &Templates,
) -> (Vec<Edge>, Vec<Diagnostic>) {
    let mut edges = Vec::new();
    let mut diags = Vec::new();
    let Some(src) = sources.get(file) else {
        return (edges, diags);
    };
    let dir = src.path.parent().unwrap_or(Path::new("."));
    for r in &out.resources {
        if r.mode != Mode::Managed || r.rtype != "AWS::CloudFormation::Stack" {
            continue;
        }
        // A CDK nested stack: the URL is an asset, the template sits next to its parent.
        let asset = r
            .metadata
            .as_ref()
            .and_then(|m| m.get("aws:asset:path"))
            .filter(|p| p.as_str().is_some_and(|s| s.ends_with(".json")));
        let Some(url) = asset.or_else(|| r.body.get("TemplateURL")) else {
            continue;
        };
        let Some(text) = url.as_str() else {
            continue;
        };
        if !is_local(text) {
            continue;
        }
        let path = dir.join(text);
        let Some(child) = std::fs::canonicalize(&path)
            .ok()
            .and_then(|p| by_path.get(&p))
        else {
            let why = if path.exists() {
                "is not part of the scan"
            } else {
                "does not exist"
            };
            diags.push(Diagnostic::note(
                file,
                Some(url.span),
                format!("nested stack template `{text}` {why}; its resources are not checked"),
            ));
            continue;
        };
        let parameters = r
            .body
            .get("Parameters")
            .and_then(Value::as_map)
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.clone()))
                    .collect()
            })
            .unwrap_or_default();
        edges.push(Edge {
            child,
            url_span: url.span,
            logical_id: r.name.clone(),
            parameters,
        });
    }
    (edges, diags)
}

/// A relative or absolute file path, not a URL (`https://`, `s3://`) or a template expression.
fn is_local(url: &str) -> bool {
    !url.is_empty() && !url.contains("://") && !url.contains('\u{FFFC}')
}

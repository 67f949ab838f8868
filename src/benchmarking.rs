//! Entry points for the benchmarks in `benches/` (not a stable API): each stage of the pipeline
//! on text held in memory, so that a benchmark measures one stage, not the file system.

use crate::resource::LoadOutput;
use crate::rules::{registry, Outcomes};
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

/// A file's line index (what every file read costs before any parsing).
pub fn index_lines(text: &str) -> usize {
    file("main.tf", text).line_starts().len()
}

/// Parses Terraform native syntax (hcl-edit) without evaluating: the number of top-level blocks.
pub fn terraform_parse(text: &str) -> usize {
    let f = file("main.tf", text);
    let mut diags = Vec::new();
    crate::terraform::parse::parse_file(&f, &mut diags).map_or(0, |(_, body)| body.blocks().count())
}

/// Parses a CloudFormation template (YAML, or JSON when `json`) into the value tree, without
/// resolving intrinsics: whether it parsed.
pub fn cloudformation_parse(text: &str, json: bool) -> bool {
    let f = file(
        if json {
            "template.json"
        } else {
            "template.yaml"
        },
        text,
    );
    let parsed = crate::cloudformation::parse(&f);
    parsed.root.is_some() && !parsed.failed
}

/// One loaded unit and its sources, ready for the model, graph and rules.
pub struct Loaded {
    out: LoadOutput,
    sources: SourceMap,
}

impl Loaded {
    /// Resources loaded.
    pub fn resources(&self) -> usize {
        self.out.resources.len()
    }

    /// Builds the typed service models and the resource graph: the number of graph edges.
    pub fn model(&self) -> usize {
        let model = crate::adapt::build_model(&self.out.resources, &self.out.scopes, &self.sources);
        model.graph.edge_count()
    }

    /// Builds the model and runs every rule on it: the number of outcomes.
    pub fn rules(&self) -> usize {
        let model = crate::adapt::build_model(&self.out.resources, &self.out.scopes, &self.sources);
        registry()
            .iter()
            .map(|rule| {
                let mut out = Outcomes::for_model(rule.id(), &model);
                rule.check(&model, &mut out);
                out.items.len()
            })
            .sum()
    }
}

fn sources_of(f: &Arc<SourceFile>) -> SourceMap {
    let sources = SourceMap::default();
    sources.add(f.path.clone(), f.display.clone(), f.text.clone());
    sources
}

/// Parses and evaluates one Terraform file as a root module (no file access).
pub fn terraform_load(text: &str) -> Loaded {
    let f = file("main.tf", text);
    let (out, _) = crate::terraform::load_root(
        Path::new("."),
        std::slice::from_ref(&f),
        &crate::terraform::TfOptions::default(),
        &crate::terraform::NoFiles,
    );
    Loaded {
        sources: sources_of(&f),
        out,
    }
}

/// Loads one CloudFormation template (parse, intrinsics, conditions).
pub fn cloudformation_load(text: &str, json: bool) -> Loaded {
    let f = file(
        if json {
            "template.json"
        } else {
            "template.yaml"
        },
        text,
    );
    let out = crate::cloudformation::load(&f, &crate::cloudformation::CfnOptions::default())
        .unwrap_or_default();
    Loaded {
        sources: sources_of(&f),
        out,
    }
}

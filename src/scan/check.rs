//! Step 4, per batch of loaded units: the model and its graph, the rules (and Guard
//! policies), and what their outcomes become. A batch's evaluated trees are dropped as soon as
//! it is checked, so a scan holds the trees of a few batches at a time, not of the whole
//! input (memory grows with the largest unit, not with the repository).

use super::findings::{self, Collected};
use super::{detail, Config};
use crate::adapt::build_model;
use crate::resource::{Diagnostic, EvalStats, LoadOutput, Mode};
use crate::rules::{Outcome, Outcomes, Rule};
use crate::source::{FileId, SourceMap};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What checking needs besides the batch: the rules, the configuration, the sources.
pub(super) struct Checker<'a> {
    pub rules: &'a [Box<dyn Rule>],
    pub config: &'a Config,
    /// Pre-commit mode: only findings in these files are reported.
    pub report_only: Option<&'a BTreeSet<PathBuf>>,
}

/// What the batches of a scan produced, merged.
#[derive(Debug, Default)]
pub(super) struct Checked {
    pub collected: Collected,
    /// The loaders' and the Guard run's problems.
    pub diagnostics: Vec<Diagnostic>,
    /// With `Config::detail`: pass and unknown outcomes, and the resource inventory.
    pub checks: Vec<detail::Check>,
    pub inventory: detail::Inventory,
    /// Managed resources checked.
    pub resources: usize,
    pub graph_edges: usize,
    pub stats: EvalStats,
}

impl Checked {
    pub fn append(&mut self, other: Checked) {
        self.collected.append(other.collected);
        self.diagnostics.extend(other.diagnostics);
        self.checks.extend(other.checks);
        self.inventory.append(other.inventory);
        self.resources += other.resources;
        self.graph_edges += other.graph_edges;
        self.stats.add(other.stats);
    }
}

impl Checker<'_> {
    /// Checks one batch and drops its trees. A panic (a bug) becomes an error on the batch's
    /// first file; the scan goes on.
    pub fn check(&self, mut loaded: LoadOutput, sources: &SourceMap) -> Checked {
        let first_file = loaded
            .resources
            .first()
            .map(|r| r.file())
            .or_else(|| loaded.diagnostics.first().map(|d| d.file))
            .unwrap_or(FileId(0));
        let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
        let stats = loaded.stats;
        let run = || self.check_inner(loaded, sources);
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
            Ok(mut checked) => {
                checked.diagnostics.splice(0..0, diagnostics);
                checked
            }
            Err(_) => {
                diagnostics.push(Diagnostic::error(
                    first_file,
                    None,
                    "internal error while checking this file (a bug in ftrlint; please report it)",
                ));
                Checked {
                    diagnostics,
                    stats,
                    ..Checked::default()
                }
            }
        }
    }

    fn check_inner(&self, loaded: LoadOutput, sources: &SourceMap) -> Checked {
        let model = build_model(&loaded.resources, &loaded.scopes, sources);
        let mut outcomes = run_rules(self.rules, &model);
        let mut diagnostics = Vec::new();
        if let Some(policies) = &self.config.policies {
            let selected = |id: &str| self.config.rules.includes(id);
            let mut run = crate::guard::run(policies, &selected, &loaded.resources, &loaded.scopes);
            outcomes.append(&mut run.outcomes);
            diagnostics.append(&mut run.diagnostics);
        }
        let both = (&loaded.resources[..], &loaded.scopes[..]);
        let collected = findings::collect(
            &outcomes,
            both,
            sources,
            self.report_only,
            self.config.policies.as_deref(),
        );
        let (checks, inventory) = if self.config.detail {
            (
                detail::checks(&outcomes, both, sources),
                detail::inventory(both, &model.graph, sources),
            )
        } else {
            (Vec::new(), detail::Inventory::default())
        };
        Checked {
            collected,
            diagnostics,
            checks,
            inventory,
            resources: loaded
                .resources
                .iter()
                .filter(|r| r.mode == Mode::Managed)
                .count(),
            graph_edges: model.graph.edge_count(),
            stats: loaded.stats,
        }
    }
}

/// Every rule on the model (in parallel: a large batch is one template or root module).
fn run_rules(rules: &[Box<dyn Rule>], model: &crate::model::Model<'_>) -> Vec<Outcome> {
    rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut out = Outcomes::for_model(rule.id(), model);
            rule.check(model, &mut out);
            out.items
        })
        .collect()
}

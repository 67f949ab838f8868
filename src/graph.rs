//! The resource graph: resources are nodes; references between them (Terraform attribute
//! references, CloudFormation `Ref`/`GetAtt`/`Sub`/`DependsOn`) are edges. References resolve
//! within the scope (module instance / template) they were written in. Adapters ask it which
//! resource a value designates ([`Graph::targets_of`]); split resources are joined through it
//! (`crate::adapt::join`).

use crate::resource::{Resource, Scope, ScopeId};
use crate::value::{RefKind, Reference, Value};
use std::collections::HashMap;

/// Index of a resource in the scan's resource list.
pub type ResIdx = usize;

#[derive(Debug)]
pub struct Graph<'a> {
    by_address: HashMap<(ScopeId, &'a str), ResIdx>,
    /// The root scope of each scope (see [`crate::resource::tree_roots`]).
    roots: Vec<ScopeId>,
    /// References (and `DependsOn`) that resolve to another resource of the scan.
    edges: usize,
}

impl<'a> Graph<'a> {
    /// The graph, with references resolved across each Terraform root's module tree.
    pub fn build_scoped(resources: &'a [Resource], scopes: &[Scope]) -> Self {
        let roots = crate::resource::tree_roots(scopes);
        let root_of = |s: ScopeId| roots.get(s.0 as usize).copied().unwrap_or(s);
        let mut by_address = HashMap::with_capacity(resources.len());
        for (i, r) in resources.iter().enumerate() {
            by_address
                .entry((root_of(r.scope), r.address.as_str()))
                .or_insert(i);
        }
        let mut g = Graph {
            by_address,
            roots,
            edges: 0,
        };
        for (i, r) in resources.iter().enumerate() {
            let refs = r.body.references().into_iter().chain(r.depends_on.iter());
            for reference in refs {
                if g.resolve(r.scope, reference).is_some_and(|to| to != i) {
                    g.edges += 1;
                }
            }
        }
        g
    }

    /// The resource a reference points at, in the given scope.
    pub fn resolve(&self, scope: ScopeId, reference: &Reference) -> Option<ResIdx> {
        let scope = self.roots.get(scope.0 as usize).copied().unwrap_or(scope);
        match reference.kind {
            RefKind::Resource | RefKind::Data => {
                let t = reference.target.as_str();
                self.by_address.get(&(scope, t)).copied().or_else(|| {
                    // `aws_x.y[0]` of a resource evaluated once (unknown count).
                    let base = t.strip_suffix(']').and_then(|b| b.rsplit_once('['))?.0;
                    self.by_address.get(&(scope, base)).copied()
                })
            }
            _ => None,
        }
    }

    /// Resources a value refers to (in the scope of `from`), with the attribute read.
    pub fn targets_of<'v>(
        &self,
        scope: ScopeId,
        value: &'v Value,
    ) -> Vec<(ResIdx, Option<&'v str>)> {
        value
            .references()
            .into_iter()
            .filter_map(|r| self.resolve(scope, r).map(|i| (i, r.attr.as_deref())))
            .collect()
    }

    pub fn edge_count(&self) -> usize {
        self.edges
    }
}

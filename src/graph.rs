//! The resource graph: resources are nodes; references between them (Terraform attribute
//! references, CloudFormation `Ref`/`GetAtt`/`Sub`/`DependsOn`) are edges. References resolve
//! within the scope (module instance / template) they were written in.

use crate::resource::{Resource, Scope, ScopeId};
use crate::source::Span;
use crate::value::{RefKind, Reference, Value};
use std::collections::HashMap;

/// Index of a resource in the scan's resource list.
pub type ResIdx = usize;

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: ResIdx,
    pub to: ResIdx,
    /// Attribute read from the target (`id`, `arn`, `Arn`), if any.
    pub attr: Option<String>,
    /// Where the reference is written.
    pub span: Span,
}

#[derive(Debug)]
pub struct Graph<'a> {
    resources: &'a [Resource],
    by_address: HashMap<(ScopeId, &'a str), ResIdx>,
    /// The root scope of each scope (see [`crate::resource::tree_roots`]).
    roots: Vec<ScopeId>,
    outgoing: Vec<Vec<Edge>>,
    incoming: Vec<Vec<Edge>>,
}

impl<'a> Graph<'a> {
    pub fn build(resources: &'a [Resource]) -> Self {
        Self::build_scoped(resources, &[])
    }

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
            resources,
            by_address,
            roots,
            outgoing: vec![Vec::new(); resources.len()],
            incoming: vec![Vec::new(); resources.len()],
        };
        for (i, r) in resources.iter().enumerate() {
            let refs = r.body.references().into_iter().chain(r.depends_on.iter());
            for reference in refs {
                if let Some(to) = g.resolve(r.scope, reference) {
                    if to == i {
                        continue;
                    }
                    let edge = Edge {
                        from: i,
                        to,
                        attr: reference.attr.clone(),
                        span: reference.span,
                    };
                    g.incoming[to].push(edge.clone());
                    g.outgoing[i].push(edge);
                }
            }
        }
        g
    }

    pub fn resources(&self) -> &'a [Resource] {
        self.resources
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

    /// Resources that refer to `to`.
    pub fn referrers(&self, to: ResIdx) -> &[Edge] {
        self.incoming.get(to).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Resources `from` refers to.
    pub fn references(&self, from: ResIdx) -> &[Edge] {
        self.outgoing.get(from).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Resources of type `rtype` that refer to `to`.
    pub fn referrers_of_type(&self, to: ResIdx, rtype: &str) -> Vec<ResIdx> {
        let mut out: Vec<ResIdx> = Vec::new();
        for e in self.referrers(to) {
            if self.resources[e.from].rtype == rtype && !out.contains(&e.from) {
                out.push(e.from);
            }
        }
        out
    }

    pub fn edge_count(&self) -> usize {
        self.outgoing.iter().map(Vec::len).sum()
    }
}

//! Helpers shared by the YAML and JSON tree builders, so both report duplicate keys and
//! excessive nesting the same way.

use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Str, Value};
use std::collections::HashMap;

/// Deepest container nesting accepted; deeper nodes are reported and replaced by null.
/// Real templates rarely exceed 15 levels; the bound keeps every recursive walk over the tree
/// (resolution, rules, drop) far from the stack limit.
pub(crate) const MAX_DEPTH: usize = 128;

pub(crate) fn too_deep(file: &SourceFile, span: Span) -> Diagnostic {
    Diagnostic::error(
        file.id,
        Some(span),
        format!("nesting deeper than {MAX_DEPTH} levels; the rest of this value is ignored"),
    )
}

/// Makes room for one more item, growing a full vector by a quarter rather than doubling it:
/// the lists of a large template (its resources) would otherwise keep up to half their
/// size free at the moment memory peaks. Still geometric, so pushing stays amortised O(1).
pub(crate) fn grow_by_quarter<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact(v.len() / 4 + 4);
    }
}

/// Entries of a map being built; the first of duplicate keys wins.
#[derive(Default)]
pub(crate) struct MapAcc {
    pub entries: Vec<Entry>,
    /// Key → position in `entries`, built only once the map is large: most maps have a few
    /// keys, and a hash map (with a copy of every key) per map was a large share of the memory
    /// and allocations of a big template.
    index: Option<HashMap<Str, usize>>,
}

/// Maps with more entries than this get a hash index for the duplicate check.
const INDEX_FROM: usize = 16;

impl MapAcc {
    pub fn push(
        &mut self,
        file: &SourceFile,
        diags: &mut Vec<Diagnostic>,
        key: String,
        key_span: Span,
        value: Value,
    ) {
        let key = Str::from(key);
        let first = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => self.entries.iter().position(|e| e.key == key),
        };
        if let Some(first) = first.and_then(|i| self.entries.get(i)) {
            let line = file.line_col(first.key_span.start).line;
            diags.push(Diagnostic::error(
                file.id,
                Some(key_span),
                format!("duplicate key `{key}` (first at line {line})"),
            ));
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        } else if self.entries.len() >= INDEX_FROM {
            let mut index: HashMap<Str, usize> = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            index.insert(key.clone(), self.entries.len());
            self.index = Some(index);
        }
        grow_by_quarter(&mut self.entries);
        self.entries.push(Entry {
            key,
            key_span,
            value,
        });
    }

    /// The entries, without spare capacity (the tree lives for the whole scan).
    pub fn into_entries(self) -> Vec<Entry> {
        let mut entries = self.entries;
        entries.shrink_to_fit();
        entries
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_full_vector_grows_by_a_quarter() {
        let mut v: Vec<u8> = Vec::new();
        for i in 0..10_000u32 {
            super::grow_by_quarter(&mut v);
            v.push((i % 251) as u8);
            // Never more than a quarter (plus the first few) free.
            assert!(
                v.capacity() <= v.len() + v.len() / 4 + 4,
                "{} {}",
                v.len(),
                v.capacity()
            );
        }
        assert_eq!(v.len(), 10_000);
        assert_eq!(v.get(9_999), Some(&((9_999 % 251) as u8)));
    }
}

//! Source files, their line index, and spans into them.
//!
//! A [`Span`] is a byte range in one file. Line and column are computed on demand from the
//! file's line index, so parsers only need to produce byte offsets.

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Index of a file in the scan's [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range `[start, end)` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }
    /// The smallest span covering both (same file), or `self` when the files differ.
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// One file read for the scan.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as given/discovered (used to read the file and to find siblings).
    pub path: PathBuf,
    /// Path shown to users: relative to the current directory when possible.
    pub display: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
    /// What the file's front end made of it, parsed once however many module instances or
    /// passes read the file (see [`SourceFile::memo`]).
    parsed: OnceLock<Arc<dyn Any + Send + Sync>>,
}

impl SourceFile {
    pub fn new(id: FileId, path: PathBuf, display: String, text: Arc<str>) -> Self {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        SourceFile {
            id,
            path,
            display,
            text,
            line_starts,
            parsed: OnceLock::new(),
        }
    }

    /// Computes `f` once per file and keeps the result (a parse tree, say). A file is read by one
    /// front end; should another ask for a different type, it gets a fresh, uncached result.
    pub fn memo<T: Any + Send + Sync>(&self, f: impl FnOnce() -> T) -> Arc<T> {
        if let Some(slot) = self.parsed.get() {
            return match Arc::clone(slot).downcast::<T>() {
                Ok(v) => v,
                Err(_) => Arc::new(f()),
            };
        }
        let v = Arc::new(f());
        // Two threads may race here; both results are equal and either may be kept.
        let _ = self.parsed.set(v.clone() as Arc<dyn Any + Send + Sync>);
        v
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }

    /// Line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line_idx] as usize;
        let end = (offset as usize).min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        LineCol {
            line: line_idx as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Byte offset of a 1-based line and 0-based character column (as YAML parsers report).
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = start as usize;
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(char_col)
            .map(|(i, _)| start + i)
            .unwrap_or_else(|| start + rest.find('\n').unwrap_or(rest.len()))
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text
            .get(start as usize..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// All files of a scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, display: String, text: Arc<str>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files
            .push(Arc::new(SourceFile::new(id, path, display, text)));
        id
    }
    pub fn get(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.0 as usize)
    }
    pub fn files(&self) -> &[Arc<SourceFile>] {
        &self.files
    }
    /// Replaces a file's text by one of the same length (masking secrets before reporting).
    pub fn replace_text(&mut self, id: FileId, text: Arc<str>) {
        if let Some(slot) = self.files.get_mut(id.0 as usize) {
            let f = &**slot;
            *slot = Arc::new(SourceFile::new(id, f.path.clone(), f.display.clone(), text));
        }
    }
    pub fn by_path(&self, path: &Path) -> Option<&Arc<SourceFile>> {
        self.files.iter().find(|f| f.path == path)
    }
    /// Start line/column and end line/column of a span.
    pub fn locate(&self, span: Span) -> Option<(LineCol, LineCol)> {
        let f = self.get(span.file)?;
        Some((f.line_col(span.start), f.line_col(span.end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_and_offsets() {
        let f = SourceFile::new(FileId(0), "a".into(), "a".into(), Arc::from("ab\ncdé\nx"));
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(f.offset_of(2, 2), 5);
        assert_eq!(f.line_text(2), "cdé");
    }
}

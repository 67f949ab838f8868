//! Source files, their line index, and spans into them.
//!
//! A [`Span`] is a byte range in one file. Line and column are computed on demand from the
//! file's line index, so parsers only need to produce byte offsets.

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

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
    index: OnceLock<LineIndex>,
    /// What the file's front end made of it, parsed once however many module instances or
    /// passes read the file (see [`SourceFile::memo`]); released by [`SourceFile::forget`]
    /// once no unit of the scan needs it any more.
    parsed: Mutex<Option<Arc<dyn Any + Send + Sync>>>,
}

/// Where lines start, and character counts at block boundaries.
#[derive(Debug)]
struct LineIndex {
    line_starts: Vec<u32>,
    /// Characters before every [`CHAR_BLOCK`]-byte boundary: columns on a long line (minified
    /// JSON) are found from the nearest mark, not by counting from the line start.
    char_marks: Vec<u32>,
}

impl SourceFile {
    pub fn new(id: FileId, path: PathBuf, display: String, text: Arc<str>) -> Self {
        SourceFile {
            id,
            path,
            display,
            text,
            index: OnceLock::new(),
            parsed: Mutex::new(None),
        }
    }

    /// The line index, built on first use: most files of a scan never need a position (no
    /// finding, no error), and building it is a pass over every byte.
    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| {
            let text = self.text.as_bytes();
            let mut line_starts = vec![0u32];
            line_starts.extend(
                memchr::memchr_iter(b'\n', text).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            );
            let mut char_marks = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
            let mut chars = 0u32;
            for block in text.chunks(CHAR_BLOCK) {
                char_marks.push(chars);
                let n = block.iter().filter(|b| is_char_start(**b)).count();
                chars = chars.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            }
            LineIndex {
                line_starts,
                char_marks,
            }
        })
    }

    /// Computes `f` once per file and keeps the result (a parse tree, say). A file is read by one
    /// front end; should another ask for a different type, it gets a fresh, uncached result.
    pub fn memo<T: Any + Send + Sync>(&self, f: impl FnOnce() -> T) -> Arc<T> {
        let kept = self.parsed.lock().ok().and_then(|slot| slot.clone());
        if let Some(slot) = kept {
            return match slot.downcast::<T>() {
                Ok(v) => v,
                Err(_) => Arc::new(f()),
            };
        }
        // Computed outside the lock; two threads may race here, both results are equal and
        // either may be kept.
        let v = Arc::new(f());
        if let Ok(mut slot) = self.parsed.lock() {
            if slot.is_none() {
                *slot = Some(v.clone() as Arc<dyn Any + Send + Sync>);
            }
        }
        v
    }

    /// Drops the memoised result (a module's parse trees are most of a scan's memory; they
    /// are kept only while units that call the module remain to be loaded).
    pub fn forget(&self) {
        if let Ok(mut slot) = self.parsed.lock() {
            *slot = None;
        }
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.index().line_starts
    }

    /// Characters before byte `offset` (clamped): O(log n + CHAR_BLOCK).
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let offset = offset.min(bytes.len());
        let block = offset / CHAR_BLOCK;
        let Some(&mark) = self.index().char_marks.get(block) else {
            return 0;
        };
        let from = block * CHAR_BLOCK;
        mark as usize
            + bytes[from..offset]
                .iter()
                .filter(|&&b| is_char_start(b))
                .count()
    }

    /// Line and column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_idx = match self.index().line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.index().line_starts.get(line_idx).copied().unwrap_or(0) as usize;
        let column = self
            .chars_before(offset as usize)
            .saturating_sub(self.chars_before(start));
        LineCol {
            line: line_idx as u32 + 1,
            column: u32::try_from(column).unwrap_or(u32::MAX).saturating_add(1),
        }
    }

    /// Byte offset of a 1-based line and 0-based character column (as YAML parsers report);
    /// a column past the end of the file gives the end of that line.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.index().line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = start as usize;
        let target = self.chars_before(start).saturating_add(char_col);
        // The last block starting at or before the target character, then a short scan.
        let block = self
            .index()
            .char_marks
            .partition_point(|&m| (m as usize) <= target)
            .saturating_sub(1)
            .max(start / CHAR_BLOCK);
        let bytes = self.text.as_bytes();
        let mut chars = self.chars_before(block * CHAR_BLOCK);
        for (i, &b) in bytes.iter().enumerate().skip(block * CHAR_BLOCK) {
            if is_char_start(b) {
                if chars == target {
                    return i;
                }
                chars += 1;
            }
        }
        let rest = &bytes[start..];
        start + rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
    }

    /// Line and column just past the last character of a 1-based line (before its newline).
    pub fn line_end(&self, line: u32) -> LineCol {
        let idx = line.saturating_sub(1) as usize;
        let end = match self.index().line_starts.get(idx + 1) {
            Some(&next) => {
                let next = next as usize;
                let crlf = self.text.as_bytes().get(next.saturating_sub(2)) == Some(&b'\r');
                next.saturating_sub(if crlf { 2 } else { 1 })
            }
            None => self.text.len(),
        };
        self.line_col(u32::try_from(end).unwrap_or(u32::MAX))
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = line.saturating_sub(1) as usize;
        let Some(&start) = self.index().line_starts.get(idx) else {
            return "";
        };
        let end = self
            .index()
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

/// Bytes between two character-count marks of a file.
const CHAR_BLOCK: usize = 1024;

/// A byte that starts a UTF-8 character (not a continuation byte).
fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// All files of a scan, indexed by [`FileId`].
///
/// Append-only and readable while it grows (`boxcar`): units are loaded and checked in
/// parallel while loaders register module files and `file()` targets, and a registered file
/// never moves, so a checker holds `&SourceFile`s without a lock.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: boxcar::Vec<Arc<SourceFile>>,
}

impl SourceMap {
    /// Registers a file; its id is its index. Safe from several threads at once.
    pub fn add(&self, path: PathBuf, display: String, text: Arc<str>) -> FileId {
        let index = self.files.push_with(|index| {
            Arc::new(SourceFile::new(
                FileId(u32::try_from(index).unwrap_or(u32::MAX)),
                path,
                display,
                text,
            ))
        });
        FileId(u32::try_from(index).unwrap_or(u32::MAX))
    }
    pub fn get(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.0 as usize)
    }
    /// Every registered file, in id order.
    pub fn files(&self) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.iter().map(|(_, f)| f)
    }
    /// How many files are registered.
    pub fn len(&self) -> usize {
        self.files.count()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    /// Replaces a file's text by one of the same length (masking secrets before reporting).
    pub fn replace_text(&mut self, id: FileId, text: Arc<str>) {
        if let Some(slot) = self.files.get_mut(id.0 as usize) {
            let f = &**slot;
            *slot = Arc::new(SourceFile::new(id, f.path.clone(), f.display.clone(), text));
        }
    }
    pub fn by_path(&self, path: &Path) -> Option<&Arc<SourceFile>> {
        self.files().find(|f| f.path == path)
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
        assert_eq!(f.offset_of(2, 99), 7);
        assert_eq!(f.offset_of(9, 0), 9);
    }

    /// Marks agree with counting from the line start, across blocks and multi-byte characters.
    #[test]
    fn long_lines_agree_with_counting() {
        let text: String = (0..5000)
            .map(|i| {
                if i % 7 == 0 {
                    "é"
                } else if i % 1500 == 0 {
                    "\n"
                } else {
                    "a"
                }
            })
            .collect();
        let f = SourceFile::new(FileId(0), "a".into(), "a".into(), Arc::from(text.as_str()));
        for (off, _) in text.char_indices().step_by(37) {
            let lc = f.line_col(off as u32);
            let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
            let col = text[line_start..off].chars().count();
            assert_eq!(lc.column as usize, col + 1, "offset {off}");
            assert_eq!(f.offset_of(lc.line as usize, col), off, "offset {off}");
        }
    }
}

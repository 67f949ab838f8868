//! Masking: a detected secret is never printed in full, by any report format.
//!
//! The last step of a scan, before a [`crate::scan::Report`] exists: the source texts a
//! report can quote (snippets) have every secret span overwritten after a short prefix (same
//! byte length, so every other span and position stays valid), and every message has each
//! secret's text replaced by its masked form. Report formats, present and future, therefore
//! cannot print a secret: they never see one.
//!
//! What is masked: the secret spans of the findings (FTR-SEC-… rules) and, whatever rules
//! ran, every AWS access key in the scanned text.

use crate::scan::detail::Check;
use crate::scan::{Finding, InputError};
use crate::secrets::{aws_keys, masked};
use crate::source::{FileId, SourceMap, Span};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Secrets searched for beyond their spans (other files, messages): long enough, and not a
/// plain word, so masking them never mangles unrelated text (`wordpress` as a password is
/// masked where it is written, not in every sentence that says WordPress).
fn distinctive(s: &str) -> bool {
    s.len() >= 8 && !s.chars().all(char::is_alphabetic)
}

pub(crate) fn mask_secrets(
    findings: &mut [Finding],
    (errors, notes): (&mut [InputError], &mut [InputError]),
    checks: &mut [Check],
    sources: &mut SourceMap,
) {
    let mut spans: BTreeMap<FileId, Vec<(usize, usize)>> = BTreeMap::new();
    let mut add = |s: Span| {
        spans
            .entry(s.file)
            .or_default()
            .push((s.start as usize, s.end as usize));
    };
    for f in findings.iter() {
        f.secrets.iter().copied().for_each(&mut add);
    }
    // Every file is searched (twice: keys, then the secrets found): in parallel, as this
    // runs after the batches.
    let files: Vec<_> = sources.files().collect();
    let keys: Vec<Vec<Span>> = files
        .par_iter()
        .map(|file| {
            aws_keys(&file.text)
                .into_iter()
                .filter(|h| !h.example)
                .map(|hit| Span::new(file.id, hit.start, hit.end))
                .collect()
        })
        .collect();
    keys.into_iter().flatten().for_each(&mut add);
    if spans.is_empty() {
        return;
    }

    // The secrets' texts, then each affected file masked at its spans.
    let mut secrets: Vec<String> = Vec::new();
    let mut texts: BTreeMap<FileId, Vec<u8>> = BTreeMap::new();
    for (id, list) in &spans {
        let Some(file) = sources.get(*id) else {
            continue;
        };
        let text = &file.text;
        let mut bytes = text.as_bytes().to_vec();
        for &(start, end) in list {
            let Some((start, end)) = unquoted(text, start, end) else {
                continue;
            };
            let secret = &text[start..end];
            overwrite(&mut bytes, start, secret);
            secrets.push(secret.to_string());
        }
        texts.insert(*id, bytes);
    }
    secrets.sort();
    secrets.dedup();
    // The same secret elsewhere (another file, a second use) is masked too.
    let long: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| distinctive(s))
        .collect();
    // Every occurrence of each secret, overlapping ones included: SIMD substring search of
    // every file for every secret, files in parallel (sequential, this was 3 % of a corpus
    // scan on one core while the other waited).
    let finders: Vec<memchr::memmem::Finder<'_>> = long
        .iter()
        .map(|s| memchr::memmem::Finder::new(s.as_bytes()))
        .collect();
    let found: Vec<(FileId, Vec<(usize, usize)>)> = files
        .par_iter()
        .filter_map(|file| {
            let text = file.text.as_bytes();
            let at: Vec<(usize, usize)> = finders
                .iter()
                .enumerate()
                .flat_map(|(k, f)| f.find_iter(text).map(move |at| (at, k)))
                .collect();
            (!at.is_empty()).then_some((file.id, at))
        })
        .collect();
    for (id, at) in found {
        let Some(file) = sources.get(id) else {
            continue;
        };
        let bytes = texts
            .entry(id)
            .or_insert_with(|| file.text.as_bytes().to_vec());
        for (at, k) in at {
            overwrite(bytes, at, long[k]);
        }
    }
    for (id, bytes) in texts {
        // Only ASCII `*` replaced whole characters: still UTF-8.
        if let Ok(s) = String::from_utf8(bytes) {
            sources.replace_text(id, Arc::from(s));
        }
    }

    let mask = |text: &mut String| {
        for s in &long {
            if text.contains(s) {
                *text = text.replace(s, &masked(s));
            }
        }
    };
    let mask_shared = |text: &mut Arc<str>| {
        if long.iter().any(|s| text.contains(s)) {
            let mut owned = text.to_string();
            mask(&mut owned);
            *text = Arc::from(owned);
        }
    };
    for f in findings.iter_mut() {
        mask(&mut f.message);
        mask_shared(&mut f.title);
        mask_shared(&mut f.remediation);
    }
    for e in errors.iter_mut().chain(notes.iter_mut()) {
        mask(&mut e.message);
    }
    for c in checks.iter_mut() {
        for text in c
            .reason
            .iter_mut()
            .chain(c.value.iter_mut())
            .chain(c.sources.iter_mut())
        {
            mask(text);
        }
    }
}

/// The span without surrounding quotes, on character boundaries; `None` when empty.
fn unquoted(text: &str, mut start: usize, mut end: usize) -> Option<(usize, usize)> {
    end = end.min(text.len());
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    let s = text.get(start..end)?;
    let quotes = ['"', '\''];
    if s.len() >= 2 && s.starts_with(quotes) && s.ends_with(quotes) {
        start += 1;
        end -= 1;
    }
    (end > start).then_some((start, end))
}

/// Overwrites `secret` at `at` in `bytes`, keeping the prefix [`masked`] shows and turning
/// every byte of the rest into `*` (same length).
fn overwrite(bytes: &mut [u8], at: usize, secret: &str) {
    let shown = masked(secret).len() - "****".len();
    for b in bytes.iter_mut().skip(at + shown).take(secret.len() - shown) {
        *b = b'*';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwrites_after_the_prefix_with_the_same_length() {
        let mut b = b"key = \"AKIAZ7Q3HMDKQ2XW4P5N\"".to_vec();
        overwrite(&mut b, 7, "AKIAZ7Q3HMDKQ2XW4P5N");
        assert_eq!(
            String::from_utf8(b).ok().as_deref(),
            Some("key = \"AKIA****************\"")
        );
        assert_eq!(unquoted("x \"abc\"", 2, 7), Some((3, 6)));
        assert_eq!(unquoted("\"\"", 0, 2), None);
        // Plain words and short values are masked where written only, never in messages.
        assert!(!distinctive("auto"));
        assert!(!distinctive("wordpress"));
        assert!(distinctive("Sup3rS3cretDbPass"));
    }
}

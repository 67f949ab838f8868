//! Reading input files safely: regular files only (a FIFO or a device would block or never
//! end), never more than a byte limit, checked while reading (the size a file reports may lie:
//! `/proc` files, files growing while read).

use std::io::Read;
use std::path::Path;

/// Largest input file read (scanned files, `file()` targets, value and parameter files).
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Reads a regular file of at most `limit` bytes. Errors are worded for users.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let file = open_nonblocking(path).map_err(|e| format!("cannot read file: {e}"))?;
    // The path may have been replaced between the two looks: judge what was opened.
    let opened = file
        .metadata()
        .map_err(|e| format!("cannot read file: {e}"))?;
    if !opened.is_file() {
        return Err(not_regular(&opened));
    }
    // Sized from the open file (reading through `take` loses std's size hint: many small
    // reads and reallocations otherwise); the limit still bounds what is read.
    let expected = usize::try_from(opened.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Checks that a file named on the command line (`--var-file`) is a readable regular file of at
/// most [`MAX_FILE_SIZE`] bytes, without reading it.
pub fn check_input_file(path: &Path) -> Result<(), String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{}: {}", path.display(), not_regular(&meta)));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!(
            "{}: {}",
            path.display(),
            too_large(meta.len(), MAX_FILE_SIZE)
        ));
    }
    Ok(())
}

/// Reads a regular UTF-8 text file of at most [`MAX_FILE_SIZE`] bytes (a BOM is dropped).
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_regular(path, MAX_FILE_SIZE)?;
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(
            "binary file (contains NUL bytes), not a Terraform or CloudFormation text file".into(),
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// `O_NONBLOCK`: should a FIFO replace the file after the check, opening it does not wait for
/// a writer (the value differs between kernels; elsewhere the metadata check alone guards).
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(any(target_os = "macos", target_os = "freebsd", target_os = "openbsd"))]
const O_NONBLOCK: i32 = 0x4;
#[cfg(not(any(
    all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ),
    target_os = "macos",
    target_os = "freebsd",
    target_os = "openbsd"
)))]
const O_NONBLOCK: i32 = 0;

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn not_regular(meta: &std::fs::Metadata) -> String {
    let kind = if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file (a device, FIFO or socket)"
    };
    format!("cannot read file: {kind}; only regular files are read")
}

fn too_large(len: u64, limit: u64) -> String {
    format!(
        "file is too large to scan ({} MiB; the limit is {} MiB)",
        len / (1024 * 1024),
        limit / (1024 * 1024)
    )
}
